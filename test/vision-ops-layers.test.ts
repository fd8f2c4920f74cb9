// vision.ops layers against torchvision.ops 0.14: seeded drop_block2d/3d and stochastic_depth drop
// what Python drops (values and gradients), FrozenBatchNorm2d (loads a BatchNorm2d state_dict,
// its keys, forward, gradient), seeded Conv3dNormActivation (weights, forward), and every layer's repr.
import * as torch from '../lib';
import { Tensor, nn } from '../lib';
import { ops } from '../lib/vision';
import { runPython } from './helpers/python';
import { closeWithin } from './helpers/close';

const close = closeWithin(1e-12);
type Out = { out: number[]; grad: number[] | null };

interface Py {
  x: number[];
  x5: number[];
  w: number[];
  w5: number[];
  drops: Out[];
  depth: Out[];
  reprs: string[];
  frozen: { keys: string[]; out: number[]; grad: number[]; bn: Record<string, number[]> };
  conv3d: { keys: string[]; out: number[] }[];
  errors: string[];
}

// odd block sizes: torchvision 0.14 fails on even ones (its padding then grows the mask)
// [Python call over x (4-D) or x5 (5-D), seed, the same in JS]
const DROPS: [string, number, (x: Tensor, x5: Tensor) => Tensor][] = [
  ['drop_block2d(x, 0.3, 3)', 1, (x) => ops.dropBlock2d(x, 0.3, 3)],
  ['drop_block2d(x, 0.5, 10, eps=1e-3)', 2, (x) => ops.dropBlock2d(x, 0.5, 10, { eps: 1e-3 })],
  ['drop_block2d(x, p=0.2, block_size=2, training=False)', 3, (x) => ops.dropBlock2d(x, { p: 0.2, blockSize: 2, training: false })],
  ['drop_block3d(x5, 0.25, 3)', 4, (_x, x5) => ops.dropBlock3d(x5, 0.25, 3)],
  ['DropBlock2d(0.4, 3)(x)', 5, (x) => new ops.DropBlock2d(0.4, 3)(x)],
  ['DropBlock3d(0.1, block_size=5)(x5)', 6, (_x, x5) => new ops.DropBlock3d(0.1, { blockSize: 5 })(x5)],
];
const DEPTH: [string, number, (x: Tensor) => Tensor][] = [
  ["stochastic_depth(x, 0.5, 'row')", 7, (x) => ops.stochasticDepth(x, 0.5, 'row')],
  ["stochastic_depth(x, 0.5, 'batch')", 9, (x) => ops.stochasticDepth(x, 0.5, 'batch')],
  ["StochasticDepth(0.3, 'row')(x)", 10, (x) => new ops.StochasticDepth(0.3, 'row')(x)],
];
const REPRS: [string, () => nn.Module][] = [
  ['DropBlock2d(0.1, 3)', () => new ops.DropBlock2d(0.1, 3)],
  ['DropBlock3d(p=0.25, block_size=2, inplace=True)', () => new ops.DropBlock3d({ p: 0.25, blockSize: 2, inplace: true })],
  ["StochasticDepth(0.2, 'row')", () => new ops.StochasticDepth(0.2, 'row')],
  ['FrozenBatchNorm2d(4, eps=1e-3)', () => new ops.FrozenBatchNorm2d(4, { eps: 1e-3 })],
  ['FrozenBatchNorm2d(16)', () => new ops.FrozenBatchNorm2d(16)],
  ['Conv3dNormActivation(2, 4, (1, 3, 3), 2)', () => new ops.Conv3dNormActivation(2, 4, [1, 3, 3], 2)],
  ['Conv3dNormActivation(2, 4, norm_layer=None, activation_layer=None, dilation=2)', () => new ops.Conv3dNormActivation(2, 4, { normLayer: null, activationLayer: null, dilation: 2 })],
  ['Conv2dNormActivation(3, 8)', () => new ops.Conv2dNormActivation(3, 8)],
  ['SqueezeExcitation(8, 2)', () => new ops.SqueezeExcitation(8, 2)],
  ['MLP(4, [8, 3], dropout=0.1)', () => new ops.MLP(4, [8, 3], { dropout: 0.1 })],
  ['Permute([0, 2, 1])', () => new ops.Permute([0, 2, 1])],
];
// [Python constructor, seed, the same in JS]: weights and forward on a seeded input
const CONV3D: [string, number, () => nn.Module][] = [
  ['Conv3dNormActivation(2, 4, kernel_size=(1, 3, 3), stride=2)', 11, () => new ops.Conv3dNormActivation(2, 4, { kernelSize: [1, 3, 3], stride: 2 })],
  ['Conv3dNormActivation(2, 3, 3, 1, None, 1, None)', 12, () => new ops.Conv3dNormActivation(2, 3, 3, 1, null, 1, null)],
];

