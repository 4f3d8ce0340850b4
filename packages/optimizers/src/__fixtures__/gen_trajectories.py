#!/usr/bin/env python3
"""Reference optimizer trajectories, LR schedules and gradient clipping from PyTorch, in float64.

Writes trajectories.json beside this file. Run with Debian's PyTorch (apt-get install python3-torch):
    /usr/bin/python3 packages/optimizers/src/__fixtures__/gen_trajectories.py
The TypeScript tests replay the recorded gradients through our optimizers and compare every parameter
after every step; they never need Python.
"""
import json
import os

import torch

torch.set_default_dtype(torch.float64)
torch.manual_seed(0)
P = 8
STEPS = 40
a = torch.randn(P)
b = torch.rand(P) * 2 + 0.5
c = torch.rand(P) + 0.1
theta0 = torch.randn(P)


def loss_fn(t):
    # smooth, non-quadratic, couples coordinates: the gradients change with every step
    return (a * torch.sin(b * t)).sum() + 0.5 * (c * t * t).sum() + 0.1 * t.sum() ** 2


CASES = [
    ("sgd", {"kind": "sgd", "lr": 0.1}, lambda p: torch.optim.SGD(p, lr=0.1)),
    ("sgd momentum", {"kind": "sgd", "lr": 0.05, "momentum": 0.9}, lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9)),
    ("sgd momentum dampening weight decay",
     {"kind": "sgd", "lr": 0.05, "momentum": 0.9, "dampening": 0.1, "weightDecay": 0.01},
     lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.01)),
    ("sgd nesterov", {"kind": "sgd", "lr": 0.05, "momentum": 0.9, "nesterov": True, "weightDecay": 0.001},
     lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.001)),
    ("rmsprop", {"kind": "rmsprop", "lr": 0.01}, lambda p: torch.optim.RMSprop(p, lr=0.01)),
    ("rmsprop centered momentum weight decay",
     {"kind": "rmsprop", "lr": 0.01, "alpha": 0.9, "eps": 1e-6, "momentum": 0.5, "centered": True, "weightDecay": 0.01},
     lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, eps=1e-6, momentum=0.5, centered=True, weight_decay=0.01)),
    ("adam", {"kind": "adam", "lr": 0.01}, lambda p: torch.optim.Adam(p, lr=0.01)),
    ("adam amsgrad weight decay",
     {"kind": "adam", "lr": 0.02, "beta1": 0.8, "beta2": 0.99, "eps": 1e-6, "weightDecay": 0.01, "amsgrad": True},
     lambda p: torch.optim.Adam(p, lr=0.02, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.01, amsgrad=True)),
    ("adamw", {"kind": "adamw", "lr": 0.01}, lambda p: torch.optim.AdamW(p, lr=0.01)),
    ("adamw amsgrad", {"kind": "adamw", "lr": 0.01, "weightDecay": 0.1, "amsgrad": True},
     lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.1, amsgrad=True)),
    ("adagrad", {"kind": "adagrad", "lr": 0.1}, lambda p: torch.optim.Adagrad(p, lr=0.1)),
    ("adagrad decay",
     {"kind": "adagrad", "lr": 0.1, "lrDecay": 0.01, "weightDecay": 0.01, "eps": 1e-8, "initialAccumulatorValue": 0.1},
     lambda p: torch.optim.Adagrad(p, lr=0.1, lr_decay=0.01, weight_decay=0.01, eps=1e-8, initial_accumulator_value=0.1)),
]


def trajectory(make):
    t = theta0.clone().requires_grad_(True)
    opt = make([t])
    grads, params = [], []
    for _ in range(STEPS):
        opt.zero_grad()
        loss_fn(t).backward()
        grads.append(t.grad.tolist())
        opt.step()
        params.append(t.detach().tolist())
    return grads, params


SCHEDULES = [
    ({"kind": "step", "stepSize": 3, "gamma": 0.5}, lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5), None),
    ({"kind": "exponential", "gamma": 0.9}, lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.9), None),
    ({"kind": "cosine", "tMax": 10, "etaMin": 0.001},
     lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=10, eta_min=0.001), None),
    ({"kind": "plateau", "factor": 0.5, "patience": 2, "threshold": 0.01, "cooldown": 1, "minLr": 0.01},
     lambda o: torch.optim.lr_scheduler.ReduceLROnPlateau(o, factor=0.5, patience=2, threshold=0.01, cooldown=1, min_lr=0.01),
     [1.0, 0.9, 0.95, 0.91, 0.92, 0.93, 0.5, 0.6, 0.6, 0.6, 0.6, 0.6, 0.4, 0.41, 0.42, 0.43, 0.44, 0.45, 0.46, 0.47, 0.48, 0.49]),
    ({"kind": "plateau", "mode": "max", "thresholdMode": "abs", "threshold": 0.05, "patience": 1, "factor": 0.3},
     lambda o: torch.optim.lr_scheduler.ReduceLROnPlateau(o, mode="max", threshold_mode="abs", threshold=0.05, patience=1, factor=0.3),
     [0.1, 0.2, 0.22, 0.21, 0.3, 0.31, 0.32, 0.5, 0.5, 0.5, 0.5]),
]


def schedule(make, metrics, epochs=25, base_lr=0.1):
    p = torch.zeros(1, requires_grad=True)
    o = torch.optim.SGD([p], lr=base_lr)
    s = make(o)
    lrs = []
    n = len(metrics) if metrics else epochs
    for e in range(n):
        lrs.append(o.param_groups[0]["lr"])
        o.step()
        if metrics:
            s.step(metrics[e])
        else:
            s.step()
    return lrs


def clip_case(max_norm, scale):
    gs = [torch.randn(3, 4) * scale, torch.randn(5) * scale]
    ps = [torch.zeros_like(g, requires_grad=True) for g in gs]
    for p, g in zip(ps, gs):
        p.grad = g.clone()
    norm = torch.nn.utils.clip_grad_norm_(ps, max_norm)
    return {"maxNorm": max_norm, "grads": [g.flatten().tolist() for g in gs], "norm": float(norm),
            "clipped": [p.grad.flatten().tolist() for p in ps]}


out = {
    "version": 1,
    "generator": "packages/optimizers/src/__fixtures__/gen_trajectories.py",
    "torch": torch.__version__,
    "theta0": theta0.tolist(),
    "cases": [],
    "schedules": [],
    "clip": [clip_case(1.0, 1.0), clip_case(100.0, 1.0), clip_case(0.5, 10.0)],
}
for name, config, make in CASES:
    g, p = trajectory(make)
    out["cases"].append({"name": name, "config": config, "grads": g, "params": p})
for config, make, metrics in SCHEDULES:
    out["schedules"].append({"config": config, "baseLr": 0.1, "metrics": metrics, "lrs": schedule(make, metrics)})

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "trajectories.json")
with open(path, "w") as f:
    json.dump(out, f)
    f.write("\n")
print(f"wrote {path}: {len(out['cases'])} optimizer trajectories of {STEPS} steps, {len(out['schedules'])} schedules")
