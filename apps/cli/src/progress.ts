/**
 * Training progress: a one-line bar on a terminal (epoch, step, loss, validation loss, ETA), one plain
 * line per epoch otherwise, nothing with --json. Written to stderr so stdout holds only results.
 */
import type { BatchInfo, EpochRecord } from "@unrolled/train";

export interface Progress {
  batch(b: BatchInfo): void;
  epoch(r: EpochRecord): void;
  done(): void;
}

const fmt = (v: number) => (Math.abs(v) >= 0.01 || v === 0 ? v.toFixed(4) : v.toExponential(2));
const time = (s: number) =>
  s >= 90 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, "0")}s` : `${s.toFixed(s < 10 ? 1 : 0)}s`;

export function progress(
  totalEpochs: number,
  mode: "tty" | "plain" | "quiet",
  out: NodeJS.WriteStream = process.stderr,
): Progress {
  const t0 = performance.now();
  let lastDraw = 0;
  let valid = Number.NaN;
  let epochsDone = 0;
  let lastEpochSeconds = 0;
  let lastLine = 0;

  const eta = (e: number, step: number, steps: number) => {
    const elapsed = (performance.now() - t0) / 1000;
    const done = e - 1 + step / steps;
    return done > 0 ? time((elapsed / done) * (totalEpochs - done)) : "?";
  };
  return {
    batch(b) {
      if (mode !== "tty") return;
      const now = performance.now();
      if (now - lastDraw < 100 && b.step !== b.steps) return;
      lastDraw = now;
      const width = 20;
      const fill = Math.round((b.step / b.steps) * width);
      const bar = `${"█".repeat(fill)}${"░".repeat(width - fill)}`;
      out.write(
        `\repoch ${b.epoch}/${totalEpochs} ${bar} step ${b.step}/${b.steps}  loss ${fmt(b.loss)}  valid ${Number.isNaN(valid) ? "—" : fmt(valid)}  ETA ${eta(b.epoch, b.step, b.steps)}\x1b[K`,
      );
    },
    epoch(r) {
      valid = r.validLoss;
      epochsDone = r.epoch;
      lastEpochSeconds = r.seconds;
      // not a terminal: every epoch of a short run; else the first, the last and one every 2 s
      const due = totalEpochs <= 30 || r.epoch === 1 || r.epoch === totalEpochs || performance.now() - lastLine > 2000;
      if (mode === "plain" && due) {
        lastLine = performance.now();
        out.write(
          `epoch ${r.epoch}/${totalEpochs}  train ${fmt(r.trainLoss)}  valid ${fmt(r.validLoss)}  lr ${r.lr.toPrecision(3)}  ${time(r.seconds)}\n`,
        );
      }
    },
    done() {
      if (mode === "tty")
        out.write(
          `\r\x1b[Kdone: ${epochsDone} epochs in ${time((performance.now() - t0) / 1000)} (last epoch ${time(lastEpochSeconds)})\n`,
        );
    },
  };
}
