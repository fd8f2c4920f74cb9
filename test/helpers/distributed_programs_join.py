# Programs of the uneven-inputs tests (test/distributed-join.test.ts), run on every rank by
# distributed_oracle.py as distributed_programs_join.<function>; the Node side is written the same
# way in the test file. Each returns plain data for JSON.
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.distributed.algorithms import Join
from torch.distributed.algorithms.ddp_comm_hooks import default_hooks
from torch.distributed.optim import ZeroRedundancyOptimizer
from torch.nn.parallel import DistributedDataParallel as DDP


def _error(f):
    try:
        f()
        return 'no error'
    except Exception as e:
        return type(e).__name__ + ': ' + str(e).split('\n')[0]


def ddp_join(rank, world, counts, divide=True, enable=True, throw=False, bucket_cap_mb=25, find_unused=False, zero=False, no_sync=False,
             fp16_hook=False):
    """counts[rank] batches on this rank, inside DDP's join (or Join([ddp, ZeRO])); no_sync: every
    other step first accumulates a half batch's gradients without syncing."""
    torch.manual_seed(100 + rank)
    model = nn.Sequential(nn.Linear(6, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 3))
    net = DDP(model, bucket_cap_mb=bucket_cap_mb, find_unused_parameters=find_unused)
    if fp16_hook:
        net.register_comm_hook(None, default_hooks.fp16_compress_hook)
    if zero:
        opt = ZeroRedundancyOptimizer(net.parameters(), torch.optim.SGD, lr=0.1, momentum=0.9)
    else:
        opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
    g = torch.Generator().manual_seed(7 + rank)
    batches = [(torch.randn(4, 6, generator=g), torch.randint(0, 3, (4,), generator=g)) for _ in range(counts[rank])]
    losses = []

    def train():
        context = Join([net, opt], enable, throw, divide_by_initial_world_size=divide) if zero else \
            net.join(divide_by_initial_world_size=divide, enable=enable, throw_on_early_termination=throw)
        with context:
            for i, (x, y) in enumerate(batches):
                opt.zero_grad()
                if no_sync and i % 2 == 0:
                    with net.no_sync():
                        F.cross_entropy(net(x[:2]), y[:2]).backward()
                loss = F.cross_entropy(net(x), y)
                loss.backward()
                losses.append(loss.item())
                opt.step()

    error = _error(train)
    state = {k: v.tolist() for k, v in net.state_dict().items()}
    return {'losses': losses, 'state': state, 'error': error}
