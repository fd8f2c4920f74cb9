// DistributedDataParallel.join and distributed.algorithms.Join: ranks with different numbers of
// batches train one model, the ranks that run out first shadowing the others' collectives. Node is
// rank 0 beside Python ranks; the oracle is the same program on Python ranks alone: losses, final
// state_dicts and error lines must equal theirs, rank by rank.
import * as torch from '../lib';
import { nn } from '../lib';
import { errorLine, maxDiff } from './helpers/distributed';
import { runPythonWorldShared, withNodeRank0Shared } from './helpers/distributed-session';

const dist = torch.distributed;
const { Join, JoinHook, Joinable } = dist.algorithms;
const F = nn.functional;
jest.setTimeout(90_000);

interface JoinArgs {
  counts: number[];
  divide?: boolean;
  enable?: boolean;
  throw?: boolean;
  bucket_cap_mb?: number;
  find_unused?: boolean;
  zero?: boolean;
  no_sync?: boolean;
  fp16_hook?: boolean;
}
interface JoinResult {
  losses: number[];
  state: Record<string, unknown>;
  error: string;
}

/** distributed_programs_join.ddp_join, written the same way for the Node rank. */
function ddpJoin(rank: number, args: JoinArgs): JoinResult {
  torch.manualSeed(100 + rank);
  const model = new nn.Sequential(new nn.Linear(6, 8), new nn.BatchNorm1d(8), new nn.ReLU(), new nn.Linear(8, 3));
  const net = new nn.parallel.DistributedDataParallel(model, { bucketCapMb: args.bucket_cap_mb ?? 25, findUnusedParameters: args.find_unused ?? false });
  if (args.fp16_hook) net.registerCommHook(null, dist.algorithms.ddpCommHooks.defaultHooks.fp16CompressHook);
  const opt = args.zero
    ? new dist.optim.ZeroRedundancyOptimizer(net.parameters(), torch.optim.SGD, { lr: 0.1, momentum: 0.9 })
    : new torch.optim.SGD(net.parameters(), { lr: 0.1, momentum: 0.9 });
  const g = new torch.Generator().manualSeed(7 + rank);
  const batches = Array.from({ length: args.counts[rank] }, () => [torch.randn([4, 6], { generator: g }), torch.randint(0, 3, [4], { generator: g })]);
  const losses: number[] = [];
  const train = () => {
    for (const [i, [x, y]] of batches.entries()) {
      opt.zeroGrad();
      if (args.no_sync && i % 2 === 0) net.noSync(() => F.crossEntropy(net(x.narrow(0, 0, 2)), y.narrow(0, 0, 2)).backward());
      const loss = F.crossEntropy(net(x), y);
      loss.backward();
      losses.push(loss.item());
      opt.step();
    }
  };
  const options = { enable: args.enable ?? true, throwOnEarlyTermination: args.throw ?? false };
  const error = errorLine(() =>
    args.zero
      ? new Join([net, opt as InstanceType<typeof dist.optim.ZeroRedundancyOptimizer>], { ...options, divideByInitialWorldSize: args.divide ?? true }).run(train)
      : net.join({ ...options, divideByInitialWorldSize: args.divide ?? true }, train),
  );
  const state: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(net.stateDict())) state[k] = v.tolist();
  return { losses, state, error };
}

