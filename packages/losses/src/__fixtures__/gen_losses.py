#!/usr/bin/env python3
"""Reference loss values and gradients from PyTorch's own loss modules, in float64.

Writes losses.json beside this file:  /usr/bin/python3 packages/losses/src/__fixtures__/gen_losses.py
Per-row weights are emulated the way they are defined in reduction.ts: reduction="none", multiply
each row by its weight, divide by (Σw · O) (cross-entropy: Σw) or by 1 for "sum".
"""
import json
import os

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
torch.manual_seed(1)
N, O, C = 6, 3, 4
pred = torch.randn(N, O) * 2
target = torch.randn(N, O)
probs = torch.rand(N, O)
logits = torch.randn(N, C) * 3
classes = torch.randint(0, C, (N,))
soft = torch.softmax(torch.randn(N, C), dim=1)
weights = torch.tensor([1.0, 0.0, 2.5, 0.5, 1.0, 3.0])


def case(name, x, fn, per_row_terms, **extra):
    out = []
    for reduction in ("mean", "sum"):
        for w in (None, weights):
            xx = x.clone().requires_grad_(True)
            if w is None:
                loss = fn(xx, reduction)
            else:
                per = fn(xx, "none")
                per = per.reshape(N, -1).sum(dim=1) if per.dim() > 1 else per
                loss = (w * per).sum() / ((w.sum() * per_row_terms) if reduction == "mean" else 1.0)
            loss.backward()
            out.append({"reduction": reduction, "weights": None if w is None else w.tolist(),
                        "loss": loss.item(), "grad": xx.grad.tolist()})
    return {"name": name, "input": x.tolist(), "runs": out, **extra}


cases = [
    case("mse", pred, lambda x, r: F.mse_loss(x, target, reduction=r), O, target=target.tolist()),
    case("mae", pred, lambda x, r: F.l1_loss(x, target, reduction=r), O, target=target.tolist()),
    case("huber", pred, lambda x, r: F.huber_loss(x, target, reduction=r, delta=0.7), O, target=target.tolist(), delta=0.7),
    case("bceWithLogits", pred, lambda x, r: F.binary_cross_entropy_with_logits(x, probs, reduction=r), O, target=probs.tolist()),
    case("softmaxCrossEntropy", logits, lambda x, r: F.cross_entropy(x, classes, reduction=r), 1, target=classes.tolist()),
    case("softmaxCrossEntropySoft", logits, lambda x, r: F.cross_entropy(x, soft, reduction=r), 1, target=soft.tolist()),
]
out = {"version": 1, "generator": "packages/losses/src/__fixtures__/gen_losses.py", "torch": torch.__version__, "cases": cases}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "losses.json")
with open(path, "w") as f:
    json.dump(out, f)
    f.write("\n")
print(f"wrote {path}: {len(cases)} losses × 4 reductions")
