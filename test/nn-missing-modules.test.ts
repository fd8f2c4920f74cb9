// Modules and functions PyTorch 1.13 has that torch-node lacked, each against real PyTorch:
// distances, TripletMarginWithDistanceLoss, adaptive/fractional max pooling with indices (seeded
// draws), the Lazy modules, SyncBatchNorm, fusion utilities, SparseAdam.
import * as torch from '../lib';
import { nn } from '../lib';
import { layerTable } from './helpers/layer-oracle';
import { runPython } from './helpers/python';
import { messageOf } from './helpers/errors';

const F = nn.functional;

layerTable('nn missing modules: distances, triplet with distance, pooling with indices', [
  { label: 'CosineSimilarity()', py: 'nn.CosineSimilarity()', js: () => new nn.CosineSimilarity(), inputs: [[4, 5], [4, 5]] },
  { label: 'CosineSimilarity(dim=0, eps=1e-6)', py: 'nn.CosineSimilarity(dim=0, eps=1e-6)', js: () => new nn.CosineSimilarity({ dim: 0, eps: 1e-6 }), inputs: [[4, 3, 2], [4, 3, 2]] },
  { label: 'CosineSimilarity(2)', py: 'nn.CosineSimilarity(2)', js: () => new nn.CosineSimilarity(2), inputs: [[2, 3, 4], [1, 3, 4]] },
  { label: 'PairwiseDistance()', py: 'nn.PairwiseDistance()', js: () => new nn.PairwiseDistance(), inputs: [[4, 5], [4, 5]] },
  { label: 'PairwiseDistance(1, keepdim=True)', py: 'nn.PairwiseDistance(1, keepdim=True)', js: () => new nn.PairwiseDistance(1, { keepdim: true }), inputs: [[4, 5], [4, 5]] },
  { label: 'PairwiseDistance(p=3., eps=0.)', py: 'nn.PairwiseDistance(p=3., eps=0.)', js: () => new nn.PairwiseDistance({ p: 3, eps: 0 }), inputs: [[5], [5]] },
  {
    label: 'TripletMarginWithDistanceLoss()', py: 'nn.TripletMarginWithDistanceLoss()', js: () => new nn.TripletMarginWithDistanceLoss(), inputs: [[4, 5], [4, 5], [4, 5]],
  },
  {
    label: 'TripletMarginWithDistanceLoss(cosine, swap, sum)',
    py: 'nn.TripletMarginWithDistanceLoss(distance_function=lambda a, b: 1.0 - F.cosine_similarity(a, b), margin=0.5, swap=True, reduction="sum")',
    js: () => new nn.TripletMarginWithDistanceLoss({ distanceFunction: (a, b) => torch.rsub(F.cosineSimilarity(a, b), 1.0), margin: 0.5, swap: true, reduction: 'sum' }),
    inputs: [[6, 3], [6, 3], [6, 3]],
  },
  {
    label: 'TripletMarginWithDistanceLoss(PairwiseDistance(1), none)',
    py: 'nn.TripletMarginWithDistanceLoss(distance_function=nn.PairwiseDistance(1), reduction="none")',
    js: () => new nn.TripletMarginWithDistanceLoss({ distanceFunction: new nn.PairwiseDistance(1), reduction: 'none' }),
    inputs: [[3, 4], [3, 4], [3, 4]],
  },
  {
    label: 'Identity(F.adaptive_max_pool1d_with_indices)', py: 'nn.Identity()', js: () => new nn.Identity(), inputs: [[2, 3, 7]],
    pyForward: 'F.adaptive_max_pool1d_with_indices(xs[0], 3)', jsForward: (_m, xs) => F.adaptiveMaxPool1dWithIndices(xs[0], 3),
  },
  {
    label: 'Identity(F.adaptive_max_pool2d_with_indices)', py: 'nn.Identity()', js: () => new nn.Identity(), inputs: [[2, 5, 6]],
    pyForward: 'F.adaptive_max_pool2d_with_indices(xs[0], (2, None))', jsForward: (_m, xs) => F.adaptiveMaxPool2dWithIndices(xs[0], [2, null]),
  },
  {
    label: 'Identity(F.adaptive_max_pool3d_with_indices)', py: 'nn.Identity()', js: () => new nn.Identity(), inputs: [[1, 2, 4, 5, 3]],
    pyForward: 'F.adaptive_max_pool3d_with_indices(xs[0], 2)', jsForward: (_m, xs) => F.adaptiveMaxPool3dWithIndices(xs[0], 2),
  },
  { label: 'FractionalMaxPool2d(2, output_size=3)', py: 'nn.FractionalMaxPool2d(2, output_size=3)', js: () => new nn.FractionalMaxPool2d(2, { outputSize: 3 }), inputs: [[2, 3, 7, 6]] },
  {
    label: 'FractionalMaxPool2d(3, output_ratio=(0.5, 0.6), return_indices=True)', py: 'nn.FractionalMaxPool2d(3, output_ratio=(0.5, 0.6), return_indices=True)',
    js: () => new nn.FractionalMaxPool2d(3, { outputRatio: [0.5, 0.6], returnIndices: true }), inputs: [[2, 9, 10]],
  },
  {
    label: 'FractionalMaxPool2d((2, 3), (4, 3), _random_samples)', py: 'nn.FractionalMaxPool2d((2, 3), (4, 3), _random_samples=torch.rand(1, 2, 2))',
    js: () => new nn.FractionalMaxPool2d([2, 3], [4, 3], { _randomSamples: torch.rand(1, 2, 2) }), inputs: [[1, 2, 8, 9]],
  },
  { label: 'FractionalMaxPool3d(2, output_ratio=0.5)', py: 'nn.FractionalMaxPool3d(2, output_ratio=0.5)', js: () => new nn.FractionalMaxPool3d(2, { outputRatio: 0.5 }), inputs: [[2, 2, 6, 5, 7]] },
  {
    label: 'FractionalMaxPool3d((2, 1, 2), output_size=(3, 4, 2), return_indices=True)', py: 'nn.FractionalMaxPool3d((2, 1, 2), output_size=(3, 4, 2), return_indices=True)',
    js: () => new nn.FractionalMaxPool3d([2, 1, 2], { outputSize: [3, 4, 2], returnIndices: true }), inputs: [[3, 5, 6, 4]],
  },
  {
    label: 'Identity(F.fractional_max_pool2d_with_indices)', py: 'nn.Identity()', js: () => new nn.Identity(), inputs: [[2, 3, 8, 8]],
    pyForward: 'F.fractional_max_pool2d_with_indices(xs[0], 2, output_ratio=0.5)', jsForward: (_m, xs) => F.fractionalMaxPool2dWithIndices(xs[0], 2, { outputRatio: 0.5 }),
  },
  {
    label: 'Identity(F.fractional_max_pool3d)', py: 'nn.Identity()', js: () => new nn.Identity(), inputs: [[2, 5, 5, 5]],
    pyForward: 'F.fractional_max_pool3d(xs[0], 2, 3)', jsForward: (_m, xs) => F.fractionalMaxPool3d(xs[0], 2, 3),
  },
]);

