// torchvision 0.14's Swin Transformer (swin_t/s/b, swin_v2_t/s/b) and MaxViT (maxvit_t), against torchvision:
// - every builder: state_dict keys and shapes (buffers included: relative_position_index,
//   relative_coords_table), parameter count, printed repr, and its weights enum (entries, URLs, presets,
//   meta). The Python side builds on the 'meta' device (no memory, no init); this side builds real models.
// - option variants (numClasses, mlpRatio, dropouts, a V2 block in swin_t, MaxViT's ratios and activation)
//   by repr and keys; the errors torchvision raises for fixed arguments and sizes.
// - swin_t, swin_v2_t, maxvit_t by value: torch.manualSeed(0) gives torchvision's initial tensors; a
//   perturbed state_dict saved by torch.save in Python loads by path and gives torchvision's eval-mode
//   outputs; a seeded training-mode step (stochastic depth draws, BatchNorm batch statistics) gives
//   torchvision's gradients for the input and for every parameter. Swin runs at 64x176 so that windows
//   are padded, shifted along one axis only at some stages, and patch merging pads an odd width;
//   maxvit_t at 224x224, the smallest its partitions allow.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { models } from '../lib/vision';
import { Module } from '../lib/nn';
import { runPython } from './helpers/python';
import { PY_PERTURB, perturb, relDiff } from './helpers/model-perturb';
import { Builder, BuilderRow, PY_BUILDERS, PyBuilder, close, describeBuilders, expectSums, initSums, Sums } from './helpers/vision-model-oracle';

jest.setTimeout(600_000);

const BUILDERS: BuilderRow[] = [
  ['swin_t', 'Swin_T_Weights', models.swinT],
  ['swin_s', 'Swin_S_Weights', models.swinS],
  ['swin_b', 'Swin_B_Weights', models.swinB],
  ['swin_v2_t', 'Swin_V2_T_Weights', models.swinV2T],
  ['swin_v2_s', 'Swin_V2_S_Weights', models.swinV2S],
  ['swin_v2_b', 'Swin_V2_B_Weights', models.swinV2B],
  ['maxvit_t', 'MaxVit_T_Weights', models.maxvitT],
];
const builderOf = (name: string): Builder => BUILDERS.find(([n]) => n === name)![2];

/** The models compared by value, with their input shapes. */
const SEEDED: Record<string, number[]> = {
  swin_t: [1, 3, 64, 176],
  swin_v2_t: [1, 3, 64, 176],
  maxvit_t: [1, 3, 224, 224],
};

/** Option variants: [label, torchvision call, our builder call] */
const VARIANTS: [string, string, () => Module][] = [
  ['swin_t options', "M.swin_t(num_classes=10, mlp_ratio=2.0, dropout=0.1, attention_dropout=0.2)", () => models.swinT({ numClasses: 10, mlpRatio: 2, dropout: 0.1, attentionDropout: 0.2 })],
  [
    'swin_t with V2 blocks',
    'M.swin_t(block=SW.SwinTransformerBlockV2, downsample_layer=SW.PatchMergingV2, norm_layer=partial(nn.LayerNorm, eps=1e-6))',
    () => models.swinT({ block: models.SwinTransformerBlockV2, downsampleLayer: models.PatchMergingV2, normLayer: (c: number) => new torch.nn.LayerNorm(c, { eps: 1e-6 }) }),
  ],
  [
    'maxvit_t options',
    'M.maxvit_t(num_classes=10, squeeze_ratio=0.5, expansion_ratio=2, mlp_ratio=2, mlp_dropout=0.1, attention_dropout=0.2, activation_layer=nn.SiLU)',
    () => models.maxvitT({ numClasses: 10, squeezeRatio: 0.5, expansionRatio: 2, mlpRatio: 2, mlpDropout: 0.1, attentionDropout: 0.2, activationLayer: () => new torch.nn.SiLU() }),
  ],
];

