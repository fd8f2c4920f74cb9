// QAT modules from float modules and back, against PyTorch 1.13 in the same run: fromFloat keeps the
// float module's Parameters (and BN's buffers), the QAT forward after it, toFloat (BN folded in for
// ConvBn/LinearBn1d, the float fused ConvReLU/LinearReLU around it); Python's assertion texts; train()
// with a frozen BN; freeze/update_bn_stats through Module.apply; version-1 ConvBn state_dicts.
import * as torch from '../lib';
import { nn } from '../lib';
import * as qat from '../lib/nn/qat';
import * as nniqat from '../lib/nn/intrinsic/qat';
import * as nni from '../lib/nn/intrinsic/modules';
import * as quantization from '../lib/ao/quantization';
import { orderedDictAttributes } from '../lib/serialization/py-types';
import { runPython } from './helpers/python';
import { closeWithin, out } from './helpers/close';
import { errorTable, message } from './helpers/error-oracle';

const close = closeWithin(1e-5);
const qconfig = quantization.defaultQatQconfig;
const rowQconfig = quantization.defaultEmbeddingQatQconfig;

const PY_PRELUDE = `
import warnings
warnings.simplefilter('ignore')
from torch import nn
from torch.ao.quantization import default_qat_qconfig as qconfig, default_embedding_qat_qconfig as row_qconfig
import torch.ao.nn.qat as nnqat
import torch.nn.intrinsic as nni
import torch.nn.intrinsic.qat as nniqat
def with_q(m, q, *inner):
    m.qconfig = q
    for i in inner:
        m[i].qconfig = q
    return m
`;

/** Python's with_q: the qconfig prepare would have propagated (on the fused module and the children named). */
function withQ<M extends nn.Module>(m: M, q: unknown, ...inner: number[]): M {
  (m as unknown as { qconfig: unknown }).qconfig = q;
  for (const i of inner) ((m as unknown as nn.Sequential)[i] as unknown as { qconfig: unknown }).qconfig = q;
  return m;
}

interface Converted { repr: string; shared: boolean[]; out: unknown; float: string; floatTraining: boolean; floatSd: Record<string, unknown>; floatOut: unknown }

