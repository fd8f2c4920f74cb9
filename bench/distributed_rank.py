# One rank of bench/distributed.ts's DDP workload in PyTorch (bench/distributed-rank.ts is the same
# in torch-node): started by the same launcher, env:// rendezvous; rank 0 writes ms/step to $BENCH_OUT.
import json
import os
import time

import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F
from torch_threads import set_threads

STEPS = int(os.environ.get('BENCH_STEPS', 200))
set_threads(1)
dist.init_process_group('gloo')
torch.manual_seed(dist.get_rank())
model = nn.parallel.DistributedDataParallel(nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 10)))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
x = torch.randn(64, 784)
y = torch.randint(0, 10, (64,))


def step():
    opt.zero_grad(set_to_none=True)
    F.cross_entropy(model(x), y).backward()
    opt.step()


for _ in range(20):
    step()
dist.barrier()
t0 = time.perf_counter()
for _ in range(STEPS):
    step()
dist.barrier()
ms = (time.perf_counter() - t0) * 1000 / STEPS
if dist.get_rank() == 0:
    with open(os.environ['BENCH_OUT'], 'w') as f:
        json.dump({'msPerStep': ms}, f)
dist.destroy_process_group()
