#!/usr/bin/env python3
"""Time to quality, PyTorch's side (bench/src/quality.ts writes the plan and runs this): the same 2-layer
LSTM with dropout between the layers and a linear head, loaded from Unrolled's initial weights (PyTorch's
names), trained with Adam on the same batches in the same order at the same learning rate per step, the
gradient norm clipped as Unrolled clips it, float32, one thread. Validation is the streaming evaluation of
packages/train/src/evaluate.ts: the validation text cut into `lanes` contiguous streams, read in chunks
of 256 characters with the state carried between chunks, mean cross-entropy over every character.

    /usr/bin/python3 bench/quality.py PLAN.json

Prints a line per validation on stderr and, last on stdout, a JSON list of
{"batches", "trainSeconds", "validLoss"}; stops at the first validation at or below the plan's target.
"""
import json
import os
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one thread, as bench/pytorch.py

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402


class Model(torch.nn.Module):
    def __init__(self, V, H, L, dropout):
        super().__init__()
        self.rnn = torch.nn.LSTM(V, H, L, dropout=dropout, batch_first=True)
        self.head = torch.nn.Linear(H, V)

    def forward(self, ids, state=None):
        out, state = self.rnn(F.one_hot(ids.long(), self.head.out_features).float(), state)
        return self.head(out), state


def load(model, plan):
    flat = torch.from_numpy(np.fromfile(os.path.join(plan["dir"], "weights.f32"), dtype=np.float32))
    params = dict(model.named_parameters())
    with torch.no_grad():
        for s in plan["slots"]:
            params[s["name"]].copy_(flat[s["offset"] : s["offset"] + s["size"]].reshape(s["shape"]))


def validate(model, ids, lanes, length, chunk):
    model.eval()
    nll, state = 0.0, None
    with torch.no_grad():
        for t0 in range(0, length, chunk):
            T = min(chunk, length - t0)
            x = torch.stack([ids[b * length + t0 : b * length + t0 + T] for b in range(lanes)])
            y = torch.stack([ids[b * length + t0 + 1 : b * length + t0 + T + 1] for b in range(lanes)])
            logits, state = model(x, state)
            nll += F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1).long(), reduction="sum").item()
    model.train()
    return nll / (lanes * length)


def main():
    torch.set_num_threads(1)
    plan = json.load(open(sys.argv[1]))
    B, T = plan["batchSize"], plan["seqLen"]
    xs = torch.from_numpy(np.fromfile(os.path.join(plan["dir"], "x.i32"), dtype=np.int32)).reshape(-1, B, T)
    ys = torch.from_numpy(np.fromfile(os.path.join(plan["dir"], "y.i32"), dtype=np.int32)).reshape(-1, B, T)
    valid = torch.from_numpy(np.fromfile(os.path.join(plan["dir"], "valid.i32"), dtype=np.int32))
    model = Model(plan["vocab"], plan["hidden"], plan["layers"], plan["dropout"])
    load(model, plan)
    opt = torch.optim.Adam(model.parameters(), lr=plan["lr"][0])
    checks = set(plan["validateAfter"])
    v = plan["valid"]
    points, seconds = [], 0.0
    for k in range(xs.shape[0]):
        start = time.perf_counter()
        for g in opt.param_groups:
            g["lr"] = plan["lr"][k]
        logits, _ = model(xs[k])
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), ys[k].reshape(-1).long())
        opt.zero_grad()
        loss.backward()
        if plan["clipNorm"] is not None:
            torch.nn.utils.clip_grad_norm_(model.parameters(), plan["clipNorm"])
        opt.step()
        seconds += time.perf_counter() - start
        if k + 1 in checks:
            loss = validate(model, valid, v["lanes"], v["len"], v["chunk"])
            points.append({"batches": k + 1, "trainSeconds": seconds, "validLoss": loss})
            print(f"  pytorch   {k + 1} batches  {seconds:.1f} s  valid {loss:.4f}", file=sys.stderr)
            if loss <= plan["target"]:
                break
    print(json.dumps(points))


if __name__ == "__main__":
    main()
