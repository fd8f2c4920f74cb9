// torchvision.models.segmentation (FCN, DeepLabV3, LR-ASPP) against torchvision 0.14:
// - every builder (with and without aux_loss, another num_classes): state_dict keys and shapes,
//   parameter count and repr; Python builds them on the 'meta' device (no memory, no init);
// - fcn_resnet50, lraspp_mobilenet_v3_large and deeplabv3_mobilenet_v3_large: a perturbed torchvision
//   state_dict saved by Python loads through `weights: file`; eval-mode `out` and `aux` and the
//   gradients of a loss on both (input and every parameter) equal torchvision's;
// - the same seed gives torchvision's initial tensors (the MobileNet ones, which are small);
// - IntermediateLayerGetter on its own, the weights enums, the SemanticSegmentation preset, the by-name
//   API and the errors torchvision raises.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { models } from '../lib/vision';
import { Module } from '../lib/nn';
import { SemanticSegmentation } from '../lib/vision/transforms/presets';
import { runPython } from './helpers/python';
import { PY_ON_META } from './helpers/vision-model-oracle';
import { PY_PERTURB, perturb, relDiff } from './helpers/model-perturb';
import { messageOf } from './helpers/errors';

jest.setTimeout(600_000);

const seg = models.segmentation;
type Builder = (o?: models.segmentation.SegmentationOptions) => Module;
/** [torchvision's builder, its Python keyword arguments, our builder, our options] */
const CONFIGS: [string, string, Builder, models.segmentation.SegmentationOptions][] = [
  ['fcn_resnet50', 'aux_loss=True', seg.fcnResnet50, { auxLoss: true }],
  ['fcn_resnet101', '', seg.fcnResnet101, {}],
  ['deeplabv3_resnet50', 'aux_loss=True', seg.deeplabv3Resnet50, { auxLoss: true }],
  ['deeplabv3_resnet101', 'num_classes=5', seg.deeplabv3Resnet101, { numClasses: 5 }],
  ['deeplabv3_mobilenet_v3_large', 'aux_loss=True', seg.deeplabv3MobilenetV3Large, { auxLoss: true }],
  ['deeplabv3_mobilenet_v3_large', '', seg.deeplabv3MobilenetV3Large, {}],
  ['lraspp_mobilenet_v3_large', '', seg.lrasppMobilenetV3Large, {}],
];
/** Compared by value: [builder, Python kwargs, our builder, options, parameters whose gradients are compared in full] */
const BY_VALUE: [string, string, Builder, models.segmentation.SegmentationOptions, string[]][] = [
  ['fcn_resnet50', 'aux_loss=True', seg.fcnResnet50, { auxLoss: true }, ['backbone.conv1.weight', 'classifier.4.weight', 'aux_classifier.0.weight']],
  ['lraspp_mobilenet_v3_large', '', seg.lrasppMobilenetV3Large, {}, ['backbone.0.0.weight', 'classifier.scale.1.weight', 'classifier.low_classifier.bias']],
  ['deeplabv3_mobilenet_v3_large', 'aux_loss=True', seg.deeplabv3MobilenetV3Large, { auxLoss: true }, ['backbone.16.0.weight', 'classifier.0.convs.4.1.weight', 'aux_classifier.4.bias']],
];
const SEEDED = ['lraspp_mobilenet_v3_large', 'deeplabv3_mobilenet_v3_large'];
const ENUMS: [string, string][] = [
  ['fcn_resnet50', 'FCN_ResNet50_Weights'], ['fcn_resnet101', 'FCN_ResNet101_Weights'],
  ['deeplabv3_resnet50', 'DeepLabV3_ResNet50_Weights'], ['deeplabv3_resnet101', 'DeepLabV3_ResNet101_Weights'],
  ['deeplabv3_mobilenet_v3_large', 'DeepLabV3_MobileNet_V3_Large_Weights'], ['lraspp_mobilenet_v3_large', 'LRASPP_MobileNet_V3_Large_Weights'],
];

