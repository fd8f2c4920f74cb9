// Small torch names a scan of PyTorch 1.13's public API found missing, against Python in the same run:
// the deprecated torch.lu / torch.range, Tensor.apply_/map_/map2_, torch.has_* build flags,
// torch.get_device, the raw autocast switches, F.multi_head_attention_forward, F.conv_tbc,
// F.native_channel_shuffle, nn.utils.stateless.functional_call, torchvision.models.get_model_weights,
// set_default_tensor_type and the type objects torch.dtype / layout / qscheme.
import * as torch from '../lib';
import { nn } from '../lib';
import { models } from '../lib/vision';
import { runPythonShared as runPython } from './helpers/python-session';
import { closeWithin, out } from './helpers/close';
import { ErrorOracleOptions, errorTable as errorTableOf } from './helpers/error-oracle';

/** errorTable with its Python in this file's one Python process. */
const errorTable = (cases: [string, () => unknown][], options: ErrorOracleOptions = {}) => errorTableOf(cases, { runner: runPython, ...options });

const close = closeWithin(1e-10);
const f64 = (v: unknown, requiresGrad = false) => torch.tensor(v as number[], { dtype: torch.float64, requiresGrad });

function warningsDuring(fn: () => unknown): string[] {
  const spy = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
  try {
    fn();
    return spy.mock.calls.map((c) => String(c[0]));
  } finally {
    spy.mockRestore();
  }
}

describe('torch.lu / Tensor.lu (deprecated)', () => {
  const A = [[2, 1, 1], [4, -6, 0], [-2, 7, 2]];
  const want = runPython<Record<string, unknown>>(`
A = torch.tensor(${JSON.stringify(A)}, dtype=torch.float64, requires_grad=True)
LU, piv = torch.lu(A)
(LU * torch.arange(9., dtype=torch.float64).view(3, 3)).sum().backward()
S = torch.tensor([[1., 2.], [2., 4.]], dtype=torch.float64)
LU2, piv2, info = S.lu(get_infos=True)
result = {'lu': LU.tolist(), 'piv': piv.tolist(), 'pivdtype': str(piv.dtype), 'grad': A.grad.tolist(), 'singular': [LU2.tolist(), piv2.tolist(), info.tolist()]}
`);
  test('values, pivots and the gradient', () => {
    const a = f64(A, true);
    const [LU, piv] = torch.lu(a) as [torch.Tensor, torch.Tensor];
    LU.mul(torch.arange(9, { dtype: torch.float64 }).view(3, 3)).sum().backward();
    close(out(LU), want.lu);
    expect([piv.tolist(), String(piv.dtype)]).toEqual([want.piv, want.pivdtype]);
    close(out(a.grad), want.grad);
  });
  test('getInfos: a singular matrix gives infos instead of an error', () => {
    const r = f64([[1, 2], [2, 4]]).lu({ getInfos: true });
    expect(r).toHaveLength(3);
    close(r.map(out), want.singular);
  });
  errorTable(
    [
      ['torch.lu(torch.tensor([[1, 2], [2, 4]]))', () => torch.lu(torch.tensor([[1, 2], [2, 4]]))],
      ['torch.lu(torch.ones(3))', () => torch.lu(torch.ones(3))],
    ],
    { firstLine: true },
  );
});

describe('torch.range (deprecated, inclusive)', () => {
  const want = runPython<unknown[]>(`
r = [torch.range(1, 4), torch.range(1, 4, 0.5), torch.range(0, 3, dtype=torch.int32), torch.range(-1, 1, step=0.25, dtype=torch.float64)]
result = [[t.tolist(), str(t.dtype)] for t in r]
`);
  test('values and dtypes as Python, with its warning', () => {
    let got: torch.Tensor[] = [];
    const warned = warningsDuring(() => {
      got = [torch.range(1, 4), torch.range(1, 4, 0.5), torch.range(0, 3, { dtype: torch.int32 }), torch.range(-1, 1, { step: 0.25, dtype: torch.float64 })];
    });
    expect(got.map((t) => [t.tolist(), String(t.dtype)])).toEqual(want);
    expect(warned.join('\n')).toMatch(/torch.range is deprecated/);
  });
  errorTable([['torch.range(0, 1, 0)', () => torch.range(0, 1, 0)]]);
});