interface PyModel extends PyBuilder {
  init?: Sums[];
  out?: number[];
  grads?: Sums[];
  xGrad?: number[];
}
interface PyResult {
  models: Record<string, PyModel>;
  variants: { repr: string; keys: [string, number[]][] }[];
  errors: Record<string, string>;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swin-maxvit-'));
const fileOf = (name: string) => path.join(dir, `${name}.pt`);
let py: PyResult;

beforeAll(() => {
  py = runPython<PyResult>(`
from functools import partial
from torch import nn
import torchvision.models.swin_transformer as SW
${PY_BUILDERS}${PY_PERTURB}
def describe(m):
    return {'keys': [[k, list(v.shape)] for k, v in m.state_dict().items()], 'repr': repr(m)}

seeded = ${JSON.stringify(SEEDED)}
result = {'models': {}, 'variants': [], 'errors': {}}
for name in ${JSON.stringify(BUILDERS.map(([n]) => n))}:
    r = describe_builder(name)
    if name in seeded:
        torch.manual_seed(0)
        m = M.get_model(name)
        r['init'] = init_sums(m)
        perturb(m, 1)
        torch.save(m.state_dict(), os.path.join(${JSON.stringify(dir)}, name + '.pt'))
        m.eval()
        torch.manual_seed(3)
        x = torch.randn(*seeded[name])
        with torch.no_grad():
            r['out'] = m(x).flatten().tolist()
        # a training step: stochastic depth draws from the seeded generator
        m.train()
        torch.manual_seed(4)
        w = torch.randn(1, 1000)
        x.requires_grad_()
        torch.manual_seed(5)
        (m(x) * w).sum().backward()
        r['grads'] = grad_sums(m)
        r['xGrad'] = x.grad.flatten().tolist()
        del m
    result['models'][name] = r
with OnMeta():
    for call in ${JSON.stringify(VARIANTS.map(([, call]) => call))}:
        result['variants'].append(describe(eval(call)))
result['errors'] = {
    'swinSdp': err(lambda: M.swin_t(stochastic_depth_prob=0.5)),
    'swinV2Block': err(lambda: M.swin_v2_t(block=SW.SwinTransformerBlock)),
    'maxvitSize': err(lambda: M.maxvit_t(input_size=(112, 112))),
    'maxvitWeightsSize': err(lambda: M.maxvit_t(weights='DEFAULT', input_size=(256, 256))),
    'maxvitHeadDim': err(lambda: M.maxvit_t(head_dim=16)),
}
`);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// the models compared by value: their initial tensors checked on the model built for the structure test
const initChecks = Object.fromEntries(Object.keys(SEEDED).map((name) => [name, {
  title: "same seed -> torchvision's initial tensors",
  check: (m: Module) => expectSums(`${name} init`, initSums(m), py.models[name].init!, 1e-9),
}]));
describeBuilders(BUILDERS, (name) => py.models[name], initChecks);

describe.each(Object.entries(SEEDED))('%s by value', (name, shape) => {
  test("a torchvision state_dict loads by path: torchvision's eval outputs; a seeded training step: its gradients", () => {
    const want = py.models[name];
    torch.tidy(() => {
      const m = builderOf(name)({ weights: fileOf(name) });
      m.eval();
      torch.manualSeed(3);
      const x = torch.randn(shape);
      const out = torch.noGrad(() => m(x) as torch.Tensor);
      expect(out.numel()).toBe(want.out!.length);
      expect(relDiff(out, want.out!)).toBeLessThan(1e-4);

      m.train();
      torch.manualSeed(4);
      const w = torch.randn(1, 1000);
      x.requiresGrad_();
      torch.manualSeed(5);
      (m(x) as torch.Tensor).mul(w).sum().backward();
      expect(relDiff(x.grad!, want.xGrad!)).toBeLessThan(1e-3);
      const grads = [...m.namedParameters()].map(([k, p]) => [k, p.grad!.double().sum().item() as number, p.grad!.double().abs().sum().item() as number] as const);
      expect(grads.map(([k]) => k)).toEqual(want.grads!.map(([k]) => k));
      grads.forEach(([k, s, a], i) => {
        const [, ws, wa] = want.grads![i];
        // a sum relative to the gradient's size (sums near zero cancel)
        if (Math.abs(s - ws) > 1e-3 * Math.max(wa, 1e-12) || !close(a, wa, 1e-3)) throw new Error(`${name} ${k}: grad sum ${s}/${a}, torchvision ${ws}/${wa}`);
      });
    });
  });
});

test("an enum entry loads from torch.hub's cache by name (maxvit_t: its min_size fixes the input size)", () => {
  const torchHome = path.join(dir, 'torch-home');
  const entry = models.MaxVit_T_Weights.IMAGENET1K_V1;
  fs.mkdirSync(path.join(torchHome, 'hub', 'checkpoints'), { recursive: true });
  fs.copyFileSync(fileOf('maxvit_t'), path.join(torchHome, 'hub', 'checkpoints', entry.fileName));
  const saved = process.env.TORCH_HOME;
  process.env.TORCH_HOME = torchHome;
  try {
    torch.tidy(() => {
      const m = models.maxvitT({ weights: 'IMAGENET1K_V1' }).eval();
      torch.manualSeed(3);
      const out = torch.noGrad(() => m(torch.randn(SEEDED.maxvit_t)) as torch.Tensor);
      expect(relDiff(out, py.models.maxvit_t.out!)).toBeLessThan(1e-4);
    });
  } finally {
    if (saved === undefined) delete process.env.TORCH_HOME;
    else process.env.TORCH_HOME = saved;
  }
});

test('option variants build what torchvision builds', () => {
  VARIANTS.forEach(([label, , make], i) => {
    torch.tidy(() => {
      const m = make();
      expect([label, String(m)]).toEqual([label, py.variants[i].repr]);
      expect(Object.entries(m.stateDict()).map(([k, v]) => [k, v.shape])).toEqual(py.variants[i].keys);
    });
  });
});

test('the heads fine-tuning code replaces are typed: model.head, model.classifier[5]', () => {
  torch.tidy(() => {
    const linearIn = (name: string, key: string) => py.models[name].keys.find(([k]) => k === key)![1][1];
    expect(models.swinT().head.inFeatures).toBe(linearIn('swin_t', 'head.weight'));
    const m = models.maxvitT();
    expect([m.classifier[3].inFeatures, m.classifier[5].inFeatures]).toEqual([linearIn('maxvit_t', 'classifier.3.weight'), linearIn('maxvit_t', 'classifier.5.weight')]);
  });
});

test('arguments the builders fix, and sizes MaxViT cannot partition: torchvision errors', () => {
  expect(() => models.swinT({ stochasticDepthProb: 0.5 })).toThrow(py.errors.swinSdp.replace('stochastic_depth_prob', 'stochasticDepthProb').replace(/^.*\(\)/, 'swinT()'));
  expect(() => models.swinV2T({ block: models.SwinTransformerBlock })).toThrow(py.errors.swinV2Block.replace(/^.*\(\)/, 'swinV2T()'));
  expect(() => models.maxvitT({ inputSize: [112, 112] })).toThrow(py.errors.maxvitSize);
  expect(() => models.maxvitT({ weights: 'DEFAULT', inputSize: [256, 256] })).toThrow(py.errors.maxvitWeightsSize);
  expect(() => models.maxvitT({ headDim: 16 } as Record<string, unknown>)).toThrow(py.errors.maxvitHeadDim.replace('head_dim', 'headDim').replace(/^.*\(\)/, 'maxvitT()'));
});