// [label, Python: float module (after manual_seed(0)), the same here, the QAT class (Python, here),
//  Python expressions that must be `is`-identical after from_float (pairs of q.* and f.*), input shape]
type Case = [string, string, () => nn.Module, string, { fromFloat(m: nn.Module): nn.Module }, [string, string][], number[]];
const CASES: Case[] = [
  ['Linear', 'with_q(nn.Linear(5, 3), qconfig)', () => withQ(new nn.Linear(5, 3), qconfig), 'nnqat.Linear', qat.Linear, [['weight', 'weight'], ['bias', 'bias']], [4, 5]],
  ['Conv1d', 'with_q(nn.Conv1d(2, 3, 3, stride=2, bias=False), qconfig)', () => withQ(new nn.Conv1d(2, 3, 3, { stride: 2, bias: false }), qconfig), 'nnqat.Conv1d', qat.Conv1d, [['weight', 'weight']], [2, 2, 7]],
  ['Conv2d', "with_q(nn.Conv2d(2, 4, 3, padding=1, groups=2, padding_mode='circular'), qconfig)", () => withQ(new nn.Conv2d(2, 4, 3, { padding: 1, groups: 2, paddingMode: 'circular' }), qconfig), 'nnqat.Conv2d', qat.Conv2d, [['weight', 'weight'], ['bias', 'bias']], [2, 2, 5, 5]],
  ['Conv3d', 'with_q(nn.Conv3d(2, 3, 2), qconfig)', () => withQ(new nn.Conv3d(2, 3, 2), qconfig), 'nnqat.Conv3d', qat.Conv3d, [['weight', 'weight'], ['bias', 'bias']], [1, 2, 3, 3, 3]],
  ['LinearReLU', 'with_q(nni.LinearReLU(nn.Linear(5, 3), nn.ReLU()), qconfig, 0)', () => withQ(new nni.LinearReLU(new nn.Linear(5, 3), new nn.ReLU()), qconfig, 0), 'nniqat.LinearReLU', nniqat.LinearReLU, [['weight', '0.weight'], ['bias', '0.bias']], [4, 5]],
  ['ConvReLU1d', 'with_q(nni.ConvReLU1d(nn.Conv1d(2, 3, 3), nn.ReLU()), qconfig, 0)', () => withQ(new nni.ConvReLU1d(new nn.Conv1d(2, 3, 3), new nn.ReLU()), qconfig, 0), 'nniqat.ConvReLU1d', nniqat.ConvReLU1d, [['weight', '0.weight']], [2, 2, 7]],
  ['ConvReLU2d', 'with_q(nni.ConvReLU2d(nn.Conv2d(2, 3, 3), nn.ReLU()), qconfig, 0)', () => withQ(new nni.ConvReLU2d(new nn.Conv2d(2, 3, 3), new nn.ReLU()), qconfig, 0), 'nniqat.ConvReLU2d', nniqat.ConvReLU2d, [['weight', '0.weight']], [2, 2, 5, 5]],
  ['ConvReLU3d', 'with_q(nni.ConvReLU3d(nn.Conv3d(2, 3, 2), nn.ReLU()), qconfig, 0)', () => withQ(new nni.ConvReLU3d(new nn.Conv3d(2, 3, 2), new nn.ReLU()), qconfig, 0), 'nniqat.ConvReLU3d', nniqat.ConvReLU3d, [['weight', '0.weight']], [1, 2, 3, 3, 3]],
  ['ConvBn1d', 'with_q(nni.ConvBn1d(nn.Conv1d(2, 3, 3), nn.BatchNorm1d(3)), qconfig)', () => withQ(new nni.ConvBn1d(new nn.Conv1d(2, 3, 3), new nn.BatchNorm1d(3)), qconfig), 'nniqat.ConvBn1d', nniqat.ConvBn1d,
    [['weight', '0.weight'], ['bias', '0.bias'], ['bn.weight', '1.weight'], ['bn.running_mean', '1.running_mean'], ['bn.running_var', '1.running_var'], ['bn.num_batches_tracked', '1.num_batches_tracked']], [3, 2, 7]],
  ['ConvBn2d', 'with_q(nni.ConvBn2d(nn.Conv2d(2, 3, 3, bias=False), nn.BatchNorm2d(3, momentum=0.5)), qconfig)', () => withQ(new nni.ConvBn2d(new nn.Conv2d(2, 3, 3, { bias: false }), new nn.BatchNorm2d(3, { momentum: 0.5 })), qconfig), 'nniqat.ConvBn2d', nniqat.ConvBn2d,
    [['weight', '0.weight'], ['bn.bias', '1.bias'], ['bn.running_var', '1.running_var']], [3, 2, 5, 5]],
  ['ConvBn3d', 'with_q(nni.ConvBn3d(nn.Conv3d(2, 3, 2), nn.BatchNorm3d(3)), qconfig)', () => withQ(new nni.ConvBn3d(new nn.Conv3d(2, 3, 2), new nn.BatchNorm3d(3)), qconfig), 'nniqat.ConvBn3d', nniqat.ConvBn3d, [['weight', '0.weight']], [2, 2, 3, 3, 3]],
  ['ConvBnReLU1d', 'with_q(nni.ConvBnReLU1d(nn.Conv1d(2, 3, 3), nn.BatchNorm1d(3), nn.ReLU()), qconfig)', () => withQ(new nni.ConvBnReLU1d(new nn.Conv1d(2, 3, 3), new nn.BatchNorm1d(3), new nn.ReLU()), qconfig), 'nniqat.ConvBnReLU1d', nniqat.ConvBnReLU1d, [['bn.weight', '1.weight']], [3, 2, 7]],
  ['ConvBnReLU2d', 'with_q(nni.ConvBnReLU2d(nn.Conv2d(2, 3, 3), nn.BatchNorm2d(3), nn.ReLU()), qconfig)', () => withQ(new nni.ConvBnReLU2d(new nn.Conv2d(2, 3, 3), new nn.BatchNorm2d(3), new nn.ReLU()), qconfig), 'nniqat.ConvBnReLU2d', nniqat.ConvBnReLU2d, [['bias', '0.bias']], [3, 2, 5, 5]],
  ['ConvBnReLU3d', 'with_q(nni.ConvBnReLU3d(nn.Conv3d(2, 3, 2), nn.BatchNorm3d(3), nn.ReLU()), qconfig)', () => withQ(new nni.ConvBnReLU3d(new nn.Conv3d(2, 3, 2), new nn.BatchNorm3d(3), new nn.ReLU()), qconfig), 'nniqat.ConvBnReLU3d', nniqat.ConvBnReLU3d, [['weight', '0.weight']], [2, 2, 3, 3, 3]],
  ['LinearBn1d', 'with_q(nni.LinearBn1d(nn.Linear(4, 3), nn.BatchNorm1d(3)), qconfig)', () => withQ(new nni.LinearBn1d(new nn.Linear(4, 3), new nn.BatchNorm1d(3)), qconfig), 'nniqat.LinearBn1d', nniqat.LinearBn1d,
    [['weight', '0.weight'], ['bias', '0.bias'], ['bn.running_mean', '1.running_mean']], [5, 4]],
];

