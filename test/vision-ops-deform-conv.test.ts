// vision.ops deform_conv2d / DeformConv2d against torchvision.ops 0.14's CPU kernel: forward values
// and the gradients of input, offset, mask, weight and bias (float64 and float32) with offsets that
// send samples across and outside the image, DCNv1 and v2, stride/padding/dilation, weight groups and
// offset groups; the module's seeded init and repr; the shape checks' errors.
import * as torch from '../lib';
import { Tensor } from '../lib';
import { ops } from '../lib/vision';
import { runPython } from './helpers/python';
import { closeWithin } from './helpers/close';

interface Case {
  /** Python call over x, off, w, b, m */
  py: string;
  x: number[];
  w: number[];
  off: number[];
  mask: number[] | null;
  /** offsets of whole pixels, from -2 to 2 (half of them 0) */
  integer?: boolean;
  js: (x: Tensor, off: Tensor, w: Tensor, b: Tensor, m: Tensor | null) => Tensor;
}
const CASES: Case[] = [
  { py: 'deform_conv2d(x, off, w)', x: [2, 3, 6, 7], w: [4, 3, 3, 3], off: [2, 18, 4, 5], mask: null, js: (x, o, w) => ops.deformConv2d(x, o, w) },
  { py: 'deform_conv2d(x, off, w, b, mask=m)', x: [2, 3, 6, 7], w: [4, 3, 3, 3], off: [2, 18, 4, 5], mask: [2, 9, 4, 5], js: (x, o, w, b, m) => ops.deformConv2d(x, o, w, b, { mask: m }) },
  {
    py: 'deform_conv2d(x, off, w, b, stride=2, padding=1, dilation=(2, 1), mask=m)', x: [1, 4, 9, 8], w: [6, 4, 3, 2], off: [1, 12, 4, 5], mask: [1, 6, 4, 5],
    js: (x, o, w, b, m) => ops.deformConv2d(x, o, w, b, { stride: 2, padding: 1, dilation: [2, 1], mask: m }),
  },
  { py: 'deform_conv2d(x, off, w, b, (1, 1), (0, 0), (1, 1), m)', x: [2, 4, 5, 6], w: [6, 2, 3, 3], off: [2, 36, 3, 4], mask: [2, 18, 3, 4], js: (x, o, w, b, m) => ops.deformConv2d(x, o, w, b, [1, 1], [0, 0], [1, 1], m) },
  { py: 'deform_conv2d(x, off, w, b, padding=(1, 0), mask=m)', x: [1, 4, 5, 5], w: [4, 2, 2, 2], off: [1, 32, 6, 4], mask: [1, 16, 6, 4], js: (x, o, w, b, m) => ops.deformConv2d(x, o, w, b, { padding: [1, 0], mask: m }) },
  // integer offsets (zero ones too, as a freshly initialised offset conv gives): taps exactly on pixels and on the padding's edge
  { py: 'deform_conv2d(x, off, w, b, padding=1, mask=m)', x: [2, 3, 5, 6], w: [4, 3, 3, 3], off: [2, 18, 5, 6], mask: [2, 9, 5, 6], integer: true, js: (x, o, w, b, m) => ops.deformConv2d(x, o, w, b, { padding: 1, mask: m }) },
  { py: 'DeformConv2d(3, 4, 3, padding=1, groups=1)(x, off, m)', x: [1, 3, 5, 4], w: [4, 3, 3, 3], off: [1, 18, 5, 4], mask: [1, 9, 5, 4], js: (x, o, _w, _b, m) => module()(x, o, m) },
];

// seeded in both languages right before the module is built: the same init
function module() {
  torch.manualSeed(7);
  return new ops.DeformConv2d(3, 4, 3, { padding: 1, groups: 1 });
}

type Grads = Record<'x' | 'off' | 'w' | 'b' | 'm', number[] | null>;
type Result = { out: number[]; shape: number[]; grads: Grads };
interface Py {
  inputs: Record<'x' | 'off' | 'w' | 'b' | 'm' | 'g', number[] | null>[];
  f64: Result[];
  f32: Result[];
  module: { weight: number[]; bias: number[]; keys: string[]; no_bias_keys: string[] };
  reprs: string[];
  errors: string[];
}