describe('Tensor.apply_ / map_ / map2_', () => {
  const want = runPython<Record<string, unknown>>(`
x = torch.arange(6.).reshape(2, 3)
r = {'apply': x.clone().apply_(lambda v: v * v - 1).tolist()}
r['map'] = x.clone().map_(torch.tensor([10., 20., 30.]), lambda a, b: a * b).tolist()
r['map2'] = x.clone().map2_(torch.ones(3), torch.tensor([[1.], [2.]]), lambda a, b, c: a + b * c).tolist()
r['int'] = torch.tensor([1, 2, 3]).apply_(lambda v: v / 2 - 1.2).tolist()
r['bool'] = torch.tensor([True, False]).apply_(lambda v: not v).tolist()
y = torch.zeros(4); y[::2].apply_(lambda v: 7)
r['view'] = y.tolist()
r['f32'] = [str(v) for v in torch.ones(2).apply_(lambda v: 1e300).tolist()]
result = r
`);
  test('values, casts and views as Python', () => {
    const x = () => torch.arange(6, { dtype: torch.float32 }).reshape(2, 3);
    expect(x().apply_((v) => (v as number) ** 2 - 1).tolist()).toEqual(want.apply);
    expect(x().map_(torch.tensor([10, 20, 30], { dtype: torch.float32 }), (a, b) => (a as number) * (b as number)).tolist()).toEqual(want.map);
    expect(x().map2_(torch.ones(3), torch.tensor([[1], [2]], { dtype: torch.float32 }), (a, b, c) => (a as number) + (b as number) * (c as number)).tolist()).toEqual(want.map2);
    expect(torch.tensor([1, 2, 3]).apply_((v) => (v as number) / 2 - 1.2).tolist()).toEqual(want.int);
    expect(torch.tensor([true, false]).apply_((v) => !v).tolist()).toEqual(want.bool);
    const y = torch.zeros(4);
    const view = y.slice(0, 0, null, 2);
    expect(view.apply_(() => 7)).toBe(view);
    expect(y.tolist()).toEqual(want.view);
    expect((torch.ones(2).apply_(() => 1e300).tolist() as number[]).map((v) => (v === Infinity ? 'inf' : String(v)))).toEqual(want.f32);
  });
  const x = torch.ones(2);
  errorTable(
    [
      ['torch.ones(2, requires_grad=True).apply_(lambda v: v)', () => torch.ones(2, { requiresGrad: true }).apply_((v) => v)],
      ['x.map_(torch.ones(2, requires_grad=True), lambda a, b: a)', () => x.map_(torch.ones(2, { requiresGrad: true }), (a) => a)],
      ['x.map_(torch.ones(2, dtype=torch.float64), lambda a, b: a)', () => x.map_(torch.ones(2, { dtype: torch.float64 }), (a) => a)],
      ['x.map2_(torch.ones(2), torch.ones(2, dtype=torch.int64), lambda a, b, c: a)', () => x.map2_(torch.ones(2), torch.ones(2, { dtype: torch.int64 }), (a) => a)],
      ['x.map_(torch.ones(3), lambda a, b: a)', () => x.map_(torch.ones(3), (a) => a)],
      ['x.apply_(lambda v: None)', () => x.apply_(() => null as never)],
      ["x.apply_(lambda v: 'a')", () => x.apply_(() => 'a' as never)],
      ['x.apply_(1)', () => x.apply_(1 as never)],
    ],
    { prelude: 'x = torch.ones(2)' },
  );
  test('an empty tensor is returned as it is (Python does not call fn)', () => {
    const e = torch.zeros(0);
    expect(e.apply_(3 as never)).toBe(e);
  });
});

