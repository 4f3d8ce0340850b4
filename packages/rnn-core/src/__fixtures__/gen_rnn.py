#!/usr/bin/env python3
"""Reference forward and backward passes of Elman RNNs, LSTMs and GRUs from PyTorch, in float64.

Writes rnn.json (Elman) and gated.json (LSTM, GRU) beside this file:
    /usr/bin/python3 packages/rnn-core/src/__fixtures__/gen_rnn.py
Each case holds a model file (config + PyTorch state_dict tensors), an input batch, a target, and what
PyTorch computes: head logits, final states, the loss, the gradient of every parameter, dL/dx, dL/dh0
and the per-step norms of dL/dh_t for every layer.

Two references are built and must agree: torch.nn.RNN / LSTM / GRU + nn.Linear (the real modules), and
an unrolled per-step version with each h_t kept (retain_grad), which gives dL/dh_t, handles sigmoid
(which nn.RNN lacks) and truncated BPTT (h.detach() at chunk boundaries, exactly what truncation means).
"""
import json
import os
import sys

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
PHI = {"tanh": torch.tanh, "relu": torch.relu, "sigmoid": torch.sigmoid}
MODULES = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}


def module(cfg):
    kw = {"nonlinearity": cfg["nonlinearity"]} if cfg["cell"] == "rnn" else {}
    return MODULES[cfg["cell"]](cfg["inputSize"], cfg["hiddenSize"], cfg["numLayers"], bias=cfg["bias"],
                                batch_first=True, bidirectional=cfg["bidirectional"], **kw)


def make_model(cfg, seed):
    torch.manual_seed(seed)
    dirs = 2 if cfg["bidirectional"] else 1
    params = {}
    if cfg["cell"] != "rnn" or cfg["nonlinearity"] in ("tanh", "relu"):
        rnn = module(cfg)
        for k, v in rnn.state_dict().items():
            params["rnn." + k] = v.clone()
    else:  # same names and shapes, PyTorch's default init, for the sigmoid cell nn.RNN does not offer
        H = cfg["hiddenSize"]
        bound = 1 / H ** 0.5
        for k in range(cfg["numLayers"]):
            D = cfg["inputSize"] if k == 0 else H * dirs
            for d in range(dirs):
                sfx = f"_l{k}" + ("_reverse" if d else "")
                params["rnn.weight_ih" + sfx] = (torch.rand(H, D) * 2 - 1) * bound
                params["rnn.weight_hh" + sfx] = (torch.rand(H, H) * 2 - 1) * bound
                if cfg["bias"]:
                    params["rnn.bias_ih" + sfx] = (torch.rand(H) * 2 - 1) * bound
                    params["rnn.bias_hh" + sfx] = (torch.rand(H) * 2 - 1) * bound
    head = torch.nn.Linear(cfg["hiddenSize"] * dirs, cfg["head"]["outputSize"])
    params["head.weight"] = head.weight.detach().clone()
    params["head.bias"] = head.bias.detach().clone()
    return params


def step(cfg, P, sfx, x_t, h, c):
    """One step of the cell: returns (h, c) (c is None except for the LSTM)."""
    W_ih, W_hh = P["rnn.weight_ih" + sfx], P["rnn.weight_hh" + sfx]
    ai, ah = x_t @ W_ih.T, h @ W_hh.T
    if cfg["bias"]:
        ai, ah = ai + P["rnn.bias_ih" + sfx], ah + P["rnn.bias_hh" + sfx]
    if cfg["cell"] == "rnn":
        return PHI[cfg["nonlinearity"]](ai + ah), None
    if cfg["cell"] == "lstm":
        i, f, g, o = (ai + ah).chunk(4, dim=1)
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        return torch.sigmoid(o) * torch.tanh(c), c
    ir, iz, in_ = ai.chunk(3, dim=1)
    hr, hz, hn = ah.chunk(3, dim=1)
    r, z = torch.sigmoid(ir + hr), torch.sigmoid(iz + hz)
    n = torch.tanh(in_ + r * hn)
    return (1 - z) * n + z * h, None


def unrolled(cfg, P, x, h0, c0, truncate):
    """The network step by step; returns logits, final states, and every h_t (retain_grad)."""
    B, T, _ = x.shape
    L, H = cfg["numLayers"], cfg["hiddenSize"]
    dirs = 2 if cfg["bidirectional"] else 1
    layer_in, hN, cN, hs_all = x, [], [], []
    for k in range(L):
        outs, hs_layer = [], []
        for d in range(dirs):
            sfx = f"_l{k}" + ("_reverse" if d else "")
            h, c = h0[k * dirs + d], c0[k * dirs + d]
            hs = [None] * T
            order = range(T) if d == 0 else range(T - 1, -1, -1)
            for s, t in enumerate(order):
                cut = truncate and s % truncate == 0
                h, c = step(cfg, P, sfx, layer_in[:, t], h.detach() if cut else h, c.detach() if cut and c is not None else c)
                h.retain_grad()
                hs[t] = h
            hN.append(h)
            cN.append(c)
            hs_layer.append(hs)
            outs.append(torch.stack(hs, dim=1))
        hs_all.append(hs_layer)
        layer_in = torch.cat(outs, dim=2)
    return layer_in, torch.stack(hN), (torch.stack(cN) if cfg["cell"] == "lstm" else None), hs_all


