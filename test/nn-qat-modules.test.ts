// nn.qat (Linear, Conv1d/2d/3d, Embedding, EmbeddingBag, dynamic.Linear) against PyTorch 1.13 in
// the same run, with the library's default QAT qconfigs (per-tensor, fbgemm's per-channel, the
// embeddings' float qparams): seeded construction, forward values and the gradients of input,
// weight and bias in train and eval modes, the fake-quant's state after (state_dict), reprs and
// state_dict keys. fromFloat/toFloat and the assertion texts: nn-qat-from-float.test.ts.
import * as torch from '../lib';
import { nn } from '../lib';
import * as qat from '../lib/nn/qat';
import * as quantization from '../lib/ao/quantization';
import { runPython } from './helpers/python';
import { closeWithin, out } from './helpers/close';

const close = closeWithin(1e-5);

// The qconfigs are the library's defaults in both languages: per-tensor FakeQuantize (default_qat_qconfig),
// fbgemm's fused per-channel one, and the embeddings' float-qparams one.
const PY_PRELUDE = `
import warnings
warnings.simplefilter('ignore')
from torch.ao.quantization import default_qat_qconfig as qconfig, get_default_qat_qconfig, default_embedding_qat_qconfig as row_qconfig
import torch.ao.nn.qat as nnqat
from torch.ao.quantization import default_dynamic_qat_qconfig as dyn_qconfig
pc_qconfig = get_default_qat_qconfig('fbgemm')
def sd(m):
    return {k: v.tolist() for k, v in m.state_dict().items()}
def run(m, x, extra=()):
    res = {'repr': repr(m), 'keys': list(m.state_dict().keys())}
    for mode in ['train', 'eval']:
        m.train(mode == 'train')
        torch.manual_seed(1)
        xi = x() if callable(x) else x
        y = m(xi, *extra)
        g = torch.randn(y.shape)
        ins = ([xi] if xi.is_floating_point() else []) + list(m.parameters())
        grads = torch.autograd.grad((y * g).sum(), ins)
        res[mode] = {'out': y.tolist(), 'grads': [t.tolist() for t in grads], 'sd': sd(m)}
    return res
`;

const qconfig = quantization.defaultQatQconfig;
const pcQconfig = quantization.getDefaultQatQconfig('fbgemm');
const rowQconfig = quantization.defaultEmbeddingQatQconfig;
const dynQconfig = quantization.defaultDynamicQatQconfig;

interface Pass { out: unknown; grads: unknown[]; sd: Record<string, unknown> }
interface Run { repr: string; keys: string[]; train: Pass; eval: Pass }

function sd(m: nn.Module): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(m.stateDict())) o[k] = out(v as torch.Tensor);
  return o;
}

/** The same procedure as Python's run(): both modes, values and gradients of the input and parameters. */
function run(m: nn.Module, x: torch.Tensor | (() => torch.Tensor), extra: unknown[] = []): Run {
  const res = { repr: String(m), keys: Object.keys(m.stateDict()) } as Run;
  for (const mode of ['train', 'eval'] as const) {
    m.train(mode === 'train');
    torch.manualSeed(1);
    const xi = x instanceof torch.Tensor ? x : x();
    const y = (m as unknown as (...a: unknown[]) => torch.Tensor)(xi, ...extra);
    const g = torch.randn(y.shape);
    const ins = [...(xi.isFloatingPoint() ? [xi] : []), ...m.parameters()];
    const grads = torch.autograd.grad(y.mul(g).sum(), ins);
    res[mode] = { out: out(y), grads: grads.map((t) => out(t)), sd: sd(m) };
  }
  return res;
}

function expectRun(got: Run, want: Run): void {
  expect(got.repr).toBe(want.repr);
  expect(got.keys).toEqual(want.keys);
  for (const mode of ['train', 'eval'] as const) {
    close(got[mode].out, want[mode].out, 1e-5, `${mode}.out`);
    close(got[mode].grads, want[mode].grads, 1e-5, `${mode}.grads`);
    close(got[mode].sd, want[mode].sd, 1e-5, `${mode}.sd`);
  }
}