describe('torch.has_* build flags, torch.get_device, backends.cuda.isBuilt', () => {
  const want = runPython<Record<string, unknown>>(`
result = {k: getattr(torch, 'has_' + k) for k in ['cuda', 'cudnn', 'lapack', 'mkl', 'mkldnn', 'openmp', 'spectral', 'mps']}
result['get_device'] = torch.get_device(torch.ones(1))
result['is_built'] = torch.backends.cuda.is_built()
`);
  test('the same libtorch build as Python reports', () => {
    const got = {
      cuda: torch.hasCuda, cudnn: torch.hasCudnn, lapack: torch.hasLapack, mkl: torch.hasMkl,
      mkldnn: torch.hasMkldnn, openmp: torch.hasOpenmp, spectral: torch.hasSpectral, mps: torch.hasMps,
      get_device: torch.getDevice(torch.ones(1)), is_built: torch.backends.cuda.isBuilt(),
    };
    expect(got).toEqual(want);
  });
});

describe('raw autocast switches (torch.set_autocast_*)', () => {
  const want = runPython<unknown[]>(`
r = [str(torch.get_autocast_cpu_dtype()), str(torch.get_autocast_gpu_dtype()), torch.is_autocast_cpu_enabled()]
torch.set_autocast_cpu_enabled(True); torch.set_autocast_gpu_dtype(torch.bfloat16); torch.set_autocast_cache_enabled(False)
r += [torch.is_autocast_cpu_enabled(), str(torch.get_autocast_gpu_dtype()), torch.is_autocast_cache_enabled()]
x = torch.ones(2, 2)
r.append(str(torch.mm(x, x).dtype))
r += [torch.autocast_increment_nesting(), torch.autocast_increment_nesting(), torch.autocast_decrement_nesting(), torch.autocast_decrement_nesting()]
torch.set_autocast_cpu_enabled(False)
r.append(str(torch.mm(x, x).dtype))
result = r
`);
  test('switches without a region, as Python', () => {
    const before = [torch.getAutocastCpuDtype(), torch.getAutocastGpuDtype(), torch.isAutocastCpuEnabled(), torch.isAutocastCacheEnabled()] as const;
    const got: unknown[] = [String(before[0]), String(before[1]), before[2]];
    try {
      torch.setAutocastCpuEnabled(true);
      torch.setAutocastGpuDtype(torch.bfloat16);
      torch.setAutocastCacheEnabled(false);
      got.push(torch.isAutocastCpuEnabled(), String(torch.getAutocastGpuDtype()), torch.isAutocastCacheEnabled());
      const x = torch.ones(2, 2);
      got.push(String(torch.mm(x, x).dtype));
      got.push(torch.autocastIncrementNesting(), torch.autocastIncrementNesting(), torch.autocastDecrementNesting(), torch.autocastDecrementNesting());
      torch.setAutocastCpuEnabled(false);
      got.push(String(torch.mm(x, x).dtype));
    } finally {
      torch.setAutocastCpuEnabled(before[2]);
      torch.setAutocastGpuDtype(before[1]);
      torch.setAutocastCacheEnabled(before[3]);
    }
    expect(got).toEqual(want);
  });
  errorTable([
    ['torch.set_autocast_cpu_dtype(torch.float16)', () => torch.setAutocastCpuDtype(torch.float16)],
    ['torch.set_autocast_enabled(1)', () => torch.setAutocastEnabled(1 as never)],
    ['torch.set_autocast_cpu_dtype(1)', () => torch.setAutocastCpuDtype(1 as never)],
  ]);
});

