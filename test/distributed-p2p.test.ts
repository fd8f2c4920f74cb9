// P2POp / batchIsendIrecv and monitoredBarrier with Node as rank 0 and Python as ranks 1 and 2 of
// one gloo group (a ring of three): each rank's results must equal those of three Python ranks
// running the same program (distributed_programs_extra.p2p).
import * as torch from '../lib';
import { irecv, isend } from '../lib/distributed/collectives';
import { monitoredBarrier } from '../lib/distributed/monitored-barrier';
import { batchIsendIrecv, P2POp } from '../lib/distributed/p2p-op';
import { errorLine, runPythonWorld, withNodeRank0 } from './helpers/distributed';

const dist = torch.distributed;
jest.setTimeout(180_000);

type Results = Record<string, unknown>;

/** distributed_programs_extra.p2p, for the Node rank. */
function p2p(rank: number, world: number, store: torch.distributed.Store): Results {
  const out: Results = {};
  const next = (rank + 1) % world;
  const prev = (rank - 1 + world) % world;
  const send = torch.arange(2, { dtype: torch.float32 }).add(2 * rank);
  const recv = torch.zeros(2);
  const reqs = batchIsendIrecv([new P2POp(isend, send, next), new P2POp(irecv, recv, prev)]);
  for (const req of reqs) req.wait();
  out.ring = [recv.tolist(), reqs.length, reqs.every((r) => r.isCompleted())];
  const toNext = torch.tensor([rank * 10 + 1, rank * 10 + 2], { dtype: torch.int64 });
  const toPrev = torch.tensor([rank * 10 + 3], { dtype: torch.int64 });
  const fromPrev = torch.zeros(2, { dtype: torch.int64 });
  const fromNext = torch.zeros(1, { dtype: torch.int64 });
  const ops = [
    new P2POp(isend, toNext, next, null, 5),
    new P2POp(irecv, fromPrev, prev, { tag: 5 }),
    new P2POp(isend, toPrev, prev, { group: null, tag: 6 }),
    new P2POp(irecv, fromNext, next, { tag: 6 }),
  ];
  for (const req of batchIsendIrecv(ops)) req.wait();
  out.both_ways = [fromPrev.tolist(), fromNext.tolist()];
  const t = torch.zeros(1);
  out.errors = [
    errorLine(() => new P2POp(dist.broadcast as never, t, 1)),
    errorLine(() => new P2POp(isend, [1.0] as never, 1)),
    errorLine(() => batchIsendIrecv([1] as never)),
    errorLine(() => batchIsendIrecv([new P2POp(isend, t, 1), new P2POp(irecv, t, 1, dist.newGroup([0, 1]))])),
  ];
  monitoredBarrier({ timeout: { seconds: 30 } });
  monitoredBarrier(null, null, true);
  out.monitored_barrier = 'passed';
  // rank 0 alone, last: gloo closes its connections after this failure
  out.monitored_all = errorLine(() => monitoredBarrier({ timeout: 1, waitAllRanks: true }));
  // the Python ranks wait for this key of the default group's store (the one given to initProcessGroup)
  // before leaving, and say they saw it (as the Python program's rank 0 waits for)
  store.set('monitored_done', '1');
  store.wait(Array.from({ length: world - 1 }, (_, i) => `monitored_seen_${i + 1}`));
  return out;
}

describe('torch.distributed P2POp, batchIsendIrecv, monitoredBarrier (Node rank 0, Python ranks 1-2)', () => {
  if (!dist.isAvailable()) {
    test.skip('torch.distributed is not in this build', () => undefined);
    return;
  }

  test('a ring of batched sends and receives, and monitored barriers, as in a Python-only world', async () => {
    const oracle = await runPythonWorld<Results>('distributed_programs_extra.p2p', 3);
    const [node, pythons] = await withNodeRank0<Results>('distributed_programs_extra.p2p', 3, (store) => p2p(0, 3, store));
    expect(node).toEqual(oracle[0]);
    expect(pythons).toEqual(oracle.slice(1));
  });
});