describe('DistributedDataParallel.join with uneven inputs (Node rank 0, Python ranks)', () => {
  if (!dist.isAvailable()) {
    test.skip('torch.distributed is not in this build', () => undefined);
    return;
  }

  test.each<[string, JoinArgs]>([
    ['2 ranks, Node runs out first', { counts: [3, 5] }],
    ['2 ranks, Python runs out first, divided by the ranks still training, small buckets', { counts: [5, 3], divide: false, bucket_cap_mb: 0.0001 }],
    ['3 ranks, findUnusedParameters', { counts: [2, 4, 3], find_unused: true, bucket_cap_mb: 0.0001 }],
    ['3 ranks, the fp16 compression comm hook (zero buckets go through it too)', { counts: [3, 1, 2], fp16_hook: true, bucket_cap_mb: 0.0001 }],
    ['3 ranks, Join([ddp, ZeroRedundancyOptimizer])', { counts: [4, 2, 3], zero: true }],
    ['2 ranks, noSync every other step (joined ranks skip those iterations)', { counts: [4, 2], no_sync: true }],
    ['enable: false on even inputs (no join collectives)', { counts: [3, 3], enable: false }],
    ['throwOnEarlyTermination', { counts: [4, 2, 4], throw: true }],
  ])('%s: losses, final state and errors equal a Python-only world', async (_name, args) => {
    const world = args.counts.length;
    // the worlds of 2 ranks run on the first 2 of the file's 3 kept ranks
    const oracle = runPythonWorldShared<JoinResult>('distributed_programs_join.ddp_join', world, args, 3);
    const [node, pythons] = await withNodeRank0Shared<JoinResult>('distributed_programs_join.ddp_join', world, () => ddpJoin(0, args), args, 3);
    const theirs = await oracle;
    [node, ...pythons].forEach((mine, rank) => {
      expect(mine.error).toBe(theirs[rank].error);
      expect(mine.losses.length).toBe(args.throw ? theirs[rank].losses.length : args.counts[rank]);
      expect(maxDiff(mine.losses, theirs[rank].losses)).toBeLessThan(1e-6);
      expect(maxDiff(mine.state, theirs[rank].state)).toBeLessThan(1e-6);
    });
    if (args.throw) {
      expect(node.error).toBe('RuntimeError: Detected at least one rank that exhausted inputs. Throwing across all ranks.');
      expect(pythons[0].error).toBe('RuntimeError: Rank 1 exhausted all inputs.');
    } else if (args.enable === false) {
      // no final broadcast: the weights agree (averaged gradients), BatchNorm's running stats do not
      const weights = (r: JoinResult) => Object.entries(r.state).filter(([k]) => !k.includes('running_'));
      for (const other of pythons) expect(maxDiff(weights(node), weights(other))).toBe(0);
      expect(maxDiff(node.state, pythons[0].state)).toBeGreaterThan(0);
    } else {
      // the last rank to join broadcast its model (buffers included) to every rank
      for (const other of pythons) expect(maxDiff(node.state, other.state)).toBe(0);
    }
  });

  test('a user Joinable: main hooks shadow each missing iteration, post hooks see who joined last', async () => {
    // Counts its all-reduces; a joined rank's main hook shadows one with zeros.
    class Counter extends Joinable {
      total = 0;
      constructor(readonly group: torch.distributed.ProcessGroup) {
        super();
      }
      step(): void {
        Join.notifyJoinContext(this);
        const t = torch.ones(1);
        dist.allReduce(t, { group: this.group });
        this.total += t.item();
      }
      joinHook(kwargs: Record<string, unknown> = {}): InstanceType<typeof JoinHook> {
        const self = this;
        return new (class extends JoinHook {
          mainHook(): void {
            dist.allReduce(torch.zeros(1), { group: self.group });
          }
          postHook(isLastJoiner: boolean): void {
            self.lastJoiner = isLastJoiner;
            self.kwargs = kwargs;
          }
        })();
      }
      lastJoiner?: boolean;
      kwargs?: Record<string, unknown>;
      get joinDevice() {
        return torch.device('cpu');
      }
      get joinProcessGroup() {
        return this.group;
      }
    }
    const store = new dist.HashStore();
    dist.initProcessGroup('gloo', { store, rank: 0, worldSize: 1 });
    try {
      const counter = new Counter(dist.GroupMember.WORLD!);
      expect(() => new Join([])).toThrow('The join context manager requires at least one joinable');
      const join = new Join([counter], { someHookOption: 3 });
      const done = await join.run(async () => {
        counter.step();
        counter.step();
        return 'done';
      });
      expect([done, counter.total, counter.lastJoiner, counter.kwargs]).toEqual(['done', 2, true, { someHookOption: 3 }]);
      // a body that throws leaves at once: no post hooks
      counter.lastJoiner = undefined;
      expect(() => new Join([counter]).run(() => { throw new Error('body'); })).toThrow('body');
      expect(counter.lastJoiner).toBeUndefined();

      const net = new nn.parallel.DistributedDataParallel(new nn.Linear(2, 2));
      expect(net.join()).toBeInstanceOf(Join);
      expect(net.join({ enable: false }, () => 7)).toBe(7);
      expect(() => net.join({ divide_by_initial_world_size: false } as never, () => 7)).toThrow("join() got an unexpected keyword argument 'divide_by_initial_world_size'");
      expect(() => new Join([counter, new Counter(dist.newGroup([0]) as torch.distributed.ProcessGroup)])).toThrow('Using join context manager with multiple process groups');
    } finally {
      dist.destroyProcessGroup();
    }
  });
});