const getPath = (m: unknown, path: string): unknown => path.split('.').reduce((o: unknown, k) => (o as Record<string, unknown>)[k], m);

// The float module is run once in training first (BN's running statistics are then not the initial ones).
const py = runPython<Converted[]>(`${PY_PRELUDE}
def dig(m, path):
    for k in path.split('.'):
        m = m[int(k)] if k.isdigit() else getattr(m, k)
    return m
def sd(m):
    return {k: v.tolist() for k, v in m.state_dict().items()}
result = []
for make, cls, shared, shape in ${JSON.stringify(CASES.map((c) => [c[1], c[3], c[5], c[6]]))}:
    torch.manual_seed(0)
    f = eval(make)
    f(torch.randn(*shape))
    q = eval(cls).from_float(f)
    x = torch.randn(*shape)
    y = q(x)
    back = q.to_float()
    training = back.training
    back.eval()
    result.append({'repr': repr(q), 'shared': [dig(q, a) is dig(f, b) for a, b in shared], 'out': y.tolist(),
                   'float': repr(back), 'floatTraining': training, 'floatSd': sd(back), 'floatOut': back(x).tolist()})
`);

// The smaller checks' Python sides, run in one process: each snippet assigns its result.
const SNIPPETS: Record<string, string> = {
  embedding: `
torch.manual_seed(0)
e = with_q(nn.Embedding(6, 3, padding_idx=1, max_norm=1.5), row_qconfig)
b = with_q(nn.EmbeddingBag(6, 3, mode='max', include_last_offset=True), row_qconfig)
qe, qb = nnqat.Embedding.from_float(e), nnqat.EmbeddingBag.from_float(b)
idx, offsets = torch.tensor([1, 0, 5, 2]), torch.tensor([0, 1, 4])
fe, fb = qe.to_float(), qb.eval().to_float()
result = {'out': [qe(idx).tolist(), qb(idx, offsets).tolist()], 'shares': [qe.weight.data_ptr() == e.weight.data_ptr(), qb.weight.data_ptr() == b.weight.data_ptr()],
          'floats': [repr(qe), repr(qb), repr(fe), repr(fb)], 'training': [fe.training, fb.training]}
`,
  parametrized: `
from torch.nn.utils import parametrize
class Double(nn.Module):
    def forward(self, x):
        return x * 2
torch.manual_seed(0)
f = with_q(nn.Linear(4, 3), qconfig)
parametrize.register_parametrization(f, 'weight', Double())
q = nnqat.Linear.from_float(f)
result = {'repr': repr(q), 'shared': [q.parametrizations.weight.original is f.parametrizations.weight.original, q.bias is f.bias],
          'out': q(torch.randn(2, 4)).tolist(), 'keys': list(q.state_dict().keys())}
`,
  switches: `
def state(m):
    return [m.freeze_bn, m.training, m.bn.training, m.weight_fake_quant.training]
seq = nn.Sequential(nniqat.ConvBn2d(2, 2, 1, freeze_bn=True, qconfig=qconfig), nniqat.LinearBn1d(2, 2, qconfig=qconfig), nniqat.ConvBnReLU1d(2, 2, 1, qconfig=qconfig))
out = []
for step in ['init', 'eval', 'train', 'update', 'eval', 'freeze', 'train', 'update', 'train']:
    if step == 'eval': seq.eval()
    if step == 'train': seq.train()
    if step == 'update': seq.apply(nniqat.update_bn_stats)
    if step == 'freeze': seq.apply(nniqat.freeze_bn_stats)
    out.append([state(m) for m in seq])
result = out
`,
  stateDicts: `
torch.manual_seed(0)
src = nniqat.ConvBn2d(2, 3, 1, qconfig=qconfig)
names = {'bn.weight': 'gamma', 'bn.bias': 'beta', 'bn.running_mean': 'running_mean', 'bn.running_var': 'running_var'}
sd = src.state_dict()
v1 = {names.get(k, k): v for k, v in sd.items() if k != 'bn.num_batches_tracked'}
dst = nniqat.ConvBn2d(2, 3, 1, qconfig=qconfig)
r = dst.load_state_dict(v1, strict=False)
result = {'version': sd._metadata['']['version'], 'missing': r.missing_keys, 'unexpected': r.unexpected_keys,
          'bn': [dst.bn.weight.tolist(), dst.bn.running_var.tolist(), dst.bn.num_batches_tracked.tolist()],
          'strict': err(lambda: nniqat.ConvBn2d(2, 3, 1, qconfig=qconfig).load_state_dict(v1))}
`,
};
const extra = runPython<Record<string, unknown>>(`${PY_PRELUDE}
out = {}
for name, code in ${JSON.stringify(SNIPPETS)}.items():
    scope = dict(globals())
    exec(code, scope)
    out[name] = scope['result']
result = out
`);

