// torch.distributed's 1.13 extras with Node as rank 0 and Python as ranks 1 and 2 of one gloo group:
// all_gather_coalesced, reduce_scatter_tensor, the *_multigpu collectives, supports_complex and the
// deprecated reduce_op; new_subgroups(_by_enumeration); the debug level. Each rank's results must
// equal those of three Python ranks running the same program (distributed_programs_extras.py).
import * as torch from '../lib';
import { consecutiveSubgroups, enumeratedSubgroups } from '../lib/distributed/subgroups';
import type { Tensor } from '../lib/tensor/tensor';
import { errorLine, runPythonWorld, withNodeRank0 } from './helpers/distributed';

const dist = torch.distributed;
jest.setTimeout(120_000);

type Results = Record<string, unknown>;
const { ReduceOp } = dist;

/** The warnings f emits, as `Category: message` (each message is emitted once per process, as Python's default filter does per place). */
function warningsOf(f: () => void): string[] {
  const seen = new Set<string>();
  const spy = jest.spyOn(process, 'emitWarning').mockImplementation(((message: string, category: string) => {
    seen.add(`${category}: ${message}`);
  }) as never);
  try {
    f();
  } finally {
    spy.mockRestore();
  }
  return [...seen].sort();
}

/** distributed_programs_extras.extras, for the Node rank. */
function extras(rank: number, world: number): Results {
  const out: Results = {};
  out.warnings = warningsOf(() => {
    const outs = Array.from({ length: world }, () => [torch.zeros(2, 2), torch.zeros(1)]);
    dist.allGatherCoalesced(outs, [torch.full([2, 2], rank, { dtype: torch.float32 }), torch.tensor([rank + 0.5], { dtype: torch.float32 })]);
    out.gather_coalesced = outs.map((l) => l.map((t) => t.tolist()));
    const couts = Array.from({ length: world }, () => [torch.zeros(2, { dtype: torch.complex64 })]);
    const c = torch.complex(torch.tensor([rank, 0], { dtype: torch.float32 }), torch.tensor([1, 0 - rank], { dtype: torch.float32 }));
    // Python's ranks use async_op=True and wait on the future (a Promise here, which this synchronous program cannot await)
    dist.allGatherCoalesced(couts, [c]);
    out.gather_coalesced_complex = couts.map((l) => l.map((x) => torch.viewAsReal(x).tolist()));
    const t = torch.zeros(1);
    out.gather_coalesced_errors = [
      errorLine(() => dist.allGatherCoalesced([[t]], [t, torch.zeros(1, { dtype: torch.int64 })])),
      errorLine(() => dist.allGatherCoalesced(t as never, [t])),
      errorLine(() => dist.allGatherCoalesced([[t, 1 as never]], [t])),
      errorLine(() => dist.allGatherCoalesced([[t]], t as never)),
    ];
    out.reduce_scatter_tensor = [
      errorLine(() => dist.reduceScatterTensor(torch.zeros(2), torch.zeros(2 * world))),
      errorLine(() => dist.reduceScatterTensor(torch.zeros(2), [torch.zeros(2)] as never)),
    ];
    const a = torch.tensor([rank + 1, 2], { dtype: torch.float32 });
    dist.allReduceMultigpu([a]);
    const b = torch.tensor([rank], { dtype: torch.float32 });
    const d = torch.tensor([10 * rank], { dtype: torch.float32 });
    dist.allReduceMultigpu([b, d], { op: ReduceOp.MAX });
    const z = torch.complex(torch.tensor([1], { dtype: torch.float32 }), torch.tensor([rank], { dtype: torch.float32 }));
    dist.allReduceMultigpu([z]);
    out.all_reduce_multigpu = [a.tolist(), b.tolist(), d.tolist(), torch.viewAsReal(z).tolist()];
    const bt = torch.tensor([rank * 3, 1], { dtype: torch.float32 });
    dist.broadcastMultigpu([bt], 1, { asyncOp: true })!.wait();
    const rt = torch.tensor([rank + 2], { dtype: torch.float32 });
    dist.reduceMultigpu([rt], 2, { op: ReduceOp.PRODUCT });
    const gathered = [Array.from({ length: world }, () => torch.zeros(2))];
    dist.allGatherMultigpu(gathered, [torch.tensor([rank, 0 - rank], { dtype: torch.float32 })]);
    out.multigpu = [bt.tolist(), rt.tolist(), gathered[0].map((g: Tensor) => g.tolist())];
    out.reduce_scatter_multigpu = errorLine(() => dist.reduceScatterMultigpu([torch.zeros(1)], [Array(world).fill(torch.zeros(1))]));
    const pair = dist.newGroup([1, 2]);
    const pt = torch.tensor([rank], { dtype: torch.float32 });
    dist.broadcastMultigpu([pt], 2, { group: pair });
    dist.allReduceMultigpu([pt], { group: pair });
    out.multigpu_group = pt.tolist();
    out.ops = [ReduceOp.SUM, ReduceOp.AVG, ReduceOp.PRODUCT, ReduceOp.MIN, ReduceOp.MAX, ReduceOp.BAND, ReduceOp.BOR, ReduceOp.BXOR].map(dist.supportsComplex);
    const m = torch.tensor([rank], { dtype: torch.float32 });
    dist.allReduce(m, { op: dist.reduceOp.MAX });
    out.reduce_op = [String(dist.reduceOp.SUM), String(dist.reduceOp.BXOR), m.tolist()];
  });
  return out;
}

