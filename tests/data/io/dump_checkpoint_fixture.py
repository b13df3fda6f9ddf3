#!/usr/bin/python3
# Writes checkpoint_fixture.json: for every tensor of the reference checkpoints, its shape,
# dtype, first values and an exact bit checksum, computed with PyTorch itself (Debian
# python3-torch) so that tests/unit/io_checkpoint_test.cc compares our zip+pickle reader
# against an independent reader. Run: /usr/bin/python3 tests/data/io/dump_checkpoint_fixture.py
import json, os, sys
import numpy as np
import torch

here = os.path.dirname(os.path.abspath(__file__))
data = os.path.dirname(here)
files = {
    "models/fsmn-vad/model.pt": "models/fsmn-vad/model.pt",
    "models/fsmn-vad-legacy/vad.pb": "models/fsmn-vad-legacy/vad.pb",
}
for name in sorted(os.listdir(os.path.join(data, "reference/models"))):
    p = "reference/models/%s/model.pt" % name
    if os.path.exists(os.path.join(data, p)):
        files[p] = p

def checksum(t):
    # sum_i bits[i] * (i + 1) mod 2^64 over the little-endian element bits (f32 -> u32,
    # i64 -> u64).
    a = t.contiguous().numpy().reshape(-1)
    if a.dtype == np.float32:
        bits = a.view(np.uint32).astype(np.uint64)
    elif a.dtype == np.int64:
        bits = a.view(np.uint64)
    else:
        raise SystemExit("unexpected dtype %s" % a.dtype)
    idx = np.arange(1, bits.size + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        return str(int(np.sum(bits * idx, dtype=np.uint64)))

out = {}
for rel, path in files.items():
    sd = torch.load(os.path.join(data, path), map_location="cpu")
    entries = []
    for k, v in sd.items():
        entries.append({
            "name": k,
            "shape": list(v.shape),
            "dtype": str(v.dtype).replace("torch.", ""),
            "first": [float(x) for x in v.reshape(-1)[:4].tolist()],
            "checksum": checksum(v),
        })
    out[rel] = entries
with open(os.path.join(here, "checkpoint_fixture.json"), "w") as f:
    json.dump(out, f, indent=0)
print({k: len(v) for k, v in out.items()})