describe('fromFloat and toFloat against PyTorch', () => {
  CASES.forEach(([label, , make, , cls, shared, shape], i) => {
    test(label, () => {
      torch.manualSeed(0);
      const f = make();
      f(torch.randn(shape));
      const q = cls.fromFloat(f);
      const x = torch.randn(shape);
      const y = (q as unknown as (x: torch.Tensor) => torch.Tensor)(x);
      const back = (q as unknown as { toFloat(): nn.Module }).toFloat();
      const want = py[i];
      const floatTraining = back.training;
      back.eval();
      const sd: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(back.stateDict())) sd[k] = out(v as torch.Tensor);
      expect(String(q)).toBe(want.repr);
      expect(shared.map(([a, b]) => getPath(q, a) === getPath(f, b))).toEqual(want.shared);
      close(out(y), want.out);
      expect(String(back)).toBe(want.float);
      expect(floatTraining).toBe(want.floatTraining);
      close(sd, want.floatSd);
      close(out((back as unknown as (x: torch.Tensor) => torch.Tensor)(x)), want.floatOut);
    });
  });

  test('Embedding and EmbeddingBag share the float weight storage and go back', () => {
    const want = extra.embedding as { out: unknown[]; shares: boolean[]; floats: string[]; training: boolean[] };
    torch.manualSeed(0);
    const e = withQ(new nn.Embedding(6, 3, { paddingIdx: 1, maxNorm: 1.5 }), rowQconfig);
    const b = withQ(new nn.EmbeddingBag(6, 3, { mode: 'max', includeLastOffset: true }), rowQconfig);
    const [qe, qb] = [qat.Embedding.fromFloat(e), qat.EmbeddingBag.fromFloat(b)];
    const [idx, offsets] = [torch.tensor([1, 0, 5, 2]), torch.tensor([0, 1, 4])];
    const [fe, fb] = [qe.toFloat(), qb.eval().toFloat()];
    close([out(qe(idx)), out(qb(idx, offsets))], want.out);
    // sharing storage: a write through the float weight shows in the QAT one
    const sees = (q: nn.Module & { weight: torch.Tensor }, f: { weight: torch.Tensor }) => {
      torch.noGrad(() => f.weight.add_(1));
      const same = q.weight.sub(f.weight).abs().max().item() === 0;
      torch.noGrad(() => f.weight.sub_(1));
      return same;
    };
    expect([sees(qe, e), sees(qb, b)]).toEqual(want.shares);
    expect([String(qe), String(qb), String(fe), String(fb)]).toEqual(want.floats);
    expect([fe.training, fb.training]).toEqual(want.training);
  });
});