describe('nn missing modules: errors and draws as in PyTorch', () => {
  const py = runPython<Record<string, unknown>>(`
from torch import nn
import torch.nn.functional as F
torch.manual_seed(5)
x = torch.randn(2, 3, 9, 9)
torch.manual_seed(7)
out, idx = F.fractional_max_pool2d(x, 2, output_size=4, return_indices=True)
result = dict(
  out=out.flatten().tolist(), idx=idx.flatten().tolist(),
  noSize=err(lambda: nn.FractionalMaxPool2d(2)),
  noSize3=err(lambda: nn.FractionalMaxPool3d(2)),
  ratio=err(lambda: nn.FractionalMaxPool2d(2, output_ratio=1.5)),
  ratioTuple=err(lambda: nn.FractionalMaxPool2d(2, output_ratio=(0.5, 1.0))),
  both=err(lambda: nn.FractionalMaxPool2d(2, output_size=3, output_ratio=0.5)),
  fNoSize=err(lambda: F.fractional_max_pool2d(x, 2)),
  sd=list(nn.FractionalMaxPool2d(2, output_size=3, _random_samples=torch.zeros(1, 3, 2)).state_dict().keys()),
  sdNone=list(nn.FractionalMaxPool2d(2, output_size=3).state_dict().keys()),
  tripletChildren=[n for n, _ in nn.TripletMarginWithDistanceLoss().named_children()],
  tripletLambda=repr(nn.TripletMarginWithDistanceLoss(distance_function=lambda a, b: a)),
)
`);

  test('F.fractionalMaxPool2d draws its samples as Python does after the same seed', () => {
    torch.manualSeed(5);
    const x = torch.randn(2, 3, 9, 9);
    torch.manualSeed(7);
    const [out, idx] = F.fractionalMaxPool2d(x, 2, { outputSize: 4, returnIndices: true });
    expect(out.flatten().tolist()).toEqual(py.out);
    expect(idx.flatten().tolist()).toEqual(py.idx);
  });

  test('constructor and functional errors', () => {
    expect(messageOf(() => new nn.FractionalMaxPool2d(2))).toBe(py.noSize);
    expect(messageOf(() => new nn.FractionalMaxPool3d(2))).toBe(py.noSize3);
    expect(messageOf(() => new nn.FractionalMaxPool2d(2, { outputRatio: 1.5 }))).toBe(py.ratio);
    expect(messageOf(() => new nn.FractionalMaxPool2d(2, { outputRatio: [0.5, 1.0] }))).toBe(py.ratioTuple);
    expect(messageOf(() => new nn.FractionalMaxPool2d(2, { outputSize: 3, outputRatio: 0.5 }))).toBe(py.both);
    expect(messageOf(() => F.fractionalMaxPool2d(torch.randn(2, 3, 9, 9), 2))).toBe(py.fNoSize);
  });

  test('_random_samples is a buffer, None when not given; the default distance is a child module', () => {
    expect(Object.keys(new nn.FractionalMaxPool2d(2, { outputSize: 3, _randomSamples: torch.zeros(1, 3, 2) }).stateDict())).toEqual(py.sd);
    expect(Object.keys(new nn.FractionalMaxPool2d(2, { outputSize: 3 }).stateDict())).toEqual(py.sdNone);
    expect([...new nn.TripletMarginWithDistanceLoss().namedChildren()].map(([n]) => n)).toEqual(py.tripletChildren);
    expect(String(new nn.TripletMarginWithDistanceLoss({ distanceFunction: (a) => a }))).toBe(py.tripletLambda);
  });
});

