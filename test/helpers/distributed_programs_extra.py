# More programs for the torch.distributed tests (object collectives, batched p2p, monitored
# barrier, stores): run by distributed_oracle.py as distributed_programs_extra.<function>; the Node
# side of each is written the same way in its test file. Each returns plain data for JSON.
import os
from datetime import timedelta

import torch
import torch.distributed as dist
from distributed_programs import _error


def _js(v):
    """A received object as the Node rank sees it once unpickled (JSON-able, tagged where JSON loses it)."""
    if isinstance(v, dict):
        if all(isinstance(k, str) and not k.isdigit() for k in v):
            return {k: _js(x) for k, x in v.items()}
        return {'__map__': [[_js(k), _js(x)] for k, x in v.items()]}
    if isinstance(v, (list, tuple)):
        return [_js(x) for x in v]
    if isinstance(v, int) and not isinstance(v, bool) and abs(v) > 2 ** 53:
        return 'int:' + str(v)
    return v


def _received(objects):
    return {'js': [_js(o) for o in objects], 'repr': [repr(o) for o in objects]}


def _object(rank, i=0):
    """Rank `rank`'s i-th object: what a JS value can be pickled as (rank 0 is the Node rank)."""
    obj = {
        'rank': rank, 'i': i, 'name': 'rank%d' % rank, 'floats': [0.5 * rank + 0.25, -1.5], 'none': None,
        'flags': [True, False], 'nested': {'a': [1, 2, {'b': 'c' * (i + 1)}]}, 'big': 2 ** 60 + rank,
        'text': 'h\u00e9llo \u2713', 'neg': -7 - rank, 'intkeys': {1: 'one', 2 + i: 'two'}, 'empty': [{}, []],
    }
    if rank != 0:
        # only Python can send these: Node receives a tuple as an array, 2.0 as 2
        obj['tuple'] = (1, 'x', None)
        obj['whole_float'] = 2.0
    return obj


def objects(rank, world):
    out = {}
    gathered = [None] * world
    dist.all_gather_object(gathered, _object(rank))
    out['all_gather'] = _received(gathered)
    for dst in (0, 1):
        got = [None] * world if rank == dst else None
        dist.gather_object(_object(rank, dst), got, dst=dst)
        out['gather_%d' % dst] = None if got is None else _received(got)
    for src in (0, 1):
        objs = [_object(rank, j) for j in range(3)] if rank == src else [None] * 3
        dist.broadcast_object_list(objs, src=src)
        out['broadcast_%d' % src] = _received(objs)
    for src in (0, 1):
        inputs = [_object(rank, 10 + j) for j in range(world)] if rank == src else None
        got = [None]
        dist.scatter_object_list(got, inputs, src=src)
        out['scatter_%d' % src] = _received(got)
    return out




def p2p(rank, world):
    out = {}
    nxt, prv = (rank + 1) % world, (rank - 1 + world) % world
    # a ring: each rank sends to the next and receives from the previous
    send = torch.arange(2, dtype=torch.float32) + 2 * rank
    recv = torch.zeros(2)
    reqs = dist.batch_isend_irecv([dist.P2POp(dist.isend, send, nxt), dist.P2POp(dist.irecv, recv, prv)])
    for req in reqs:
        req.wait()
    out['ring'] = [recv.tolist(), len(reqs), all(r.is_completed() for r in reqs)]
    # both ways at once, with tags and the group given (positionally and by keyword)
    to_next = torch.tensor([rank * 10 + 1, rank * 10 + 2], dtype=torch.int64)
    to_prev = torch.tensor([rank * 10 + 3], dtype=torch.int64)
    from_prev = torch.zeros(2, dtype=torch.int64)
    from_next = torch.zeros(1, dtype=torch.int64)
    ops = [
        dist.P2POp(dist.isend, to_next, nxt, None, 5),
        dist.P2POp(dist.irecv, from_prev, prv, tag=5),
        dist.P2POp(dist.isend, to_prev, prv, group=None, tag=6),
        dist.P2POp(dist.irecv, from_next, nxt, tag=6),
    ]
    for req in dist.batch_isend_irecv(ops):
        req.wait()
    out['both_ways'] = [from_prev.tolist(), from_next.tolist()]
    t = torch.zeros(1)
    out['errors'] = [
        _error(lambda: dist.P2POp(dist.broadcast, t, 1)),
        _error(lambda: dist.P2POp(dist.isend, [1.0], 1)),
        _error(lambda: dist.batch_isend_irecv([1])),
        _error(lambda: dist.batch_isend_irecv([dist.P2POp(dist.isend, t, 1), dist.P2POp(dist.irecv, t, 1, dist.new_group([0, 1]))])),
    ]
    dist.monitored_barrier(timeout=timedelta(seconds=30))
    dist.monitored_barrier(None, None, True)
    out['monitored_barrier'] = 'passed'
    # rank 0 alone: it names the ranks that did not come within the timeout (once: gloo then
    # closes its connections, so the group is left for destroy_process_group only). Rank 0 serves
    # the store, so it waits until every other rank has seen the key: a store set is not
    # acknowledged, and leaving at once could take the server down before the key reaches them.
    store = dist.distributed_c10d._get_default_store()
    if rank == 0:
        out['monitored_all'] = _error(lambda: dist.monitored_barrier(timeout=timedelta(seconds=1), wait_all_ranks=True))
        store.set('monitored_done', '1')
        store.wait(['monitored_seen_%d' % r for r in range(1, world)])
    else:
        store.wait(['monitored_done'])
        store.set('monitored_seen_%d' % rank, '1')
    return out


