/**
 * The error hierarchy every Unrolled package throws. Each class has a stable `code` and a static
 * `isInstance` that works across duplicated copies of this package (it checks a `Symbol.for` marker,
 * not the prototype chain), so `ShapeError.isInstance(e)` is safe where `instanceof` is not.
 */

const MARKER = Symbol.for("unrolled.error");

export type ErrorCode = "E_SHAPE" | "E_DTYPE" | "E_CONFIG" | "E_FORMAT" | "E_NONFINITE" | "E_DATA";

/** Base class: every error an Unrolled package throws on purpose. */
export class UnrolledError extends Error {
  readonly code: ErrorCode;
  readonly [MARKER]: string;

  constructor(code: ErrorCode, message: string, kind = "UnrolledError") {
    super(message);
    this.name = kind;
    this.code = code;
    this[MARKER] = kind;
  }

  /** True for any Unrolled error, from any copy of this package. */
  static isInstance(e: unknown): e is UnrolledError {
    return typeof e === "object" && e !== null && MARKER in e;
  }

  protected static hasKind(e: unknown, kind: string): boolean {
    return UnrolledError.isInstance(e) && e[MARKER] === kind;
  }
}

const fmtShape = (s: readonly number[]): string => `[${s.join(", ")}]`;

/**
 * A tensor has the wrong shape. The message names the function, the argument, the actual shape and
 * the expected one with its symbols:
 * `rnnCellForward: hPrev has shape [2, 32], expected (B, H) = [2, 64]`.
 */
export class ShapeError extends UnrolledError {
  readonly fn: string;
  readonly arg: string;
  readonly actual: readonly number[];
  readonly expected: readonly (number | null)[];

  constructor(
    fn: string,
    arg: string,
    actual: readonly number[],
    expected: readonly (number | null)[],
    symbols?: string,
  ) {
    const exp = `[${expected.map((d) => (d === null ? "*" : String(d))).join(", ")}]`;
    const sym = symbols === undefined ? "" : `${symbols} = `;
    super("E_SHAPE", `${fn}: ${arg} has shape ${fmtShape(actual)}, expected ${sym}${exp}`, "ShapeError");
    this.fn = fn;
    this.arg = arg;
    this.actual = actual;
    this.expected = expected;
  }

  static override isInstance(e: unknown): e is ShapeError {
    return UnrolledError.hasKind(e, "ShapeError");
  }
}

/** Two arrays of different float types met in one operation; nothing is ever upcast silently. */
export class DTypeError extends UnrolledError {
  constructor(fn: string, arg: string, actual: string, expected: string) {
    super("E_DTYPE", `${fn}: ${arg} is ${actual}, expected ${expected} (mixing dtypes is not allowed)`, "DTypeError");
  }

  static override isInstance(e: unknown): e is DTypeError {
    return UnrolledError.hasKind(e, "DTypeError");
  }
}

/** A hyperparameter or option is out of range: `Adam: lr must be > 0, got -1`. */
export class ConfigError extends UnrolledError {
  constructor(message: string) {
    super("E_CONFIG", message, "ConfigError");
  }

  static override isInstance(e: unknown): e is ConfigError {
    return UnrolledError.hasKind(e, "ConfigError");
  }
}

/** A file or serialized object is malformed (model file, checkpoint, CSV, optimizer state). */
export class FormatError extends UnrolledError {
  constructor(message: string) {
    super("E_FORMAT", message, "FormatError");
  }

  static override isInstance(e: unknown): e is FormatError {
    return UnrolledError.hasKind(e, "FormatError");
  }
}

/** A NaN or an infinity appeared where only finite numbers make sense (a loss, a weight, an input). */
export class NonFiniteError extends UnrolledError {
  constructor(message: string) {
    super("E_NONFINITE", message, "NonFiniteError");
  }

  static override isInstance(e: unknown): e is NonFiniteError {
    return UnrolledError.hasKind(e, "NonFiniteError");
  }
}

/** Data cannot be used as asked (too short for the window, an unknown column, ...). */
export class DataError extends UnrolledError {
  constructor(message: string) {
    super("E_DATA", message, "DataError");
  }

  static override isInstance(e: unknown): e is DataError {
    return UnrolledError.hasKind(e, "DataError");
  }
}
