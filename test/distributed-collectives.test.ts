// torch.distributed collectives with Node as rank 0 and Python as rank 1 of one gloo group. The
// oracle is the same program on two Python ranks: each rank's results must equal theirs.
import * as torch from '../lib';
import { Tensor } from '../lib/tensor/tensor';
import { errorLine, runPythonWorld, withNodeRank0 } from './helpers/distributed';

const dist = torch.distributed;
jest.setTimeout(120_000);

type Results = Record<string, unknown>;

/** distributed_programs.collectives, written the same way for the Node rank. */
function collectives(rank: number, world: number): Results {
  const out: Results = {};
  const r = rank + 1;
  let t: Tensor = torch.arange(4, { dtype: torch.float32 }).mul(r);
  dist.allReduce(t);
  out.all_reduce_sum = t.tolist();
  t = torch.tensor([3, -1, 7], { dtype: torch.int64 }).mul(r);
  dist.allReduce(t, { op: dist.ReduceOp.MAX });
  out.all_reduce_max = t.tolist();
  t = torch.tensor([1.5, 2.0]).add(r);
  dist.allReduce(t, dist.ReduceOp.PRODUCT);
  out.all_reduce_product = t.tolist();
  const c = torch.complex(torch.tensor([1, 3], { dtype: torch.float32 }), torch.tensor([2, -1], { dtype: torch.float32 })).mul(r);
  dist.allReduce(c);
  out.all_reduce_complex = torch.viewAsReal(c).tolist();
  t = torch.full([2, 3], r, { dtype: torch.float32 });
  dist.broadcast(t, 1);
  out.broadcast = t.tolist();
  t = torch.arange(3, { dtype: torch.float64 }).add(10 * r);
  dist.reduce(t, 0, { op: dist.ReduceOp.SUM });
  out.reduce = t.tolist();
  const gathered = Array.from({ length: world }, () => torch.zeros(2, { dtype: torch.int32 }));
  dist.allGather(gathered, torch.tensor([r, -r], { dtype: torch.int32 }));
  out.all_gather = gathered.map((g) => g.tolist());
  // gloo has none of these three: each raises before anything is sent
  out.all_gather_into_tensor = errorLine(() => dist.allGatherIntoTensor(torch.zeros(world * 2), torch.tensor([r, r * 0.5])));
  out.reduce_scatter = errorLine(() => dist.reduceScatter(torch.zeros(1), Array.from({ length: world }, () => torch.ones(1))));
  const mine = torch.tensor([r, r, r], { dtype: torch.float32 });
  const gatherList = rank === 1 ? Array.from({ length: world }, () => torch.zeros(3)) : null;
  dist.gather(mine, gatherList, 1);
  out.gather = gatherList === null ? null : gatherList.map((g) => g.tolist());
  const received = torch.zeros(2);
  const scatterList = rank === 0 ? Array.from({ length: world }, (_, i) => torch.tensor([i * 10, i * 10 + 1], { dtype: torch.float32 })) : null;
  dist.scatter(received, { scatterList, src: 0 });
  out.scatter = received.tolist();
  const send = torch.arange(3, { dtype: torch.float32 }).add(100 * r);
  const recv = torch.zeros(3);
  const splits = rank === 0 ? [1, 2] : [2, 1];
  dist.allToAllSingle(recv, send, splits, splits);
  out.all_to_all_single = recv.tolist();
  const inputs = Array.from({ length: world }, (_, j) => torch.tensor([r * 10 + j]));
  out.all_to_all = errorLine(() => dist.allToAll(Array.from({ length: world }, () => torch.zeros(1, { dtype: torch.int64 })), inputs));
  if (rank === 0) {
    dist.send(torch.tensor([4, 5], { dtype: torch.float32 }), 1);
    const buf = torch.zeros(2);
    const src = dist.recv(buf);
    out.p2p = [src, buf.tolist()];
  } else {
    const buf = torch.zeros(2);
    dist.recv(buf, 0);
    dist.send(buf.mul(2), 0);
    out.p2p = [0, buf.tolist()];
  }
  const work = dist.allReduce(torch.ones(1), { asyncOp: true })!;
  work.wait();
  out.async = work.isCompleted();
  dist.barrier();
  const g = dist.newGroup([0, 1]);
  t = torch.tensor([r], { dtype: torch.float32 });
  dist.allReduce(t, { group: g });
  out.new_group = [t.tolist(), dist.getRank(g), dist.getWorldSize(g)];
  return out;
}

describe('torch.distributed collectives (Node rank 0, Python rank 1)', () => {
  if (!dist.isAvailable()) {
    test.skip('torch.distributed is not in this build', () => undefined);
    return;
  }

  test('every collective gives each rank what a Python-only world gives it', async () => {
    const oracle = await runPythonWorld<Results>('collectives', 2);
    const [node, [python]] = await withNodeRank0<Results>('collectives', 2, () => {
      expect(dist.isInitialized()).toBe(true);
      expect([dist.getRank(), dist.getWorldSize(), dist.getBackend()]).toEqual([0, 2, 'gloo']);
      return collectives(0, 2);
    });
    expect(node).toEqual(oracle[0]);
    expect(python).toEqual(oracle[1]);
    expect(dist.isInitialized()).toBe(false);
  });
});
