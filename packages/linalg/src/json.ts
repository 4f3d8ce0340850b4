/**
 * JSON from files people download: parsed only after a scan that bounds its nesting, so that a file of
 * 100,000 "[" cannot overflow the stack of whatever walks the result. Every loader reads through it.
 */
import { FormatError } from "./errors.js";

/** Deepest nesting any file of ours needs (a model file is 4 levels deep; X.json's x is 3). */
export const MAX_JSON_DEPTH = 64;

/** The deepest nesting of arrays and objects in `text` (strings skipped), without recursion. */
export function jsonDepth(text: string): number {
  let [depth, deepest, inString] = [0, 0, false];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92)
        i++; // a backslash escapes the next character
      else if (ch === 34) inString = false;
    } else if (ch === 34) inString = true;
    else if (ch === 91 || ch === 123)
      deepest = Math.max(deepest, ++depth); // [ {
    else if (ch === 93 || ch === 125) depth--; // ] }
  }
  return deepest;
}

/** A FormatError naming `what` when `text` nests deeper than MAX_JSON_DEPTH. */
export function assertJsonDepth(text: string, what: string): void {
  const depth = jsonDepth(text);
  if (depth > MAX_JSON_DEPTH)
    throw new FormatError(`${what}: nested ${depth} levels deep, expected at most ${MAX_JSON_DEPTH}`);
}

/** JSON.parse for a file named `what`: a FormatError naming it for bad syntax or nesting deeper than MAX_JSON_DEPTH. */
export function parseJson(text: string, what: string): unknown {
  assertJsonDepth(text, what);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new FormatError(`${what} is not valid JSON: ${(e as Error).message}`);
  }
}