// Lazy modules: Python builds the lazy layer and runs one dry forward right after the seed, so the
// materialised parameters are initialised at the same point of the random stream; the rest of the
// table (repr after, forward, gradients) then checks the module that became the concrete class.
const dryPy = (ctor: string, shape: number[]) => `(lambda m: (m(torch.zeros(${shape.join(', ')})), m)[1])(nn.${ctor})`;
function dry(m: nn.Module, shape: number[]): nn.Module {
  (m as unknown as (x: torch.Tensor) => unknown)(torch.zeros(shape));
  return m;
}
const lazyCase = (ctor: string, make: () => nn.Module, shape: number[], input: number[] = shape, extra: { eval?: boolean } = {}) => ({
  label: `${ctor} after a dry run`, py: dryPy(ctor, shape), js: () => dry(make(), shape), inputs: [input], ...extra,
});

layerTable('nn missing modules: Lazy modules after the first forward', [
  lazyCase('LazyLinear(3)', () => new nn.LazyLinear(3), [2, 4]),
  lazyCase('LazyLinear(2, bias=False)', () => new nn.LazyLinear(2, { bias: false }), [3, 2, 5]),
  lazyCase('LazyConv1d(4, 3)', () => new nn.LazyConv1d(4, 3), [2, 3, 7]),
  lazyCase('LazyConv2d(4, 3, stride=2, padding=1, groups=2)', () => new nn.LazyConv2d(4, 3, { stride: 2, padding: 1, groups: 2 }), [2, 2, 6, 5]),
  lazyCase('LazyConv3d(2, (2, 1, 2), bias=False)', () => new nn.LazyConv3d(2, [2, 1, 2], { bias: false }), [1, 3, 3, 3, 4]),
  lazyCase('LazyConv2d(3, 3, padding="same", padding_mode="reflect")', () => new nn.LazyConv2d(3, 3, { padding: 'same', paddingMode: 'reflect' }), [3, 5, 5]),
  lazyCase('LazyConvTranspose1d(4, 3, 2)', () => new nn.LazyConvTranspose1d(4, 3, 2), [2, 3, 5]),
  lazyCase('LazyConvTranspose2d(4, 3, groups=2)', () => new nn.LazyConvTranspose2d(4, 3, { groups: 2 }), [1, 4, 3, 4]),
  lazyCase('LazyConvTranspose3d(2, 2, output_padding=1, stride=2)', () => new nn.LazyConvTranspose3d(2, 2, { outputPadding: 1, stride: 2 }), [1, 2, 2, 3, 2]),
  lazyCase('LazyBatchNorm1d()', () => new nn.LazyBatchNorm1d(), [4, 3], [5, 3]),
  lazyCase('LazyBatchNorm2d(momentum=None)', () => new nn.LazyBatchNorm2d({ momentum: null }), [2, 3, 4, 4]),
  lazyCase('LazyBatchNorm3d(1e-3, 0.2, False)', () => new nn.LazyBatchNorm3d(1e-3, 0.2, false), [2, 2, 2, 3, 2]),
  lazyCase('LazyBatchNorm1d(track_running_stats=False)', () => new nn.LazyBatchNorm1d({ trackRunningStats: false }), [4, 3, 5]),
  lazyCase('LazyInstanceNorm1d()', () => new nn.LazyInstanceNorm1d(), [2, 3, 5]),
  lazyCase('LazyInstanceNorm2d(affine=False)', () => new nn.LazyInstanceNorm2d({ affine: false }), [2, 3, 4, 4]),
  lazyCase('LazyInstanceNorm3d(affine=False, track_running_stats=False)', () => new nn.LazyInstanceNorm3d({ affine: false, trackRunningStats: false }), [1, 2, 3, 2, 3]),
]);

