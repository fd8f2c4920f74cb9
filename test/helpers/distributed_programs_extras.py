# Programs for test/distributed-extras*.test.ts (deprecated and multi-GPU collectives, subgroups,
# the debug level): run by distributed_oracle.py as distributed_programs_extras.<function>; the Node
# side of each is written the same way in its test file. Each returns plain data for JSON.
import warnings

import torch
import torch.distributed as dist
from distributed_programs import _error


def _members(subgroups):
    return [dist.get_process_group_ranks(g) if g is not dist.GroupMember.NON_GROUP_MEMBER else 'non-member' for g in subgroups]


def _subgroups(result):
    mine, subgroups = result
    return [None if mine is None else ('non-member' if mine is dist.GroupMember.NON_GROUP_MEMBER else dist.get_process_group_ranks(mine)), _members(subgroups)]


def _sum_in(group):
    t = torch.tensor([float(dist.get_rank() + 1)])
    dist.all_reduce(t, group=group)
    return t.tolist()


def extras(rank, world):
    out = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        # all_gather_coalesced: every rank's list, also complex, and async (a future)
        outs = [[torch.zeros(2, 2), torch.zeros(1)] for _ in range(world)]
        dist.all_gather_coalesced(outs, [torch.full((2, 2), float(rank)), torch.tensor([rank + 0.5])])
        out['gather_coalesced'] = [[t.tolist() for t in l] for l in outs]
        couts = [[torch.zeros(2, dtype=torch.complex64)] for _ in range(world)]
        fut = dist.all_gather_coalesced(couts, [torch.tensor([rank + 1j, -rank * 1j], dtype=torch.complex64)], async_op=True)
        fut.wait()
        out['gather_coalesced_complex'] = [[torch.view_as_real(t).tolist() for t in l] for l in couts]
        t = torch.zeros(1)
        out['gather_coalesced_errors'] = [
            _error(lambda: dist.all_gather_coalesced([[t]], [t, torch.zeros(1, dtype=torch.int64)])),
            _error(lambda: dist.all_gather_coalesced((t,), [t])),
            _error(lambda: dist.all_gather_coalesced([[t, 1]], [t])),
            _error(lambda: dist.all_gather_coalesced([[t]], t)),
        ]
        # reduce_scatter_tensor: gloo has no _reduce_scatter_base
        out['reduce_scatter_tensor'] = [
            _error(lambda: dist.reduce_scatter_tensor(torch.zeros(2), torch.zeros(2 * world))),
            _error(lambda: dist.reduce_scatter_tensor(torch.zeros(2), [torch.zeros(2)])),
        ]
        # the *_multigpu collectives with CPU tensors
        a = torch.tensor([rank + 1.0, 2.0])
        dist.all_reduce_multigpu([a])
        b, c = torch.tensor([float(rank)]), torch.tensor([10.0 * rank])
        dist.all_reduce_multigpu([b, c], op=dist.ReduceOp.MAX)
        z = torch.tensor([1 + rank * 1j], dtype=torch.complex64)
        dist.all_reduce_multigpu([z])
        out['all_reduce_multigpu'] = [a.tolist(), b.tolist(), c.tolist(), torch.view_as_real(z).tolist()]
        bt = torch.tensor([rank * 3.0, 1.0])
        work = dist.broadcast_multigpu([bt], 1, async_op=True)
        work.wait()
        rt = torch.tensor([rank + 2.0])
        dist.reduce_multigpu([rt], 2, op=dist.ReduceOp.PRODUCT)
        gathered = [[torch.zeros(2) for _ in range(world)]]
        dist.all_gather_multigpu(gathered, [torch.tensor([rank, -rank], dtype=torch.float32)])
        out['multigpu'] = [bt.tolist(), rt.tolist(), [g.tolist() for g in gathered[0]]]
        out['reduce_scatter_multigpu'] = _error(lambda: dist.reduce_scatter_multigpu([torch.zeros(1)], [[torch.zeros(1)] * world]))
        # in a group: broadcast's root is a global rank
        pair = dist.new_group([1, 2])
        pt = torch.tensor([rank * 1.0])
        dist.broadcast_multigpu([pt], 2, group=pair)
        dist.all_reduce_multigpu([pt], group=pair)
        out['multigpu_group'] = pt.tolist()
        out['ops'] = [dist.supports_complex(op) for op in (dist.ReduceOp.SUM, dist.ReduceOp.AVG, dist.ReduceOp.PRODUCT, dist.ReduceOp.MIN, dist.ReduceOp.MAX, dist.ReduceOp.BAND, dist.ReduceOp.BOR, dist.ReduceOp.BXOR)]
        m = torch.tensor([float(rank)])
        dist.all_reduce(m, op=dist.reduce_op.MAX)
        out['reduce_op'] = [repr(dist.reduce_op.SUM), repr(dist.reduce_op.BXOR), m.tolist()]
    out['warnings'] = sorted(set('%s: %s' % (w.category.__name__, w.message) for w in caught))
    return out


def subgroups(rank, world):
    out = {}
    out['no_cuda'] = [_error(lambda: dist.new_subgroups()), _error(lambda: dist.new_subgroups_by_enumeration([[0, 1]]))]
    # past the CUDA check (the same steps over new_group)
    torch.cuda.is_available = lambda: True
    torch.cuda.device_count = lambda: 2
    out['errors'] = [
        _error(lambda: dist.new_subgroups(world + 1)),
        _error(lambda: dist.new_subgroups(2)),
        _error(lambda: dist.new_subgroups_by_enumeration([])),
        _error(lambda: dist.new_subgroups_by_enumeration(None)),
    ]
    mine, groups = dist.new_subgroups(1)
    out['ones'] = [_subgroups((mine, groups)), _sum_in(mine)]
    mine, groups = dist.new_subgroups(world, timeout=__import__('datetime').timedelta(seconds=30), backend='gloo')
    out['whole'] = [_subgroups((mine, groups)), _sum_in(mine)]
    mine, groups = dist.new_subgroups_by_enumeration([[0, 2], [1]])
    out['enumerated'] = [_subgroups((mine, groups)), _sum_in(mine)]
    mine, groups = dist.new_subgroups_by_enumeration([[2]])
    out['partial'] = _subgroups((mine, groups))
    out['overlap'] = _error(lambda: dist.new_subgroups_by_enumeration([[0, 1], [1, 2]]))
    # rank 0 serves the store: no rank may leave while another still sets up the last group
    dist.barrier()
    return out

