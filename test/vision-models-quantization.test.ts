// torchvision.models.quantization against torchvision 0.14 itself, the quantized engine 'qnnpack'
// on both sides (fbgemm, the default of most builders, is not in this libtorch):
// - float (quantize: false) models: state_dict keys and seeded initial values, eval outputs after
//   loading the state_dict torchvision saved, and fuseModel(false) on it (eval) and fuseModel(true)
//   on a seeded training model: module classes and state_dict.
// - quantize: true from the same seed (calibrated on torch.rand(1, 3, 299, 299) inside the builder):
//   the converted state_dict (int_repr, scales, zero points, float biases) and outputs equal
//   torchvision's; the repr of a converted block; quantized state_dicts load both ways into
//   uncalibrated quantized models and give the same outputs.
// - the *_QuantizedWeights enums and the builders' errors.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { Module } from '../lib/nn';
import { models } from '../lib/vision';
import { QConfig, defaultObserver, defaultWeightObserver, getDefaultQatQconfig, prepare, prepareQat, convert } from '../lib/ao/quantization';
import { orderedDictAttributes } from '../lib/serialization/py-types';
import { message } from './helpers/error-oracle';
import { runPython } from './helpers/python';

jest.setTimeout(300_000);

const Q = models.quantization;
type Fusable = Module & { fuseModel(isQat?: boolean | null): void };
type Builder = (o?: Record<string, unknown>) => Fusable;
const q = Q as unknown as Record<string, Builder>;
/** [torchvision builder name, ours] */
const FLOAT: [string, Builder][] = [
  ['resnet18', q.resnet18],
  ['mobilenet_v2', q.mobilenet_v2],
  ['mobilenet_v3_large', q.mobilenet_v3_large],
  ['shufflenet_v2_x0_5', q.shufflenet_v2_x0_5],
  ['googlenet', q.googlenet],
  ['inception_v3', q.inception_v3],
];
/** QuantizableResNet with one QuantizableBottleneck a stage: ResNet-50's block, at a test's cost (Python's `builder('resnet_bottleneck')` below) */
const smallBottleneck: Builder = (o = {}) => {
  const m = new Q.QuantizableResNet(Q.QuantizableBottleneck, [1, 1, 1, 1], { numClasses: 10 });
  Q.replaceRelu(m);
  if (o.quantize) Q.quantizeModel(m, o.backend as string);
  return m;
};
const PY_BUILDERS = `
from torchvision.models.quantization.resnet import QuantizableResNet, QuantizableBottleneck
from torchvision.models.quantization.utils import _replace_relu, quantize_model
def small_bottleneck(quantize=False, backend='fbgemm'):
    m = QuantizableResNet(QuantizableBottleneck, [1, 1, 1, 1], num_classes=10)
    _replace_relu(m)
    if quantize:
        quantize_model(m, backend)
    return m
def builder(name):
    return small_bottleneck if name == 'resnet_bottleneck' else getattr(Q, name)
`;
const QUANTIZED: [string, Builder][] = [
  ['resnet18', q.resnet18],
  ['resnet_bottleneck', smallBottleneck],
  ['mobilenet_v2', q.mobilenet_v2],
  ['mobilenet_v3_large', q.mobilenet_v3_large],
  ['shufflenet_v2_x0_5', q.shufflenet_v2_x0_5],
  ['googlenet', q.googlenet],
];
/** the quantized models whose state_dicts are also loaded both ways (the others' loading is the same code) */
const LOADED = ['resnet18', 'resnet_bottleneck', 'mobilenet_v2', 'mobilenet_v3_large', 'shufflenet_v2_x0_5'];
/** a converted block of each quantized model, for its repr */
const BLOCKS: Record<string, string> = { resnet18: 'layer2.0', resnet_bottleneck: 'layer2.0', mobilenet_v2: 'features.2', mobilenet_v3_large: 'features.4', shufflenet_v2_x0_5: 'stage2.0', googlenet: 'inception3a' };
const KEYS_ONLY: [string, Builder][] = [['resnet50', q.resnet50]];
/** builder keywords besides numClasses (Python's): the Inception models' truncated-normal init is slow and not what is tested here */
const FLOAT_KW: Record<string, Record<string, unknown>> = { googlenet: { init_weights: false }, inception_v3: { init_weights: false } };
const kwOf = (name: string) => Object.fromEntries(Object.entries(FLOAT_KW[name] ?? {}).map(([k, v]) => [k.replace(/_(\w)/g, (_, c: string) => c.toUpperCase()), v]));
/** A JSON value as a Python literal (booleans capitalised). */
const pyLiteral = (v: unknown) => JSON.stringify(v).replace(/\btrue\b/g, 'True').replace(/\bfalse\b/g, 'False');
/** the models whose QAT fusion (on a training model) is compared too */
const FUSE_QAT = ['resnet18', 'mobilenet_v2', 'mobilenet_v3_large', 'shufflenet_v2_x0_5'];
/** Inception v3 needs 75x75 at least */
const sizeOf = (name: string) => (name === 'inception_v3' ? 80 : 64);

