// torch.distributed's errors against PyTorch's: every misuse of distributed_programs_extra.errors
// (before init, bad backends and init arguments, rendezvous URLs, then in a world of one: bad groups,
// gather/scatter lists, complex tensors with MAX) must raise the exception Python raises.
import * as path from 'path';
import * as torch from '../lib';
import { monitoredBarrier } from '../lib/distributed/monitored-barrier';
import { allGatherObject, gatherObject, scatterObjectList } from '../lib/distributed/object-collectives';
import { runPython } from './helpers/python';
import { errorLine } from './helpers/distributed';

const dist = torch.distributed;
jest.setTimeout(60_000);

type Results = Record<string, unknown>;

const ENV = ['RANK', 'WORLD_SIZE', 'MASTER_ADDR', 'MASTER_PORT'];

/** distributed_programs_extra.errors, for Node. */
function errors(): Results {
  const out: Results = {};
  const t = torch.ones(2);
  out['all_reduce before init'] = errorLine(() => dist.allReduce(t));
  out['broadcast before init'] = errorLine(() => dist.broadcast(t, 0));
  out['barrier before init'] = errorLine(() => dist.barrier());
  out['get_rank before init'] = errorLine(() => dist.getRank());
  out['get_world_size before init'] = errorLine(() => dist.getWorldSize());
  out['get_backend before init'] = errorLine(() => dist.getBackend());
  out['new_group before init'] = errorLine(() => dist.newGroup([0]));
  out['monitored_barrier before init'] = errorLine(() => monitoredBarrier());
  out['all_gather_object before init'] = errorLine(() => allGatherObject([null], 1));
  out['destroy before init'] = errorLine(() => dist.destroyProcessGroup());
  out['Backend values'] = [dist.Backend('NCCL'), dist.Backend('Gloo'), dist.Backend('mpi')];
  out['Backend tcp'] = errorLine(() => dist.Backend('tcp'));
  out['Backend bogus'] = errorLine(() => dist.Backend('bogus'));
  out['Backend int'] = errorLine(() => dist.Backend(3 as never));
  const hs = () => new dist.HashStore();
  out['init nccl'] = errorLine(() => dist.initProcessGroup('nccl', { store: hs(), rank: 0, worldSize: 1 }));
  out['init mpi'] = errorLine(() => dist.initProcessGroup('mpi', { store: hs(), rank: 0, worldSize: 1 }));
  out['init bogus'] = errorLine(() => dist.initProcessGroup('bogus', { store: hs(), rank: 0, worldSize: 1 }));
  out['init store and init_method'] = errorLine(() => dist.initProcessGroup('gloo', { initMethod: 'env://', store: hs(), rank: 0, worldSize: 1 }));
  out['init store without world_size'] = errorLine(() => dist.initProcessGroup('gloo', { store: hs(), rank: 0 }));
  out['init store without rank'] = errorLine(() => dist.initProcessGroup('gloo', { store: hs(), worldSize: 1 }));
  out['init env without RANK'] = errorLine(() => dist.initProcessGroup('gloo'));
  const rdzv = (url: string, rank?: number, worldSize?: number) => () => dist.rendezvous(url, rank, worldSize);
  out['tcp no port'] = errorLine(rdzv('tcp://127.0.0.1?rank=0&world_size=1'));
  out['tcp no rank'] = errorLine(rdzv('tcp://127.0.0.1:23456?world_size=1'));
  out['tcp no world_size'] = errorLine(rdzv('tcp://127.0.0.1:23456?rank=0'));
  out['file no rank'] = errorLine(rdzv('file:///tmp/x?world_size=1'));
  out['file no world_size'] = errorLine(rdzv('file:///tmp/x', 0));
  out['unknown scheme'] = errorLine(rdzv('foo://127.0.0.1:23456'));
  out['rank twice'] = errorLine(rdzv('tcp://127.0.0.1:23456?rank=0', 1));
  out['env no RANK'] = errorLine(rdzv('env://'));
  out['env no WORLD_SIZE'] = errorLine(rdzv('env://?rank=0'));
  out['env no MASTER_ADDR'] = errorLine(rdzv('env://', 0, 1));
  process.env.MASTER_ADDR = '127.0.0.1';
  out['env no MASTER_PORT'] = errorLine(rdzv('env://', 0, 1));
  delete process.env.MASTER_ADDR;

  dist.initProcessGroup('gloo', { store: hs(), rank: 0, worldSize: 1, timeout: 60 });
  out['init twice'] = errorLine(() => dist.initProcessGroup('gloo', { store: hs(), rank: 0, worldSize: 1 }));
  out['new_group too many ranks'] = errorLine(() => dist.newGroup([0, 1]));
  out['new_group rank out of range'] = errorLine(() => dist.newGroup([3]));
  out['new_group negative rank'] = errorLine(() => dist.newGroup([-1]));
  out['gather without list on dst'] = errorLine(() => dist.gather(t));
  out['gather with list off dst'] = errorLine(() => dist.gather(t, [t], { dst: 1 }));
  out['gather with list on dst'] = errorLine(() => dist.gather(t, [torch.zeros(2)], { dst: 0 }));
  out['gather list of non-tensors'] = errorLine(() => dist.gather(t, [1, 2] as never));
  out['scatter without list on src'] = errorLine(() => dist.scatter(t));
  out['scatter with list off src'] = errorLine(() => dist.scatter(t, [t], { src: 1 }));
  out['gather_object without list on dst'] = errorLine(() => gatherObject(1));
  out['gather_object with list off dst'] = errorLine(() => gatherObject(1, [null], { dst: 1 }));
  out['scatter_object_list empty output'] = errorLine(() => scatterObjectList([], [1]));
  const c = torch.complex(torch.tensor([1], { dtype: torch.float32 }), torch.tensor([2], { dtype: torch.float32 }));
  out['all_reduce complex MAX'] = errorLine(() => dist.allReduce(c, { op: dist.ReduceOp.MAX }));
  out['all_reduce complex SUM'] = errorLine(() => dist.allReduce(c, { op: dist.ReduceOp.SUM }));
  out['all_reduce_coalesced complex PRODUCT'] = errorLine(() => dist.allReduceCoalesced([c], { op: dist.ReduceOp.PRODUCT }));
  out['all_reduce_coalesced mixed dtypes'] = errorLine(() => dist.allReduceCoalesced([t, torch.ones(2, { dtype: torch.float64 })]));
  out['all_reduce a list'] = errorLine(() => dist.allReduce([t] as never));
  out['all_gather into a tensor'] = errorLine(() => dist.allGather(t as never, t));
  out['all_reduce AVG on gloo'] = errorLine(() => dist.allReduce(t, { op: dist.ReduceOp.AVG }));
  out['monitored_barrier'] = errorLine(() => monitoredBarrier({ timeout: 5 }));
  out['get_backend'] = dist.getBackend();
  dist.destroyProcessGroup();
  out['destroy twice'] = errorLine(() => dist.destroyProcessGroup());
  return out;
}

