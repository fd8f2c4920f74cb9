// vision.ops roi_align / roi_pool against torchvision.ops 0.14's CPU kernels: forward values and
// input gradients for regions inside, across and outside the image, tiny and reversed ones, every
// option (output size, spatial_scale, sampling_ratio, aligned), boxes as [K, 5] or a list of [L, 4],
// the modules and their reprs; roi_pool with ties (the first maximum gets the gradient), float32.
import * as torch from '../lib';
import { Tensor } from '../lib';
import { ops } from '../lib/vision';
import { runPython } from './helpers/python';
import { closeWithin } from './helpers/close';

type Fn = (x: Tensor, rois: Tensor, list: Tensor[]) => Tensor;
// [Python call over x, rois, boxes (a list per image), the same in JS]
const CASES: [string, Fn][] = [
  ['roi_align(x, rois, 3)', (x, r) => ops.roiAlign(x, r, 3)],
  ['roi_align(x, rois, (2, 4), spatial_scale=0.5, sampling_ratio=2)', (x, r) => ops.roiAlign(x, r, [2, 4], { spatialScale: 0.5, samplingRatio: 2 })],
  ['roi_align(x, rois, 2, 1.0, -1, True)', (x, r) => ops.roiAlign(x, r, 2, 1.0, -1, true)],
  ['roi_align(x, rois, [3, 2], 0.7, 3, aligned=True)', (x, r) => ops.roiAlign(x, r, [3, 2], 0.7, 3, { aligned: true })],
  ['roi_align(x, boxes, 2, sampling_ratio=1)', (x, _r, l) => ops.roiAlign(x, l, 2, { samplingRatio: 1 })],
  ['RoIAlign((3, 3), 0.8, 2)(x, rois)', (x, r) => new ops.RoIAlign([3, 3], 0.8, 2)(x, r)],
  ['roi_pool(x, rois, 3)', (x, r) => ops.roiPool(x, r, 3)],
  ['roi_pool(x, rois, (2, 5), spatial_scale=0.5)', (x, r) => ops.roiPool(x, r, [2, 5], { spatialScale: 0.5 })],
  ['roi_pool(x, boxes, 4, 0.75)', (x, _r, l) => ops.roiPool(x, l, 4, 0.75)],
  ['roi_pool(x, rois, 1, 1.5)', (x, r) => ops.roiPool(x, r, 1, 1.5)],
  ['roi_pool(ties, rois, 2)', (_x, r, _l, t?: Tensor) => ops.roiPool(t!, r, 2)],
  ['RoIPool(3, 1.25)(ties, rois)', (_x, r, _l, t?: Tensor) => new ops.RoIPool(3, 1.25)(t!, r)],
] as [string, Fn][];

type Result = { out: number[]; shape: number[]; grad: number[] };
interface Py {
  x: number[];
  ties: number[];
  rois: number[][];
  w: number[];
  f64: Result[];
  f32: Result[];
  reprs: string[];
  errors: string[];
  empty: number[][];
}

