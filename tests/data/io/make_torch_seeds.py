#!/usr/bin/python3
# Writes small real torch.save() checkpoints into tests/data/io/torch_seeds/ as fuzzing seeds
# (and test inputs of io_checkpoint_test; Debian python3-torch: /usr/bin/python3 tests/data/io/make_torch_seeds.py). They cover the
# pickle shapes PyTorch emits: OrderedDict state dicts with _metadata, several storage
# types, shared storages with offsets, non-contiguous views, nesting under "state_dict".
import collections, os
import torch

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch_seeds")
os.makedirs(out, exist_ok=True)
torch.manual_seed(0)
lin = torch.nn.Linear(3, 2)
torch.save(lin.state_dict(), os.path.join(out, "linear_state_dict.pt"))
base = torch.arange(12, dtype=torch.float32)
sd = collections.OrderedDict()
sd["w"] = base.view(3, 4)
sd["w_t"] = base.view(3, 4).t()          # shares the storage, non-contiguous
sd["row"] = base.view(3, 4)[1]           # storage offset 4
sd["half"] = torch.ones(2, 2, dtype=torch.float16)
sd["long"] = torch.tensor([1, 2, 3], dtype=torch.int64)
sd["int"] = torch.tensor([7], dtype=torch.int32)
sd["scalar"] = torch.tensor(3.5)
sd["empty"] = torch.zeros(0, 5)
torch.save(sd, os.path.join(out, "mixed_types.pt"))
torch.save({"state_dict": lin.state_dict(), "epoch": 3}, os.path.join(out, "wrapped.pt"))
torch.save({"module.encoder.weight": torch.randn(2, 3)}, os.path.join(out, "module_prefix.pt"))
print(sorted(os.listdir(out)))
