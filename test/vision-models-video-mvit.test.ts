// torchvision 0.14's MViT (mvit_v1_b, mvit_v2_s), against torchvision, one model per Python run:
// - state_dict keys and shapes (v2's relative-position tables), parameter count, repr, the weights enum;
// - torch.manualSeed(0) gives torchvision's initial tensors (construction-time draws of every layer,
//   then truncated normal Linear weights and positional parameters);
// - a perturbed state_dict saved by Python gives its eval outputs on the one clip size the builders
//   take (1x3x16x224x224: their positional sizes are fixed), and a seeded training step (stochastic
//   depth draws) its input and parameter gradients;
// - the parts on their own (Pool on 3-d tokens, MultiscaleBlock with a BatchNorm1d, a small MViT with
//   relative positions whose q and k grids differ) and torchvision's errors.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { Module } from '../lib/nn';
import * as video from '../lib/vision/models/video';
import { checkpointsDir } from '../lib/vision/models/weights';
import { runPython } from './helpers/python';
import { PY_PERTURB, relDiff } from './helpers/model-perturb';
import { PY_BUILDERS, PyBuilder, Sums, close, expectSums, initSums } from './helpers/vision-model-oracle';

jest.setTimeout(900_000);

type Build = (o?: Record<string, unknown>) => Module;
const BUILDERS: [string, string, Build][] = [
  ['mvit_v1_b', 'MViT_V1_B_Weights', video.mvitV1B as Build],
  ['mvit_v2_s', 'MViT_V2_S_Weights', video.mvitV2S as Build],
];
const CLIP = [1, 3, 16, 224, 224];

interface PyModel extends PyBuilder {
  init: Sums[];
  grads: Sums[];
  minTemporalSize: number;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'video-mvit-'));
const weightsOf = (name: string) => path.join(dir, `${name}.pt`);
const tensorsOf = (name: string) => path.join(dir, `${name}-tensors.pt`);
const py: Record<string, PyModel> = {};
const tensors: Record<string, { out: torch.Tensor; xGrad: torch.Tensor }> = {};

const pyModel = (name: string) => `
import torchvision.models as M
${PY_BUILDERS}${PY_PERTURB}
name = ${JSON.stringify(name)}
r = describe_builder(name)
r['minTemporalSize'] = M.get_model_weights(name).DEFAULT.meta['min_temporal_size']
torch.manual_seed(0)
m = M.get_model(name)
r['init'] = init_sums(m)
perturb(m, 1)
torch.save(m.state_dict(), ${JSON.stringify(weightsOf(name))})
m.eval()
torch.manual_seed(3)
x = torch.randn(*${JSON.stringify(CLIP)})
with torch.no_grad():
    out = m(x)
m.train()
torch.manual_seed(4)
w = torch.randn(1, 400)
x.requires_grad_()
torch.manual_seed(5)
(m(x) * w).sum().backward()
r['grads'] = grad_sums(m)
torch.save({'out': out, 'xGrad': x.grad}, ${JSON.stringify(tensorsOf(name))})
result = r
`;