let py: Py;
beforeAll(() => {
  py = runPython<Py>(`
from torchvision.ops import *
torch.manual_seed(0)
x0 = torch.randn(2, 3, 9, 11, dtype=torch.float64)
ties0 = torch.randint(0, 3, (2, 3, 9, 11)).double()
xy = torch.rand(8, 2, dtype=torch.float64) * 14 - 3
rois = torch.cat([torch.tensor([0, 1, 0, 1, 1, 0, 1, 0], dtype=torch.float64)[:, None], xy, xy + torch.rand(8, 2, dtype=torch.float64) * 9], 1)
rois[5, 1:] = torch.tensor([4.2, 3.7, 4.4, 3.9])      # tiny
rois[6, 1:] = torch.tensor([6.0, 5.0, 2.5, 1.0])      # reversed
rois[7, 1:] = torch.tensor([20.0, 15.0, 25.0, 19.0])  # outside
w = torch.randn(8 * 3 * 5 * 5, dtype=torch.float64)
def run(expr, dtype):
    x, ties = x0.to(dtype).clone().requires_grad_(), ties0.to(dtype).clone().requires_grad_()
    r = rois.to(dtype)
    boxes = [r[r[:, 0] == i, 1:] for i in range(2)]
    env = {'x': x, 'ties': ties, 'rois': r, 'boxes': boxes}
    o = eval(expr, globals(), env)
    o.mul(w[: o.numel()].reshape(o.shape).to(dtype)).sum().backward()
    g = x.grad if x.grad is not None else ties.grad
    return {'out': o.reshape(-1).tolist(), 'shape': list(o.shape), 'grad': g.reshape(-1).tolist()}
cases = ${JSON.stringify(CASES.map(([e]) => e))}
result = {'x': x0.reshape(-1).tolist(), 'ties': ties0.reshape(-1).tolist(), 'rois': rois.tolist(), 'w': w.tolist(),
          'f64': [run(e, torch.float64) for e in cases], 'f32': [run(e, torch.float32) for e in cases],
          'reprs': [repr(RoIAlign((3, 3), 0.8, 2)), repr(RoIAlign(7, 0.0625, -1, aligned=True)), repr(RoIPool(3, 1.25)), repr(RoIPool((2, 4), 0.5))],
          'empty': [list(roi_align(x0, torch.zeros(0, 5, dtype=torch.float64), 2).shape), list(roi_pool(x0, [torch.zeros(0, 4, dtype=torch.float64)], (2, 3)).shape)],
          'errors': [err(lambda: roi_align(x0, rois[:, :4], 2)), err(lambda: roi_pool(x0, [rois[:, :3]], 2))]}
`);
});

function run(i: number, dtype: torch.DType): Result {
  const x = torch.tensor(py.x, { dtype: torch.float64 }).reshape(2, 3, 9, 11).to(dtype).requiresGrad_();
  const ties = torch.tensor(py.ties, { dtype: torch.float64 }).reshape(2, 3, 9, 11).to(dtype).requiresGrad_();
  const rois = torch.tensor(py.rois, { dtype: torch.float64 }).to(dtype);
  const list = [0, 1].map((b) => rois.index(rois.index(':', 0).eq(b)).index(':', '1:'));
  const o = (CASES[i][1] as (x: Tensor, r: Tensor, l: Tensor[], t: Tensor) => Tensor)(x, rois, list, ties);
  o.mul(torch.tensor(py.w, { dtype: torch.float64 }).narrow(0, 0, o.numel()).reshape(o.shape).to(dtype)).sum().backward();
  return { out: o.reshape(-1).tolist() as number[], shape: o.shape, grad: (x.grad ?? ties.grad)!.reshape(-1).tolist() as number[] };
}

const maxDiff = (a: number[], b: number[]) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

test.each(CASES.map(([e], i) => [e, i] as const))('%s: float64 values and gradients', (_e, i) => {
  const got = run(i, torch.float64);
  expect(got.shape).toEqual(py.f64[i].shape);
  closeWithin(1e-12)(got.out, py.f64[i].out);
  closeWithin(1e-12)(got.grad, py.f64[i].grad);
});

test.each(CASES.map(([e], i) => [e, i] as const))('%s: float32 values and gradients', (_e, i) => {
  const got = run(i, torch.float32);
  const want = py.f32[i];
  expect(got.shape).toEqual(want.shape);
  closeWithin(1e-5)(got.out, want.out);
  closeWithin(1e-5)(got.grad, want.grad);
  if (CASES[i][0].includes('pool')) expect(got.out).toEqual(want.out); // a max is exact
  if (i === 0 || i === 6) console.log(`${CASES[i][0]} float32: max |diff| ${maxDiff(got.out, want.out)} (values), ${maxDiff(got.grad, want.grad)} (gradients)`);
});