describe('nn missing modules: Lazy modules before the first forward', () => {
  const CTORS: [string, () => nn.Module, number[]][] = [
    ['LazyLinear(3)', () => new nn.LazyLinear(3), [2, 4]],
    ['LazyConv2d(4, 3)', () => new nn.LazyConv2d(4, 3), [1, 2, 5, 5]],
    ['LazyConvTranspose1d(4, 3, 2, groups=2)', () => new nn.LazyConvTranspose1d(4, 3, 2, { groups: 2 }), [1, 2, 5]],
    ['LazyBatchNorm1d()', () => new nn.LazyBatchNorm1d(), [3, 2]],
    ['LazyInstanceNorm2d()', () => new nn.LazyInstanceNorm2d(), [1, 2, 3, 3]],
    ['LazyInstanceNorm1d(affine=False, track_running_stats=False)', () => new nn.LazyInstanceNorm1d({ affine: false, trackRunningStats: false }), [1, 2, 3]],
  ];
  const py = runPython<{ before: [string, string[], string[], string][]; load: Record<string, unknown> & { copies: string[] } }>(`
import warnings
warnings.simplefilter('ignore')
from torch import nn
specs = ${JSON.stringify(CTORS.map(([c, , s]) => [c, s]))}
before = []
for ctor, shape in specs:
    m = eval('nn.' + ctor)
    sd = m.state_dict()
    r0, types = repr(m), [type(v).__name__ for v in sd.values()]
    m(torch.zeros(*shape))
    before.append([r0, list(sd.keys()), types, type(m).__name__])
torch.manual_seed(0)
src = nn.Linear(4, 3)
lazy = nn.LazyLinear(3)
res = lazy.load_state_dict(src.state_dict())
after_load = repr(lazy)
lazy(torch.zeros(2, 4))
load = dict(afterLoad=after_load, afterForward=repr(lazy), weight=lazy.weight.tolist(),
            missing=list(res.missing_keys), param=repr(nn.UninitializedParameter()), buffer=repr(nn.UninitializedBuffer()),
            badChannels=err(lambda: nn.LazyConv2d(4, 3, groups=2)(torch.zeros(1, 3, 5, 5))),
            badDims=err(lambda: nn.LazyConv2d(4, 3)(torch.zeros(5, 5))))
import copy
a = nn.LazyLinear(3)
b = copy.deepcopy(a)
b(torch.zeros(2, 4))
a(torch.zeros(2, 6))
load['copies'] = [repr(a), repr(b)]
result = dict(before=before, load=load)
`);

  CTORS.forEach(([label, make, shape], i) => {
    test(`${label}: repr, state_dict entries, class after the first forward`, () => {
      const [repr0, keys, types, cls] = py.before[i];
      const m = make();
      expect(String(m)).toBe(repr0);
      const sd = m.stateDict();
      expect(Object.keys(sd)).toEqual(keys);
      expect(Object.values(sd).map((v) => (nn.isLazy(v) ? v.constructor.name : 'Tensor'))).toEqual(types);
      (m as unknown as (x: torch.Tensor) => unknown)(torch.zeros(shape));
      expect(m.constructor.name).toBe(cls);
      expect(m._forwardPreHooks.size).toBe(0);
      expect([...m.parameters()].some((p) => nn.isLazy(p))).toBe(false);
    });
  });

  test('loadStateDict into a lazy module materialises from the loaded shapes; the class changes on forward', () => {
    torch.manualSeed(0);
    const src = new nn.Linear(4, 3);
    const lazy = new nn.LazyLinear(3);
    const res = lazy.loadStateDict(src.stateDict());
    expect(String(lazy)).toBe(py.load.afterLoad);
    expect(lazy.constructor.name).toBe('LazyLinear');
    lazy(torch.zeros(2, 4));
    expect(String(lazy)).toBe(py.load.afterForward);
    expect(lazy instanceof nn.Linear && !(lazy instanceof nn.LazyLinear)).toBe(true);
    expect(lazy.weight.tolist()).toEqual(py.load.weight);
    expect(res.missingKeys).toEqual(py.load.missing);
  });

  test('Uninitialized tensors print as in Python; errors of the shape inference', () => {
    expect(String(new nn.UninitializedParameter())).toBe(py.load.param);
    expect(String(new nn.UninitializedBuffer())).toBe(py.load.buffer);
    expect(messageOf(() => new nn.LazyConv2d(4, 3, { groups: 2 })(torch.zeros(1, 3, 5, 5)))).toBe(py.load.badChannels);
    expect(messageOf(() => new nn.LazyConv2d(4, 3)(torch.zeros(5, 5)))).toBe(py.load.badDims);
  });

  test('nn.deepcopy of a lazy module: each initialises from its own first input (as copy.deepcopy)', () => {
    const a = new nn.LazyLinear(3);
    const b = nn.deepcopy(a);
    expect(nn.isLazy(b.weight)).toBe(true);
    b(torch.zeros(2, 4));
    a(torch.zeros(2, 6));
    expect([String(a), String(b)]).toEqual(py.load.copies);
  });

  test('.double() before the first forward: still lazy, materialised in float64', () => {
    const m = new nn.LazyBatchNorm1d().double();
    expect(nn.isLazy(m.running_mean)).toBe(true);
    expect([m.running_mean!.dtype, m.weight!.dtype]).toEqual([torch.float64, torch.float64]);
    m(torch.zeros([2, 3], { dtype: torch.float64 }));
    expect([m.running_var!.dtype, m.weight!.dtype, m.running_var!.shape]).toEqual([torch.float64, torch.float64, [3]]);
    expect(m.constructor.name).toBe('BatchNorm1d');
  });

  test('an optimizer built after the dry run trains the materialised parameters', () => {
    torch.manualSeed(0);
    const m = new nn.Sequential(new nn.LazyLinear(8), new nn.ReLU(), new nn.LazyLinear(1));
    const x = torch.randn(16, 5);
    const y = x.sum(1, { keepdim: true });
    m(x);
    const opt = new torch.optim.SGD(m.parameters(), { lr: 0.05 });
    const loss = () => nn.functional.mseLoss(m(x) as torch.Tensor, y);
    const first = loss().item() as number;
    for (let i = 0; i < 20; i++) {
      opt.zeroGrad();
      loss().backward();
      opt.step();
    }
    expect(loss().item() as number).toBeLessThan(first);
    expect(String(m)).toContain('(0): Linear(in_features=5, out_features=8, bias=True)');
  });
});