def head_logits(cfg, P, out):
    h = out if cfg["returnSequences"] else out[:, -1, :]
    y = h @ P["head.weight"].T + P["head.bias"]
    return y.reshape(-1, y.shape[-1])  # (N, O), rows in (b, t) order


def loss_of(kind, y, target):
    return F.mse_loss(y, target) if kind == "mse" else F.cross_entropy(y, target)


def run_case(name, cfg, B, T, loss, seed, truncate=0, with_h0=False):
    P = {k: v.clone().requires_grad_(True) for k, v in make_model(cfg, seed).items()}
    g = torch.Generator().manual_seed(seed + 1000)
    dirs = 2 if cfg["bidirectional"] else 1
    L, H, O = cfg["numLayers"], cfg["hiddenSize"], cfg["head"]["outputSize"]
    x = torch.randn(B, T, cfg["inputSize"], generator=g).requires_grad_(True)
    h0 = (torch.randn(L * dirs, B, H, generator=g) * 0.5 if with_h0 else torch.zeros(L * dirs, B, H)).requires_grad_(True)
    lstm = cfg["cell"] == "lstm"
    c0 = (torch.randn(L * dirs, B, H, generator=g) * 0.5 if with_h0 and lstm else torch.zeros(L * dirs, B, H)).requires_grad_(True)
    N = B * T if cfg["returnSequences"] else B
    target = torch.randn(N, O, generator=g) if loss == "mse" else torch.randint(0, O, (N,), generator=g)

    out, hN, cN, hs_all = unrolled(cfg, P, x, h0, c0, truncate)
    y = head_logits(cfg, P, out)
    lval = loss_of(loss, y, target)
    lval.backward()

    if cfg["nonlinearity"] != "sigmoid" and not truncate:  # cross-check against the real modules
        rnn = module(cfg)
        rnn.load_state_dict({k[4:]: v.detach() for k, v in P.items() if k.startswith("rnn.")})
        xx, hh, cc = (t.detach().clone().requires_grad_(True) for t in (x, h0, c0))
        ref_out, ref_state = rnn(xx, (hh, cc) if lstm else hh)
        ref_hN = ref_state[0] if lstm else ref_state
        if lstm:
            assert torch.allclose(ref_state[1], cN, atol=1e-13, rtol=0), name
        ref_y = head_logits(cfg, {k: v.detach() for k, v in P.items()}, ref_out)
        loss_of(loss, ref_y, target).backward()
        assert torch.allclose(ref_y, y, atol=1e-13, rtol=0), name
        assert torch.allclose(ref_hN, hN, atol=1e-13, rtol=0), name
        assert torch.allclose(xx.grad, x.grad, atol=1e-13, rtol=0), name
        for k, v in rnn.named_parameters():
            assert torch.allclose(v.grad, P["rnn." + k].grad, atol=1e-13, rtol=0), (name, k)

    norms = []
    for k in range(L):
        norms.append([sum(float(hs[t].grad.pow(2).sum()) if hs[t].grad is not None else 0.0 for hs in hs_all[k]) ** 0.5
                      for t in range(T)])
    return case_json(name, cfg, P, loss, x, h0, c0, target, y, hN, cN, lval, with_h0, truncate=truncate, norms=norms)


def case_json(name, cfg, P, loss, x, h0, c0, target, y, hN, cN, lval, with_h0, truncate=0, norms=None, lengths=None):
    """One case as the tests read it: the model file, the batch, and what PyTorch computed."""
    lstm = cfg["cell"] == "lstm"
    zeros_if_none = lambda t: (t.grad if t.grad is not None else torch.zeros_like(t))  # noqa: E731
    return {
        "name": name,
        "model": {"format": "unrolled.model", "version": 1, "config": cfg,
                  "params": {k: {"shape": list(v.shape), "data": v.detach().flatten().tolist()} for k, v in P.items()}},
        "loss": loss,
        "truncate": truncate,
        **({"lengths": lengths} if lengths is not None else {}),
        "x": x.detach().tolist(),
        "h0": h0.detach().tolist() if with_h0 else None,
        "c0": c0.detach().tolist() if with_h0 and lstm else None,
        "target": target.tolist(),
        "expected": {
            "y": y.detach().tolist(),
            "hN": hN.detach().tolist(),
            "cN": cN.detach().tolist() if lstm else None,
            "loss": float(lval),
            "grads": {k: zeros_if_none(v).flatten().tolist() for k, v in P.items()},
            "dx": x.grad.tolist(),
            "dh0": zeros_if_none(h0).tolist(),
            "dc0": zeros_if_none(c0).tolist() if lstm else None,
            "hiddenGradNorms": norms,
        },
    }