// Without gradients roi_pool scans each bin's cells for few regions, and takes range-maximum tables
// for many (here the same regions 60 times over): both give torchvision's values, exactly.
test.each(CASES.map(([e], i) => [e, i] as const).filter(([e]) => e.includes('pool') || e.includes('Pool')))('%s: values without gradients', (e, i) => {
  for (const [dtype, want] of [[torch.float64, py.f64[i]], [torch.float32, py.f32[i]]] as const) {
    const x = torch.tensor(py.x, { dtype: torch.float64 }).reshape(2, 3, 9, 11).to(dtype);
    const ties = torch.tensor(py.ties, { dtype: torch.float64 }).reshape(2, 3, 9, 11).to(dtype);
    const rois = torch.tensor(py.rois, { dtype: torch.float64 }).to(dtype);
    const list = [0, 1].map((b) => rois.index(rois.index(':', 0).eq(b)).index(':', '1:'));
    const fn = CASES[i][1] as (x: Tensor, r: Tensor, l: Tensor[], t: Tensor) => Tensor;
    const o = torch.noGrad(() => fn(x, rois, list, ties));
    expect(o.shape).toEqual(want.shape);
    expect(o.reshape(-1).tolist()).toEqual(want.out);
    if (e.includes('boxes')) continue; // a list of boxes per image orders repeated regions by image
    const many = torch.noGrad(() => fn(x, rois.repeat(60, 1), list, ties));
    expect(many.reshape(60, -1).tolist()).toEqual(new Array(60).fill(want.out));
  }
});

test('reprs, empty regions, box shape errors', () => {
  expect([new ops.RoIAlign([3, 3], 0.8, 2), new ops.RoIAlign(7, 0.0625, -1, { aligned: true }), new ops.RoIPool(3, 1.25), new ops.RoIPool([2, 4], 0.5)].map(String)).toEqual(py.reprs);
  const x = torch.tensor(py.x).reshape(2, 3, 9, 11);
  expect(ops.roiAlign(x, torch.zeros(0, 5, { dtype: torch.float64 }), 2).shape).toEqual(py.empty[0]);
  expect(ops.roiPool(x, [torch.zeros(0, 4, { dtype: torch.float64 })], [2, 3]).shape).toEqual(py.empty[1]);
  const rois = torch.tensor(py.rois).float();
  expect(() => ops.roiAlign(x, rois.narrow(1, 0, 4), 2)).toThrow(py.errors[0]);
  expect(() => ops.roiPool(x, [rois.narrow(1, 0, 3)], 2)).toThrow(py.errors[1]);
});

test('roi_pool at detector scale (stride-16 map, float32): exact values on both paths, gradients', () => {
  const want = runPython<{ x: number[]; rois: number[][]; out: number[]; grad: number[] }>(`
from torchvision.ops import roi_pool
torch.manual_seed(1)
x = torch.randn(2, 8, 50, 68).requires_grad_()
xy = torch.rand(64, 2) * 1000 - 100
rois = torch.cat([torch.randint(0, 2, (64, 1)).float(), xy, xy + torch.rand(64, 2) * 500 + 8], 1)
o = roi_pool(x, rois, 7, 1 / 16)
o.mul(torch.arange(o.numel()).reshape(o.shape) % 7).sum().backward()
result = {'x': x.detach().reshape(-1).tolist(), 'rois': rois.tolist(), 'out': o.detach().reshape(-1).tolist(), 'grad': x.grad.reshape(-1).tolist()}
`);
  const x = torch.tensor(want.x).reshape(2, 8, 50, 68).requiresGrad_();
  const rois = torch.tensor(want.rois);
  expect(torch.noGrad(() => ops.roiPool(x, rois, 7, 1 / 16)).reshape(-1).tolist()).toEqual(want.out);
  const o = ops.roiPool(x, rois, 7, 1 / 16);
  expect(o.reshape(-1).tolist()).toEqual(want.out);
  o.mul(torch.arange(o.numel()).reshape(o.shape).remainder(7)).sum().backward();
  expect(x.grad!.reshape(-1).tolist()).toEqual(want.grad);
});