# ---- stores shared across languages: the server side writes, a client uses every method, the
# server reads back (each side is Node or Python; the oracle runs both sides in Python) ----------

def store_server_before(store):
    store.set('from_server', 'server value')
    store.set('binary', bytes([0, 255, 10, 13]))
    store.add('counter', 2)
    store.set('cas', 'v1')
    store.set('to_delete', 'x')
    dist.PrefixStore('scope', store).set('inner', 'scoped')
    store.set('ready', '1')


def store_client(store):
    out = {}
    store.wait(['ready'])
    out['get'] = [store.get('from_server').decode(), list(store.get('binary'))]
    out['add'] = store.add('counter', 5)
    out['compare_set'] = [store.compare_set('cas', 'wrong', 'x').decode(), store.compare_set('cas', 'v1', 'v2').decode(),
                          store.compare_set('cas_new', '', 'fresh').decode()]
    out['delete'] = [store.delete_key('to_delete'), store.delete_key('absent')]
    out['num_keys'] = store.num_keys()
    out['prefix'] = [store.get('scope/inner').decode(), dist.PrefixStore('scope', store).get('inner').decode()]
    dist.PrefixStore('scope2', store).set('x', 'from client')
    store.set('from_client', 'h\u00e9llo')
    out['wait_timeout'] = _error(lambda: store.wait(['absent'], timedelta(seconds=0.3)))
    store.set_timeout(timedelta(seconds=0.3))
    out['get_timeout'] = _error(lambda: store.get('absent'))
    store.set_timeout(timedelta(seconds=60))
    store.set('client_done', '1')
    return out


def store_server_after(store):
    return {
        'from_client': store.get('from_client').decode(), 'counter': store.add('counter', 0),
        'cas': [store.get('cas').decode(), store.get('cas_new').decode()], 'prefix': store.get('scope2/x').decode(),
        'deleted': _error(lambda: store.wait(['to_delete'], timedelta(seconds=0.2))), 'num_keys': store.num_keys(),
    }


def tcp_store(port, is_master):
    return dist.TCPStore('127.0.0.1', port, None, is_master, timedelta(seconds=60), wait_for_workers=False)


def store_oracle(kind, where):
    """Both sides in this process: a TCPStore server and client on port `where`, or two FileStores on file `where`."""
    server = tcp_store(where, True) if kind == 'tcp' else dist.FileStore(where, 2)
    store_server_before(server)
    client = tcp_store(where, False) if kind == 'tcp' else dist.FileStore(where, 2)
    out = store_client(client)
    # gone before the server's part, as the other process's store is (a FileStore counts its users out)
    del client
    return {'client': out, 'after': store_server_after(server)}


def store_server(port):
    """The server side for a Node client: waits for it between its two parts."""
    store = tcp_store(port, True)
    store_server_before(store)
    store.wait(['client_done'])
    return store_server_after(store)


# ---- errors: what each misuse raises, in one process (a world of one over a HashStore) ----------