let py: Py;
beforeAll(() => {
  py = runPython<Py>(`
from torchvision.ops import deform_conv2d, DeformConv2d
torch.manual_seed(0)
cases = ${JSON.stringify(CASES.map((c) => c.py))}
shapes = json.loads(${JSON.stringify(JSON.stringify(CASES.map(({ x, w, off, mask, integer }) => ({ x, w, off, mask, integer: !!integer }))))})
inputs = []
for s in shapes:
    # offsets of a few pixels: samples land between pixels, across the border and outside
    inputs.append({'x': torch.randn(*s['x'], dtype=torch.float64), 'w': torch.randn(*s['w'], dtype=torch.float64),
                   'b': torch.randn(s['w'][0], dtype=torch.float64), 'off': torch.randn(*s['off'], dtype=torch.float64) * 2.5,
                   'm': torch.rand(*s['mask'], dtype=torch.float64) if s['mask'] else None})
    if s['integer']:
        inputs[-1]['off'] = torch.randint(-2, 3, s['off']).double() * (torch.rand(s['off']) < 0.5)
def module():
    torch.manual_seed(7)
    return DeformConv2d(3, 4, 3, padding=1, groups=1)
def run(i, dtype):
    t = {k: (v.to(dtype).clone().requires_grad_() if v is not None else None) for k, v in inputs[i].items()}
    env = dict(t, module=module)
    if cases[i].startswith('DeformConv2d'):
        mod = module().to(dtype); t['w'], t['b'] = mod.weight, mod.bias
        env['DeformConv2d'] = lambda *a, **k: mod
    o = eval(cases[i], globals(), env)
    g = torch.linspace(-1, 1, o.numel(), dtype=torch.float64).reshape(o.shape).to(dtype)
    o.mul(g).sum().backward()
    return {'out': o.detach().reshape(-1).tolist(), 'shape': list(o.shape),
            'grads': {k: (v.grad.reshape(-1).tolist() if v is not None and v.grad is not None else None) for k, v in t.items()}}
m = module()
x, off, w = torch.randn(2, 4, 7, 8), torch.randn(2, 18, 5, 6), torch.randn(6, 4, 3, 3)
result = {
    'inputs': [{k: (v.reshape(-1).tolist() if v is not None else None) for k, v in d.items()} for d in inputs],
    'f64': [run(i, torch.float64) for i in range(len(cases))],
    'f32': [run(i, torch.float32) for i in range(len(cases))],
    'module': {'weight': m.weight.reshape(-1).tolist(), 'bias': m.bias.reshape(-1).tolist(), 'keys': list(m.state_dict().keys()),
               'no_bias_keys': list(DeformConv2d(2, 2, 1, bias=False).state_dict().keys())},
    'reprs': [repr(DeformConv2d(4, 6, 3)), repr(DeformConv2d(4, 6, (3, 2), stride=2, padding=1, dilation=2, groups=2, bias=False)), repr(DeformConv2d(2, 2, 1, padding=(0, 1)))],
    'errors': [err(f) for f in [
        lambda: deform_conv2d(x, off, torch.randn(6, 3, 3, 3)),
        lambda: deform_conv2d(x, off, torch.randn(5, 2, 3, 3)),
        lambda: deform_conv2d(x, torch.randn(2, 10, 5, 6), w),
        lambda: deform_conv2d(x, torch.randn(2, 19, 5, 6), w),
        lambda: deform_conv2d(x, torch.randn(2, 54, 5, 6), w),
        lambda: deform_conv2d(x, torch.randn(1, 18, 5, 6), w),
        lambda: deform_conv2d(x, torch.randn(2, 18, 4, 6), w),
        lambda: deform_conv2d(x, off, w, mask=torch.randn(2, 8, 5, 6)),
        lambda: deform_conv2d(x, off, w, mask=torch.randn(1, 9, 5, 6)),
        lambda: deform_conv2d(x, off, w, mask=torch.randn(2, 9, 5, 5)),
        lambda: deform_conv2d(x, off, w, mask=torch.randn(2, 9, 5)),
        lambda: deform_conv2d(x, off, w, padding=-1),
        lambda: deform_conv2d(x, off, w, dilation=0),
        lambda: deform_conv2d(x[:, :, :2], torch.randn(2, 18, 0, 6), w),
        lambda: deform_conv2d(x[0], off, w),
        lambda: deform_conv2d(x, off, w, mask=torch.rand(2, 9, 5, 6).double()),
        lambda: DeformConv2d(3, 4, 3, groups=2),
        lambda: DeformConv2d(4, 3, 3, groups=2),
    ]],
}
`);
});

function inputsOf(i: number, dtype: torch.DType) {
  const c = CASES[i];
  const t = (v: number[] | null, shape: number[] | null) => (v && shape ? torch.tensor(v, { dtype: torch.float64 }).reshape(shape).to(dtype).requiresGrad_() : null);
  const d = py.inputs[i];
  return { x: t(d.x, c.x)!, off: t(d.off, c.off)!, w: t(d.w, c.w)!, b: t(d.b, [c.w[0]])!, m: t(d.m, c.mask) };
}

function run(i: number, dtype: torch.DType): Result {
  const t = inputsOf(i, dtype);
  let o: Tensor;
  if (CASES[i].py.startsWith('DeformConv2d')) {
    const m = module().to(dtype) as ops.DeformConv2d;
    o = m(t.x, t.off, t.m);
    [t.w, t.b] = [m.weight, m.bias!];
  } else {
    o = CASES[i].js(t.x, t.off, t.w, t.b, t.m);
  }
  o.mul(torch.linspace(-1, 1, o.numel(), { dtype: torch.float64 }).reshape(o.shape).to(dtype)).sum().backward();
  const g = (v: Tensor | null) => (v?.grad ? (v.grad.reshape(-1).tolist() as number[]) : null);
  return { out: o.detach().reshape(-1).tolist() as number[], shape: o.shape, grads: { x: g(t.x), off: g(t.off), w: g(t.w), b: g(t.b), m: g(t.m) } };
}