describe('nn missing modules: SyncBatchNorm', () => {
  const py = runPython<Record<string, unknown>>(`
from torch import nn
m = nn.SyncBatchNorm(3)
s = nn.Sequential(nn.Conv2d(2, 3, 1), nn.BatchNorm2d(3), nn.Sequential(nn.BatchNorm1d(4, affine=False, momentum=None)))
keys = list(s.state_dict().keys())
c = nn.SyncBatchNorm.convert_sync_batchnorm(s)
def ev(m):
    m.eval()
    return m
result = dict(repr=repr(m), reprKw=repr(nn.SyncBatchNorm(4, eps=1e-3, momentum=None, affine=False)),
  cpu=err(lambda: m(torch.randn(2, 3))), cpuEval=err(lambda: ev(nn.SyncBatchNorm(3))(torch.randn(2, 3))),
  keys=keys, convertedKeys=list(c.state_dict().keys()), converted=repr(c), shared=c[1].weight is s[1].weight,
  single=repr(nn.SyncBatchNorm.convert_sync_batchnorm(nn.BatchNorm1d(2))), other=repr(nn.SyncBatchNorm.convert_sync_batchnorm(nn.ReLU())))
`);

  test('repr and the CPU error (training and eval)', () => {
    const m = new nn.SyncBatchNorm(3);
    expect(String(m)).toBe(py.repr);
    expect(String(new nn.SyncBatchNorm(4, { eps: 1e-3, momentum: null, affine: false }))).toBe(py.reprKw);
    expect(messageOf(() => m(torch.randn(2, 3)))).toBe(py.cpu);
    const e = new nn.SyncBatchNorm(3);
    e.eval();
    expect(messageOf(() => e(torch.randn(2, 3)))).toBe(py.cpuEval);
  });

  test('convertSyncBatchnorm: same structure and state_dict keys, shared parameters', () => {
    const s = new nn.Sequential(new nn.Conv2d(2, 3, 1), new nn.BatchNorm2d(3), new nn.Sequential(new nn.BatchNorm1d(4, { affine: false, momentum: null })));
    const keys = Object.keys(s.stateDict());
    const c = nn.SyncBatchNorm.convertSyncBatchnorm(s) as nn.Sequential;
    expect(keys).toEqual(py.keys);
    expect(Object.keys(c.stateDict())).toEqual(py.convertedKeys);
    expect(String(c)).toBe(py.converted);
    expect((c[1] as nn.SyncBatchNorm).weight === (s[1] as nn.BatchNorm2d).weight).toBe(py.shared);
    expect(String(nn.SyncBatchNorm.convertSyncBatchnorm(new nn.BatchNorm1d(2)))).toBe(py.single);
    expect(String(nn.SyncBatchNorm.convertSyncBatchnorm(new nn.ReLU()))).toBe(py.other);
  });
});

