/**
 * The JavaScript peers, each set up for a workload as close to it as the library allows:
 *
 * - tfjs 4.22 (wasm and cpu backends; tfjs-node cannot install here): tf.layers.simpleRNN, lstm or
 *   gru + dense, SGD at lr 0.01 through optimizer.minimize (synchronous, no fit() bookkeeping), one
 *   update per batch. Its GRU applies the reset gate before the recurrent product (Keras's
 *   reset_after = false); the cost is the same.
 * - brain.js 1.6.1 and 2.0.0-beta.24: recurrent.RNNTimeStep (recurrent.RNN with an embedding for
 *   the characters of W4). Its cell is relu; a subclass makes it tanh like the workloads. It cannot
 *   batch, cannot put the loss on the last step only, and needs output size = input size; it updates
 *   with its own RMSprop-like rule. So a batch of B is B sequences of T+1 steps, each predicting the
 *   next vector. Its figures are for this nearest setup. Its LSTM is not a standard LSTM (brain.js 1.x
 *   keeps no cell state apart from h), and it has no GRU: the gated workloads skip brain.js rather
 *   than compare different models.
 */
import { createRequire } from "node:module";
import { type Workload, workloadFlops } from "@unrolled/train";

const require = createRequire(import.meta.url);

export interface PeerRun {
  /** One iteration: an update over one batch of B sequences (or one forward for INF). */
  readonly step: () => void;
  /** FLOPs of one iteration as the workload counts them. */
  readonly flops: number;
}

export interface Peer {
  readonly name: string;
  readonly version: string;
  /** Why this library cannot run the workload as defined, or null when it can. */
  skip(w: Workload): string | null;
  setup(w: Workload): Promise<PeerRun>;
}

function version(pkg: string): string {
  return (require(`${pkg}/package.json`) as { version: string }).version;
}

/** Seeded uniform numbers in [−1, 1), so every library sees the same kind of data. */
function noise(n: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  });
}

// ---------------------------------------------------------------------------------------------
// tfjs

type Tf = typeof import("@tensorflow/tfjs");

let tfLoaded: Tf | null = null;
/** The tfjs union package (core, layers, the cpu backend, chained ops and gradients) and the wasm backend. */
async function loadTf(): Promise<Tf> {
  if (tfLoaded) return tfLoaded;
  const tf = (await import("@tensorflow/tfjs")) as Tf;
  const wasm = await import("@tensorflow/tfjs-backend-wasm");
  wasm.setThreadsCount(1); // one thread, as every figure in the table
  tf.env().set("PROD", true); // no debug checks, as a user would run it
  tfLoaded = tf;
  return tf;
}

function tfjsPeer(backend: "wasm" | "cpu"): Peer {
  return {
    name: `tfjs-${backend}`,
    version: version("@tensorflow/tfjs"),
    skip: () => null,
    async setup(w) {
      const tf = await loadTf();
      const tfl = tf;
      await tf.setBackend(backend);
      await tf.ready();
      const all = w.output === "all";
      const model = tfl.sequential({
        layers: [recurrentLayer(tf, w), tfl.layers.dense({ units: w.O })],
      });
      const x = tf.tensor3d(noise(w.B * w.T * w.D, 1), [w.B, w.T, w.D]);
      const N = all ? w.B * w.T : w.B;
      const y =
        w.loss === "ce"
          ? tf.reshape(
              tf.oneHot(
                tf.tensor1d(
                  noise(N, 2).map((v) => Math.floor(((v + 1) / 2) * w.O)),
                  "int32",
                ),
                w.O,
              ),
              all ? [w.B, w.T, w.O] : [w.B, w.O],
            )
          : tf.tensor(noise(N * w.O, 2), all ? [w.B, w.T, w.O] : [w.B, w.O]);
      const opt = tf.train.sgd(0.01);
      const vars = model.trainableWeights.map((v) => v.read() as unknown as import("@tensorflow/tfjs").Variable);
      const loss = (out: import("@tensorflow/tfjs").Tensor) =>
        w.loss === "ce" ? tf.losses.softmaxCrossEntropy(y, out) : tf.losses.meanSquaredError(y, out);
      const step = w.train
        ? () => {
            tf.tidy(() => {
              opt.minimize(
                () =>
                  loss(
                    model.apply(x, { training: true }) as import("@tensorflow/tfjs").Tensor,
                  ) as import("@tensorflow/tfjs").Scalar,
                false,
                vars,
              );
            });
          }
        : () => {
            tf.tidy(() => (model.apply(x) as import("@tensorflow/tfjs").Tensor).dataSync());
          };
      return { step, flops: workloadFlops(w) };
    },
  };
}