def run_packed_case(name, cfg, B, T, loss, seed, lengths=None, with_h0=False):
    """Sequences of different lengths through PyTorch's pack_padded_sequence (enforce_sorted=False): the
    real modules only. Padding steps of x hold random values, which must be ignored. The loss is over the
    real steps only (many-to-many), or read at each sequence's last step (many-to-one)."""
    P = {k: v.clone().requires_grad_(True) for k, v in make_model(cfg, seed).items()}
    g = torch.Generator().manual_seed(seed + 1000)
    dirs = 2 if cfg["bidirectional"] else 1
    L, H, O = cfg["numLayers"], cfg["hiddenSize"], cfg["head"]["outputSize"]
    lstm = cfg["cell"] == "lstm"
    if lengths is None:
        lengths = [int(v) for v in torch.randint(1, T + 1, (B,), generator=g)]
        lengths[int(torch.randint(0, B, (1,), generator=g))] = T  # one full sequence, so the padded width is T
    lens = torch.tensor(lengths)
    x = torch.randn(B, T, cfg["inputSize"], generator=g).requires_grad_(True)
    h0 = (torch.randn(L * dirs, B, H, generator=g) * 0.5 if with_h0 else torch.zeros(L * dirs, B, H)).requires_grad_(True)
    c0 = (torch.randn(L * dirs, B, H, generator=g) * 0.5 if with_h0 and lstm else torch.zeros(L * dirs, B, H)).requires_grad_(True)
    N = B * T if cfg["returnSequences"] else B
    target = torch.randn(N, O, generator=g) if loss == "mse" else torch.randint(0, O, (N,), generator=g)
    rnn = module(cfg)
    rnn.load_state_dict({k[4:]: v.detach() for k, v in P.items() if k.startswith("rnn.")})
    packed = torch.nn.utils.rnn.pack_padded_sequence(x, lens, batch_first=True, enforce_sorted=False)
    out_p, state = rnn(packed, (h0, c0) if lstm else h0)
    out, _ = torch.nn.utils.rnn.pad_packed_sequence(out_p, batch_first=True, total_length=T)
    hN, cN = (state[0], state[1]) if lstm else (state, None)
    if cfg["returnSequences"]:
        y = (out @ P["head.weight"].T + P["head.bias"]).reshape(-1, O)
        mask = (torch.arange(T)[None, :] < lens[:, None]).reshape(-1)
        lval = F.mse_loss(y[mask], target[mask]) if loss == "mse" else F.cross_entropy(y[mask], target[mask])
    else:
        y = out[torch.arange(B), lens - 1] @ P["head.weight"].T + P["head.bias"]
        lval = loss_of(loss, y, target)
    lval.backward()
    for k, v in rnn.named_parameters():
        P["rnn." + k].grad = v.grad
    return case_json(name, cfg, P, loss, x, h0, c0, target, y, hN, cN, lval, with_h0, lengths=lengths)


def cfg(L=1, phi="tanh", bias=True, bidir=False, seqs=True, D=3, H=4, O=2, act="identity", cell="rnn"):
    return {"cell": cell, "inputSize": D, "hiddenSize": H, "numLayers": L, "nonlinearity": phi, "bias": bias,
            "bidirectional": bidir, "returnSequences": seqs, "head": {"outputSize": O, "activation": act}}


CASES = [
    ("1 layer tanh, many-to-many, MSE", cfg(), 2, 5, "mse", {}),
    ("1 layer relu, many-to-one, MSE", cfg(phi="relu", seqs=False), 3, 4, "mse", {}),
    ("2 layers tanh, no bias, many-to-many, CE", cfg(L=2, bias=False, O=3, act="softmax"), 2, 6, "ce", {}),
    ("3 layers tanh, many-to-one, CE", cfg(L=3, O=3, act="softmax", seqs=False), 3, 5, "ce", {}),
    ("3 layers relu, no bias, many-to-many, MSE", cfg(L=3, phi="relu", bias=False), 2, 4, "mse", {}),
    ("bidirectional 1 layer tanh, many-to-many, MSE", cfg(bidir=True), 2, 5, "mse", {}),
    ("bidirectional 2 layers relu, many-to-one, CE", cfg(L=2, phi="relu", bidir=True, seqs=False, O=3), 3, 4, "ce", {}),
    ("bidirectional 2 layers tanh, no bias, many-to-many, CE, with h0", cfg(L=2, bidir=True, bias=False, O=4), 2, 5, "ce", {"with_h0": True}),
    ("bidirectional 3 layers tanh, many-to-one, MSE, with h0", cfg(L=3, bidir=True, seqs=False), 2, 3, "mse", {"with_h0": True}),
    ("T=1, B=1, H=1", cfg(H=1, O=1, seqs=False), 1, 1, "mse", {}),
    ("sigmoid cell, 2 layers, many-to-many, MSE", cfg(L=2, phi="sigmoid"), 2, 5, "mse", {}),
    ("truncated BPTT k=2, 2 layers tanh, many-to-many, MSE", cfg(L=2), 2, 7, "mse", {"truncate": 2, "with_h0": True}),
    ("truncated BPTT k=3, bidirectional, many-to-many, CE", cfg(bidir=True, O=3), 2, 8, "ce", {"truncate": 3}),
    ("truncated BPTT k=4, many-to-one, MSE", cfg(seqs=False), 2, 9, "mse", {"truncate": 4}),
]