test('roi_pool over NaN and -inf cells: skipped as by the kernel (strict >, from -FLT_MAX), on both paths', () => {
  const want = runPython<{ x: (number | string)[]; rois: number[][]; out: number[]; grad: number[] }>(`
from torchvision.ops import roi_pool
torch.manual_seed(2)
x = torch.randn(1, 2, 6, 7)
x[0, 0, 1:3, 1:4] = float('nan')
x[0, 1, 0:2, 0:3] = float('-inf')
x[0, 0, 4, 5] = float('nan')
x.requires_grad_()
rois = torch.tensor([[0, 0.0, 0.0, 6.0, 5.0], [0, 1.0, 1.0, 3.0, 2.0], [0, 0.0, 0.0, 2.0, 1.0], [0, 2.0, 1.0, 6.0, 5.0]])
o = roi_pool(x, rois, 2)
o.mul(torch.arange(o.numel()).reshape(o.shape) + 1).sum().backward()
enc = lambda t: [v if abs(v) < float('inf') else str(v) for v in t.reshape(-1).tolist()]
result = {'x': enc(x.detach()), 'rois': rois.tolist(), 'out': o.detach().reshape(-1).tolist(), 'grad': x.grad.reshape(-1).tolist()}
`);
  const special: Record<string, number> = { nan: NaN, '-inf': -Infinity, inf: Infinity };
  const x = torch.tensor(want.x.map((v) => (typeof v === 'string' ? special[v] : v))).reshape(1, 2, 6, 7).requiresGrad_();
  const rois = torch.tensor(want.rois);
  expect(torch.noGrad(() => ops.roiPool(x, rois, 2)).reshape(-1).tolist()).toEqual(want.out);
  const o = ops.roiPool(x, rois, 2);
  expect(o.reshape(-1).tolist()).toEqual(want.out);
  o.mul(torch.arange(o.numel()).reshape(o.shape).add(1)).sum().backward();
  expect(x.grad!.reshape(-1).tolist()).toEqual(want.grad);
});

// Many regions over a small map: without gradients roi_pool takes the range-maximum tables (cheaper
// than scanning every region's cells here); with gradients the cell scan. Both must equal torchvision.
test.each([
  ['float32', 'float32'],
  ['float64', 'float64'],
] as const)('roi_pool, 400 regions over a small %s map: both paths exact', (_name, dtype) => {
  const want = runPython<{ x: number[]; rois: number[][]; out: number[]; grad: number[] }>(`
from torchvision.ops import roi_pool
torch.manual_seed(3)
x = torch.randint(-20, 20, (2, 4, 12, 14)).to(torch.${dtype}).div(4).requires_grad_()  # many ties
xy = torch.rand(400, 2, dtype=torch.${dtype}) * 32 - 4
rois = torch.cat([torch.randint(0, 2, (400, 1)).to(torch.${dtype}), xy, xy + torch.rand(400, 2, dtype=torch.${dtype}) * 24], 1)
o = roi_pool(x, rois, (3, 2), 0.5)
o.mul(torch.arange(o.numel()).reshape(o.shape) % 5).sum().backward()
result = {'x': x.detach().reshape(-1).tolist(), 'rois': rois.tolist(), 'out': o.detach().reshape(-1).tolist(), 'grad': x.grad.reshape(-1).tolist()}
`);
  const dt = torch[dtype];
  const x = torch.tensor(want.x, { dtype: dt }).reshape(2, 4, 12, 14).requiresGrad_();
  const rois = torch.tensor(want.rois, { dtype: dt });
  expect(torch.noGrad(() => ops.roiPool(x, rois, [3, 2], 0.5)).reshape(-1).tolist()).toEqual(want.out);
  const o = ops.roiPool(x, rois, [3, 2], 0.5);
  expect(o.reshape(-1).tolist()).toEqual(want.out);
  o.mul(torch.arange(o.numel()).reshape(o.shape).remainder(5)).sum().backward();
  expect(x.grad!.reshape(-1).tolist()).toEqual(want.grad);
});