// Fusion: the BatchNorm gets random running statistics and affine parameters (same draws here and
// in Python after the same seed), then the fused layer's values, repr and forward are compared.
const perturbPy = (bn: string) => `(lambda b: (b.running_mean.uniform_(-1, 1), b.running_var.uniform_(0.5, 2), b.weight.data.uniform_(), b.bias.data.uniform_(-1, 1), b.eval())[-1])(${bn})`;
function perturb<T extends nn.BatchNorm1d | nn.BatchNorm2d | nn.BatchNorm3d>(b: T): T {
  torch.noGrad(() => {
    b.running_mean!.uniform_(-1, 1);
    b.running_var!.uniform_(0.5, 2);
    b.weight!.uniform_();
    b.bias!.uniform_(-1, 1);
  });
  b.eval();
  return b;
}
const fusion = nn.utils.fusion;

layerTable('nn missing modules: nn.utils fusion', [
  {
    label: 'fuse_conv_bn_eval(Conv2d(2, 3, 3), BatchNorm2d(3))', py: `nn.utils.fuse_conv_bn_eval(nn.Conv2d(2, 3, 3).eval(), ${perturbPy('nn.BatchNorm2d(3)')})`,
    js: () => nn.utils.fuseConvBnEval(new nn.Conv2d(2, 3, 3).eval(), perturb(new nn.BatchNorm2d(3))), inputs: [[2, 2, 5, 5]], eval: true,
  },
  {
    label: 'fuse_conv_bn_eval(Conv1d(3, 4, 2, bias=False), BatchNorm1d(4))', py: `nn.utils.fuse_conv_bn_eval(nn.Conv1d(3, 4, 2, bias=False).eval(), ${perturbPy('nn.BatchNorm1d(4)')})`,
    js: () => nn.utils.fuseConvBnEval(new nn.Conv1d(3, 4, 2, { bias: false }).eval(), perturb(new nn.BatchNorm1d(4))), inputs: [[2, 3, 6]], eval: true,
  },
  {
    label: 'fuse_conv_bn_eval(ConvTranspose2d(2, 4, 3), BatchNorm2d(4), transpose=True)',
    py: `nn.utils.fuse_conv_bn_eval(nn.ConvTranspose2d(2, 4, 3).eval(), ${perturbPy('nn.BatchNorm2d(4)')}, transpose=True)`,
    js: () => nn.utils.fuseConvBnEval(new nn.ConvTranspose2d(2, 4, 3).eval(), perturb(new nn.BatchNorm2d(4)), true), inputs: [[1, 2, 3, 3]], eval: true,
  },
  {
    label: 'fusion.fuse_linear_bn_eval(Linear(5, 3), BatchNorm1d(3))', py: `nn.utils.fusion.fuse_linear_bn_eval(nn.Linear(5, 3).eval(), ${perturbPy('nn.BatchNorm1d(3)')})`,
    js: () => fusion.fuseLinearBnEval(new nn.Linear(5, 3).eval(), perturb(new nn.BatchNorm1d(3))), inputs: [[4, 5]], eval: true,
  },
]);