def errors():
    from torch.distributed import rendezvous
    out = {}
    t = torch.ones(2)
    for name in ['RANK', 'WORLD_SIZE', 'MASTER_ADDR', 'MASTER_PORT']:
        os.environ.pop(name, None)
    out['all_reduce before init'] = _error(lambda: dist.all_reduce(t))
    out['broadcast before init'] = _error(lambda: dist.broadcast(t, 0))
    out['barrier before init'] = _error(lambda: dist.barrier())
    out['get_rank before init'] = _error(lambda: dist.get_rank())
    out['get_world_size before init'] = _error(lambda: dist.get_world_size())
    out['get_backend before init'] = _error(lambda: dist.get_backend())
    out['new_group before init'] = _error(lambda: dist.new_group([0]))
    out['monitored_barrier before init'] = _error(lambda: dist.monitored_barrier())
    out['all_gather_object before init'] = _error(lambda: dist.all_gather_object([None], 1))
    out['destroy before init'] = _error(lambda: dist.destroy_process_group())
    out['Backend values'] = [dist.Backend('NCCL'), dist.Backend('Gloo'), dist.Backend('mpi')]
    out['Backend tcp'] = _error(lambda: dist.Backend('tcp'))
    out['Backend bogus'] = _error(lambda: dist.Backend('bogus'))
    out['Backend int'] = _error(lambda: dist.Backend(3))
    hs = dist.HashStore
    out['init nccl'] = _error(lambda: dist.init_process_group('nccl', store=hs(), rank=0, world_size=1))
    out['init mpi'] = _error(lambda: dist.init_process_group('mpi', store=hs(), rank=0, world_size=1))
    out['init bogus'] = _error(lambda: dist.init_process_group('bogus', store=hs(), rank=0, world_size=1))
    out['init store and init_method'] = _error(lambda: dist.init_process_group('gloo', init_method='env://', store=hs(), rank=0, world_size=1))
    out['init store without world_size'] = _error(lambda: dist.init_process_group('gloo', store=hs(), rank=0))
    out['init store without rank'] = _error(lambda: dist.init_process_group('gloo', store=hs(), world_size=1))
    out['init env without RANK'] = _error(lambda: dist.init_process_group('gloo'))

    def rdzv(*args, **kwargs):
        return lambda: next(rendezvous(*args, **kwargs))
    out['tcp no port'] = _error(rdzv('tcp://127.0.0.1?rank=0&world_size=1'))
    out['tcp no rank'] = _error(rdzv('tcp://127.0.0.1:23456?world_size=1'))
    out['tcp no world_size'] = _error(rdzv('tcp://127.0.0.1:23456?rank=0'))
    out['file no rank'] = _error(rdzv('file:///tmp/x?world_size=1'))
    out['file no world_size'] = _error(rdzv('file:///tmp/x', rank=0))
    out['unknown scheme'] = _error(rdzv('foo://127.0.0.1:23456'))
    out['rank twice'] = _error(rdzv('tcp://127.0.0.1:23456?rank=0', rank=1))
    out['env no RANK'] = _error(rdzv('env://'))
    out['env no WORLD_SIZE'] = _error(rdzv('env://?rank=0'))
    out['env no MASTER_ADDR'] = _error(rdzv('env://', rank=0, world_size=1))
    os.environ['MASTER_ADDR'] = '127.0.0.1'
    out['env no MASTER_PORT'] = _error(rdzv('env://', rank=0, world_size=1))
    del os.environ['MASTER_ADDR']

    dist.init_process_group('gloo', store=hs(), rank=0, world_size=1, timeout=timedelta(seconds=60))
    out['init twice'] = _error(lambda: dist.init_process_group('gloo', store=hs(), rank=0, world_size=1))
    out['new_group too many ranks'] = _error(lambda: dist.new_group([0, 1]))
    out['new_group rank out of range'] = _error(lambda: dist.new_group([3]))
    out['new_group negative rank'] = _error(lambda: dist.new_group([-1]))
    out['gather without list on dst'] = _error(lambda: dist.gather(t))
    out['gather with list off dst'] = _error(lambda: dist.gather(t, [t], dst=1))
    out['gather with list on dst'] = _error(lambda: dist.gather(t, [torch.zeros(2)], dst=0))
    out['gather list of non-tensors'] = _error(lambda: dist.gather(t, [1, 2]))
    out['scatter without list on src'] = _error(lambda: dist.scatter(t))
    out['scatter with list off src'] = _error(lambda: dist.scatter(t, [t], src=1))
    out['gather_object without list on dst'] = _error(lambda: dist.gather_object(1))
    out['gather_object with list off dst'] = _error(lambda: dist.gather_object(1, [None], dst=1))
    out['scatter_object_list empty output'] = _error(lambda: dist.scatter_object_list([], [1]))
    c = torch.tensor([1 + 2j])
    out['all_reduce complex MAX'] = _error(lambda: dist.all_reduce(c, op=dist.ReduceOp.MAX))
    out['all_reduce complex SUM'] = _error(lambda: dist.all_reduce(c, op=dist.ReduceOp.SUM))
    out['all_reduce_coalesced complex PRODUCT'] = _error(lambda: dist.all_reduce_coalesced([c], op=dist.ReduceOp.PRODUCT))
    out['all_reduce_coalesced mixed dtypes'] = _error(lambda: dist.all_reduce_coalesced([t, torch.ones(2, dtype=torch.float64)]))
    out['all_reduce a list'] = _error(lambda: dist.all_reduce([t]))
    out['all_gather into a tensor'] = _error(lambda: dist.all_gather(t, t))
    out['all_reduce AVG on gloo'] = _error(lambda: dist.all_reduce(t, op=dist.ReduceOp.AVG))
    out['monitored_barrier'] = _error(lambda: dist.monitored_barrier(timeout=timedelta(seconds=5)))
    out['get_backend'] = dist.get_backend()
    dist.destroy_process_group()
    out['destroy twice'] = _error(lambda: dist.destroy_process_group())
    return out
