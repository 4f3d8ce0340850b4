#!/usr/bin/env python3
"""The performance workloads (docs/performance.md) in PyTorch: nn.RNN (tanh), nn.LSTM or nn.GRU + nn.Linear, plain SGD at
lr 0.01, one update per batch, float32, one thread. The same timing as Unrolled's: warm-up, then the
median of several repeats. Run by `pnpm bench` when Debian's python3-torch is installed (with libopenblas0-pthread: without it,
Debian's torch falls back to the reference BLAS, 10× slower), or alone:

    /usr/bin/python3 bench/pytorch.py [--workload W1,W3] [--seconds 1] [--repeats 5] [--json]

With --json, one line per workload: {"workload", "throughput", "unit", "gflops", "version"}.
"""
import argparse
import json
import os
import statistics
import sys
import time

# one thread, as Unrolled's one-thread column: torch.set_num_threads does not reach OpenBLAS's own pool
# (Debian's libopenblas0-pthread), which must be set before it loads; on a busy machine its spinning
# threads would otherwise cost PyTorch 10× or more
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import torch  # noqa: E402

WORKLOADS = {  # keep in step with packages/train/src/bench.ts
    "W1": dict(cell="rnn", D=3, H=5, O=1, T=13, B=1, output="all", loss="mse", data="normal", train=True, unit="seq/s"),
    "W2": dict(cell="rnn", D=1, H=100, O=1, T=50, B=1, output="last", loss="mse", data="sine", train=True, unit="seq/s"),
    "W3": dict(cell="rnn", D=8, H=256, O=1, T=50, B=32, output="last", loss="mse", data="normal", train=True, unit="GFLOP/s"),
    "W4": dict(cell="rnn", D=65, H=128, O=65, T=25, B=1, output="all", loss="ce", data="chars", train=True, unit="seq/s"),
    "INF": dict(cell="rnn", D=8, H=256, O=1, T=50, B=32, output="last", loss="mse", data="normal", train=False, unit="GFLOP/s"),
    "W5": dict(cell="lstm", D=65, H=256, O=65, T=64, B=32, output="all", loss="ce", data="chars", train=True, unit="seq/s"),
    "W6": dict(cell="gru", D=8, H=256, O=1, T=50, B=32, output="last", loss="mse", data="normal", train=True, unit="seq/s"),
    "W7": dict(cell="lstm", D=8, H=256, O=1, T=50, B=32, output="last", loss="mse", data="normal", train=True, unit="seq/s"),
    "INF-LSTM": dict(cell="lstm", D=8, H=256, O=1, T=50, B=32, output="last", loss="mse", data="normal", train=False, unit="seq/s"),
}
GATES = {"rnn": 1, "gru": 3, "lstm": 4}


def flops(w):
    forward = 2 * w["B"] * w["T"] * GATES[w["cell"]] * (w["D"] * w["H"] + w["H"] * w["H"])
    return 3 * forward if w["train"] else forward


def setup(w):
    """A function that runs one iteration of the workload."""
    torch.manual_seed(1)
    D, H, O, T, B = w["D"], w["H"], w["O"], w["T"], w["B"]
    if w["cell"] == "rnn":
        rnn = torch.nn.RNN(D, H, batch_first=True, nonlinearity="tanh")
    else:
        rnn = (torch.nn.LSTM if w["cell"] == "lstm" else torch.nn.GRU)(D, H, batch_first=True)
    head = torch.nn.Linear(H, O)
    every = w["output"] == "all"
    N = B * T if every else B
    if w["data"] == "chars":
        ids = torch.randint(0, D, (B, T + 1))
        x = torch.nn.functional.one_hot(ids[:, :T], D).float()
        y = ids[:, 1:].reshape(-1) if every else ids[:, -1]
    elif w["data"] == "sine":
        phase = torch.rand(B, 1) * 2 * torch.pi
        t = torch.arange(T + 1, dtype=torch.float32)
        wave = torch.sin(phase + 0.2 * t)
        x, y = wave[:, :T].unsqueeze(-1), wave[:, T:]
    else:
        x, y = torch.randn(B, T, D), torch.randn(N, O)
    if not w["train"]:
        def infer():
            with torch.no_grad():
                out, _ = rnn(x)
                head(out[:, -1])
        return infer
    opt = torch.optim.SGD(list(rnn.parameters()) + list(head.parameters()), lr=0.01)
    lossf = torch.nn.CrossEntropyLoss() if w["loss"] == "ce" else torch.nn.MSELoss()

    def step():
        opt.zero_grad()
        out, _ = rnn(x)
        logits = head(out.reshape(-1, H) if every else out[:, -1])
        lossf(logits, y).backward()
        opt.step()
    return step


def time_workload(step, seconds, repeats, warmup=0.5):
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < warmup:
        step()
    rates = []
    for _ in range(repeats):
        n, t0 = 0, time.perf_counter()
        t = t0
        while t - t0 < seconds:
            step()
            n += 1
            t = time.perf_counter()
        rates.append(n / (t - t0))
    return statistics.median(rates)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--workload", default=",".join(WORKLOADS))
    ap.add_argument("--seconds", type=float, default=1.0)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(1)
    for wid in a.workload.split(","):
        if wid not in WORKLOADS:
            print(f"pytorch.py: unknown workload {wid!r}, expected some of {', '.join(WORKLOADS)}", file=sys.stderr)
            sys.exit(2)
        w = WORKLOADS[wid]
        per_second = time_workload(setup(w), a.seconds, a.repeats)
        gflops = per_second * flops(w) / 1e9
        throughput = per_second * w["B"] if w["unit"] == "seq/s" else gflops
        row = dict(workload=wid, throughput=throughput, unit=w["unit"], gflops=gflops, version=torch.__version__)
        print(json.dumps(row) if a.json else f"{wid:8} {throughput:,.1f} {w['unit']} ({gflops:.2f} GFLOP/s), PyTorch {torch.__version__}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