describe('nn missing modules: fusion errors, skipInit', () => {
  const py = runPython<Record<string, unknown>>(`
from torch import nn
torch.manual_seed(0)
m = nn.utils.skip_init(nn.Linear, 5, 1)
after = torch.rand(3).tolist()
torch.manual_seed(0)
fresh = torch.rand(3).tolist()
result = dict(train=err(lambda: nn.utils.fuse_conv_bn_eval(nn.Conv2d(1, 1, 1), nn.BatchNorm2d(1))),
  repr=repr(m), shapes=[list(p.shape) for p in m.parameters()], device=str(m.weight.device),
  rngUntouched=after == fresh, notModule=err(lambda: nn.utils.skip_init(int)))
`);
  test('fusion needs eval mode', () => {
    let message = 'no error';
    try {
      nn.utils.fuseConvBnEval(new nn.Conv2d(1, 1, 1), new nn.BatchNorm2d(1));
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(py.train);
  });
  test('skipInit: the module with uninitialised memory, no random draws', () => {
    torch.manualSeed(0);
    const m = nn.utils.skipInit(nn.Linear, 5, 1);
    const after = torch.rand(3).tolist();
    torch.manualSeed(0);
    expect(after).toEqual(torch.rand(3).tolist());
    expect(py.rngUntouched).toBe(true);
    expect(String(m)).toBe(py.repr);
    expect([...m.parameters()].map((p) => p.shape)).toEqual(py.shapes);
    expect(String(m.weight.device)).toBe(py.device);
    expect(m.weight.requiresGrad).toBe(true);
  });
});

describe('nn missing modules: optim.SparseAdam with Embedding(sparse=True)', () => {
  const BATCHES = [[1, 3, 3, 7], [0, 1, 9, 9], [2, 2, 2, 5], [8, 3, 1, 0], [4, 6, 4, 6], [7, 7, 7, 7]];
  const CONFIGS: [Record<string, unknown>, string][] = [
    [{}, ''],
    [{ lr: 0.01, betas: [0.8, 0.9], eps: 1e-6 }, 'lr=0.01, betas=(0.8, 0.9), eps=1e-6'],
    [{ lr: 0.05, maximize: true }, 'lr=0.05, maximize=True'],
  ];
  const py = runPython<{ runs: { weight: number[]; step: number; expAvg: number[]; expAvgSq: number[]; groups: string }[]; errors: Record<string, string> }>(`
from torch import nn
batches = ${JSON.stringify(BATCHES)}
def run(kwargs):
    torch.manual_seed(0)
    emb = nn.Embedding(10, 4, sparse=True)
    opt = torch.optim.SparseAdam(emb.parameters(), **kwargs)
    w = torch.linspace(-1, 1, 16).reshape(4, 4)
    for b in batches:
        opt.zero_grad()
        (emb(torch.tensor(b)) * w).pow(2).sum().backward()
        opt.step()
    s = opt.state[emb.weight]
    return dict(weight=emb.weight.detach().flatten().tolist(), step=s['step'], expAvg=s['exp_avg'].flatten().tolist(),
                expAvgSq=s['exp_avg_sq'].flatten().tolist(), groups=str(sorted(opt.state_dict()['param_groups'][0].keys())))
def dense():
    lin = nn.Linear(2, 2)
    opt = torch.optim.SparseAdam(lin.parameters())
    lin(torch.ones(1, 2)).sum().backward()
    opt.step()
runs = [${CONFIGS.map(([, k]) => `run(dict(${k}))`).join(', ')}]
result = dict(runs=runs, errors=dict(dense=err(dense), lr=err(lambda: torch.optim.SparseAdam([torch.zeros(2, requires_grad=True)], lr=0.0)),
  eps=err(lambda: torch.optim.SparseAdam([torch.zeros(2, requires_grad=True)], eps=0.0)),
  beta=err(lambda: torch.optim.SparseAdam([torch.zeros(2, requires_grad=True)], betas=(0.9, 1.0))),
  sparseParam=err(lambda: torch.optim.SparseAdam([torch.zeros(2), torch.zeros(3).to_sparse()]))))
`);

  CONFIGS.forEach(([options, label], i) => {
    test(`SparseAdam(${label}): float32 weights and moments bit-identical to PyTorch's`, () => {
      torch.manualSeed(0);
      const emb = new nn.Embedding(10, 4, { sparse: true });
      const opt = new torch.optim.SparseAdam(emb.parameters(), options);
      const w = torch.linspace(-1, 1, 16).reshape(4, 4);
      for (const b of BATCHES) {
        opt.zeroGrad();
        emb(torch.tensor(b)).mul(w).pow(2).sum().backward();
        expect(emb.weight.grad!.isSparse).toBe(true);
        opt.step();
      }
      const s = opt.state.get(emb.weight)!;
      const want = py.runs[i];
      expect(emb.weight.detach().flatten().tolist()).toEqual(want.weight);
      expect(s.step).toBe(want.step);
      expect((s.exp_avg as torch.Tensor).flatten().tolist()).toEqual(want.expAvg);
      expect((s.exp_avg_sq as torch.Tensor).flatten().tolist()).toEqual(want.expAvgSq);
      const keys = Object.keys(opt.stateDict().param_groups[0]).sort();
      expect(`[${keys.map((k) => `'${k}'`).join(', ')}]`).toBe(want.groups);
    });
  });

  test("PyTorch's errors: dense gradients, hyper-parameters, sparse parameters", () => {
    expect(messageOf(() => {
      const lin = new nn.Linear(2, 2);
      const opt = new torch.optim.SparseAdam(lin.parameters());
      lin(torch.ones(1, 2)).sum().backward();
      opt.step();
    })).toBe(py.errors.dense);
    expect(messageOf(() => new torch.optim.SparseAdam([torch.zeros(2, { requiresGrad: true })], { lr: 0 }))).toBe(py.errors.lr);
    expect(messageOf(() => new torch.optim.SparseAdam([torch.zeros(2, { requiresGrad: true })], { eps: 0 }))).toBe(py.errors.eps);
    expect(messageOf(() => new torch.optim.SparseAdam([torch.zeros(2, { requiresGrad: true })], { betas: [0.9, 1.0] }))).toBe(py.errors.beta);
    expect(messageOf(() => new torch.optim.SparseAdam([torch.zeros(2), torch.zeros(3).toSparse()]))).toBe(py.errors.sparseParam);
  });
});

layerTable('nn missing modules: AdaptiveLogSoftmaxWithLoss', [
  {
    label: 'AdaptiveLogSoftmaxWithLoss(8, 10, [3, 6])', py: 'nn.AdaptiveLogSoftmaxWithLoss(8, 10, [3, 6])', js: () => new nn.AdaptiveLogSoftmaxWithLoss(8, 10, [3, 6]),
    inputs: [[7, 8], { shape: [7], high: 10 }],
  },
  {
    label: 'AdaptiveLogSoftmaxWithLoss(16, 20, (4, 9, 15), div_value=2., head_bias=True)', py: 'nn.AdaptiveLogSoftmaxWithLoss(16, 20, (4, 9, 15), div_value=2., head_bias=True)',
    js: () => new nn.AdaptiveLogSoftmaxWithLoss(16, 20, [4, 9, 15], { divValue: 2, headBias: true }), inputs: [[9, 16], { shape: [9], high: 20 }],
  },
  {
    label: 'AdaptiveLogSoftmaxWithLoss(8, 10, [3, 6]) unbatched', py: 'nn.AdaptiveLogSoftmaxWithLoss(8, 10, [3, 6])', js: () => new nn.AdaptiveLogSoftmaxWithLoss(8, 10, [3, 6]),
    inputs: [[8], { shape: [], low: 7, high: 10 }],
  },
  {
    label: 'AdaptiveLogSoftmaxWithLoss(8, 10, [3, 6]).log_prob', py: 'nn.AdaptiveLogSoftmaxWithLoss(8, 10, [3, 6])', js: () => new nn.AdaptiveLogSoftmaxWithLoss(8, 10, [3, 6]),
    inputs: [[5, 8]], pyForward: 'm.log_prob(xs[0])', jsForward: (m, xs) => (m as nn.AdaptiveLogSoftmaxWithLoss).logProb(xs[0]),
  },
  {
    label: 'AdaptiveLogSoftmaxWithLoss(8, 10, [3, 6], head_bias=True).predict', py: 'nn.AdaptiveLogSoftmaxWithLoss(8, 10, [3, 6], head_bias=True)',
    js: () => new nn.AdaptiveLogSoftmaxWithLoss(8, 10, [3, 6], { headBias: true }),
    inputs: [[12, 8]], pyForward: 'm.predict(xs[0])', jsForward: (m, xs) => (m as nn.AdaptiveLogSoftmaxWithLoss).predict(xs[0]), seed: 4,
  },
]);

describe('nn missing modules: AdaptiveLogSoftmaxWithLoss errors and output', () => {
  const py = runPython<Record<string, unknown>>(`
from torch import nn
m = nn.AdaptiveLogSoftmaxWithLoss(8, 10, [3, 6])
x = torch.zeros(4, 8)
out = m(x, torch.tensor([0, 4, 7, 9]))
result = dict(cutoffs=err(lambda: nn.AdaptiveLogSoftmaxWithLoss(8, 10, [6, 3])), cutoffMax=err(lambda: nn.AdaptiveLogSoftmaxWithLoss(8, 10, [3, 10])),
  range=err(lambda: m(x, torch.tensor([0, 4, 7, 12]))), batch=err(lambda: m(x, torch.tensor([0, 1]))),
  dims=err(lambda: m(torch.zeros(8), torch.tensor([1]))), multi=err(lambda: m(x, torch.zeros(4, 2, dtype=torch.long))),
  names=list(out._fields), cutoffsAttr=m.cutoffs, sizes=[m.shortlist_size, m.n_clusters, m.head_size])
`);
  test('errors, fields and settings as in PyTorch', () => {
    const m = new nn.AdaptiveLogSoftmaxWithLoss(8, 10, [3, 6]);
    const x = torch.zeros(4, 8);
    expect(messageOf(() => new nn.AdaptiveLogSoftmaxWithLoss(8, 10, [6, 3]))).toBe(py.cutoffs);
    expect(messageOf(() => new nn.AdaptiveLogSoftmaxWithLoss(8, 10, [3, 10]))).toBe(py.cutoffMax);
    expect(messageOf(() => m(x, torch.tensor([0, 4, 7, 12])))).toBe(py.range);
    expect(messageOf(() => m(x, torch.tensor([0, 1])))).toBe(py.batch);
    expect(messageOf(() => m(torch.zeros(8), torch.tensor([1])))).toBe(py.dims);
    expect(messageOf(() => m(x, torch.zeros([4, 2], { dtype: torch.int64 })))).toBe(py.multi);
    const out = m(x, torch.tensor([0, 4, 7, 9]));
    expect((py.names as string[]).map((n) => (out as unknown as Record<string, unknown>)[n] instanceof torch.Tensor)).toEqual([true, true]);
    expect(m.cutoffs).toEqual(py.cutoffsAttr);
    expect([m.shortlistSize, m.nClusters, m.headSize]).toEqual(py.sizes);
  });
});