beforeAll(() => {
  for (const [name] of BUILDERS) {
    py[name] = runPython<PyModel>(pyModel(name));
    tensors[name] = torch.loadSync(tensorsOf(name)) as unknown as { out: torch.Tensor; xGrad: torch.Tensor };
  }
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.each(BUILDERS)('%s', (name, enumName, build) => {
  test("torchvision's state_dict keys and shapes, parameter count and repr", () => {
    const want = py[name];
    torch.tidy(() => {
      const m = build();
      expect(Object.entries(m.stateDict()).map(([k, v]) => [k, v.shape])).toEqual(want.keys);
      expect([...m.parameters()].reduce((s, p) => s + p.numel(), 0)).toBe(want.numParams);
      expect(String(m)).toBe(want.repr);
    });
  });

  test("the weights enum as torchvision's: entry, URL, cache file, transforms, meta", () => {
    const want = py[name];
    const e = (video as unknown as Record<string, Record<string, video.VideoWeights>>)[enumName];
    expect(Object.keys(e).filter((k) => k !== 'DEFAULT')).toEqual(want.entries.map((x) => x.name));
    expect(e.DEFAULT).toBe(e[want.default]);
    for (const w of want.entries) {
      const ours = e[w.name];
      expect([ours.url, ours.fileName, path.join(checkpointsDir(), ours.fileName), String(ours.transforms())]).toEqual([w.url, w.file, w.path, w.transforms]);
      expect([ours.meta.numParams, ours.meta.minSize, ours.meta.categories?.length, ours.minTemporalSize]).toEqual([want.numParams, w.minSize, w.categories, want.minTemporalSize]);
    }
  });

  test("same seed -> torchvision's initial tensors", () => {
    torch.tidy(() => {
      torch.manualSeed(0);
      expectSums(`${name} init`, initSums(build()), py[name].init, 1e-9);
    });
  });

  test("a torchvision state_dict loads by path: its eval outputs; a seeded training step: its gradients", () => {
    const want = py[name];
    const t = tensors[name];
    torch.tidy(() => {
      const m = build({ weights: weightsOf(name) });
      m.eval();
      torch.manualSeed(3);
      const x = torch.randn(CLIP);
      const out = torch.noGrad(() => m(x) as torch.Tensor);
      expect(relDiff(out, t.out.flatten().tolist() as number[])).toBeLessThan(1e-4);

      m.train();
      torch.manualSeed(4);
      const w = torch.randn(1, 400);
      x.requiresGrad_();
      torch.manualSeed(5);
      (m(x) as torch.Tensor).mul(w).sum().backward();
      const xGradDiff = (x.grad!.sub(t.xGrad).abs().max().item() as number) / (t.xGrad.abs().max().item() as number);
      expect(xGradDiff).toBeLessThan(1e-3);
      const grads = [...m.namedParameters()].map(([k, p]) => [k, p.grad!.double().sum().item() as number, p.grad!.double().abs().sum().item() as number] as const);
      expect(grads.map(([k]) => k)).toEqual(want.grads.map(([k]) => k));
      grads.forEach(([k, s, a], i) => {
        const [, ws, wa] = want.grads[i];
        if (Math.abs(s - ws) > 1e-3 * Math.max(wa, 1e-12) || !close(a, wa, 1e-3)) throw new Error(`${name} ${k}: grad sum ${s}/${a}, torchvision ${ws}/${wa}`);
      });
    });
  });
});

describe('the parts on their own', () => {
  interface PyParts {
    small: { repr: string; keys: [string, number[]][]; init: Sums[]; out: number[]; grads: Sums[]; xGrad: number[] };
    pool: { out: number[]; thw: number[] };
    block: { repr: string; out: number[]; thw: number[] };
    errors: Record<string, string>;
  }
  let want: PyParts;
  // a small MViTv2: 4 frames of 32x48 (its relative-position tables are resized for the shorter side),
  // a q grid against a k grid pooled (1, 4, 4)
  const SMALL = {
    spatial: [32, 48] as [number, number],
    temporal: 4,
    settings: [
      [1, 16, 16, [3, 3, 3], [3, 3, 3], [1, 1, 1], [1, 4, 4]],
      [2, 16, 32, [3, 3, 3], [3, 3, 3], [1, 2, 2], [1, 2, 2]],
      [2, 32, 32, [3, 3, 3], [3, 3, 3], [1, 1, 1], [1, 1, 1]],
    ] as const,
  };
  const smallSettings = () => SMALL.settings.map(([h, i, o, kq, kkv, sq, skv]) => new video.MSBlockConfig(h, i, o, kq, kkv, sq, skv));

  beforeAll(() => {
    want = runPython<PyParts>(`
import torchvision.models.video.mvit as MV
from torch import nn
${PY_BUILDERS}
settings = [MV.MSBlockConfig(*s) for s in ${JSON.stringify(SMALL.settings)}]
torch.manual_seed(0)
m = MV.MViT(tuple(${JSON.stringify(SMALL.spatial)}), ${SMALL.temporal}, settings, True, True, True, True, dropout=0.1, stochastic_depth_prob=0.3, num_classes=5)
small = {'repr': repr(m), 'keys': [[k, list(v.shape)] for k, v in m.state_dict().items()], 'init': init_sums(m)}
torch.manual_seed(3)
x = torch.randn(2, 3, ${SMALL.temporal}, *${JSON.stringify(SMALL.spatial)}, requires_grad=True)
torch.manual_seed(5)
out = m(x)
small['out'] = out.flatten().tolist()
(out * torch.arange(10.0).reshape(2, 5)).sum().backward()
small['grads'] = grad_sums(m)
small['xGrad'] = x.grad.flatten().tolist()

torch.manual_seed(6)
pool = MV.Pool(nn.AvgPool3d(2), nn.LayerNorm(4))
t = torch.randn(2, 1 + 2 * 4 * 4, 4)
po, pthw = pool(t, (2, 4, 4))
torch.manual_seed(7)
block = MV.MultiscaleBlock([2, 4, 4], MV.MSBlockConfig(2, 8, 16, [], [], [], []), False, True, False, False, norm_layer=nn.BatchNorm1d)
block.eval()
bx = torch.randn(2, 1 + 2 * 4 * 4, 8)
with torch.no_grad():
    bo, bthw = block(bx, (2, 4, 4))
result = {
    'small': small,
    'pool': {'out': po.flatten().tolist(), 'thw': list(pthw)},
    'block': {'repr': repr(block), 'out': bo.flatten().tolist(), 'thw': list(bthw)},
    'errors': {
        'empty': err(lambda: MV.MViT((32, 32), 4, [], False, False, False, False)),
        'oneBlock': err(lambda: MV.MViT((32, 32), 4, settings[:1], False, False, False, False)),
        'dims': err(lambda: pool(torch.randn(2, 3), (1, 1, 1))),
        'spatialSize': err(lambda: MV.mvit_v2_s(spatial_size=(112, 112))),
        'classes': err(lambda: MV.mvit_v1_b(weights='DEFAULT', num_classes=10)),
    },
}
`);
  });

  test("a small MViTv2 built from MSBlockConfigs: torchvision's repr, keys, init, outputs and gradients (train mode)", () => {
    const w = want.small;
    torch.tidy(() => {
      torch.manualSeed(0);
      const m = new video.MViT(SMALL.spatial, SMALL.temporal, smallSettings(), true, true, true, true, { dropout: 0.1, stochasticDepthProb: 0.3, numClasses: 5 });
      expect(String(m)).toBe(w.repr);
      expect(Object.entries(m.stateDict()).map(([k, v]) => [k, v.shape])).toEqual(w.keys);
      expectSums('small init', initSums(m), w.init, 1e-9);
      torch.manualSeed(3);
      const x = torch.randn([2, 3, SMALL.temporal, ...SMALL.spatial], { requiresGrad: true });
      torch.manualSeed(5);
      const out = m(x);
      expect(relDiff(out, w.out)).toBeLessThan(1e-4);
      out.mul(torch.arange(10.0).reshape(2, 5)).sum().backward();
      expect(relDiff(x.grad!, w.xGrad)).toBeLessThan(1e-3);
      const grads = [...m.namedParameters()].map(([k, p]) => [k, p.grad!.double().sum().item() as number, p.grad!.double().abs().sum().item() as number] as const);
      expect(grads.map(([k]) => k)).toEqual(w.grads.map(([k]) => k));
      grads.forEach(([k, s, a], i) => {
        const [, ws, wa] = w.grads[i];
        if (Math.abs(s - ws) > 1e-3 * Math.max(wa, 1e-12) || !close(a, wa, 1e-3)) throw new Error(`small ${k}: grad sum ${s}/${a}, torchvision ${ws}/${wa}`);
      });
    });
  });

  test("Pool on (B, N, C) tokens and a MultiscaleBlock with BatchNorm1d: torchvision's outputs and grid sizes", () => {
    torch.tidy(() => {
      torch.manualSeed(6);
      const pool = new video.Pool(new torch.nn.AvgPool3d(2), new torch.nn.LayerNorm(4));
      const [po, pthw] = pool(torch.randn(2, 1 + 2 * 4 * 4, 4), [2, 4, 4]) as [torch.Tensor, number[]];
      expect(relDiff(po, want.pool.out)).toBeLessThan(1e-5);
      expect(pthw).toEqual(want.pool.thw);

      torch.manualSeed(7);
      // no pooling: torchvision's pools cannot take a BatchNorm1d
      const cnf = new video.MSBlockConfig(2, 8, 16, [], [], [], []);
      const block = new video.MultiscaleBlock([2, 4, 4], cnf, false, true, false, false, { normLayer: (c) => new torch.nn.BatchNorm1d(c) });
      block.eval();
      expect(String(block)).toBe(want.block.repr);
      const [bo, bthw] = torch.noGrad(() => block(torch.randn(2, 1 + 2 * 4 * 4, 8), [2, 4, 4])) as [torch.Tensor, number[]];
      expect(relDiff(bo, want.block.out)).toBeLessThan(1e-5);
      expect(bthw).toEqual(want.block.thw);
    });
  });

  test("torchvision's errors", () => {
    expect(() => new video.MViT([32, 32], 4, [], false, false, false, false)).toThrow(want.errors.empty);
    expect(() => new video.MViT([32, 32], 4, smallSettings().slice(0, 1), false, false, false, false)).toThrow(want.errors.oneBlock);
    const pool = new video.Pool(new torch.nn.AvgPool3d(2), null);
    expect(() => pool(torch.randn(2, 3), [1, 1, 1])).toThrow(want.errors.dims);
    expect(() => video.mvitV2S({ spatialSize: [112, 112] } as Record<string, unknown>)).toThrow(want.errors.spatialSize.replace(/^.*\(\)/, '_mvit()').replace('spatial_size', 'spatialSize'));
    expect(() => video.mvitV1B({ weights: 'DEFAULT', numClasses: 10 })).toThrow(want.errors.classes);
  });
});