describe('F.multi_head_attention_forward', () => {
  const E = 4;
  const lin = (n: number, k: number, s: number) => torch.arange(n * k, { dtype: torch.float64 }).view(n, k).mul(s).sin();
  const want = runPython<Record<string, unknown>>(`
import torch.nn.functional as F
lin = lambda n, k, s: torch.arange(n * k, dtype=torch.float64).view(n, k).mul(s).sin()
q = lin(6, ${E}, 0.3).view(3, 2, ${E}).requires_grad_()
w_in = lin(3 * ${E}, ${E}, 0.7).requires_grad_(); b_in = lin(1, 3 * ${E}, 0.2).view(-1)
w_out = lin(${E}, ${E}, 1.1); b_out = lin(1, ${E}, 0.5).view(-1)
mask = torch.tensor([[False, False, True], [False, False, False]])
o, w = F.multi_head_attention_forward(q, q, q, ${E}, 2, w_in, b_in, None, None, False, 0.0, w_out, b_out, key_padding_mask=mask, average_attn_weights=False)
o.sum().backward()
result = {'out': o.tolist(), 'weights': w.tolist(), 'gq': q.grad.tolist(), 'gw': w_in.grad.tolist()}
`);
  test('outputs, per-head weights and gradients as Python', () => {
    const q = lin(6, E, 0.3).view(3, 2, E).requiresGrad_();
    const wIn = lin(3 * E, E, 0.7).requiresGrad_();
    const mask = torch.tensor([[false, false, true], [false, false, false]]);
    const [o, w] = nn.functional.multiHeadAttentionForward(q, q, q, E, 2, wIn, lin(1, 3 * E, 0.2).view(-1), null, null, false, 0, lin(E, E, 1.1), lin(1, E, 0.5).view(-1), {
      keyPaddingMask: mask,
      averageAttnWeights: false,
    });
    o.sum().backward();
    close({ out: out(o), weights: out(w), gq: out(q.grad), gw: out(wIn.grad) }, want);
  });
});

describe('F.conv_tbc / F.native_channel_shuffle', () => {
  const want = runPython<Record<string, unknown>>(`
import torch.nn.functional as F
x = torch.arange(24., dtype=torch.float64).view(4, 2, 3).sin().requires_grad_()
w = torch.arange(18., dtype=torch.float64).view(2, 3, 3).cos(); b = torch.tensor([0.5, -1, 2], dtype=torch.float64)
y = F.conv_tbc(x, w, b, 1)
y.pow(2).sum().backward()
s = F.native_channel_shuffle(torch.arange(8.).view(1, 4, 2), 2)
result = {'y': y.tolist(), 'gx': x.grad.tolist(), 'shuffle': s.tolist()}
`);
  test('values and gradients as Python', () => {
    const x = torch.arange(24, { dtype: torch.float64 }).view(4, 2, 3).sin().requiresGrad_();
    const w = torch.arange(18, { dtype: torch.float64 }).view(2, 3, 3).cos();
    const y = nn.functional.convTbc(x, w, f64([0.5, -1, 2]), 1);
    y.pow(2).sum().backward();
    const s = nn.functional.nativeChannelShuffle(torch.arange(8, { dtype: torch.float32 }).view(1, 4, 2), 2);
    close({ y: out(y), gx: out(x.grad), shuffle: out(s) }, want);
  });
});