describe('as convert and prepare_qat use them', () => {
  test('every QAT class is a SwapClass of the quantization mappings, keyed by its float class', () => {
    const classes: [quantization.ModuleClass, quantization.SwapClass][] = [
      [nn.Linear, qat.Linear], [nn.Conv1d, qat.Conv1d], [nn.Conv2d, qat.Conv2d], [nn.Conv3d, qat.Conv3d], [nn.Embedding, qat.Embedding], [nn.EmbeddingBag, qat.EmbeddingBag],
      [nni.LinearReLU, nniqat.LinearReLU], [nni.LinearBn1d, nniqat.LinearBn1d], [nni.ConvReLU1d, nniqat.ConvReLU1d], [nni.ConvReLU2d, nniqat.ConvReLU2d], [nni.ConvReLU3d, nniqat.ConvReLU3d],
      [nni.ConvBn1d, nniqat.ConvBn1d], [nni.ConvBn2d, nniqat.ConvBn2d], [nni.ConvBn3d, nniqat.ConvBn3d],
      [nni.ConvBnReLU1d, nniqat.ConvBnReLU1d], [nni.ConvBnReLU2d, nniqat.ConvBnReLU2d], [nni.ConvBnReLU3d, nniqat.ConvBnReLU3d],
    ];
    const mapping: quantization.QuantMapping = new Map(classes);
    const f = withQ(new nni.ConvBnReLU2d(new nn.Conv2d(1, 2, 1), new nn.BatchNorm2d(2), new nn.ReLU()), qconfig);
    const q = mapping.get(nni.ConvBnReLU2d)!.fromFloat(f);
    expect(q).toBeInstanceOf(nniqat.ConvBnReLU2d);
    expect(q).toBeInstanceOf(nn.Conv2d);
    expect((q as nniqat.ConvBnReLU2d).bn.running_var).toBe((f[1] as nn.BatchNorm2d).running_var);
  });
});

describe('fromFloat of a parametrized Linear', () => {
  test('the parametrizations move over with their original tensors (same Parameters)', () => {
    const want = extra.parametrized as { repr: string; shared: boolean[]; out: unknown; keys: string[] };
    class Double extends nn.Module {
      forward(x: torch.Tensor): torch.Tensor {
        return x.mul(2);
      }
    }
    torch.manualSeed(0);
    const f = withQ(new nn.Linear(4, 3), qconfig);
    nn.utils.parametrize.registerParametrization(f, 'weight', new Double());
    const q = qat.Linear.fromFloat(f);
    const orig = (m: nn.Module) => (m as unknown as { parametrizations: { weight: { original: torch.Tensor } } }).parametrizations.weight.original;
    expect(String(q)).toBe(want.repr);
    expect([orig(q) === orig(f), q.bias === f.bias]).toEqual(want.shared);
    close(out(q(torch.randn([2, 4]))), want.out);
    expect(Object.keys(q.stateDict())).toEqual(want.keys);
  });
});

