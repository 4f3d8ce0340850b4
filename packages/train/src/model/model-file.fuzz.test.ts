import { createRng, UnrolledError } from "@unrolled/linalg";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Model } from "./model.js";

// Model.fromJSON reads files people download: whatever a file says, the answer is the model or one
// typed error (UnrolledError, whose message names the field) — never a TypeError, a RangeError or a
// hang. The CLI's sweep (scripts/fuzz/run.mjs) does the same through every command; this is the
// library's own loader, in process.

const HOSTILE = [1e9, -1, 0, 1e308, 2 ** 31, 2 ** 53 + 2, 0.5, "1", "", null, true, [], {}, "NaN", "/dev/zero"];

/** Every path into a JSON value (objects and arrays), the root excluded. */
function paths(v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (at.length > 0) out.push(at);
  if (v !== null && typeof v === "object" && out.length < 4000)
    for (const k of Object.keys(v))
      paths((v as Record<string, unknown>)[k], [...at, Array.isArray(v) ? Number(k) : k], out);
  return out;
}

function getAt(root: unknown, path: (string | number)[]): unknown {
  let o = root as Record<string | number, unknown> | undefined;
  for (const k of path) o = o?.[k] as Record<string | number, unknown> | undefined;
  return o;
}

function setAt(root: unknown, path: (string | number)[], value: unknown): void {
  let o = root as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (value === undefined && !Array.isArray(o)) delete o[last];
  else o[last] = value;
}

async function trained(): Promise<object> {
  const rng = createRng(1);
  const xs = Array.from({ length: 40 }, () => Array.from({ length: 6 }, () => [rng.normal()]));
  const ys = xs.map((s) => (s.reduce((a, [v]) => a + (v as number), 0) > 0 ? 1 : 0));
  const m = new Model({ task: "classification", cell: "lstm", hiddenSize: 3 });
  await m.fit(xs, ys, { epochs: 1, seed: 0 });
  return m.toJSON() as object;
}

describe("Model.fromJSON on hostile files", () => {
  it("a mutated model file loads or is refused with one typed error: never a crash", async () => {
    const valid = await trained();
    const all = paths(valid);
    const seen = { loaded: 0, refused: 0 };
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(all.length - 1), fc.nat(2), fc.nat(HOSTILE.length - 1), fc.nat(all.length - 1)), {
          minLength: 1,
          maxLength: 3,
        }),
        (edits) => {
          const v = structuredClone(valid);
          for (const [at, kind, hostile, other] of edits) {
            // 0: a hostile value; 1: the key dropped; 2: another field's value (a list where a number was)
            const value = [HOSTILE[hostile], undefined, structuredClone(getAt(valid, all[other] ?? []))][kind];
            try {
              setAt(v, all[at] as (string | number)[], value);
            } catch {
              // the path went away with an earlier edit
            }
          }
          try {
            Model.fromJSON(v);
            seen.loaded++;
          } catch (e) {
            if (!(e instanceof UnrolledError)) throw e;
            seen.refused++;
          }
        },
      ),
      { numRuns: 400 },
    );
    expect(seen.refused).toBeGreaterThan(100); // the mutations reach the checks
  }, 60_000);
});