describe('nn.utils.stateless.functionalCall', () => {
  const want = runPython<Record<string, unknown>>(`
from torch.nn.utils.stateless import functional_call
torch.manual_seed(0)
m = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.BatchNorm1d(2)).double()
w = torch.arange(6., dtype=torch.float64).view(2, 3).requires_grad_()
rm = torch.zeros(2, dtype=torch.float64)
x = torch.arange(12., dtype=torch.float64).view(4, 3).cos()
y = functional_call(m, {'0.weight': w, '0.bias': torch.tensor([0.1, -0.2], dtype=torch.float64), '1.running_mean': rm}, (x,))
y.pow(2).sum().backward()
class Counter(torch.nn.Module):
    def __init__(self):
        super().__init__(); self.register_buffer('foo', torch.zeros(()))
    def forward(self, x):
        self.foo = self.foo + 1
        return x + self.foo
c = Counter(); a = {'foo': torch.tensor(5.)}
z = functional_call(c, a, torch.ones(()))
result = {'y': y.tolist(), 'gw': w.grad.tolist(), 'rm': rm.tolist(), 'orig_w_grad': m[0].weight.grad is None,
          'counter': [z.item(), c.foo.item(), a['foo'].item()]}
`);
  test('replaced parameters and buffers, gradients to the given tensors, the module unchanged', () => {
    const m = new nn.Sequential(new nn.Linear(3, 2), new nn.BatchNorm1d(2)).double();
    const unchanged = ['0.weight', '0.bias', '1.weight', '1.bias', '1.running_mean'];
    const before = unchanged.map((k) => (m.stateDict() as Record<string, torch.Tensor>)[k].clone());
    const w = torch.arange(6, { dtype: torch.float64 }).view(2, 3).requiresGrad_();
    const rm = torch.zeros(2, { dtype: torch.float64 });
    const x = torch.arange(12, { dtype: torch.float64 }).view(4, 3).cos();
    const y = nn.utils.stateless.functionalCall(m, { '0.weight': w, '0.bias': f64([0.1, -0.2]), '1.running_mean': rm }, [x]) as torch.Tensor;
    y.pow(2).sum().backward();
    close({ y: out(y), gw: out(w.grad), rm: out(rm) }, { y: want.y, gw: want.gw, rm: want.rm });
    const lin = m[0] as nn.Linear;
    expect(lin.weight.grad === null).toBe(want.orig_w_grad);
    expect(lin.weight).toBeInstanceOf(nn.Parameter);
    const after = m.stateDict() as Record<string, torch.Tensor>;
    unchanged.forEach((k, i) => expect(after[k].equal(before[i])).toBe(true));
    expect([...m.namedParameters()].map(([k]) => k)).toEqual(['0.weight', '0.bias', '1.weight', '1.bias']);
  });
  test("assignments inside forward land in the given dict, as Python's", () => {
    class Counter extends nn.Module {
      declare foo: torch.Tensor;
      constructor() {
        super();
        this.registerBuffer('foo', torch.zeros([]));
      }
      forward(x: torch.Tensor): torch.Tensor {
        this.foo = this.foo.add(1);
        return x.add(this.foo);
      }
    }
    const c = new Counter();
    const a = { foo: torch.tensor(5) };
    const z = nn.utils.stateless.functionalCall(c, a, torch.ones([])) as torch.Tensor;
    expect([z.item(), c.foo.item(), a.foo.item()]).toEqual(want.counter);
  });
  test('the originals come back when forward throws; a missing submodule is an AttributeError', () => {
    const lin = new nn.Linear(2, 2);
    const weight = lin.weight;
    expect(() => nn.utils.stateless.functionalCall(lin, { weight: torch.ones(3, 3) }, [torch.ones(1, 2)])).toThrow();
    expect(lin.weight).toBe(weight);
    expect(() => nn.utils.stateless.functionalCall(lin, { 'sub.weight': torch.ones(2, 2) }, [torch.ones(1, 2)])).toThrow("'Linear' object has no attribute 'sub'");
  });
  test('an async forward keeps the replacement until its promise settles', async () => {
    class Later extends nn.Module {
      lin = new nn.Linear(1, 1, { bias: false });
      async forward(x: torch.Tensor): Promise<torch.Tensor> {
        await new Promise((r) => setImmediate(r));
        return this.lin.forward(x);
      }
    }
    const m = new Later();
    const original = m.lin.weight;
    const y = await (nn.utils.stateless.functionalCall(m, { 'lin.weight': torch.full([1, 1], 3, { dtype: torch.float32 }) }, [torch.ones(1, 1)]) as Promise<torch.Tensor>);
    expect(y.item()).toBe(3);
    expect(m.lin.weight).toBe(original);
  });
});

describe('torchvision.models.get_model_weights', () => {
  const names = ['resnet50', 'MobileNet_V2', 'fasterrcnn_resnet50_fpn', 'quantized_resnet18', 'r3d_18', 'raft_small'];
  const want = runPython<string[]>(`
from torchvision.models import get_model_weights
result = [get_model_weights(n.lower()).__name__ + '.' + get_model_weights(n.lower()).DEFAULT.name for n in ${JSON.stringify(names)}]
`);
  test('the enum of each model, by name or builder', () => {
    const got = names.map((n) => {
      const e = models.getModelWeights(n);
      const defaultName = Object.keys(e).find((k) => k !== 'DEFAULT' && e[k] === e.DEFAULT);
      return `${e.DEFAULT.enumName}.${defaultName}`;
    });
    expect(got).toEqual(want);
    expect(models.getModelWeights(models.resnet50)).toBe(models.getModelWeights('resnet50'));
    expect(() => models.getModelWeights('nope')).toThrow('Unknown model nope');
  });
});