type Summary = Record<string, unknown>;
interface PyFloat {
  keys: string[];
  init: Record<string, Summary>;
  out: number[];
  fused: PyFused;
  fusedQat?: PyFused;
}
interface PyQuant {
  sd: Record<string, Summary>;
  out: number[];
  blockRepr: string;
  /** the outputs of an uncalibrated model after loading the state_dict saved here */
  fromNode?: number[];
}
interface PyFused {
  types: [string, string][];
  sd: Record<string, Summary>;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vision-quantization-'));
const fileOf = (name: string) => path.join(dir, `${name}.pt`);
let py: { float: Record<string, PyFloat>; keysOnly: Record<string, string[]>; quant: Record<string, PyQuant>; enums: Record<string, unknown>; errors: string[] };
const quantized: Record<string, Module> = {};

// The same summary of a state_dict entry on both sides: quantized tensors by int_repr sums (plain
// and position-weighted), qscheme, scales and zero points; float tensors by their sums in float64.
const PY_SUMMARY = `
def summ(v):
    if isinstance(v, tuple):
        return [summ(e) for e in v]
    if not isinstance(v, torch.Tensor):
        return repr(v)
    d = {'dtype': str(v.dtype).replace('torch.', ''), 'shape': list(v.shape)}
    r = v.int_repr() if v.is_quantized else v
    r = r.double().flatten()
    w = torch.arange(r.numel(), dtype=torch.float64) % 97 + 1
    d['sum'] = r.sum().item()
    d['wsum'] = (r * w).sum().item()
    if v.is_quantized:
        d['qscheme'] = str(v.qscheme()).replace('torch.', '')
        if v.qscheme() in (torch.per_tensor_affine, torch.per_tensor_symmetric):
            d['scale'] = v.q_scale(); d['zero_point'] = v.q_zero_point()
        else:
            d['scales'] = v.q_per_channel_scales().tolist(); d['zero_points'] = v.q_per_channel_zero_points().tolist(); d['axis'] = v.q_per_channel_axis()
    return d
def sd_summary(m):
    return {k: summ(v) for k, v in m.state_dict().items()}
def inp(size=64):
    torch.manual_seed(123)
    return torch.rand(1, 3, size, size)
`;

function summ(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(summ);
  if (!(v instanceof torch.Tensor)) return String(v);
  const d: Summary = { dtype: String(v.dtype).replace('torch.', ''), shape: [...v.shape] };
  const r = (v.isQuantized ? v.intRepr() : v).double().flatten();
  const w = torch.arange(r.numel(), { dtype: torch.float64 }).remainder(97).add(1);
  d.sum = r.sum().item();
  d.wsum = r.mul(w).sum().item();
  if (v.isQuantized) {
    const scheme = String(v.qscheme()).replace('torch.', '');
    d.qscheme = scheme;
    if (scheme.startsWith('per_tensor')) {
      d.scale = v.qScale();
      d.zero_point = v.qZeroPoint();
    } else {
      d.scales = v.qPerChannelScales().tolist();
      d.zero_points = v.qPerChannelZeroPoints().tolist();
      d.axis = v.qPerChannelAxis();
    }
  }
  return d;
}
const sdSummary = (m: Module) => Object.fromEntries(Object.entries(m.stateDict()).map(([k, v]) => [k, summ(v)])) as Record<string, Summary>;
function input(name: string): torch.Tensor {
  torch.manualSeed(123);
  return torch.rand(1, 3, sizeOf(name), sizeOf(name));
}

/** Runs fn with the quantized engine set to qnnpack, restoring the engine after. */
function withQnnpack<T>(fn: () => T): T {
  const before = torch.backends.quantized.engine;
  torch.backends.quantized.engine = 'qnnpack';
  try {
    return fn();
  } finally {
    torch.backends.quantized.engine = before;
  }
}

const ENUMS = ['ResNet18', 'ResNet50', 'ResNeXt101_32X8D', 'ResNeXt101_64X4D', 'MobileNet_V2', 'MobileNet_V3_Large', 'GoogLeNet', 'Inception_V3', 'ShuffleNet_V2_X0_5', 'ShuffleNet_V2_X1_0', 'ShuffleNet_V2_X1_5', 'ShuffleNet_V2_X2_0'].map((n) => `${n}_QuantizedWeights`);
/** [Python call, the same call here] */
const ERRORS: [string, () => unknown][] = [
  // fbgemm, most builders' default backend, is not among this libtorch's engines (nor Debian's)
  ['Q.resnet18(quantize=True)', () => q.resnet18({ quantize: true })],
  ['Q.shufflenet_v2_x0_5(quantize=True)', () => q.shufflenet_v2_x0_5({ quantize: true })],
  ["Q.resnet18(quantize=True, backend='x')", () => q.resnet18({ quantize: true, backend: 'x' })],
  ['Q.resnet18(quantize=True, weights=ResNet18_Weights.IMAGENET1K_V1)', () => q.resnet18({ quantize: true, weights: models.ResNet18_Weights.IMAGENET1K_V1 })],
  ['Q.resnet18(weights=Q.ResNet18_QuantizedWeights.IMAGENET1K_FBGEMM_V1)', () => q.resnet18({ weights: Q.ResNet18_QuantizedWeights.IMAGENET1K_FBGEMM_V1 })],
  ["Q.resnet18(quantize=True, weights='IMAGENET1K_FBGEMM_V1', backend='qnnpack')", () => q.resnet18({ quantize: true, weights: 'IMAGENET1K_FBGEMM_V1', backend: 'qnnpack' })],
  ["Q.mobilenet_v2(quantize=True, weights='DEFAULT', num_classes=10)", () => q.mobilenet_v2({ quantize: true, weights: 'DEFAULT', numClasses: 10 })],
  ["Q.inception_v3(weights='DEFAULT', aux_logits=False, init_weights=False)", () => q.inception_v3({ weights: 'DEFAULT', auxLogits: false, initWeights: false })],
  ['Q.resnext101_32x8d(groups=4)', () => q.resnext101_32x8d({ groups: 4 })],
  ["Q.resnet18(weights='NOPE')", () => q.resnet18({ weights: 'NOPE' })],
];

// The quantized structure without calibration (observers never run: default qparams, with
// PyTorch's warning), to load a quantized state_dict into: mobilenet_v3_large's quantize is
// uncalibrated already.
const PY_UNCALIBRATED = `
def uncalibrated(name):
    torch.manual_seed(1)
    if name == 'mobilenet_v3_large':
        return Q.mobilenet_v3_large(quantize=True, backend='qnnpack')
    m = builder(name)(**${pyLiteral(FLOAT_KW)}.get(name, {}))
    m.eval()
    m.fuse_model()
    m.qconfig = torch.ao.quantization.QConfig(activation=torch.ao.quantization.default_observer, weight=torch.ao.quantization.default_weight_observer)
    torch.ao.quantization.prepare(m, inplace=True)
    torch.ao.quantization.convert(m, inplace=True)
    return m
`;
function uncalibrated(name: string, builder: Builder): Module {
  torch.manualSeed(1);
  if (name === 'mobilenet_v3_large') return builder({ quantize: true, backend: 'qnnpack' });
  const m = builder(kwOf(name));
  m.eval();
  m.fuseModel();
  (m as unknown as { qconfig: QConfig }).qconfig = new QConfig(defaultObserver, defaultWeightObserver);
  prepare(m, { inplace: true });
  return convert(m, { inplace: true });
}

beforeAll(() => {
  // ours first: torchvision loads the state_dicts saved here in the same run
  withQnnpack(() => {
    for (const [name, builder] of QUANTIZED) {
      torch.manualSeed(0);
      quantized[name] = builder({ quantize: true, backend: 'qnnpack' });
      if (LOADED.includes(name)) torch.saveSync(quantized[name].stateDict(), fileOf(`${name}-quant-from-node`));
    }
  });
  py = runPython(`${PY_SUMMARY}
import torchvision.models.quantization as Q${PY_BUILDERS}${PY_UNCALIBRATED}
from torchvision.models import ResNet18_Weights
torch.backends.quantized.engine = 'qnnpack'
result = {'float': {}, 'keysOnly': {}, 'quant': {}, 'enums': {}}
def build(name):
    torch.manual_seed(0)
    return getattr(Q, name)(num_classes=10, **${pyLiteral(FLOAT_KW)}.get(name, {}))
def fused(m, qat):
    m.train(qat)
    m.fuse_model(is_qat=qat)
    return {'types': [[n, type(c).__name__] for n, c in m.named_modules()], 'sd': sd_summary(m)}
for name in ${JSON.stringify(FLOAT.map(([n]) => n))}:
    m = build(name)
    r = result['float'][name] = {'keys': list(m.state_dict().keys()), 'init': sd_summary(m)}
    m.eval()
    torch.save(m.state_dict(), '${dir}/' + name + '-float.pt')
    r['out'] = m(inp(${JSON.stringify(Object.fromEntries(FLOAT.map(([n]) => [n, sizeOf(n)])))}[name])).flatten().tolist()
    r['fused'] = fused(m, False)
    if name in ${JSON.stringify(FUSE_QAT)}:
        r['fusedQat'] = fused(build(name), True)
for name in ${JSON.stringify(KEYS_ONLY.map(([n]) => n))}:
    result['keysOnly'][name] = list(getattr(Q, name)().state_dict().keys())
blocks = ${JSON.stringify(BLOCKS)}
for name in ${JSON.stringify(QUANTIZED.map(([n]) => n))}:
    torch.manual_seed(0)
    m = builder(name)(quantize=True, backend='qnnpack')
    torch.save(m.state_dict(), '${dir}/' + name + '-quant.pt')
    r = result['quant'][name] = {'sd': sd_summary(m), 'out': m(inp()).flatten().tolist(), 'blockRepr': repr(m.get_submodule(blocks[name]))}
    if name not in ${JSON.stringify(LOADED)}:
        continue
    m = uncalibrated(name)
    m.load_state_dict(torch.load('${dir}/' + name + '-quant-from-node.pt'))
    r['fromNode'] = m(inp()).flatten().tolist()
for name in ${JSON.stringify(ENUMS)}:
    e = getattr(Q, name)
    result['enums'][name] = {'default': str(e.DEFAULT), 'entries': [[w.name, w.url, w.transforms().crop_size[0], w.transforms().resize_size[0], w.meta['backend'], str(w.meta['unquantized']), w.meta['num_params'], list(w.meta['min_size']), w.meta['_metrics'], len(w.meta['categories'])] for w in e]}
result['errors'] = [err(lambda: ${ERRORS.map(([code]) => code).join('), err(lambda: ')})]
`);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function fusedSummary(m: Fusable, qat: boolean): PyFused {
  m.train(qat);
  m.fuseModel(qat);
  return { types: [...m.namedModules()].map(([n, c]) => [n, c.constructor.name]), sd: sdSummary(m) };
}

describe.each(FLOAT)('%s (quantize: false)', (name, builder) => {
  let m: Fusable;

  test('state_dict keys and seeded initial values equal torchvision', () => {
    torch.manualSeed(0);
    m = builder({ numClasses: 10, ...kwOf(name) });
    expect(Object.keys(m.stateDict())).toEqual(py.float[name].keys);
    expect(sdSummary(m)).toEqual(py.float[name].init);
  });

  test("eval outputs equal torchvision's after loading its state_dict", () => {
    m.loadStateDict(models.loadStateDictFile(fileOf(`${name}-float`)));
    m.eval();
    const out = torch.noGrad(() => m(input(name)) as torch.Tensor);
    expect(out.flatten().tolist() as number[]).toEqual(py.float[name].out.map((v) => expect.closeTo(v, 5)));
  });

  test('fuseModel(false) on the eval model: module classes and state_dict equal torchvision', () => {
    expect(fusedSummary(m, false)).toEqual(py.float[name].fused);
  });

  if (FUSE_QAT.includes(name)) {
    test('fuseModel(true) on a training model: module classes and state_dict equal torchvision', () => {
      torch.manualSeed(0);
      expect(fusedSummary(builder({ numClasses: 10, ...kwOf(name) }), true)).toEqual(py.float[name].fusedQat);
    });
  }
});

test.each(KEYS_ONLY)('%s: state_dict keys equal torchvision', (name, builder) => {
  expect(Object.keys(builder().stateDict())).toEqual(py.keysOnly[name]);
});

describe.each(QUANTIZED)('%s (quantize: true, backend qnnpack)', (name, builder) => {
  test('the converted state_dict (int_repr, scales, zero points) equals torchvision', () => {
    expect(sdSummary(quantized[name])).toEqual(py.quant[name].sd);
  });

  test("outputs equal torchvision's", () => {
    const out = withQnnpack(() => torch.noGrad(() => quantized[name](input(name)) as torch.Tensor));
    expect(out.flatten().tolist()).toEqual(py.quant[name].out);
  });

  test('repr of a converted block equals torchvision', () => {
    expect(String(quantized[name].getSubmodule(BLOCKS[name]))).toBe(py.quant[name].blockRepr);
  });

  if (LOADED.includes(name)) {
    test("torchvision's saved quantized state_dict loads into an uncalibrated model", () => {
      withQnnpack(() => {
        const m = uncalibrated(name, builder);
        m.loadStateDict(models.loadStateDictFile(fileOf(`${name}-quant`)));
        expect(sdSummary(m)).toEqual(py.quant[name].sd);
        expect(torch.noGrad(() => (m(input(name)) as torch.Tensor).flatten().tolist())).toEqual(py.quant[name].out);
      });
    });

    test("the state_dict saved here loads into torchvision's uncalibrated model, with the same outputs", () => {
      expect(py.quant[name].fromNode).toEqual(py.quant[name].out);
    });
  }
});

test('the *_QuantizedWeights enums equal torchvision (entries, URLs, transforms, meta)', () => {
  const ours: Record<string, unknown> = {};
  const all = Q as unknown as Record<string, Record<string, InstanceType<typeof Q.QuantizedWeights>>>;
  for (const name of ENUMS) {
    const e = all[name];
    const entries = Object.entries(e).filter(([k]) => k !== 'DEFAULT');
    ours[name] = {
      default: String(e.DEFAULT),
      entries: entries.map(([k, w]) => {
        const t = w.transforms() as unknown as { cropSize: number[]; resizeSize: number[] };
        return [k, w.url, t.cropSize[0], t.resizeSize[0], w.meta.backend, String(w.meta.unquantized), w.meta.numParams, w.meta.minSize, w.meta.metrics, w.meta.categories!.length];
      }),
    };
  }
  expect(ours).toEqual(py.enums);
});

test("the builders' errors equal torchvision's", () => {
  const before = torch.backends.quantized.engine;
  try {
    expect(ERRORS.map(([, f]) => message(f))).toEqual(py.errors);
  } finally {
    torch.backends.quantized.engine = before;
  }
});

test('a QAT-prepared mobilenet_v3_large checkpoint of version 1 (no SE gate fake-quant state) loads with the defaults filled in', () => {
  const prepared = () => {
    torch.manualSeed(0);
    const m = q.mobilenet_v3_large({ numClasses: 10 });
    m.fuseModel(true);
    (m as unknown as { qconfig: QConfig }).qconfig = getDefaultQatQconfig('qnnpack');
    return prepareQat(m, null, { inplace: true });
  };
  const sd = prepared().stateDict();
  const metadata = orderedDictAttributes(sd)!._metadata as Map<string, { version: number }>;
  const se = [...metadata.keys()].filter((k) => k.endsWith('.block.2') && metadata.get(k)!.version === 2);
  expect(se.length).toBeGreaterThan(0);
  for (const prefix of se) {
    metadata.set(prefix, { version: 1 });
    for (const k of Object.keys(sd)) if (k.startsWith(`${prefix}.scale_activation.activation_post_process.`)) delete sd[k];
  }
  const target = prepared();
  target.loadStateDict(sd);
  const scale = target.stateDict()[`${se[0]}.scale_activation.activation_post_process.scale`] as torch.Tensor;
  expect(scale.tolist()).toEqual([1]);
});