const ranksOf = (g: unknown): unknown => (g instanceof dist.ProcessGroup ? dist.getProcessGroupRanks(g) : 'non-member');
function described([mine, subgroups]: [unknown, unknown[]]): unknown {
  return [mine === null ? null : ranksOf(mine), subgroups.map(ranksOf)];
}
function sumIn(g: unknown): unknown {
  const t = torch.tensor([dist.getRank() + 1], { dtype: torch.float32 });
  dist.allReduce(t, { group: g as torch.distributed.ProcessGroup });
  return t.tolist();
}

/** distributed_programs_extras.subgroups, for the Node rank (past the CUDA check, as the Python ranks patch it away). */
function subgroups(world: number): Results {
  const out: Results = {};
  out.no_cuda = [errorLine(() => dist.newSubgroups()), errorLine(() => dist.newSubgroupsByEnumeration([[0, 1]]))];
  out.errors = [
    errorLine(() => consecutiveSubgroups(world + 1, {})),
    errorLine(() => consecutiveSubgroups(2, {})),
    errorLine(() => enumeratedSubgroups([], {})),
    errorLine(() => enumeratedSubgroups(null, {})),
  ];
  let result = consecutiveSubgroups(1, {});
  out.ones = [described(result), sumIn(result[0])];
  result = consecutiveSubgroups(world, { timeout: { seconds: 30 }, backend: 'gloo' });
  out.whole = [described(result), sumIn(result[0])];
  result = enumeratedSubgroups([[0, 2], [1]], {});
  out.enumerated = [described(result), sumIn(result[0])];
  out.partial = described(enumeratedSubgroups([[2]], {}));
  out.overlap = errorLine(() => enumeratedSubgroups([[0, 1], [1, 2]], {}));
  dist.barrier();
  return out;
}


describe('torch.distributed 1.13 extras (Node rank 0, Python ranks 1-2)', () => {
  if (!dist.isAvailable()) {
    test.skip('torch.distributed is not in this build', () => undefined);
    return;
  }

  test('allGatherCoalesced, reduceScatterTensor, the *Multigpu collectives, supportsComplex, reduceOp: as in a Python-only world', async () => {
    const oracle = await runPythonWorld<Results>('distributed_programs_extras.extras', 3);
    const [node, pythons] = await withNodeRank0<Results>('distributed_programs_extras.extras', 3, () => extras(0, 3));
    expect(node).toEqual(oracle[0]);
    expect(pythons).toEqual(oracle.slice(1));
    expect(dist.reduceOp.MAX).toBe(ReduceOp.MAX);
  });

  test('newSubgroups and newSubgroupsByEnumeration: the same groups, members and errors as Python', async () => {
    const oracle = await runPythonWorld<Results>('distributed_programs_extras.subgroups', 3);
    const [node, pythons] = await withNodeRank0<Results>('distributed_programs_extras.subgroups', 3, () => subgroups(3));
    expect(node).toEqual(oracle[0]);
    expect(pythons).toEqual(oracle.slice(1));
  });

  test('DebugLevel, getDebugLevel, setDebugLevel, setDebugLevelFromEnv', () => {
    expect(String(dist.getDebugLevel())).toBe('DebugLevel.OFF');
    expect([dist.DebugLevel.INFO.repr(), Object.keys(dist.DebugLevel.__members__)]).toEqual(['<DebugLevel.INFO: 1>', ['OFF', 'INFO', 'DETAIL']]);
    dist.setDebugLevel(dist.DebugLevel.DETAIL);
    expect(dist.getDebugLevel()).toBe(dist.DebugLevel.DETAIL);
    expect(errorLine(() => dist.setDebugLevel(2 as never))).toBe('TypeError: set_debug_level(): incompatible function arguments. The following argument types are supported:');
    // the real environment (not jest's copy of it) has no TORCH_DISTRIBUTED_DEBUG: back to OFF
    dist.setDebugLevelFromEnv();
    expect(dist.getDebugLevel()).toBe(dist.DebugLevel.OFF);
  });
});
