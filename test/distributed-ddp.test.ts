// nn.parallel.DistributedDataParallel with Node as rank 0 and Python as rank 1 of one gloo group,
// training one model: the ranks start from different seeds (rank 0's weights are broadcast), keep
// BatchNorm buffers in sync, and average gradients through libtorch's Reducer. The oracle is the
// same program on two Python ranks: losses, gradients and final state_dicts must equal theirs.
import * as torch from '../lib';
import { nn } from '../lib';
import { errorLine, maxDiff } from './helpers/distributed';
import { runPythonWorldShared, withNodeRank0Shared } from './helpers/distributed-session';

const dist = torch.distributed;
const F = nn.functional;
jest.setTimeout(180_000);

interface DdpArgs {
  bucket_cap_mb?: number;
  find_unused_parameters?: boolean;
  no_sync?: boolean;
  comm_hook?: 'allreduce' | 'fp16_compress';
  static_graph?: boolean;
}
interface DdpResult {
  losses: number[];
  grads: unknown[][];
  state: Record<string, unknown>;
}

/** distributed_programs.ddp, written the same way for the Node rank. */
function ddp(rank: number, world: number, args: DdpArgs): DdpResult {
  torch.manualSeed(100 + rank);
  const model = new nn.Sequential(new nn.Linear(6, 8), new nn.BatchNorm1d(8), new nn.ReLU(), new nn.Linear(8, 3));
  const net = new nn.parallel.DistributedDataParallel(model, {
    bucketCapMb: args.bucket_cap_mb ?? 25,
    findUnusedParameters: args.find_unused_parameters ?? false,
    staticGraph: args.static_graph ?? false,
  });
  if (args.comm_hook === 'allreduce') net.registerCommHook(null, dist.algorithms.ddpCommHooks.defaultHooks.allreduceHook);
  if (args.comm_hook === 'fp16_compress') net.registerCommHook(null, dist.algorithms.ddpCommHooks.defaultHooks.fp16CompressHook);
  const opt = new torch.optim.SGD(net.parameters(), { lr: 0.1, momentum: 0.9 });
  const g = new torch.Generator().manualSeed(7);
  const x = torch.randn([world * 8, 6], { generator: g });
  const y = torch.randint(0, 3, [world * 8], { generator: g });
  const xs = x.narrow(0, rank * 8, 8);
  const ys = y.narrow(0, rank * 8, 8);
  const losses: number[] = [];
  const grads: unknown[][] = [];
  for (let step = 0; step < 4; step++) {
    opt.zeroGrad();
    if (args.no_sync && step % 2 === 0) {
      net.noSync(() => F.crossEntropy(net(xs.narrow(0, 0, 4)), ys.narrow(0, 0, 4)).backward());
    }
    const loss = F.crossEntropy(net(xs), ys);
    loss.backward();
    losses.push(loss.item());
    grads.push([...net.parameters()].map((p) => p.grad!.tolist()));
    opt.step();
  }
  const state: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(net.stateDict())) state[k] = v.tolist();
  return { losses, grads, state };
}

/** A head that takes no part in forward (distributed_programs.TwoHeads). */
class TwoHeads extends nn.Module {
  body = new nn.Linear(4, 4);
  head_a = new nn.Linear(4, 2);
  head_b = new nn.Linear(4, 2);
  forward(x: torch.Tensor): torch.Tensor {
    return this.head_a(torch.relu(this.body(x)));
  }
}

interface UnusedResult {
  grads: unknown[][];
  error: string;
}

/** distributed_programs.ddp_unused. */
interface UnusedArgs {
  find_unused_parameters: boolean;
  static_graph?: boolean;
}

function ddpUnused(rank: number, _world: number, args: UnusedArgs): UnusedResult {
  torch.manualSeed(rank);
  const net = new nn.parallel.DistributedDataParallel(new TwoHeads(), { findUnusedParameters: args.find_unused_parameters, staticGraph: args.static_graph ?? false });
  const x = torch.randn(3, 4).mul(rank + 1);
  const grads: unknown[][] = [];
  const error = errorLine(() => {
    for (let i = 0; i < 3; i++) {
      net.zeroGrad();
      (net(x) as torch.Tensor).sum().backward();
      grads.push([...net.parameters()].map((p) => (p.grad === null ? null : p.grad.tolist())));
    }
  });
  return { grads, error };
}

