# Programs the torch.distributed tests run on every rank; the Node side of each is written the same
# way in its test file. Each returns plain data (lists) for JSON.
import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F
from torch.distributed.algorithms.ddp_comm_hooks import default_hooks
from torch.nn.parallel import DistributedDataParallel as DDP


def _error(f):
    """What f raises: its class and first line (test/helpers/distributed.ts's errorLine)."""
    try:
        f()
        return 'no error'
    except Exception as e:
        return '%s: %s' % (type(e).__name__, str(e).split('\n')[0])


def collectives(rank, world):
    out = {}
    r = rank + 1
    t = torch.arange(4, dtype=torch.float32) * r
    dist.all_reduce(t)
    out['all_reduce_sum'] = t.tolist()
    t = torch.tensor([3, -1, 7], dtype=torch.int64) * r
    dist.all_reduce(t, op=dist.ReduceOp.MAX)
    out['all_reduce_max'] = t.tolist()
    t = torch.tensor([1.5, 2.0]) + r
    dist.all_reduce(t, dist.ReduceOp.PRODUCT)
    out['all_reduce_product'] = t.tolist()
    c = torch.tensor([1 + 2j, 3 - 1j]) * r
    dist.all_reduce(c)
    out['all_reduce_complex'] = torch.view_as_real(c).tolist()
    t = torch.full((2, 3), float(r))
    dist.broadcast(t, 1)
    out['broadcast'] = t.tolist()
    t = torch.arange(3, dtype=torch.float64) + 10 * r
    dist.reduce(t, 0, op=dist.ReduceOp.SUM)
    out['reduce'] = t.tolist()
    gathered = [torch.zeros(2, dtype=torch.int32) for _ in range(world)]
    dist.all_gather(gathered, torch.tensor([r, -r], dtype=torch.int32))
    out['all_gather'] = [g.tolist() for g in gathered]
    # gloo has none of these three: each raises before anything is sent
    out['all_gather_into_tensor'] = _error(lambda: dist.all_gather_into_tensor(torch.zeros(world * 2), torch.tensor([r, r * 0.5])))
    out['reduce_scatter'] = _error(lambda: dist.reduce_scatter(torch.zeros(1), [torch.ones(1)] * world))
    mine = torch.tensor([float(r)] * 3)
    gather_list = [torch.zeros(3) for _ in range(world)] if rank == 1 else None
    dist.gather(mine, gather_list, dst=1)
    out['gather'] = None if gather_list is None else [g.tolist() for g in gather_list]
    received = torch.zeros(2)
    scatter_list = [torch.tensor([i * 10.0, i * 10.0 + 1]) for i in range(world)] if rank == 0 else None
    dist.scatter(received, scatter_list, src=0)
    out['scatter'] = received.tolist()
    send = torch.arange(3, dtype=torch.float32) + 100 * r
    recv = torch.zeros(3)
    in_splits = [1, 2] if rank == 0 else [2, 1]
    out_splits = [1, 2] if rank == 0 else [2, 1]
    dist.all_to_all_single(recv, send, out_splits, in_splits)
    out['all_to_all_single'] = recv.tolist()
    inputs = [torch.tensor([r * 10 + j]) for j in range(world)]
    out['all_to_all'] = _error(lambda: dist.all_to_all([torch.zeros(1, dtype=torch.int64) for _ in range(world)], inputs))
    if rank == 0:
        dist.send(torch.tensor([4.0, 5.0]), dst=1)
        buf = torch.zeros(2)
        src = dist.recv(buf)
        out['p2p'] = [src, buf.tolist()]
    else:
        buf = torch.zeros(2)
        dist.recv(buf, src=0)
        dist.send(buf * 2, dst=0)
        out['p2p'] = [0, buf.tolist()]
    work = dist.all_reduce(torch.ones(1), async_op=True)
    work.wait()
    out['async'] = work.is_completed()
    dist.barrier()
    g = dist.new_group([0, 1])
    t = torch.tensor([r * 1.0])
    dist.all_reduce(t, group=g)
    out['new_group'] = [t.tolist(), dist.get_rank(g), dist.get_world_size(g)]
    return out


def _model():
    return nn.Sequential(nn.Linear(6, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 3))


def ddp(rank, world, bucket_cap_mb=25, find_unused_parameters=False, no_sync=False, comm_hook=None, static_graph=False):
    torch.manual_seed(100 + rank)
    model = _model()
    net = DDP(model, bucket_cap_mb=bucket_cap_mb, find_unused_parameters=find_unused_parameters, static_graph=static_graph)
    if comm_hook is not None:
        net.register_comm_hook(None, getattr(default_hooks, comm_hook + '_hook'))
    opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
    g = torch.Generator().manual_seed(7)
    x = torch.randn(world * 8, 6, generator=g)
    y = torch.randint(0, 3, (world * 8,), generator=g)
    mine = slice(rank * 8, rank * 8 + 8)
    losses, grads = [], []
    for step in range(4):
        opt.zero_grad()
        if no_sync and step % 2 == 0:
            with net.no_sync():
                F.cross_entropy(net(x[mine][:4]), y[mine][:4]).backward()
        loss = F.cross_entropy(net(x[mine]), y[mine])
        loss.backward()
        losses.append(loss.item())
        grads.append([p.grad.tolist() for p in net.parameters()])
        opt.step()
    return {'losses': losses, 'grads': grads, 'state': {k: v.tolist() for k, v in net.state_dict().items()}}


class TwoHeads(nn.Module):
    """head_b takes no part in forward: its parameters get no gradient."""

    def __init__(self):
        super().__init__()
        self.body = nn.Linear(4, 4)
        self.head_a = nn.Linear(4, 2)
        self.head_b = nn.Linear(4, 2)

    def forward(self, x):
        return self.head_a(torch.relu(self.body(x)))


def ddp_unused(rank, world, find_unused_parameters, static_graph=False):
    torch.manual_seed(rank)
    net = DDP(TwoHeads(), find_unused_parameters=find_unused_parameters, static_graph=static_graph)
    x = torch.randn(3, 4) * (rank + 1)
    grads = []

    def train():
        for _ in range(3):
            net.zero_grad()
            net(x).sum().backward()
            grads.append([None if p.grad is None else p.grad.tolist() for p in net.parameters()])

    error = _error(train)
    return {'grads': grads, 'error': error}
