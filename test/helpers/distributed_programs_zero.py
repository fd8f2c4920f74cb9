# Programs of the ZeroRedundancyOptimizer tests (test/distributed-zero.test.ts), run on every rank by
# distributed_oracle.py as distributed_programs_zero.<function>; the Node side of each is written the
# same way in the test file. Each returns plain data for JSON.
import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F
from torch.distributed.optim import ZeroRedundancyOptimizer
from torch.nn.parallel import DistributedDataParallel as DDP


def _error(f):
    try:
        f()
        return 'no error'
    except Exception as e:
        return type(e).__name__ + ': ' + str(e).split('\n')[0]


def plain(v):
    """A state dict as JSON: tensors as their values and dtype, dict keys as strings, tuples as lists."""
    if isinstance(v, torch.Tensor):
        return {'tensor': v.tolist(), 'dtype': str(v.dtype)}
    if isinstance(v, dict):
        return {str(k): plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    return v


def _model():
    # parameters of 48, 8, 40, 5, 15 and 3 elements: the greedy partition mixes layers over the ranks
    return nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 5), nn.ReLU(), nn.Linear(5, 3))


def _data(rank, world):
    g = torch.Generator().manual_seed(7)
    x = torch.randn(world * 8, 6, generator=g)
    y = torch.randint(0, 3, (world * 8,), generator=g)
    return x[rank * 8:rank * 8 + 8], y[rank * 8:rank * 8 + 8]


def _train(net, opt, xs, ys, steps, losses, weights, add_group_at=None, group=None):
    for step in range(steps):
        if step == add_group_at:
            opt.add_param_group(group)
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(net(xs), ys)
        loss.backward()
        opt.step()
        losses.append(loss.item())
        weights.append([p.tolist() for p in net.parameters()])


def zero_train(rank, world, bucket_view=False, add_group=False):
    """DDP + ZeRO(Adam) for 4 steps; the state consolidated on rank 0."""
    torch.manual_seed(100 + rank)
    net = DDP(_model())
    params = list(net.parameters())
    if add_group:
        opt = ZeroRedundancyOptimizer(params[:4], torch.optim.Adam, parameters_as_bucket_view=bucket_view, lr=0.01)
    else:
        opt = ZeroRedundancyOptimizer(params, torch.optim.Adam, parameters_as_bucket_view=bucket_view, lr=0.01, weight_decay=0.01)
    xs, ys = _data(rank, world)
    losses, weights = [], []
    _train(net, opt, xs, ys, 4, losses, weights, 2 if add_group else None, {'params': params[4:], 'lr': 0.02})
    owners = [opt._param_to_rank[p] for p in params]
    opt.consolidate_state_dict()
    state = plain(opt.state_dict()) if rank == 0 else _error(opt.state_dict)
    return {'losses': losses, 'weights': weights, 'owners': owners, 'state': state, 'repr': repr(opt), 'local_repr': repr(opt.optim)}


def zero_load(rank, world, path, bucket_view=False):
    """Rank 0 saves the consolidated state; a new ZeRO optimizer on every rank loads it and trains on."""
    torch.manual_seed(100 + rank)
    net = DDP(_model())
    opt = ZeroRedundancyOptimizer(net.parameters(), torch.optim.Adam, parameters_as_bucket_view=bucket_view, lr=0.01)
    xs, ys = _data(rank, world)
    losses, weights = [], []
    _train(net, opt, xs, ys, 2, losses, weights)
    opt.consolidate_state_dict(to=0)
    if rank == 0:
        torch.save(opt.state_dict(), path)
    dist.barrier()
    again = ZeroRedundancyOptimizer(net.parameters(), torch.optim.Adam, parameters_as_bucket_view=bucket_view, lr=0.05)
    sd = torch.load(path)
    again.load_state_dict(sd)
    cleared = sorted(k for k, v in sd['state'].items() if v is None)
    _train(net, again, xs, ys, 2, losses, weights)
    again.consolidate_state_dict(to=1)
    state = plain(again.state_dict()) if rank == 1 else _error(again.state_dict)
    return {'losses': losses, 'weights': weights, 'cleared': cleared, 'state': state, 'repr': repr(again)}


def zero_errors(rank, world):
    """Argument errors, on a world of one rank."""
    p = nn.Linear(2, 2)
    sgd = torch.optim.SGD
    out = {
        'tensor': _error(lambda: ZeroRedundancyOptimizer(p.weight, sgd, lr=0.1)),
        'not_iterable': _error(lambda: ZeroRedundancyOptimizer(5, sgd, lr=0.1)),
        'empty': _error(lambda: ZeroRedundancyOptimizer([], sgd, lr=0.1)),
        'mixed': _error(lambda: ZeroRedundancyOptimizer([p.weight, {'params': [p.bias]}], sgd, lr=0.1)),
        'no_params_key': _error(lambda: ZeroRedundancyOptimizer([{'lr': 0.1}], sgd, lr=0.1)),
        'dtypes': _error(lambda: ZeroRedundancyOptimizer([p.weight, torch.zeros(2, dtype=torch.float64, requires_grad=True)], sgd, lr=0.1)),
        'no_lr': _error(lambda: ZeroRedundancyOptimizer(p.parameters(), sgd)),
        'bad_lr': _error(lambda: ZeroRedundancyOptimizer(p.parameters(), sgd, lr=-1)),
    }
    opt = ZeroRedundancyOptimizer([{'params': [p.weight]}, {'params': [p.bias], 'lr': 0.5}], sgd, lr=0.1, momentum=0.9)
    out['not_consolidated'] = _error(opt.state_dict)
    out['repr'] = repr(opt)
    return out


def zero_closure(rank, world, bucket_view=False, subgroup=False):
    """SGD with two groups, step(closure), StepLR changing lr through the groups, a parameter frozen midway; no DDP."""
    torch.manual_seed(0)
    net = _model()
    params = list(net.parameters())
    groups = [{'params': params[:2]}, {'params': params[2:], 'momentum': 0.5}]
    pg = dist.new_group([0, 1]) if subgroup else None
    opt = ZeroRedundancyOptimizer(groups, torch.optim.SGD, pg, bucket_view, lr=0.1, momentum=0.9)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    xs, ys = _data(rank, world)
    losses, weights = [], []
    for step in range(4):
        if step == 2:
            params[0].requires_grad_(False)

        def closure():
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(net(xs), ys)
            loss.backward()
            return loss
        losses.append(opt.step(closure).item())
        sched.step()
        weights.append([p.tolist() for p in net.parameters()])
    return {'losses': losses, 'weights': weights, 'repr': repr(opt), 'local_repr': repr(opt.optim)}


def load_plain(rank, world, path):
    """A state dict saved by the Node rank, as Python loads it (run on one rank)."""
    return plain(torch.load(path))
