// distributed.optim.ZeroRedundancyOptimizer with Node as rank 0 and Python as rank 1 of one gloo
// group, under DDP: each rank steps Adam on its own shard and broadcasts it, so both ranks must own
// the parameters Python's partition gives them. The oracle is the same program on two Python ranks:
// losses, weights after every step, the consolidated state dict and the reprs must equal theirs.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { nn } from '../lib';
import { ZeroRedundancyOptimizer } from '../lib/distributed/optim';
import { errorLine, maxDiff } from './helpers/distributed';
import { runPythonWorldShared, withNodeRank0Shared } from './helpers/distributed-session';

const dist = torch.distributed;
const F = nn.functional;
jest.setTimeout(180_000);

/** distributed_programs_zero.plain: a state dict as JSON. */
function plain(v: unknown): unknown {
  if (v instanceof torch.Tensor) return { tensor: v.tolist(), dtype: String(v.dtype) };
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), plain(x)]));
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

/** distributed_programs_zero._model */
const model = () => new nn.Sequential(new nn.Linear(6, 8), new nn.ReLU(), new nn.Linear(8, 5), new nn.ReLU(), new nn.Linear(5, 3));

function data(rank: number, world: number): [torch.Tensor, torch.Tensor] {
  const g = new torch.Generator().manualSeed(7);
  const x = torch.randn([world * 8, 6], { generator: g });
  const y = torch.randint(0, 3, [world * 8], { generator: g });
  return [x.narrow(0, rank * 8, 8), y.narrow(0, rank * 8, 8)];
}

interface Trace {
  losses: number[];
  weights: unknown[][];
}

function train(net: nn.Module, opt: ZeroRedundancyOptimizer, [xs, ys]: [torch.Tensor, torch.Tensor], steps: number, trace: Trace, addAt?: number, group?: { params: torch.Tensor[]; lr: number }): void {
  for (let step = 0; step < steps; step++) {
    if (step === addAt) opt.addParamGroup(group!);
    opt.zeroGrad();
    const loss = F.crossEntropy(net(xs) as torch.Tensor, ys);
    loss.backward();
    opt.step();
    trace.losses.push(loss.item());
    trace.weights.push([...net.parameters()].map((p) => p.tolist()));
  }
}

interface TrainArgs {
  bucket_view?: boolean;
  add_group?: boolean;
}
interface TrainResult extends Trace {
  owners: number[];
  state: unknown;
  repr: string;
  local_repr: string;
}

/** distributed_programs_zero.zero_train; rank 0 also saves its state dict to `saved` for Python to read. */
function zeroTrain(rank: number, world: number, args: TrainArgs, saved?: string): TrainResult {
  torch.manualSeed(100 + rank);
  const net = new nn.parallel.DistributedDataParallel(model());
  const params = [...net.parameters()];
  const opt = args.add_group
    ? new ZeroRedundancyOptimizer(params.slice(0, 4), torch.optim.Adam, { parametersAsBucketView: args.bucket_view ?? false, lr: 0.01 })
    : new ZeroRedundancyOptimizer(params, torch.optim.Adam, { parametersAsBucketView: args.bucket_view ?? false, lr: 0.01, weightDecay: 0.01 });
  const trace: Trace = { losses: [], weights: [] };
  train(net, opt, data(rank, world), 4, trace, args.add_group ? 2 : undefined, { params: params.slice(4), lr: 0.02 });
  const owners = params.map((p) => opt._partitionParameters().findIndex((groups) => groups.some((g) => g.params.includes(p))));
  opt.consolidateStateDict();
  let state: unknown;
  if (rank === 0) {
    const sd = opt.stateDict();
    state = plain(sd);
    if (saved) torch.saveSync(sd, saved);
  } else {
    state = errorLine(() => opt.stateDict());
  }
  return { ...trace, owners, state, repr: String(opt), local_repr: String(opt.optim) };
}

interface LoadResult extends Trace {
  cleared: number[];
  state: unknown;
  repr: string;
}

/** distributed_programs_zero.zero_load */
function zeroLoad(rank: number, world: number, args: { path: string; bucket_view?: boolean }): LoadResult {
  torch.manualSeed(100 + rank);
  const net = new nn.parallel.DistributedDataParallel(model());
  const bucketView = args.bucket_view ?? false;
  const opt = new ZeroRedundancyOptimizer(net.parameters(), torch.optim.Adam, { parametersAsBucketView: bucketView, lr: 0.01 });
  const xy = data(rank, world);
  const trace: Trace = { losses: [], weights: [] };
  train(net, opt, xy, 2, trace);
  opt.consolidateStateDict(0);
  if (rank === 0) torch.saveSync(opt.stateDict(), args.path);
  dist.barrier();
  const again = new ZeroRedundancyOptimizer(net.parameters(), torch.optim.Adam, { parametersAsBucketView: bucketView, lr: 0.05 });
  const sd = torch.loadSync(args.path);
  again.loadStateDict(sd);
  const cleared = [...(sd.state as Map<number, unknown>)].filter(([, v]) => v === null).map(([k]) => k).sort((a, b) => a - b);
  train(net, again, xy, 2, trace);
  again.consolidateStateDict({ to: 1 });
  return { ...trace, cleared, state: rank === 1 ? plain(again.stateDict()) : errorLine(() => again.stateDict()), repr: String(again) };
}