describe('torch.set_default_tensor_type and the type objects torch.dtype / layout / qscheme', () => {
  const want = runPython<unknown[]>(`
r = []
for t in [torch.DoubleTensor, 'torch.HalfTensor', torch.BFloat16Tensor, 'torch.FloatTensor']:
    torch.set_default_tensor_type(t); r.append(str(torch.ones(1).dtype))
r += [isinstance(torch.float32, torch.dtype), isinstance(torch.strided, torch.layout), isinstance(torch.per_tensor_affine, torch.qscheme), isinstance(torch.strided, torch.dtype)]
result = r
`);
  test('sets the default dtype as Python', () => {
    const got: unknown[] = [];
    try {
      for (const t of [torch.DoubleTensor, 'torch.HalfTensor', torch.BFloat16Tensor, 'torch.FloatTensor']) {
        torch.setDefaultTensorType(t);
        got.push(String(torch.ones(1).dtype));
      }
    } finally {
      torch.setDefaultDtype(torch.float32);
    }
    got.push(torch.float32 instanceof torch.dtype, torch.strided instanceof torch.layout, torch.perTensorAffine instanceof torch.qscheme, (torch.strided as unknown) instanceof torch.dtype);
    expect(got).toEqual(want);
  });
  errorTable([
    ['torch.set_default_tensor_type(torch.IntTensor)', () => torch.setDefaultTensorType(torch.IntTensor)],
    ["torch.set_default_tensor_type('torch.LongTensor')", () => torch.setDefaultTensorType('torch.LongTensor')],
    ['torch.set_default_tensor_type(torch.float64)', () => torch.setDefaultTensorType(torch.float64)],
    ['torch.set_default_tensor_type(3)', () => torch.setDefaultTensorType(3)],
    ["torch.set_default_tensor_type('torch.Foo')", () => torch.setDefaultTensorType('torch.Foo')],
    ["torch.set_default_tensor_type('foo')", () => torch.setDefaultTensorType('foo')],
    ["torch.set_default_tensor_type('torch.cuda.FloatTensor')", () => torch.setDefaultTensorType('torch.cuda.FloatTensor')],
  ]);
});

describe("torch.set_default_dtype reaches libtorch's own factories", () => {
  const want = runPython<string[]>(`
torch.set_default_dtype(torch.float64)
r = [torch.ones(2), torch.zeros(2), torch.empty(2), torch.rand(2), torch.randn(2), torch.full((2,), 1.5), torch.linspace(0, 1, 3),
     torch.arange(0.5, 2), torch.eye(2), torch.nn.Linear(2, 2).weight, torch.nn.Conv2d(1, 1, 1).bias, torch.tensor([1.5]), torch.ones(1, dtype=torch.float32)]
result = [str(t.dtype) for t in r]
`);
  test('factories, layers and torch.tensor all make the default dtype', () => {
    let got: string[];
    torch.setDefaultDtype(torch.float64);
    try {
      const r = [
        torch.ones(2), torch.zeros(2), torch.empty(2), torch.rand(2), torch.randn(2), torch.full([2], 1.5), torch.linspace(0, 1, 3),
        torch.arange(0.5, 2), torch.eye(2), new nn.Linear(2, 2).weight, new nn.Conv2d(1, 1, 1).bias!, torch.tensor([1.5]), torch.ones(1, { dtype: torch.float32 }),
      ];
      got = r.map((t) => String(t.dtype));
    } finally {
      torch.setDefaultDtype(torch.float32);
    }
    expect(got).toEqual(want);
    expect(String(torch.ones(1).dtype)).toBe('torch.float32');
  });
});
