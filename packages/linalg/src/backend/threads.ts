/**
 * More cores for large products: helper threads (worker_threads in Node, Workers in browsers) that
 * share the kernels' WebAssembly memory, instantiate the same module, and each compute a band of
 * rows (or columns) of C while the calling thread computes the first. Splitting C never changes how
 * any element's sum is formed, so threaded results are bit-identical to single-threaded ones.
 *
 * Each helper has a control block of Int32 slots in the shared memory: [task, done, op, args…, claim,
 * ready]. The caller writes the arguments, bumps `task` and wakes the helper. Whoever first moves
 * `claim` from task − 1 to task computes the band: the helper when it is running, else the caller
 * itself once its own band is done, so a helper the OS has not scheduled (a busy machine) never
 * stalls the caller. The helper stores the task number in `done` when it finishes. Both sides spin
 * briefly before sleeping (Atomics.wait): the products of one training step arrive microseconds apart
 * and a futex wake costs more.
 */
import type { WasmKernels } from "./wasm.js";

/** Products with fewer multiply-adds than this stay on one thread: the hand-off would cost more. */
export const THREADED_MIN = 1 << 20;
/** Bytes of scratch every thread gives gemm_f32 (and gemm_packed_f32) for packed blocks: KC·NC + 4·KC floats (assembly/gemm-f32.ts). */
export const GEMM_WORK_BYTES = (256 * 256 + 4 * 256) * 4;
/**
 * The operations a helper runs, by index: the gemm_nt kernels take 10 arguments, every other one 11
 * and the thread's `work` (assembly/).
 */
export const OPS = [
  "gemm_f32",
  "gemm_nt_f32",
  "gemm_f64",
  "gemm_nt_f64",
  "gemm_packed_f32",
  "lstm_step_forward_f32",
  "lstm_step_backward_f32",
  "gru_step_forward_f32",
  "gru_step_backward_f32",
] as const;
const SLOTS = 16; // Int32 slots per control block, followed by the helper's GEMM_WORK_BYTES
const CLAIM = 14; // the last task someone took
const READY = 15; // 1 once the helper has instantiated the kernels
const SPINS = 20_000; // ≈ 100 µs of polling before sleeping

/**
 * The helper's loop, as source text (it runs in a fresh context, so it is plain JavaScript that no
 * build step rewrites): instantiate the kernels on the shared memory, then wait for tasks.
 */
const HELPER_LOOP = `function helperLoop(module, memory, base) {
  const e = new WebAssembly.Instance(module, { env: { memory, abort() { throw new Error("kernel aborted"); } } }).exports;
  const ops = [${OPS.map((name) => `e.${name}`).join(", ")}];
  const c = new Int32Array(memory.buffer, base, ${SLOTS});
  const work = base + ${SLOTS * 4};
  Atomics.store(c, ${READY}, 1);
  let seen = Atomics.load(c, 0);
  for (;;) {
    let spins = 0;
    while (Atomics.load(c, 0) === seen) {
      if (++spins > ${SPINS}) { Atomics.wait(c, 0, seen); spins = 0; }
    }
    seen = Atomics.load(c, 0);
    const op = c[2];
    if (op < 0) return;
    if (Atomics.compareExchange(c, ${CLAIM}, seen - 1, seen) !== seen - 1) continue; // the caller took it
    if (op === 1 || op === 3) ops[op](c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12]);
    else ops[op](c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12], c[13], work);
    Atomics.store(c, 1, seen);
    Atomics.notify(c, 1);
  }
}`;

interface Helper {
  readonly ctl: Int32Array;
  task: number;
  stop(): void;
}

export interface ThreadPool {
  readonly size: number; // helper threads (the caller makes one more)
  /** Bands the helpers have computed so far (the rest ran on the calling thread). */
  readonly helped: number;
  /**
   * Runs OPS[op] as bands, the first on this
   * thread. `band(k, parts)` returns the arguments of band k of `parts`, or null when there is none;
   * `work` is this thread's GEMM_WORK_BYTES (each helper has its own).
   */
  run(op: number, parts: number, band: (k: number, parts: number) => number[] | null, work: number): void;
  stop(): void;
}