GATED = [
    (f"{cell}: {name}", {**c, "cell": cell}, B, T, loss, kw)
    for cell in ("lstm", "gru")
    for name, c, B, T, loss, kw in [
        ("1 layer, many-to-many, MSE", cfg(), 2, 5, "mse", {}),
        ("1 layer, many-to-one, CE", cfg(seqs=False, O=3), 3, 4, "ce", {}),
        ("2 layers, no bias, many-to-many, CE", cfg(L=2, bias=False, O=3), 2, 6, "ce", {}),
        ("3 layers, many-to-one, MSE, with initial states", cfg(L=3, seqs=False), 2, 4, "mse", {"with_h0": True}),
        ("bidirectional 1 layer, many-to-many, MSE", cfg(bidir=True), 2, 5, "mse", {}),
        ("bidirectional 2 layers, many-to-one, CE, with initial states", cfg(L=2, bidir=True, seqs=False, O=4), 3, 4, "ce", {"with_h0": True}),
        ("bidirectional 3 layers, no bias, many-to-many, MSE", cfg(L=3, bidir=True, bias=False), 2, 3, "mse", {}),
        ("T=1, B=1, H=1", cfg(H=1, O=1, seqs=False), 1, 1, "mse", {}),
        ("truncated BPTT k=2, 2 layers, many-to-many, MSE", cfg(L=2), 2, 7, "mse", {"truncate": 2, "with_h0": True}),
        ("truncated BPTT k=3, bidirectional, many-to-many, CE", cfg(bidir=True, O=3), 2, 8, "ce", {"truncate": 3}),
    ]
]


PACKED = [
    (f"{cell}: {name}", {**c, "cell": cell}, B, T, loss, kw)
    for cell in ("rnn", "lstm", "gru")
    for name, c, B, T, loss, kw in [
        ("packed, 1 layer, many-to-many, MSE", cfg(), 3, 6, "mse", {"lengths": [6, 2, 4]}),
        ("packed, 1 layer, many-to-one, CE", cfg(seqs=False, O=3), 4, 5, "ce", {"lengths": [1, 5, 3, 5]}),
        ("packed, 2 layers, many-to-many, CE, with initial states", cfg(L=2, O=3), 3, 5, "ce", {"lengths": [3, 5, 1], "with_h0": True}),
        ("packed, bidirectional 1 layer, many-to-many, MSE", cfg(bidir=True), 3, 6, "mse", {"lengths": [2, 6, 5]}),
        ("packed, bidirectional 2 layers, many-to-one, MSE, with initial states", cfg(L=2, bidir=True, seqs=False), 4, 5, "mse", {"lengths": [5, 3, 3, 1], "with_h0": True}),
        ("packed, bidirectional 3 layers, no bias, many-to-many, CE", cfg(L=3, bidir=True, bias=False, O=4), 2, 4, "ce", {"lengths": [4, 1]}),
    ]
]


def write(name, cases):
    out = {"version": 1, "generator": "packages/rnn-core/src/__fixtures__/gen_rnn.py", "torch": torch.__version__, "cases": cases}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), name)
    with open(path, "w") as f:
        json.dump(out, f)
        f.write("\n")
    print(f"wrote {path}: {len(cases)} cases", file=sys.stderr)


if __name__ == "__main__":
    write("rnn.json", [run_case(name, c, B, T, loss, seed=100 + i, **kw) for i, (name, c, B, T, loss, kw) in enumerate(CASES)])
    write("gated.json", [run_case(name, c, B, T, loss, seed=300 + i, **kw) for i, (name, c, B, T, loss, kw) in enumerate(GATED)])
    write("packed.json", [run_packed_case(name, c, B, T, loss, seed=500 + i, **kw) for i, (name, c, B, T, loss, kw) in enumerate(PACKED)])