describe("Python's assertion texts", () => {
  errorTable(
    [
      ['nnqat.Linear(3, 2)', () => new qat.Linear(3, 2)],
      ['nnqat.dynamic.Linear(3, 2, qconfig=qconfig)', () => new qat.dynamic.Linear(3, 2, { qconfig })],
      ['nnqat.dynamic.Linear(3, 2)', () => new qat.dynamic.Linear(3, 2)],
      ['nnqat.Conv2d(1, 1, 1, qconfig=None)', () => new qat.Conv2d(1, 1, 1, { qconfig: null })],
      ['nnqat.Linear.from_float(nn.Conv2d(1, 1, 1))', () => qat.Linear.fromFloat(new nn.Conv2d(1, 1, 1))],
      ['nnqat.Linear.from_float(nn.Linear(2, 2))', () => qat.Linear.fromFloat(new nn.Linear(2, 2))],
      ['nnqat.Linear.from_float(with_q(nn.Linear(2, 2), None))', () => qat.Linear.fromFloat(withQ(new nn.Linear(2, 2), null))],
      ['nnqat.Conv2d.from_float(with_q(nn.Conv1d(1, 1, 1), qconfig))', () => qat.Conv2d.fromFloat(withQ(new nn.Conv1d(1, 1, 1), qconfig))],
      ['nnqat.Conv3d.from_float(nn.Conv3d(1, 1, 1))', () => qat.Conv3d.fromFloat(new nn.Conv3d(1, 1, 1))],
      ['nnqat.Embedding(10, 3, qconfig=qconfig)', () => new qat.Embedding(10, 3, { qconfig })],
      ['nnqat.EmbeddingBag(10, 3, qconfig=qconfig)', () => new qat.EmbeddingBag(10, 3, { qconfig })],
      ['nnqat.Embedding(10, 3)', () => new qat.Embedding(10, 3)],
      ['nnqat.Embedding.from_float(with_q(nn.Embedding(10, 3), qconfig))', () => qat.Embedding.fromFloat(withQ(new nn.Embedding(10, 3), qconfig))],
      ['nnqat.EmbeddingBag.from_float(with_q(nn.Embedding(10, 3), row_qconfig))', () => qat.EmbeddingBag.fromFloat(withQ(new nn.Embedding(10, 3), rowQconfig))],
      ['nnqat.EmbeddingBag.from_float(nn.EmbeddingBag(10, 3))', () => qat.EmbeddingBag.fromFloat(new nn.EmbeddingBag(10, 3))],
      ['nniqat.ConvBn2d(1, 1, 1)', () => new nniqat.ConvBn2d(1, 1, 1)],
      ['nniqat.ConvReLU1d(1, 1, 1)', () => new nniqat.ConvReLU1d(1, 1, 1)],
      ['nniqat.LinearReLU(1, 1)', () => new nniqat.LinearReLU(1, 1)],
      ['nniqat.LinearBn1d(2, 2)', () => new nniqat.LinearBn1d(2, 2)],
      ['nniqat.ConvBn2d.from_float(nn.Conv2d(1, 1, 1))', () => nniqat.ConvBn2d.fromFloat(new nn.Conv2d(1, 1, 1))],
      ['nniqat.ConvBnReLU2d.from_float(nni.ConvBn2d(nn.Conv2d(1, 1, 1), nn.BatchNorm2d(1)))', () => nniqat.ConvBnReLU2d.fromFloat(new nni.ConvBn2d(new nn.Conv2d(1, 1, 1), new nn.BatchNorm2d(1)))],
      ['nniqat.ConvBn1d.from_float(nni.ConvBn1d(nn.Conv1d(1, 1, 1), nn.BatchNorm1d(1)))', () => nniqat.ConvBn1d.fromFloat(new nni.ConvBn1d(new nn.Conv1d(1, 1, 1), new nn.BatchNorm1d(1)))],
      ['nniqat.LinearBn1d.from_float(with_q(nni.LinearBn1d(nn.Linear(2, 2), nn.BatchNorm1d(2)), None))', () => nniqat.LinearBn1d.fromFloat(withQ(new nni.LinearBn1d(new nn.Linear(2, 2), new nn.BatchNorm1d(2)), null))],
      ['nniqat.LinearBn1d.from_float(nn.Linear(2, 2))', () => nniqat.LinearBn1d.fromFloat(new nn.Linear(2, 2))],
      ['nniqat.ConvReLU2d.from_float(with_q(nni.ConvReLU2d(nn.Conv2d(1, 1, 1), nn.ReLU()), qconfig))', () => nniqat.ConvReLU2d.fromFloat(withQ(new nni.ConvReLU2d(new nn.Conv2d(1, 1, 1), new nn.ReLU()), qconfig))],
      ['nniqat.LinearReLU.from_float(with_q(nn.Linear(2, 2), qconfig))', () => nniqat.LinearReLU.fromFloat(withQ(new nn.Linear(2, 2), qconfig))],
      ['nniqat.ConvReLU3d.from_float(with_q(nni.ConvReLU2d(nn.Conv2d(1, 1, 1), nn.ReLU()), qconfig, 0))', () => nniqat.ConvReLU3d.fromFloat(withQ(new nni.ConvReLU2d(new nn.Conv2d(1, 1, 1), new nn.ReLU()), qconfig, 0))],
    ],
    { prelude: PY_PRELUDE },
  );
});