/** The workload's recurrent layer in tfjs-layers. */
function recurrentLayer(tf: Tf, w: Workload) {
  const args = { units: w.H, returnSequences: w.output === "all", inputShape: [w.T, w.D] };
  if (w.cell === "lstm") return tf.layers.lstm(args);
  if (w.cell === "gru") return tf.layers.gru(args);
  return tf.layers.simpleRNN({ ...args, activation: "tanh" });
}

// ---------------------------------------------------------------------------------------------
// brain.js

interface BrainNet {
  train(data: unknown[], opts: object): unknown;
  formatData(data: unknown[]): unknown[];
  trainPattern(input: unknown, log: boolean): number;
  initialize(): void;
  run(input: unknown): unknown;
}
type BrainCtor = new (opts: object) => BrainNet;

/** A subclass whose cell is tanh(W x + U h + b) instead of brain.js's relu. */
function tanhCell(Base: BrainCtor): BrainCtor {
  const Sub = class extends (Base as new (opts: object) => object) {};
  Object.defineProperty(Sub.prototype, "getEquation", {
    value(eq: BrainEquation, input: unknown, prev: unknown, hl: BrainHidden): unknown {
      return eq.tanh(eq.add(eq.add(eq.multiply(hl.weight, input), eq.multiply(hl.transition, prev)), hl.bias));
    },
  });
  return Sub as unknown as BrainCtor;
}
interface BrainEquation {
  tanh(m: unknown): unknown;
  add(a: unknown, b: unknown): unknown;
  multiply(a: unknown, b: unknown): unknown;
}
interface BrainHidden {
  weight: unknown;
  transition: unknown;
  bias: unknown;
}

function brainPeer(pkg: "brain.js-1" | "brain.js-2"): Peer {
  return {
    name: pkg === "brain.js-1" ? "brain.js 1" : "brain.js 2",
    version: version(pkg),
    skip: (w) => (w.cell === "rnn" ? null : "no standard LSTM or GRU"),
    async setup(w) {
      const brain = require(pkg) as { recurrent: { RNNTimeStep: BrainCtor; RNN: BrainCtor } };
      // flops as brain.js computes them: per sequence, T steps of D·H + H·H, plus its output layer of D outputs
      const perSeq = 2 * w.T * (w.D * w.H + w.H * w.H);
      if (w.data === "chars") {
        const RNN = tanhCell(brain.recurrent.RNN);
        const net = new RNN({
          inputSize: w.D,
          inputRange: w.D,
          hiddenLayers: [w.H],
          outputSize: w.O + 1,
          learningRate: 0.01,
        });
        net.initialize();
        const ids = noise(w.T + 1, 3).map((v) => Math.floor(((v + 1) / 2) * w.D));
        return { step: () => void net.trainPattern(ids, false), flops: 3 * perSeq };
      }
      const RNN = tanhCell(brain.recurrent.RNNTimeStep);
      const net = new RNN({ inputSize: w.D, hiddenLayers: [w.H], outputSize: w.D, learningRate: 0.01 });
      const values = noise((w.T + 1) * w.D, 4);
      const seq = Array.from({ length: w.T + 1 }, (_, t) =>
        w.D === 1 ? values[t] : values.slice(t * w.D, (t + 1) * w.D),
      );
      net.train([seq], { iterations: 1, log: false, errorThresh: 0 }); // sizes the network
      const [pattern] = net.formatData([seq]);
      const input = seq.slice(0, w.T);
      const step = w.train
        ? () => {
            for (let b = 0; b < w.B; b++) net.trainPattern(pattern, false);
          }
        : () => {
            for (let b = 0; b < w.B; b++) net.run(input);
          };
      return { step, flops: (w.train ? 3 : 1) * w.B * perSeq };
    },
  };
}

export const PEERS: readonly Peer[] = [
  tfjsPeer("wasm"),
  tfjsPeer("cpu"),
  brainPeer("brain.js-1"),
  brainPeer("brain.js-2"),
];
