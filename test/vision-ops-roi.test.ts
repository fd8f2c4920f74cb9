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

test('reprs, empty regions, box shape errors', () => {
  expect([new ops.RoIAlign([3, 3], 0.8, 2), new ops.RoIAlign(7, 0.0625, -1, { aligned: true }), new ops.RoIPool(3, 1.25), new ops.RoIPool([2, 4], 0.5)].map(String)).toEqual(py.reprs);
  const x = torch.tensor(py.x).reshape(2, 3, 9, 11);
  expect(ops.roiAlign(x, torch.zeros(0, 5, { dtype: torch.float64 }), 2).shape).toEqual(py.empty[0]);
  expect(ops.roiPool(x, [torch.zeros(0, 4, { dtype: torch.float64 })], [2, 3]).shape).toEqual(py.empty[1]);
  const rois = torch.tensor(py.rois).float();
  expect(() => ops.roiAlign(x, rois.narrow(1, 0, 4), 2)).toThrow(py.errors[0]);
  expect(() => ops.roiPool(x, [rois.narrow(1, 0, 3)], 2)).toThrow(py.errors[1]);
});