let py: Py;
beforeAll(() => {
  py = runPython<Py>(`
from torchvision.ops import *
from torch import nn
torch.manual_seed(0)
x0 = torch.randn(2, 3, 5, 7, dtype=torch.float64)
x50 = torch.randn(2, 2, 4, 5, 3, dtype=torch.float64)
w, w5 = torch.randn(x0.shape, dtype=torch.float64), torch.randn(x50.shape, dtype=torch.float64)
def run(expr, seed, **extra):
    x, x5 = x0.clone().requires_grad_(), x50.clone().requires_grad_()
    torch.manual_seed(seed)
    y = eval(expr)
    y.mul(w if y.dim() == 4 else w5).sum().backward()
    g = x.grad if x.grad is not None else x5.grad
    return {'out': y.reshape(-1).tolist(), 'grad': g.reshape(-1).tolist()}
drops = [run(e, s) for e, s in ${JSON.stringify(DROPS.map(([e, s]) => [e, s]))}]
depth = [run(e, s) for e, s in ${JSON.stringify(DEPTH.map(([e, s]) => [e, s]))}]
reprs = [repr(eval(e)) for e in ${JSON.stringify(REPRS.map(([e]) => e))}]
bn = nn.BatchNorm2d(3)
bn.weight.data.uniform_(0.5, 2); bn.bias.data.normal_(); bn.running_mean.normal_(); bn.running_var.uniform_(0.5, 2)
bn.num_batches_tracked += 5
frozen = FrozenBatchNorm2d(3, eps=1e-3)
frozen.load_state_dict(bn.state_dict())
x = x0.float().clone().requires_grad_()
y = frozen(x); y.mul(w.float()).sum().backward()
frozen = {'keys': list(frozen.state_dict().keys()), 'out': y.reshape(-1).tolist(), 'grad': x.grad.reshape(-1).tolist(),
          'bn': {k: v.reshape(-1).tolist() for k, v in bn.state_dict().items()}}
conv3d = []
for e, s in ${JSON.stringify(CONV3D.map(([e, s]) => [e, s]))}:
    torch.manual_seed(s)
    m = eval(e)
    conv3d.append({'keys': list(m.state_dict().keys()), 'out': m(torch.randn(2, 2, 3, 6, 5)).reshape(-1).tolist()})
errors = [err(lambda: drop_block2d(x0, 1.5, 3)), err(lambda: drop_block2d(x0[0], 0.5, 3)), err(lambda: drop_block3d(x0, 0.5, 3))]
result = {'x': x0.reshape(-1).tolist(), 'x5': x50.reshape(-1).tolist(), 'w': w.reshape(-1).tolist(), 'w5': w5.reshape(-1).tolist(),
          'drops': drops, 'depth': depth, 'reprs': reprs, 'frozen': frozen, 'conv3d': conv3d, 'errors': errors}
`);
});

