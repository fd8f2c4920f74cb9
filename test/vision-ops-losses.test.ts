// vision.ops losses against torchvision.ops 0.14: sigmoid_focal_loss and the GIoU / DIoU / CIoU box
// losses, values and the gradients of both inputs, every reduction, Python's positional and keyword
// forms, integer boxes (upcast to float32), empty inputs under 'mean'.
import * as torch from '../lib';
import { Tensor } from '../lib';
import { ops } from '../lib/vision';
import { runPython } from './helpers/python';
import { closeWithin } from './helpers/close';

const close = closeWithin(1e-12);

// [label, Python call over a, b, the same in JS]
type Case = [string, string, (a: Tensor, b: Tensor) => Tensor];
const CASES: Case[] = [
  ['focal', 'sigmoid_focal_loss(x, t)', (x, t) => ops.sigmoidFocalLoss(x, t)],
  ['focal alpha gamma mean', "sigmoid_focal_loss(x, t, 0.4, 1.5, 'mean')", (x, t) => ops.sigmoidFocalLoss(x, t, 0.4, 1.5, 'mean')],
  ['focal no alpha sum', "sigmoid_focal_loss(x, t, alpha=-1, reduction='sum')", (x, t) => ops.sigmoidFocalLoss(x, t, { alpha: -1, reduction: 'sum' })],
  ['focal gamma 0', 'sigmoid_focal_loss(x, t, gamma=0)', (x, t) => ops.sigmoidFocalLoss(x, t, { gamma: 0 })],
];
for (const [name, fn] of [
  ['generalized_box_iou_loss', ops.generalizedBoxIouLoss],
  ['distance_box_iou_loss', ops.distanceBoxIouLoss],
  ['complete_box_iou_loss', ops.completeBoxIouLoss],
] as const) {
  CASES.push([name, `${name}(a, b)`, (a, b) => fn(a, b)]);
  CASES.push([`${name} mean`, `${name}(a, b, 'mean')`, (a, b) => fn(a, b, 'mean')]);
  CASES.push([`${name} sum eps`, `${name}(a, b, reduction='sum', eps=0.01)`, (a, b) => fn(a, b, { reduction: 'sum', eps: 0.01 })]);
}

interface Py {
  w: number[];
  x: number[][];
  t: number[][];
  a: number[][];
  b: number[][];
  cases: { out: number | number[] | number[][]; g1: number[][]; g2: number[][] }[];
  ints: { values: number[]; dtype: string }[];
  empty: number[];
}

let py: Py;
beforeAll(() => {
  py = runPython<Py>(`
from torchvision.ops import *
torch.manual_seed(0)
x0 = torch.randn(4, 3, dtype=torch.float64) * 2
t0 = (torch.rand(4, 3) > 0.5).double()
def boxes(n):
    xy = torch.rand(n, 2, dtype=torch.float64)
    return torch.cat([xy, xy + torch.rand(n, 2, dtype=torch.float64) * 0.8 + 0.05], 1)
a0, b0 = boxes(6), boxes(6)
b0[0] = a0[0] + 2   # apart: no intersection
b0[1] = a0[1]       # equal
w = torch.randn(6, dtype=torch.float64)
cases = []
for expr in ${JSON.stringify(CASES.map((c) => c[1]))}:
    focal = expr.startswith('sigmoid')
    x, t = x0.clone().requires_grad_(), t0.clone().requires_grad_()
    a, b = a0.clone().requires_grad_(), b0.clone().requires_grad_()
    o = eval(expr)
    (o.mul(w[: o.shape[0]] if o.dim() == 1 else (w[:3] if o.dim() == 2 else 1)).sum()).backward()
    g1, g2 = (x.grad, t.grad) if focal else (a.grad, b.grad)
    cases.append({'out': o.tolist(), 'g1': g1.tolist(), 'g2': g2.tolist()})
ia, ib = (a0 * 20).int(), (b0 * 20).int()
ints = [f(ia, ib) for f in (generalized_box_iou_loss, distance_box_iou_loss, complete_box_iou_loss)]
e = torch.zeros(0, 4)
result = {'w': w.tolist(), 'x': x0.tolist(), 't': t0.tolist(), 'a': a0.tolist(), 'b': b0.tolist(), 'cases': cases,
          'ints': [{'values': i.tolist(), 'dtype': str(i.dtype)} for i in ints],
          'empty': [f(e, e, 'mean').item() for f in (generalized_box_iou_loss, distance_box_iou_loss, complete_box_iou_loss)]}
`);
});

test.each(CASES.map((c, i) => [c[0], i] as const))('%s: values and gradients', (_label, i) => {
  const focal = CASES[i][1].startsWith('sigmoid');
  const f64 = { dtype: torch.float64, requiresGrad: true } as const;
  const [u, v] = focal ? [torch.tensor(py.x, f64), torch.tensor(py.t, f64)] : [torch.tensor(py.a, f64), torch.tensor(py.b, f64)];
  const o = CASES[i][2](u, v);
  const wt = torch.tensor(py.w, { dtype: torch.float64 });
  o.mul(o.dim() === 1 ? wt.narrow(0, 0, o.size(0)) : o.dim() === 2 ? wt.narrow(0, 0, 3) : 1).sum().backward();
  const want = py.cases[i];
  close(o.tolist(), want.out);
  close(u.grad!.tolist(), want.g1);
  close(v.grad!.tolist(), want.g2);
});

test('integer boxes are upcast to float32; an empty mean is 0', () => {
  const ia = torch.tensor(py.a, { dtype: torch.float64 }).mul(20).int();
  const ib = torch.tensor(py.b, { dtype: torch.float64 }).mul(20).int();
  const got = [ops.generalizedBoxIouLoss, ops.distanceBoxIouLoss, ops.completeBoxIouLoss].map((f) => f(ia, ib));
  got.forEach((g, i) => {
    expect(String(g.dtype)).toBe(py.ints[i].dtype);
    closeWithin(1e-6)(g.tolist(), py.ints[i].values);
  });
  const e = torch.zeros(0, 4);
  expect([ops.generalizedBoxIouLoss, ops.distanceBoxIouLoss, ops.completeBoxIouLoss].map((f) => f(e, e, 'mean').item())).toEqual(py.empty);
});