/** Python prints the op as an object with its address; torch-node names it (<RedOpType.MAX: 4>). */
const sameOp = (s: unknown): unknown => (typeof s === 'string' ? s.replace(/<torch\.distributed\.distributed_c10d\.ReduceOp object at 0x[0-9a-f]+>|<RedOpType\.\w+: \d+>/, '<op>') : s);

describe('torch.distributed errors match PyTorch', () => {
  if (!dist.isAvailable()) {
    test.skip('torch.distributed is not in this build', () => undefined);
    return;
  }

  const python = runPython<Results>(`import sys\nsys.path.insert(0, ${JSON.stringify(path.join(__dirname, 'helpers'))})\nfrom distributed_programs_extra import errors\nresult = errors()`);
  const saved = ENV.map((k) => process.env[k]);
  let node: Results;
  beforeAll(() => {
    ENV.forEach((k) => delete process.env[k]);
    try {
      node = errors();
    } finally {
      if (dist.isInitialized()) dist.destroyProcessGroup();
      ENV.forEach((k, i) => (saved[i] === undefined ? delete process.env[k] : (process.env[k] = saved[i])));
    }
  });

  test.each(Object.keys(python))('%s', (key) => {
    expect(sameOp(node[key])).toEqual(sameOp(python[key]));
  });

  test('every case ran on both sides', () => {
    expect(Object.keys(node)).toEqual(Object.keys(python));
  });
});
