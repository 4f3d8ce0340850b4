#!/usr/bin/env python3
"""PyTorch's side of the safetensors round trip (Debian's python3-torch; tests never need Python).

  /usr/bin/python3 packages/interop/src/__fixtures__/gen_safetensors.py
      PyTorch builds models (torch.nn.RNN / LSTM / GRU + nn.Linear in a ModuleDict, float32), saves their
      state_dicts as safetensors and records an input batch and PyTorch's outputs (float64) beside
      this script; a unit test loads each file and must reproduce the outputs.
  /usr/bin/python3 packages/interop/src/__fixtures__/gen_safetensors.py check MODEL.safetensors PREDICTIONS.json [RNN.safetensors HEAD.safetensors]
      loads a file written by `unrolled export --format safetensors` into the same PyTorch modules with
      load_state_dict and compares PyTorch's outputs with `unrolled predict --json` (whose input is
      recorded in PREDICTIONS.json as "x"); with the `--part rnn` and `--part head` files, also loads
      them into a bare nn.RNN/LSTM/GRU and nn.Linear; exits 1 if any differs by more than 1e-6.

Files are read and written with the `safetensors` package when it is installed. Debian does not package
it, so otherwise the same format (8-byte length, JSON header, raw little-endian data) is handled here.
"""
import json
import os
import struct
import sys

import torch

TOL = 1e-6
DTYPES = {"F32": torch.float32, "F64": torch.float64, "F16": torch.float16, "BF16": torch.bfloat16}


def load_file(path):
    try:
        from safetensors.torch import load_file as st_load
        return st_load(path)
    except ImportError:
        pass
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n])
    header.pop("__metadata__", None)
    data = blob[8 + n:]
    out = {}
    for name, t in header.items():
        begin, end = t["data_offsets"]
        flat = torch.frombuffer(bytearray(data[begin:end]), dtype=DTYPES[t["dtype"]]) if end > begin else torch.empty(0)
        out[name] = flat.reshape(t["shape"]).clone()
    return out


def save_file(tensors, path, metadata):
    try:
        from safetensors.torch import save_file as st_save
        return st_save(tensors, path, metadata=metadata), "safetensors.torch.save_file"
    except ImportError:
        pass
    header, offset, chunks = {"__metadata__": metadata}, 0, []
    for name, t in tensors.items():
        raw = t.detach().contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        chunks.append(raw)
    text = json.dumps(header, separators=(",", ":"))
    text += " " * ((8 - (len(text) + 8) % 8) % 8)
    with open(path + ".tmp", "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text.encode() + b"".join(chunks))
    os.replace(path + ".tmp", path)
    return None, "the fallback writer in gen_safetensors.py (safetensors is not installed)"


def build(c):
    """The PyTorch twin of an Unrolled config: keys of its state_dict are the model file's names."""
    kw = {"nonlinearity": c["nonlinearity"]} if c["cell"] == "rnn" else {}
    rnn = getattr(torch.nn, c["cell"].upper())(c["inputSize"], c["hiddenSize"], c["numLayers"], bias=c["bias"],
                                               batch_first=True, bidirectional=c["bidirectional"], **kw)
    dirs = 2 if c["bidirectional"] else 1
    return torch.nn.ModuleDict({"rnn": rnn, "head": torch.nn.Linear(c["hiddenSize"] * dirs, c["head"]["outputSize"])})


def forward(m, c, x):
    y, _ = m["rnn"](x)
    out = m["head"](y if c["returnSequences"] else y[:, -1])
    act = c["head"]["activation"]
    return torch.softmax(out, -1) if act == "softmax" else torch.sigmoid(out) if act == "sigmoid" else out


def fixtures():
    here = os.path.dirname(os.path.abspath(__file__))
    torch.manual_seed(2026)
    cases = {
        "torch-lstm": dict(cell="lstm", inputSize=3, hiddenSize=6, numLayers=2, nonlinearity="tanh", bias=True,
                           bidirectional=True, returnSequences=False, head=dict(outputSize=2, activation="identity")),
        "torch-gru": dict(cell="gru", inputSize=2, hiddenSize=5, numLayers=1, nonlinearity="tanh", bias=True,
                          bidirectional=False, returnSequences=True, head=dict(outputSize=3, activation="softmax")),
        "torch-rnn": dict(cell="rnn", inputSize=4, hiddenSize=7, numLayers=2, nonlinearity="relu", bias=False,
                          bidirectional=False, returnSequences=True, head=dict(outputSize=1, activation="identity")),
    }
    for name, c in cases.items():
        m = build(c)
        x = torch.randn(2, 5, c["inputSize"], dtype=torch.float64)
        _, writer = save_file(dict(m.state_dict()), os.path.join(here, name + ".safetensors"), {"format": "pt"})
        with torch.no_grad():  # the float32 weights as saved, evaluated in float64 so the test can be tight
            y = forward(m.double(), c, x)
        with open(os.path.join(here, name + ".json"), "w") as f:
            json.dump({"generator": "packages/interop/src/__fixtures__/gen_safetensors.py", "writer": writer, "torch": torch.__version__,
                       "config": c, "x": x.tolist(), "outputs": y.tolist()}, f)
            f.write("\n")
        print(f"{name}: {sum(p.numel() for p in m.parameters())} parameters, written by {writer}")


def check(model_path, predictions_path, rnn_path=None, head_path=None):
    with open(model_path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        c = json.loads(json.loads(f.read(n))["__metadata__"]["unrolled.config"])
    with open(predictions_path) as f:
        p = json.load(f)
    m = build(c)
    m.load_state_dict(load_file(model_path))  # strict: every name and shape must be PyTorch's
    ways = [("ModuleDict(rnn, head).load_state_dict", m)]
    if rnn_path and head_path:  # the --part files: a bare nn.RNN/LSTM/GRU and a bare nn.Linear
        parts = build(c)
        parts["rnn"].load_state_dict(load_file(rnn_path))
        parts["head"].load_state_dict(load_file(head_path))
        ways.append((f"nn.{c['cell'].upper()}.load_state_dict + nn.Linear.load_state_dict", parts))
    ok = True
    for how, module in ways:
        with torch.no_grad():
            y = forward(module.double(), c, torch.tensor(p["x"], dtype=torch.float64))
        diff = (y - torch.tensor(p["outputs"], dtype=torch.float64)).abs().max().item()
        ok = ok and diff <= TOL
        print(f"{'ok ' if diff <= TOL else 'FAIL'} {os.path.basename(model_path)}: {c['cell']} L={c['numLayers']} "
              f"bidirectional={c['bidirectional']} many-to-{'many' if c['returnSequences'] else 'one'}: "
              f"{how} + forward vs unrolled predict, max |diff| {diff:.2e} (tolerance {TOL})")
    return ok


if __name__ == "__main__":
    if len(sys.argv) == 1:
        fixtures()
    elif sys.argv[1:2] == ["check"] and len(sys.argv) in (4, 6):
        sys.exit(0 if check(*sys.argv[2:]) else 1)
    else:
        sys.exit(__doc__)