function run(seed: number, f: (x: Tensor, x5: Tensor) => Tensor): Out {
  const x = torch.tensor(py.x, { dtype: torch.float64 }).reshape(2, 3, 5, 7).requiresGrad_();
  const x5 = torch.tensor(py.x5, { dtype: torch.float64 }).reshape(2, 2, 4, 5, 3).requiresGrad_();
  torch.manualSeed(seed);
  const y = f(x, x5);
  const w = y.dim() === 4 ? torch.tensor(py.w, { dtype: torch.float64 }).reshape(x.shape) : torch.tensor(py.w5, { dtype: torch.float64 }).reshape(x5.shape);
  y.mul(w).sum().backward();
  return { out: y.reshape(-1).tolist() as number[], grad: (x.grad ?? x5.grad)!.reshape(-1).tolist() as number[] };
}

test.each(DROPS.map(([e], i) => [e, i] as const))('%s: seeded values and gradients', (_e, i) => {
  const got = run(DROPS[i][1], DROPS[i][2]);
  close(got.out, py.drops[i].out);
  close(got.grad, py.drops[i].grad);
});

test.each(DEPTH.map(([e], i) => [e, i] as const))('%s: seeded values and gradients', (_e, i) => {
  const got = run(DEPTH[i][1], (x) => DEPTH[i][2](x));
  close(got.out, py.depth[i].out);
  close(got.grad, py.depth[i].grad);
});

test('DropBlock and StochasticDepth pass the input through in eval mode; drop_block errors', () => {
  const x = torch.randn(1, 2, 4, 4);
  expect(new ops.DropBlock2d(0.5, 2).eval()(x)).toBe(x);
  expect(new ops.StochasticDepth(0.5, 'batch').eval()(x)).toBe(x);
  expect(() => ops.dropBlock2d(x, 1.5, 3)).toThrow(py.errors[0]);
  expect(() => ops.dropBlock2d(x.index(0), 0.5, 3)).toThrow(py.errors[1]);
  expect(() => ops.dropBlock3d(x, 0.5, 3)).toThrow(py.errors[2]);
  expect(() => ops.dropBlock2d(x, 1.5, 3)).toThrow(expect.objectContaining({ name: 'ValueError' }));
});

test.each(REPRS.map(([e], i) => [e, i] as const))('repr of %s', (_e, i) => {
  expect(String(REPRS[i][1]())).toBe(py.reprs[i]);
});

test("FrozenBatchNorm2d loads a BatchNorm2d's state_dict (without num_batches_tracked) and computes torchvision's output", () => {
  const bn = new nn.BatchNorm2d(3);
  const sd: Record<string, Tensor> = {};
  for (const [k, v] of Object.entries(py.frozen.bn)) sd[k] = k === 'num_batches_tracked' ? torch.tensor(v[0], { dtype: torch.int64 }) : torch.tensor(v);
  bn.loadStateDict(sd);
  const frozen = new ops.FrozenBatchNorm2d(3, 1e-3);
  frozen.loadStateDict(bn.stateDict());
  expect(Object.keys(frozen.stateDict())).toEqual(py.frozen.keys);
  expect([...frozen.parameters()]).toHaveLength(0);
  const x = torch.tensor(py.x, { dtype: torch.float64 }).float().reshape(2, 3, 5, 7).requiresGrad_();
  const y = frozen(x);
  y.mul(torch.tensor(py.w, { dtype: torch.float64 }).float().reshape(x.shape)).sum().backward();
  closeWithin(1e-6)(y.reshape(-1).tolist(), py.frozen.out);
  closeWithin(1e-6)(x.grad!.reshape(-1).tolist(), py.frozen.grad);
});

test.each(CONV3D.map(([e], i) => [e, i] as const))('seeded %s: state_dict keys and forward', (_e, i) => {
  torch.manualSeed(CONV3D[i][1]);
  const m = CONV3D[i][2]();
  expect(Object.keys(m.stateDict())).toEqual(py.conv3d[i].keys);
  closeWithin(1e-5)((m(torch.randn(2, 2, 3, 6, 5)) as Tensor).reshape(-1).tolist(), py.conv3d[i].out);
});