describe('BN statistics switches', () => {
  test('train() leaves a frozen BN and the fake-quant alone; freeze/update through Module.apply', () => {
    const want = extra.switches as unknown[];
    const state = (m: nniqat.ConvBn2d | nniqat.LinearBn1d | nniqat.ConvBnReLU1d) => [m.freeze_bn, m.training, m.bn.training, m.weight_fake_quant.training];
    const mods = [new nniqat.ConvBn2d(2, 2, 1, { freezeBn: true, qconfig }), new nniqat.LinearBn1d(2, 2, { qconfig }), new nniqat.ConvBnReLU1d(2, 2, 1, { qconfig })] as const;
    const seq = new nn.Sequential(...mods);
    const got: unknown[] = [];
    for (const step of ['init', 'eval', 'train', 'update', 'eval', 'freeze', 'train', 'update', 'train']) {
      if (step === 'eval') seq.eval();
      if (step === 'train') seq.train();
      if (step === 'update') seq.apply(nniqat.updateBnStats);
      if (step === 'freeze') seq.apply(nniqat.freezeBnStats);
      got.push(mods.map(state));
    }
    expect(got).toEqual(want);
  });
});

describe('ConvBn state_dicts', () => {
  const want = extra.stateDicts as { version: number; missing: string[]; unexpected: string[]; bn: unknown; strict: string };
  test('version 2 in _metadata; a version-1 state_dict (gamma, beta, ...) loads into bn', () => {
    torch.manualSeed(0);
    const src = new nniqat.ConvBn2d(2, 3, 1, { qconfig });
    const names: Record<string, string> = { 'bn.weight': 'gamma', 'bn.bias': 'beta', 'bn.running_mean': 'running_mean', 'bn.running_var': 'running_var' };
    const sd = src.stateDict();
    const metadata = orderedDictAttributes(sd)?._metadata as Map<string, { version: number }>;
    expect(metadata.get('')!.version).toBe(want.version);
    const v1: Record<string, torch.Tensor> = {};
    for (const [k, v] of Object.entries(sd)) if (k !== 'bn.num_batches_tracked') v1[names[k] ?? k] = v as torch.Tensor;
    const dst = new nniqat.ConvBn2d(2, 3, 1, { qconfig });
    const r = dst.loadStateDict(v1, { strict: false });
    expect([r.missingKeys, r.unexpectedKeys]).toEqual([want.missing, want.unexpected]);
    close([out(dst.bn.weight), out(dst.bn.running_var), out(dst.bn.num_batches_tracked)], want.bn);
    expect(message(() => new nniqat.ConvBn2d(2, 3, 1, { qconfig }).loadStateDict(v1))).toBe(want.strict);
  });
});