interface ClosureArgs {
  bucket_view: boolean;
  subgroup?: boolean;
}
interface ClosureResult extends Trace {
  repr: string;
  local_repr: string;
}

/** distributed_programs_zero.zero_closure */
function zeroClosure(rank: number, world: number, args: ClosureArgs): ClosureResult {
  torch.manualSeed(0);
  const net = model();
  const params = [...net.parameters()];
  const groups = [{ params: params.slice(0, 2) }, { params: params.slice(2), momentum: 0.5 }];
  const pg = args.subgroup ? (dist.newGroup([0, 1]) as torch.distributed.ProcessGroup) : null;
  const opt = new ZeroRedundancyOptimizer(groups, torch.optim.SGD, pg, args.bucket_view, { lr: 0.1, momentum: 0.9 });
  const sched = new torch.optim.lrScheduler.StepLR(opt, { stepSize: 1, gamma: 0.5 });
  const [xs, ys] = data(rank, world);
  const trace: Trace = { losses: [], weights: [] };
  for (let step = 0; step < 4; step++) {
    if (step === 2) params[0].requiresGrad_(false);
    const loss = opt.step(() => {
      opt.zeroGrad();
      const l = F.crossEntropy(net(xs) as torch.Tensor, ys);
      l.backward();
      return l;
    });
    trace.losses.push(loss.item());
    sched.step();
    trace.weights.push([...net.parameters()].map((p) => p.tolist()));
  }
  return { ...trace, repr: String(opt), local_repr: String(opt.optim) };
}

/** Runs distributed_programs_zero's `program` with Node as rank 0 (`node`) and Python as rank 1. */
async function mixedWorld<A extends object, R>(program: string, node: (rank: number, world: number, args: A) => R, args: A): Promise<[R, R]> {
  const [mine, [theirs]] = await withNodeRank0Shared<R>(`distributed_programs_zero.${program}`, 2, () => node(0, 2, args), args);
  return [mine, theirs];
}

/** Runs distributed_programs_zero's `program` on `world` Python ranks alone (of the file's 2). */
const pythonWorld = <T>(program: string, world: number, args: object = {}): Promise<T[]> => runPythonWorldShared<T>(`distributed_programs_zero.${program}`, world, args, 2);

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'tn-zero-'));