// [label, Python constructor (after manual_seed(0)), the same here, input shape]
type Case = [string, string, () => nn.Module, number[]];
const CASES: Case[] = [
  ['Linear', 'nnqat.Linear(5, 3, qconfig=qconfig)', () => new qat.Linear(5, 3, { qconfig }), [4, 5]],
  ['Linear no bias', 'nnqat.Linear(5, 3, False, qconfig)', () => new qat.Linear(5, 3, false, qconfig), [2, 3, 5]],
  ['Linear per channel', 'nnqat.Linear(5, 3, qconfig=pc_qconfig)', () => new qat.Linear(5, 3, { qconfig: pcQconfig }), [4, 5]],
  ['dynamic.Linear', 'nnqat.dynamic.Linear(5, 3, qconfig=dyn_qconfig)', () => new qat.dynamic.Linear(5, 3, { qconfig: dynQconfig }), [4, 5]],
  ['Conv1d', 'nnqat.Conv1d(3, 4, 3, stride=2, padding=1, qconfig=qconfig)', () => new qat.Conv1d(3, 4, 3, { stride: 2, padding: 1, qconfig }), [2, 3, 9]],
  ['Conv2d', 'nnqat.Conv2d(4, 6, (3, 2), groups=2, dilation=(1, 2), bias=False, qconfig=qconfig)', () => new qat.Conv2d(4, 6, [3, 2], { groups: 2, dilation: [1, 2], bias: false, qconfig }), [2, 4, 7, 8]],
  ['Conv2d reflect', "nnqat.Conv2d(3, 2, 3, padding=1, padding_mode='reflect', qconfig=qconfig)", () => new qat.Conv2d(3, 2, 3, { padding: 1, paddingMode: 'reflect', qconfig }), [1, 3, 5, 5]],
  ['Conv2d same', "nnqat.Conv2d(3, 2, 3, padding='same', qconfig=qconfig)", () => new qat.Conv2d(3, 2, 3, { padding: 'same', qconfig }), [1, 3, 5, 6]],
  ['Conv2d per channel', 'nnqat.Conv2d(3, 4, 3, qconfig=pc_qconfig)', () => new qat.Conv2d(3, 4, 3, { qconfig: pcQconfig }), [2, 3, 6, 5]],
  ['Conv3d', 'nnqat.Conv3d(2, 3, 2, stride=(1, 2, 1), qconfig=qconfig)', () => new qat.Conv3d(2, 3, 2, { stride: [1, 2, 1], qconfig }), [2, 2, 4, 5, 3]],
];

// [label, Python constructor, the same here, Python input, the same here, extra forward arguments (Python, here)]
type LookupCase = [string, string, () => nn.Module, string, () => torch.Tensor, string, unknown[]];
const LOOKUPS: LookupCase[] = [
  ['Embedding', 'nnqat.Embedding(10, 4, padding_idx=2, qconfig=row_qconfig)', () => new qat.Embedding(10, 4, { paddingIdx: 2, qconfig: rowQconfig }),
    'torch.tensor([[1, 2, 9], [0, 2, 5]])', () => torch.tensor([[1, 2, 9], [0, 2, 5]]), '()', []],
  ['EmbeddingBag', "nnqat.EmbeddingBag(10, 3, mode='sum', qconfig=row_qconfig)", () => new qat.EmbeddingBag(10, 3, { mode: 'sum', qconfig: rowQconfig }),
    'torch.tensor([1, 2, 4, 5, 4, 3, 2, 9])', () => torch.tensor([1, 2, 4, 5, 4, 3, 2, 9]), '(torch.tensor([0, 4]),)', [torch.tensor([0, 4])]],
  ['EmbeddingBag max', "nnqat.EmbeddingBag(10, 3, mode='max', qconfig=row_qconfig)", () => new qat.EmbeddingBag(10, 3, { mode: 'max', qconfig: rowQconfig }),
    'torch.tensor([[1, 2], [4, 5]])', () => torch.tensor([[1, 2], [4, 5]]), '()', []],
];

const py = runPython<{ cases: Run[]; lookups: Run[] }>(`${PY_PRELUDE}
cases = []
for ctor, shape in ${JSON.stringify(CASES.map((c) => [c[1], c[3]]))}:
    torch.manual_seed(0)
    m = eval(ctor)
    cases.append(run(m, lambda: torch.randn(*shape, requires_grad=True)))
lookups = []
for ctor, x, extra in ${JSON.stringify(LOOKUPS.map((c) => [c[1], c[3], c[5]]))}:
    torch.manual_seed(0)
    m = eval(ctor)
    lookups.append(run(m, eval(x), eval(extra)))
result = {'cases': cases, 'lookups': lookups}
`);

describe('nn.qat layers: forward and gradients against PyTorch', () => {
  CASES.forEach(([label, , make, shape], i) => {
    test(label, () => {
      torch.manualSeed(0);
      const m = make();
      expectRun(run(m, () => torch.randn(shape, { requiresGrad: true })), py.cases[i]);
    });
  });
  LOOKUPS.forEach(([label, , make, , input, , extra], i) => {
    test(label, () => {
      torch.manualSeed(0);
      expectRun(run(make(), input(), extra), py.lookups[i]);
    });
  });
});