const maxDiff = (a: number[], b: number[]) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe.each([
  ['float64', torch.float64, 1e-12],
  ['float32', torch.float32, 2e-5],
] as const)('%s', (name, dtype, tol) => {
  test.each(CASES.map((c, i) => [c.py, i] as const))('%s: values and gradients of input, offset, mask, weight, bias', (_e, i) => {
    const got = run(i, dtype);
    const want = name === 'float64' ? py.f64[i] : py.f32[i];
    expect(got.shape).toEqual(want.shape);
    closeWithin(tol)(got.out, want.out);
    for (const k of ['x', 'off', 'w', 'b', 'm'] as const) {
      expect(got.grads[k] === null).toBe(want.grads[k] === null);
      if (want.grads[k]) closeWithin(tol)(got.grads[k], want.grads[k], tol, k);
    }
    if (i === 2) {
      const grads = (['x', 'off', 'w', 'm'] as const).map((k) => `${k} ${maxDiff(got.grads[k]!, want.grads[k]!).toExponential(1)}`);
      console.log(`${CASES[i].py} ${name}: max |diff| ${maxDiff(got.out, want.out).toExponential(1)} (values), gradients: ${grads.join(', ')}`);
    }
  });
});

test("DeformConv2d: torchvision's seeded init, reprs", () => {
  const m = module();
  expect(m.weight.reshape(-1).tolist()).toEqual(py.module.weight);
  expect(m.bias!.reshape(-1).tolist()).toEqual(py.module.bias);
  expect(m.weight.dtype).toBe(torch.float32);
  expect(Object.keys(m.stateDict())).toEqual(py.module.keys);
  expect(Object.keys(new ops.DeformConv2d(2, 2, 1, { bias: false }).stateDict())).toEqual(py.module.no_bias_keys);
  const reprs = [new ops.DeformConv2d(4, 6, 3), new ops.DeformConv2d(4, 6, [3, 2], { stride: 2, padding: 1, dilation: 2, groups: 2, bias: false }), new ops.DeformConv2d(2, 2, 1, { padding: [0, 1] })];
  expect(reprs.map(String)).toEqual(py.reprs);
  expect(new ops.DeformConv2d(4, 6, 3, 1, 0, 1, 2, false).weight.shape).toEqual([6, 2, 3, 3]);
});

test("shape checks raise torchvision's errors", () => {
  torch.manualSeed(0);
  const [x, off, w] = [torch.randn(2, 4, 7, 8), torch.randn(2, 18, 5, 6), torch.randn(6, 4, 3, 3)];
  const calls: (() => unknown)[] = [
    () => ops.deformConv2d(x, off, torch.randn(6, 3, 3, 3)),
    () => ops.deformConv2d(x, off, torch.randn(5, 2, 3, 3)),
    () => ops.deformConv2d(x, torch.randn(2, 10, 5, 6), w),
    () => ops.deformConv2d(x, torch.randn(2, 19, 5, 6), w),
    () => ops.deformConv2d(x, torch.randn(2, 54, 5, 6), w),
    () => ops.deformConv2d(x, torch.randn(1, 18, 5, 6), w),
    () => ops.deformConv2d(x, torch.randn(2, 18, 4, 6), w),
    () => ops.deformConv2d(x, off, w, { mask: torch.randn(2, 8, 5, 6) }),
    () => ops.deformConv2d(x, off, w, { mask: torch.randn(1, 9, 5, 6) }),
    () => ops.deformConv2d(x, off, w, { mask: torch.randn(2, 9, 5, 5) }),
    () => ops.deformConv2d(x, off, w, { mask: torch.randn(2, 9, 5) }),
    () => ops.deformConv2d(x, off, w, { padding: -1 }),
    () => ops.deformConv2d(x, off, w, { dilation: 0 }),
    () => ops.deformConv2d(x.narrow(2, 0, 2), torch.randn(2, 18, 0, 6), w),
    () => ops.deformConv2d(x.select(0, 0), off, w),
    () => ops.deformConv2d(x, off, w, { mask: torch.rand(2, 9, 5, 6).double() }),
    () => new ops.DeformConv2d(3, 4, 3, { groups: 2 }),
    () => new ops.DeformConv2d(4, 3, 3, { groups: 2 }),
  ];
  expect(py.errors.every((e) => e !== 'no error')).toBe(true);
  calls.forEach((call, i) => expect(call).toThrow(py.errors[i]));
  expect(() => ops.deformConv2d(x, off, w, { Mask: null } as never)).toThrow("deform_conv2d() got an unexpected keyword argument 'Mask' (did you mean 'mask'?)");
});