type NodeWorker = { unref(): void; terminate(): Promise<number> };
type WorkerThreads = { Worker: new (code: string, o: { eval: true; workerData: unknown }) => NodeWorker };

/** Starts `n` helpers on the kernels' memory; null where this platform has no threads to offer. */
export function startThreads(k: WasmKernels, n: number): ThreadPool | null {
  if (n < 1) return null;
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const node = proc?.getBuiltinModule?.("node:worker_threads") as WorkerThreads | undefined;
  const BrowserWorker = (
    globalThis as { Worker?: new (url: string) => { postMessage(m: unknown): void; terminate(): void } }
  ).Worker;
  const blobs = globalThis as { Blob?: new (parts: string[]) => object; URL?: { createObjectURL(b: object): string } };
  if (!node && !(BrowserWorker && blobs.Blob && blobs.URL)) return null;
  // a page that is not cross-origin isolated cannot send shared memory to a worker
  if ((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === false) return null;
  const helpers: Helper[] = [];
  try {
    for (let h = 0; h < n; h++) {
      const base = k.memory.alloc(SLOTS * 4 + GEMM_WORK_BYTES);
      const ctl = new Int32Array(k.memory.buffer(), base, SLOTS);
      const data = { module: k.module, memory: k.memory.memory, base };
      let stop: () => void;
      if (node) {
        const code = `const { workerData: d } = require("node:worker_threads"); (${HELPER_LOOP})(d.module, d.memory, d.base);`;
        const w = new node.Worker(code, { eval: true, workerData: data });
        w.unref(); // a helper never keeps a process alive
        stop = () => void w.terminate();
      } else {
        const code = `onmessage = (m) => (${HELPER_LOOP})(m.data.module, m.data.memory, m.data.base);`;
        const W = BrowserWorker as NonNullable<typeof BrowserWorker>;
        const w = new W(
          (blobs.URL as NonNullable<typeof blobs.URL>).createObjectURL(
            new (blobs.Blob as NonNullable<typeof blobs.Blob>)([code]),
          ),
        );
        w.postMessage(data);
        stop = () => w.terminate();
      }
      helpers.push({ ctl, task: 0, stop });
    }
  } catch {
    for (const h of helpers) h.stop();
    return null;
  }
  let canSleep = true; // a browser's main thread may not Atomics.wait
  const e = k.exports;
  const ops = OPS.map((name) => e[name]) as ((...a: number[]) => void)[];
  let helped = 0;
  return {
    size: helpers.length,
    get helped() {
      return helped;
    },
    run(op, parts, band, work) {
      const posted: (Helper | null)[] = [];
      const bands: (number[] | null)[] = [];
      for (let p = 1; p < parts; p++) {
        const args = band(p, parts);
        bands.push(args);
        const h = helpers[p - 1] as Helper;
        if (args === null || Atomics.load(h.ctl, READY) !== 1) {
          posted.push(null); // not started yet: this thread computes the band below
          continue;
        }
        h.ctl[2] = op;
        h.ctl.set(args, 3);
        h.task++;
        Atomics.store(h.ctl, 0, h.task);
        Atomics.notify(h.ctl, 0);
        posted.push(h);
      }
      const own = band(0, parts);
      if (own) (ops[op] as (...a: number[]) => void)(...own, work);
      for (const [i, h] of posted.entries()) {
        const args = bands[i] as number[] | null;
        if (args === null) continue;
        if (h === null || Atomics.compareExchange(h.ctl, CLAIM, h.task - 1, h.task) === h.task - 1) {
          (ops[op] as (...a: number[]) => void)(...args, work); // the helper has not started it: do it here
          continue;
        }
        helped++;
        let spins = 0;
        while (Atomics.load(h.ctl, 1) !== h.task) {
          if (++spins > SPINS && canSleep) {
            try {
              Atomics.wait(h.ctl, 1, Atomics.load(h.ctl, 1), 1);
            } catch {
              canSleep = false;
            }
            spins = 0;
          }
        }
      }
    },
    stop() {
      for (const h of helpers) {
        h.ctl[2] = -1;
        Atomics.store(h.ctl, 0, ++h.task);
        Atomics.notify(h.ctl, 0);
        h.stop();
      }
    },
  };
}