describe('ZeroRedundancyOptimizer (Node rank 0, Python rank 1)', () => {
  if (!dist.isAvailable()) {
    test.skip('torch.distributed is not in this build', () => undefined);
    return;
  }

  test.each<[string, TrainArgs]>([
    ['parameters one by one', {}],
    ['parametersAsBucketView', { bucket_view: true }],
    ['a param group added after two steps', { add_group: true }],
  ])('DDP + Adam, %s: weights after each step, owners, state dict and repr equal a Python-only world', async (_name, args) => {
    const oracle = await pythonWorld<TrainResult>('zero_train', 2, args);
    const dir = tmp();
    const saved = path.join(dir, 'zero.pt');
    const [node, python] = await mixedWorld('zero_train', (r, w, a: TrainArgs) => zeroTrain(r, w, a, saved), args);
    for (const [mine, theirs] of [[node, oracle[0]], [python, oracle[1]]]) {
      expect(mine.owners).toEqual(theirs.owners);
      expect(maxDiff(mine.losses, theirs.losses)).toBeLessThan(1e-6);
      expect(maxDiff(mine.weights, theirs.weights)).toBeLessThan(1e-6);
      expect(mine.repr).toBe(theirs.repr);
      expect(mine.local_repr).toBe(theirs.local_repr);
    }
    // the ranks hold the same weights: each owner broadcast its shard
    expect(maxDiff(node.weights, python.weights)).toBe(0);
    expect(new Set(node.owners)).toEqual(new Set([0, 1]));
    // consolidated on rank 0 (Node received Python's shard of the state); rank 1 has none
    expect(maxDiff(node.state, oracle[0].state)).toBeLessThan(1e-6);
    expect(Object.keys((node.state as { state: object }).state)).toEqual(Object.keys((oracle[0].state as { state: object }).state));
    expect(python.state).toBe(oracle[1].state);
    expect(python.state).toMatch(/^RuntimeError: Optimizer state has not been consolidated on this rank\. Please call `consolidate_state_dict\(to=1\)`/);
    // what Node saved loads in Python as the same state dict
    const [loaded] = await pythonWorld<unknown>('load_plain', 1, { path: saved });
    expect(maxDiff(loaded, oracle[0].state)).toBe(maxDiff(node.state, oracle[0].state));
    expect(maxDiff(loaded, node.state)).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test.each([false, true])('loadStateDict of a saved state, then two more steps (bucket view %s): as in Python', async (bucketView) => {
    const dirs = [tmp(), tmp()];
    const oracle = await pythonWorld<LoadResult>('zero_load', 2, { path: path.join(dirs[0], 'zero.pt'), bucket_view: bucketView });
    // Node saves the file Python's rank loads; Node's state goes to Python in consolidateStateDict(to=1)
    const [node, python] = await mixedWorld('zero_load', zeroLoad, { path: path.join(dirs[1], 'zero.pt'), bucket_view: bucketView });
    for (const [mine, theirs] of [[node, oracle[0]], [python, oracle[1]]]) {
      expect(maxDiff(mine.losses, theirs.losses)).toBeLessThan(1e-6);
      expect(maxDiff(mine.weights, theirs.weights)).toBeLessThan(1e-6);
      expect(mine.cleared).toEqual(theirs.cleared);
      expect(mine.repr).toBe(theirs.repr);
    }
    expect(node.cleared.length).toBeGreaterThan(0);
    expect(node.repr).toMatch(/lr: 0\.01\n/);
    expect(node.state).toBe(oracle[0].state);
    expect(maxDiff(python.state, oracle[1].state)).toBeLessThan(1e-6);
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  test.each<[string, ClosureArgs]>([
    ['parameters one by one', { bucket_view: false }],
    ['parametersAsBucketView', { bucket_view: true }],
    ['on a newGroup, arguments positional', { bucket_view: false, subgroup: true }],
  ])('SGD, step(closure), StepLR and a parameter frozen midway, %s: as in Python', async (_name, args) => {
    const oracle = await pythonWorld<ClosureResult>('zero_closure', 2, args);
    const [node, python] = await mixedWorld('zero_closure', zeroClosure, args);
    for (const [mine, theirs] of [[node, oracle[0]], [python, oracle[1]]]) {
      expect(maxDiff(mine.losses, theirs.losses)).toBeLessThan(1e-6);
      expect(maxDiff(mine.weights, theirs.weights)).toBeLessThan(1e-6);
      expect(mine.repr).toBe(theirs.repr);
      expect(mine.local_repr).toBe(theirs.local_repr);
    }
    expect(maxDiff(node.weights, python.weights)).toBe(0);
    // the scheduler's lr reached the local optimizer through the param groups
    expect(node.local_repr).toMatch(/initial_lr: 0\.1\n {4}lr: 0\.0125\n/);
  });

  test("argument errors and the repr, as Python's", async () => {
    const [oracle] = await pythonWorld<Record<string, string>>('zero_errors', 1);
    dist.initProcessGroup('gloo', { store: new dist.HashStore(), rank: 0, worldSize: 1, timeout: 60 });
    try {
      const p = new nn.Linear(2, 2);
      const SGD = torch.optim.SGD;
      const Z = ZeroRedundancyOptimizer as unknown as new (...a: unknown[]) => ZeroRedundancyOptimizer;
      const mine: Record<string, string> = {
        tensor: errorLine(() => new Z(p.weight, SGD, { lr: 0.1 })),
        not_iterable: errorLine(() => new Z(5, SGD, { lr: 0.1 })),
        empty: errorLine(() => new Z([], SGD, { lr: 0.1 })),
        mixed: errorLine(() => new Z([p.weight, { params: [p.bias] }], SGD, { lr: 0.1 })),
        no_params_key: errorLine(() => new Z([{ lr: 0.1 }], SGD, { lr: 0.1 })),
        dtypes: errorLine(() => new Z([p.weight, torch.zeros(2, { dtype: torch.float64, requiresGrad: true })], SGD, { lr: 0.1 })),
        no_lr: errorLine(() => new Z(p.parameters(), SGD)),
        bad_lr: errorLine(() => new Z(p.parameters(), SGD, { lr: -1 })),
      };
      const opt = new ZeroRedundancyOptimizer([{ params: [p.weight] }, { params: [p.bias!], lr: 0.5 }], SGD, { lr: 0.1, momentum: 0.9 });
      mine.not_consolidated = errorLine(() => opt.stateDict());
      mine.repr = String(opt);
      expect(mine).toEqual(oracle);
      expect(errorLine(() => new ZeroRedundancyOptimizer(p.parameters(), SGD, { lr: 0.1, overlapWithDdp: true }))).toMatch(/^NotImplementedError: /);
    } finally {
      dist.destroyProcessGroup();
    }
  });
});