describe('DistributedDataParallel (Node rank 0, Python rank 1)', () => {
  if (!dist.isAvailable()) {
    test.skip('torch.distributed is not in this build', () => undefined);
    return;
  }

  test.each<[string, DdpArgs]>([
    ['one bucket, then rebuilt', {}],
    ['many small buckets', { bucket_cap_mb: 0.0001 }],
    ['findUnusedParameters', { find_unused_parameters: true, bucket_cap_mb: 0.0001 }],
    ['noSync accumulation', { no_sync: true }],
    ['the allreduce comm hook', { comm_hook: 'allreduce', bucket_cap_mb: 0.0001 }],
    ['the fp16 compression comm hook', { comm_hook: 'fp16_compress' }],
    ['staticGraph (one delayed all-reduce after the first backward)', { static_graph: true, bucket_cap_mb: 0.0001 }],
  ])('%s: losses, gradients and state equal a Python-only world', async (_name, args) => {
    const oracle = await runPythonWorldShared<DdpResult>('ddp', 2, args);
    const [node, [python]] = await withNodeRank0Shared<DdpResult>('ddp', 2, () => ddp(0, 2, args), args);
    for (const [mine, theirs] of [[node, oracle[0]], [python, oracle[1]]]) {
      expect(Object.keys(mine.state)).toEqual(Object.keys(theirs.state));
      expect(maxDiff(mine.losses, theirs.losses)).toBeLessThan(1e-6);
      expect(maxDiff(mine.grads, theirs.grads)).toBeLessThan(1e-6);
      expect(maxDiff(mine.state, theirs.state)).toBeLessThan(1e-6);
    }
    // the replicas agree: gradients were averaged and rank 0's weights broadcast (BatchNorm's
    // running stats differ: each rank's last forward updated them from its own batch)
    const weights = (r: DdpResult) => Object.entries(r.state).filter(([k]) => !k.includes('running_'));
    expect(maxDiff(node.grads, python.grads)).toBe(0);
    expect(maxDiff(weights(node), weights(python))).toBe(0);
  });

  test.each<[string, UnusedArgs]>([
    ['findUnusedParameters', { find_unused_parameters: true }],
    ['staticGraph', { find_unused_parameters: false, static_graph: true }],
    ['neither', { find_unused_parameters: false }],
  ])('a parameter forward does not use, with %s: gradients or the error as Python', async (name, args) => {
    const oracle = await runPythonWorldShared<UnusedResult>('ddp_unused', 2, args);
    const [node, [python]] = await withNodeRank0Shared<UnusedResult>('ddp_unused', 2, () => ddpUnused(0, 2, args), args);
    expect(maxDiff(node.grads, oracle[0].grads)).toBeLessThan(1e-6);
    expect(maxDiff(python.grads, oracle[1].grads)).toBeLessThan(1e-6);
    expect([node.error, python.error]).toEqual([oracle[0].error, oracle[1].error]);
    expect(node.error === 'no error').toBe(name !== 'neither');
  });

  test('registerCommHook takes the default hooks only', () => {
    const store = new dist.HashStore();
    dist.initProcessGroup('gloo', { store, rank: 0, worldSize: 1 });
    try {
      const net = new nn.parallel.DistributedDataParallel(new nn.Linear(2, 2));
      expect(() => net.registerCommHook(null, ((s: unknown, b: unknown) => b) as never)).toThrow(/only the hooks of distributed.algorithms.ddpCommHooks.defaultHooks/);
      net.registerCommHook(null, dist.algorithms.ddpCommHooks.defaultHooks.fp16CompressHook);
      expect(() => net.registerCommHook(null, dist.algorithms.ddpCommHooks.defaultHooks.allreduceHook)).toThrow(/can only be called once/);
    } finally {
      dist.destroyProcessGroup();
    }
  });
});