interface PyValues {
  out: number[];
  aux: number[] | null;
  xGrad: number[];
  grads: Record<string, number[]>;
  gradNorms: [string, number][];
}
interface PyResult {
  structure: Record<string, { keys: [string, number[]][]; numParams: number; repr: string }>;
  values: Record<string, PyValues>;
  init: Record<string, [string, number, number][]>;
  enums: Record<string, { name: string; url: string; numParams: number; minSize: number[]; categories: string[]; transforms: string }[]>;
  preset: { repr: string; reprNone: string; out: number[] };
  getter: { keys: string[]; shapes: number[][]; feat2: number[]; children: string[] };
  listed: string[];
  listedAll: string[];
  /** those list_models(torchvision.models) gives: none, they are not in that module */
  listedTop: string[];
  errors: Record<string, string>;
  backboneFile: string;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vision-segmentation-'));
const fileOf = (name: string) => path.join(dir, `${name}.pt`);
const savedTorchHome = process.env.TORCH_HOME;
let py: PyResult;

beforeAll(() => {
  process.env.TORCH_HOME = dir; // an empty cache: nothing there
  py = runPython<PyResult>(`
import os
from urllib.parse import urlparse
import torchvision.models as M
from torchvision.models._utils import IntermediateLayerGetter
from torchvision.transforms._presets import SemanticSegmentation
${PY_ON_META}${PY_PERTURB}
S = M.segmentation
def build(name, kw):
    return eval('S.%s(weights_backbone=None%s)' % (name, ', ' + kw if kw else ''))
result = {'structure': {}, 'values': {}, 'init': {}, 'enums': {}, 'errors': {}}
for name, kw in json.loads(${JSON.stringify(JSON.stringify(CONFIGS.map(([n, k]) => [n, k])))}):
    with OnMeta():
        m = build(name, kw)
    result['structure'][name + '(' + kw + ')'] = {
        'keys': [[k, list(v.shape)] for k, v in m.state_dict().items()],
        'numParams': sum(p.numel() for p in m.parameters()), 'repr': repr(m)}
    del m
for name in ${JSON.stringify(SEEDED)}:
    torch.manual_seed(0)
    m = build(name, '')
    result['init'][name] = [[k, float(v.double().sum()), float(v.double().abs().sum())] for k, v in m.state_dict().items() if v.is_floating_point()]
for name, kw, full in json.loads(${JSON.stringify(JSON.stringify(BY_VALUE.map(([n, k, , , f]) => [n, k, f])))}):
    torch.manual_seed(0)
    m = build(name, kw)
    perturb(m, 1)
    torch.save(m.state_dict(), os.path.join(${JSON.stringify(dir)}, name + '.pt'))
    m.eval()
    torch.manual_seed(3)
    x = torch.randn(1, 3, 64, 64, requires_grad=True)
    r = m(x)
    loss = r['out'].square().mean() + (0.5 * r['aux'].square().mean() if 'aux' in r else 0)
    loss.backward()
    ps = dict(m.named_parameters())
    result['values'][name] = {
        'out': r['out'].flatten().tolist(), 'aux': r['aux'].flatten().tolist() if 'aux' in r else None,
        'xGrad': x.grad.flatten().tolist(),
        'grads': {k: ps[k].grad.flatten().tolist() for k in full},
        'gradNorms': [[k, float(p.grad.double().norm())] for k, p in m.named_parameters()]}
    del m, r
for name, enum in ${JSON.stringify(ENUMS)}:
    e = M.get_model_weights(name)
    assert e.__name__ == enum
    result['enums'][name] = [{'name': w.name, 'url': w.url, 'numParams': w.meta['num_params'], 'minSize': list(w.meta['min_size']),
                              'categories': w.meta['categories'], 'transforms': repr(w.transforms())} for w in e]
torch.manual_seed(5)
img = torch.randint(0, 256, (3, 16, 20), dtype=torch.uint8)
result['preset'] = {'repr': repr(SemanticSegmentation(resize_size=520)), 'reprNone': repr(SemanticSegmentation(resize_size=None)),
                    'out': SemanticSegmentation(resize_size=24)(img).flatten().tolist()}
torch.manual_seed(0)
r18 = M.resnet18()
g = IntermediateLayerGetter(r18, {'layer1': 'feat1', 'layer3': 'feat2'})
torch.manual_seed(3)
feats = g(torch.randn(1, 3, 32, 32))
result['getter'] = {'keys': list(feats.keys()), 'shapes': [list(v.shape) for v in feats.values()],
                    'feat2': feats['feat2'].flatten().tolist(), 'children': [n for n, _ in g.named_children()]}
result['errors']['getter'] = err(lambda: IntermediateLayerGetter(r18, {'layer5': 'x'}))
result['listed'] = M.list_models(S)
result['listedAll'] = [n for n in M.list_models() if n in result['listed']]
result['listedTop'] = [n for n in M.list_models(M) if n in result['listed']]
result['errors']['lrasppAux'] = err(lambda: S.lraspp_mobilenet_v3_large(weights_backbone=None, aux_loss=True))
result['errors']['numClasses'] = err(lambda: S.fcn_resnet50(weights='DEFAULT', num_classes=3))
result['errors']['auxLoss'] = err(lambda: S.deeplabv3_resnet50(weights='DEFAULT', aux_loss=False))
result['backboneFile'] = os.path.basename(urlparse(M.ResNet50_Weights.IMAGENET1K_V1.url).path)
`);
});

afterAll(() => {
  if (savedTorchHome === undefined) delete process.env.TORCH_HOME;
  else process.env.TORCH_HOME = savedTorchHome;
  fs.rmSync(dir, { recursive: true, force: true });
});

const pyKwargs = (kw: string) => `(${kw})`;

describe.each(CONFIGS)('%s(%s)', (name, kw, build, options) => {
  test("torchvision's state_dict keys and shapes, parameter count and repr", () => {
    const want = py.structure[name + pyKwargs(kw)];
    torch.tidy(() => {
      const m = build({ weightsBackbone: null, ...options });
      expect(Object.entries(m.stateDict()).map(([k, v]) => [k, v.shape])).toEqual(want.keys);
      expect([...m.parameters()].reduce((s, p) => s + p.numel(), 0)).toBe(want.numParams);
      expect(String(m)).toBe(want.repr);
    });
  });
});

describe.each(BY_VALUE)('%s(%s) by value', (name, _kw, build, options, full) => {
  test("torchvision's state_dict from a file: eval-mode out and aux, and the gradients of a loss on them", () => {
    const want = py.values[name];
    torch.tidy(() => {
      const m = build({ weights: fileOf(name), ...options }).eval();
      torch.manualSeed(3);
      const x = torch.randn([1, 3, 64, 64], { requiresGrad: true });
      const r = m(x) as models.segmentation.SegmentationOutput;
      expect(Object.keys(r)).toEqual(want.aux ? ['out', 'aux'] : ['out']);
      expect(r.out.shape).toEqual([1, 21, 64, 64]);
      expect(relDiff(r.out, want.out)).toBeLessThan(1e-4);
      if (want.aux) expect(relDiff(r.aux!, want.aux)).toBeLessThan(1e-4);
      let loss = r.out.square().mean();
      if (r.aux) loss = loss.add(r.aux.square().mean().mul(0.5));
      loss.backward();
      expect(relDiff(x.grad!, want.xGrad)).toBeLessThan(1e-4);
      const params = Object.fromEntries(m.namedParameters());
      for (const k of full) if (relDiff(params[k].grad!, want.grads[k]) >= 1e-4) throw new Error(`${name} ${k}: gradient differs by ${relDiff(params[k].grad!, want.grads[k])}`);
      const norms = [...m.namedParameters()].map(([k, p]) => [k, p.grad!.double().norm().item() as number] as const);
      expect(norms.map(([k]) => k)).toEqual(want.gradNorms.map(([k]) => k));
      norms.forEach(([k, n], i) => {
        const w = want.gradNorms[i][1];
        if (Math.abs(n - w) > 1e-4 * Math.max(w, 1e-8)) throw new Error(`${name} ${k}: gradient norm ${n}, torchvision ${w}`);
      });
    });
  });
});

test.each(SEEDED)("%s: the same seed gives torchvision's initial tensors", (name) => {
  const want = py.init[name];
  torch.tidy(() => {
    torch.manualSeed(0);
    const m = (seg as unknown as Record<string, Builder>)[name]({ weightsBackbone: null });
    const init = Object.entries(m.stateDict()).filter(([, v]) => v.dtype.isFloatingPoint);
    expect(init.map(([k]) => k)).toEqual(want.map(([k]) => k));
    init.forEach(([k, v], i) => {
      const [s, a] = [v.double().sum().item() as number, v.double().abs().sum().item() as number];
      const [, ws, wa] = want[i];
      if (Math.abs(s - ws) > 1e-9 * Math.max(Math.abs(ws), 1e-12) || Math.abs(a - wa) > 1e-9 * Math.max(wa, 1e-12)) throw new Error(`${name} ${k}: ${s}/${a}, torchvision ${ws}/${wa}`);
    });
  });
});

test("IntermediateLayerGetter: torchvision's children, keys, shapes and values", () => {
  torch.tidy(() => {
    torch.manualSeed(0);
    const g = new seg.IntermediateLayerGetter(models.resnet18(), { layer1: 'feat1', layer3: 'feat2' });
    expect([...g.namedChildren()].map(([n]) => n)).toEqual(py.getter.children);
    torch.manualSeed(3);
    const feats = torch.noGrad(() => g(torch.randn(1, 3, 32, 32)));
    expect(Object.keys(feats)).toEqual(py.getter.keys);
    expect(Object.values(feats).map((v) => v.shape)).toEqual(py.getter.shapes);
    expect(relDiff(feats.feat2, py.getter.feat2)).toBeLessThan(1e-5);
    expect(messageOf(() => new seg.IntermediateLayerGetter(models.resnet18(), { layer5: 'x' }))).toBe(py.errors.getter);
  });
});

test.each(ENUMS)("%s: the weights enum %s as torchvision's (URL, meta, VOC categories)", (name, enumName) => {
  const e = (seg as unknown as Record<string, models.WeightsEnum>)[enumName];
  const want = py.enums[name];
  expect(Object.keys(e).filter((k) => k !== 'DEFAULT')).toEqual(want.map((w) => w.name));
  expect(models.getWeight(`${enumName}.DEFAULT`)).toBe(e.DEFAULT);
  for (const w of want) {
    const ours = e[w.name];
    expect([ours.url, ours.meta.numParams, ours.meta.minSize]).toEqual([w.url, w.numParams, w.minSize]);
    expect(ours.meta.categories).toEqual(w.categories);
    expect(ours.transforms()).toBeInstanceOf(SemanticSegmentation);
    expect(String(ours.transforms())).toBe(w.transforms);
  }
});

test("SemanticSegmentation preset: torchvision's repr and values", () => {
  expect(String(new SemanticSegmentation({ resizeSize: 520 }))).toBe(py.preset.repr);
  expect(String(new SemanticSegmentation({ resizeSize: null }))).toBe(py.preset.reprNone);
  torch.manualSeed(5);
  const img = torch.randint(0, 256, [3, 16, 20], { dtype: torch.uint8 });
  expect(relDiff(new SemanticSegmentation({ resizeSize: 24 })(img), py.preset.out)).toBeLessThan(1e-5);
});

test("by name: listModels(models.segmentation) and getModel as torchvision's", () => {
  expect(models.listModels(seg)).toEqual(py.listed);
  expect(models.listModels().filter((n) => py.listed.includes(n))).toEqual(py.listedAll);
  expect(models.listModels(models).filter((n) => py.listed.includes(n))).toEqual(py.listedTop);
  for (const n of py.listed) expect((seg as unknown as Record<string, unknown>)[n]).toBe(models.getModelBuilder(n));
  const m = models.getModel('lraspp_mobilenet_v3_large', { weightsBackbone: null, numClasses: 3 });
  expect(m).toBeInstanceOf(seg.LRASPP);
  expect(m.classifier.low_classifier.outChannels).toBe(3);
});

test("torchvision's errors; the default backbone weights are ImageNet's, read from the cache", () => {
  expect(messageOf(() => seg.lrasppMobilenetV3Large({ weightsBackbone: null, auxLoss: true }))).toBe(py.errors.lrasppAux);
  expect(() => seg.lrasppMobilenetV3Large({ weightsBackbone: null, auxLoss: true })).toThrow(torch.NotImplementedError);
  expect(messageOf(() => seg.fcnResnet50({ weights: 'DEFAULT', numClasses: 3 }))).toBe(py.errors.numClasses);
  expect(messageOf(() => seg.deeplabv3Resnet50({ weights: 'DEFAULT', auxLoss: false }))).toBe(py.errors.auxLoss);
  // torchvision downloads resnet50's ImageNet weights here; this cache is empty: the error names the file
  expect(messageOf(() => seg.fcnResnet50())).toContain(`weights file ${py.backboneFile} not found`);
  const cocoFile = py.enums.fcn_resnet50[0].url.split('/').pop();
  expect(messageOf(() => seg.fcnResnet50({ weights: 'DEFAULT' }))).toContain(`${cocoFile} not found`);
});

test("the legacy pretrained / pretrainedBackbone: torchvision's COCO_WITH_VOC_LABELS_V1 and IMAGENET1K_V1 entries", () => {
  const cocoFile = py.enums.fcn_resnet50[0].url.split('/').pop();
  const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
  try {
    expect(messageOf(() => seg.fcnResnet50({ pretrained: true }))).toContain(`${cocoFile} not found`);
    expect(messageOf(() => seg.fcnResnet50({ pretrainedBackbone: true }))).toContain(`${py.backboneFile} not found`);
    torch.tidy(() => expect(seg.lrasppMobilenetV3Large({ pretrainedBackbone: false })).toBeInstanceOf(seg.LRASPP));
  } finally {
    warn.mockRestore();
  }
});
