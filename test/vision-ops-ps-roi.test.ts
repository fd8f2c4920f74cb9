// vision.ops ps_roi_align / ps_roi_pool against torchvision.ops 0.14's CPU kernels: forward values
// and input gradients (float64 and float32) for regions inside, across and outside the image, tiny,
// reversed and empty ones (ps_roi_align's 0 / 0), every option, boxes as [K, 5] or a list of
// [L, 4], the modules and their reprs, and the channel-count error.
import * as torch from '../lib';
import { Tensor } from '../lib';
import { ops } from '../lib/vision';
import { runPython } from './helpers/python';
import { closeWithin } from './helpers/close';

type Fn = (x: Tensor, rois: Tensor, list: Tensor[]) => Tensor;
// [Python call over x ([2, 18, 9, 11]), rois, boxes (a list per image), the same in JS]
const CASES: [string, Fn][] = [
  ['ps_roi_align(x, rois, 3)', (x, r) => ops.psRoiAlign(x, r, 3)],
  ['ps_roi_align(x, rois, (2, 3), spatial_scale=0.5, sampling_ratio=2)', (x, r) => ops.psRoiAlign(x, r, [2, 3], { spatialScale: 0.5, samplingRatio: 2 })],
  ['ps_roi_align(x, boxes, 3, 0.7, 1)', (x, _r, l) => ops.psRoiAlign(x, l, 3, 0.7, 1)],
  ['PSRoIAlign(3, 1.25, -1)(x, rois)', (x, r) => new ops.PSRoIAlign(3, 1.25, -1)(x, r)],
  ['ps_roi_align(x, rois, 1, 1.5)', (x, r) => ops.psRoiAlign(x, r, 1, 1.5)],
  ['ps_roi_pool(x, rois, 3)', (x, r) => ops.psRoiPool(x, r, 3)],
  ['ps_roi_pool(x, rois, (2, 3), spatial_scale=0.5)', (x, r) => ops.psRoiPool(x, r, [2, 3], { spatialScale: 0.5 })],
  ['ps_roi_pool(x, boxes, 3, 0.75)', (x, _r, l) => ops.psRoiPool(x, l, 3, 0.75)],
  ['PSRoIPool((3, 3), 1.3)(x, rois)', (x, r) => new ops.PSRoIPool([3, 3], 1.3)(x, r)],
  ['ps_roi_pool(x, rois, 1, 2.0)', (x, r) => ops.psRoiPool(x, r, 1, 2.0)],
];

// NaN as a string: JSON has none
type Num = number | 'nan';
type Result = { out: Num[]; shape: number[]; grad: Num[] };
interface Py {
  x: number[];
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
x0 = torch.randn(2, 18, 9, 11, dtype=torch.float64)
xy = torch.rand(9, 2, dtype=torch.float64) * 14 - 3
rois = torch.cat([torch.tensor([0, 1, 0, 1, 1, 0, 1, 0, 1], dtype=torch.float64)[:, None], xy, xy + torch.rand(9, 2, dtype=torch.float64) * 9], 1)
rois[5, 1:] = torch.tensor([4.2, 3.7, 4.4, 3.9])      # tiny
rois[6, 1:] = torch.tensor([6.0, 5.0, 2.5, 1.0])      # reversed
rois[7, 1:] = torch.tensor([20.0, 15.0, 25.0, 19.0])  # outside
rois[8, 1:] = torch.tensor([5.0, 5.0, 4.5, 4.5])      # reversed by less than a bin: no samples
w = torch.randn(9 * 18 * 3 * 3, dtype=torch.float64)
nan = lambda t: [v if v == v else 'nan' for v in t.reshape(-1).tolist()]
def run(expr, dtype):
    x = x0.to(dtype).clone().requires_grad_()
    r = rois.to(dtype)
    boxes = [r[r[:, 0] == i, 1:] for i in range(2)]
    o = eval(expr, globals(), {'x': x, 'rois': r, 'boxes': boxes})
    o.mul(w[: o.numel()].reshape(o.shape).to(dtype)).nan_to_num(0).sum().backward()
    return {'out': nan(o.detach()), 'shape': list(o.shape), 'grad': nan(x.grad)}
cases = ${JSON.stringify(CASES.map(([e]) => e))}
result = {'x': x0.reshape(-1).tolist(), 'rois': rois.tolist(), 'w': w.tolist(),
          'f64': [run(e, torch.float64) for e in cases], 'f32': [run(e, torch.float32) for e in cases],
          'reprs': [repr(PSRoIAlign(3, 0.5, 2)), repr(PSRoIAlign((7, 7), 0.0625, -1)), repr(PSRoIPool((2, 3), 1.0)), repr(PSRoIPool(7, 0.25))],
          'empty': [list(ps_roi_align(x0, torch.zeros(0, 5, dtype=torch.float64), 3).shape), list(ps_roi_pool(x0, [torch.zeros(0, 4, dtype=torch.float64)], (3, 2)).shape)],
          'errors': [err(lambda: ps_roi_align(x0, rois, 4)), err(lambda: ps_roi_pool(x0, rois, (2, 2))), err(lambda: ps_roi_align(x0, rois[:, :4], 3)), err(lambda: ps_roi_pool(x0, [rois[:, :3]], 3))]}
`);
});

const nan = (t: Tensor): Num[] => (t.reshape(-1).tolist() as number[]).map((v) => (Number.isNaN(v) ? 'nan' : v));

function run(i: number, dtype: torch.DType): Result {
  const x = torch.tensor(py.x, { dtype: torch.float64 }).reshape(2, 18, 9, 11).to(dtype).requiresGrad_();
  const rois = torch.tensor(py.rois, { dtype: torch.float64 }).to(dtype);
  const list = [0, 1].map((b) => rois.index(rois.index(':', 0).eq(b)).index(':', '1:'));
  const o = CASES[i][1](x, rois, list);
  o.mul(torch.tensor(py.w, { dtype: torch.float64 }).narrow(0, 0, o.numel()).reshape(o.shape).to(dtype)).nanToNum(0).sum().backward();
  return { out: nan(o.detach()), shape: o.shape, grad: nan(x.grad!) };
}

const numbers = (xs: Num[]) => xs.map((v) => (v === 'nan' ? 0 : v));
const maxDiff = (a: Num[], b: Num[]) => numbers(a).reduce((m, v, i) => Math.max(m, Math.abs(v - numbers(b)[i])), 0);

describe.each([
  ['float64', torch.float64, 1e-12],
  ['float32', torch.float32, 1e-5],
] as const)('%s', (name, dtype, tol) => {
  test.each(CASES.map(([e], i) => [e, i] as const))('%s: values and gradients', (e, i) => {
    const got = run(i, dtype);
    const want = name === 'float64' ? py.f64[i] : py.f32[i];
    expect(got.shape).toEqual(want.shape);
    // NaNs where torchvision has them, and only there
    expect(got.out.map((v) => v === 'nan')).toEqual(want.out.map((v) => v === 'nan'));
    expect(got.grad.every((v) => v !== 'nan')).toBe(true);
    closeWithin(tol)(numbers(got.out), numbers(want.out), tol, 'values');
    closeWithin(tol)(numbers(got.grad), numbers(want.grad), tol, 'gradients');
    if (e.includes('pool') && name === 'float64') expect(got.out).toEqual(want.out);
    if (i === 0 || i === 5) console.log(`${e} ${name}: max |diff| ${maxDiff(got.out, want.out).toExponential(1)} (values), ${maxDiff(got.grad, want.grad).toExponential(1)} (gradients)`);
  });
});

test('an empty region: NaN values from ps_roi_align (0 / 0) as in torchvision', () => {
  expect(py.f64[0].out.includes('nan')).toBe(true);
});

test('reprs, no regions, errors', () => {
  const reprs = [new ops.PSRoIAlign(3, 0.5, 2), new ops.PSRoIAlign([7, 7], 0.0625, -1), new ops.PSRoIPool([2, 3], 1.0), new ops.PSRoIPool(7, 0.25)];
  expect(reprs.map(String)).toEqual(py.reprs);
  const x = torch.tensor(py.x, { dtype: torch.float64 }).reshape(2, 18, 9, 11);
  expect(ops.psRoiAlign(x, torch.zeros(0, 5, { dtype: torch.float64 }), 3).shape).toEqual(py.empty[0]);
  expect(ops.psRoiPool(x, [torch.zeros(0, 4, { dtype: torch.float64 })], [3, 2]).shape).toEqual(py.empty[1]);
  const rois = torch.tensor(py.rois, { dtype: torch.float64 });
  const calls = [
    () => ops.psRoiAlign(x, rois, 4),
    () => ops.psRoiPool(x, rois, [2, 2]),
    () => ops.psRoiAlign(x, rois.narrow(1, 0, 4), 3),
    () => ops.psRoiPool(x, [rois.narrow(1, 0, 3)], 3),
  ];
  calls.forEach((call, i) => expect(call).toThrow(py.errors[i]));
  const untyped = ops.PSRoIAlign as unknown as new (...args: unknown[]) => unknown;
  expect(() => new untyped(3, 0.5)).toThrow(torch.TorchError); // sampling_ratio is required
});
