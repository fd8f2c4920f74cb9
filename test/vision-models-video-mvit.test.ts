// torchvision 0.14's MViT (mvit_v1_b, mvit_v2_s), against torchvision, one model per Python run:
// - state_dict keys and shapes (v2's relative-position tables), parameter count, repr, the weights enum;
// - torch.manualSeed(0) gives torchvision's initial tensors (construction-time draws of every layer,
//   then truncated normal Linear weights and positional parameters);
// - a perturbed state_dict saved by Python loads by path and gives its eval outputs on the one clip
//   size the builders take (1x3x16x224x224: their positional sizes are fixed);
// - a seeded training step (stochastic depth draws) gives torchvision's input and parameter gradients,
//   on the builder's own MViT arguments (block settings and flags, as torchvision's builder passes
//   them) at a 1x3x4x64x64 clip: every stage and pooling stride still runs, on 1/49 of the tokens
//   (at the full clip the step costs 3x the eval pass, ~200 GFLOP per model and language);
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
import { PY_PERTURB, perturb, relDiff } from './helpers/model-perturb';
import { PY_BUILDERS, PyBuilder, Sums, close, expectSums, initSums } from './helpers/vision-model-oracle';

jest.setTimeout(900_000);

type Build = (o?: Record<string, unknown>) => Module;
const BUILDERS: [string, string, Build][] = [
  ['mvit_v1_b', 'MViT_V1_B_Weights', video.mvitV1B as Build],
  ['mvit_v2_s', 'MViT_V2_S_Weights', video.mvitV2S as Build],
];
const CLIP = [1, 3, 16, 224, 224];
/** the training step's clip: 2 x 16 x 16 tokens after the patch embedding (8 x 56 x 56 at CLIP) */
const SMALL_CLIP = [1, 3, 4, 64, 64];

/** The arguments torchvision's builder gives MViT (besides the sizes), camelCased. */
interface PyMViTArgs {
  blockSetting: [number, number, number, number[], number[], number[], number[]][];
  residualPool: boolean;
  residualWithClsEmbed: boolean;
  relPosEmbed: boolean;
  projAfterAttn: boolean;
  stochasticDepthProb: number;
}
interface PyModel extends PyBuilder {
  init: Sums[];
  grads: Sums[];
  minTemporalSize: number;
  args: PyMViTArgs;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'video-mvit-'));
const weightsOf = (name: string) => path.join(dir, `${name}.pt`);
const tensorsOf = (name: string) => path.join(dir, `${name}-tensors.pt`);
const py: Record<string, PyModel> = {};
const tensors: Record<string, { out: torch.Tensor; xGrad: torch.Tensor }> = {};
/** the parts on their own, as torchvision computes them */
let want: PyParts;

interface PyParts {
  small: { repr: string; keys: [string, number[]][]; init: Sums[]; out: number[]; grads: Sums[]; xGrad: number[] };
  pool: { out: number[]; thw: number[] };
  block: { repr: string; out: number[]; thw: number[] };
  errors: Record<string, string>;
}
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

/** Python: the parts on their own (after PY_MODELS, in its process). */
const PY_PARTS = `
import torchvision.models.video.mvit as MV
from torch import nn
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
parts = {
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
`;

/** Python: the builders' models, one at a time (a process for the file: the parts' program follows). */
const PY_MODELS = `
import torchvision.models as M
import torchvision.models.video.mvit as MV
${PY_BUILDERS}${PY_PERTURB}
def small_of(name):
    # torchvision's builder, with MViT patched to record the arguments it gets and to take the small clip
    seen = {}
    full = MV.MViT
    def capture(**kw):
        seen.update(kw)
        return full(**{**kw, 'spatial_size': tuple(${JSON.stringify(SMALL_CLIP.slice(3))}), 'temporal_size': ${SMALL_CLIP[2]}})
    MV.MViT = capture
    try:
        m = getattr(MV, name)()
    finally:
        MV.MViT = full
    assert set(seen) == {'spatial_size', 'temporal_size', 'block_setting', 'residual_pool', 'residual_with_cls_embed', 'rel_pos_embed', 'proj_after_attn', 'stochastic_depth_prob'}, seen
    args = {'blockSetting': [[b.num_heads, b.input_channels, b.output_channels, b.kernel_q, b.kernel_kv, b.stride_q, b.stride_kv] for b in seen['block_setting']],
            'residualPool': seen['residual_pool'], 'residualWithClsEmbed': seen['residual_with_cls_embed'], 'relPosEmbed': seen['rel_pos_embed'],
            'projAfterAttn': seen['proj_after_attn'], 'stochasticDepthProb': seen['stochastic_depth_prob']}
    return m, args
models = {}
for name, weights_file, tensors_file in ${JSON.stringify(BUILDERS.map(([n]) => [n, weightsOf(n), tensorsOf(n)]))}:
    r = describe_builder(name)
    r['minTemporalSize'] = M.get_model_weights(name).DEFAULT.meta['min_temporal_size']
    torch.manual_seed(0)
    m = M.get_model(name)
    r['init'] = init_sums(m)
    perturb(m, 1)
    torch.save(m.state_dict(), weights_file)
    m.eval()
    torch.manual_seed(3)
    with torch.no_grad():
        out = m(torch.randn(*${JSON.stringify(CLIP)}))
    del m
    torch.manual_seed(0)
    m, r['args'] = small_of(name)
    perturb(m, 1)
    m.train()
    torch.manual_seed(3)
    x = torch.randn(*${JSON.stringify(SMALL_CLIP)}, requires_grad=True)
    torch.manual_seed(4)
    w = torch.randn(1, 400)
    torch.manual_seed(5)
    (m(x) * w).sum().backward()
    r['grads'] = grad_sums(m)
    torch.save({'out': out, 'xGrad': x.grad}, tensors_file)
    del m
    models[name] = r
`;

beforeAll(() => {
  const r = runPython<{ models: Record<string, PyModel>; parts: PyParts }>(`${PY_MODELS}${PY_PARTS}
result = {'models': models, 'parts': parts}
`);
  Object.assign(py, r.models);
  want = r.parts;
  for (const [name] of BUILDERS) tensors[name] = torch.loadSync(tensorsOf(name)) as unknown as { out: torch.Tensor; xGrad: torch.Tensor };
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.each(BUILDERS)('%s', (name, enumName, build) => {
  // one model built for both (~36M parameters to initialise)
  test("torchvision's state_dict keys and shapes, parameter count and repr; same seed -> torchvision's initial tensors", () => {
    const want = py[name];
    torch.tidy(() => {
      torch.manualSeed(0);
      const m = build();
      expect(Object.entries(m.stateDict()).map(([k, v]) => [k, v.shape])).toEqual(want.keys);
      expect([...m.parameters()].reduce((s, p) => s + p.numel(), 0)).toBe(want.numParams);
      expect(String(m)).toBe(want.repr);
      expectSums(`${name} init`, initSums(m), want.init, 1e-9);
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

  test("a torchvision state_dict loads by path: its eval outputs", () => {
    torch.tidy(() => {
      const m = build({ weights: weightsOf(name) });
      m.eval();
      torch.manualSeed(3);
      const out = torch.noGrad(() => m(torch.randn(CLIP)) as torch.Tensor);
      expect(relDiff(out, tensors[name].out.flatten().tolist() as number[])).toBeLessThan(1e-4);
    });
  });

  test("the builder's MViT arguments at a small clip, a seeded training step: torchvision's gradients", () => {
    const want = py[name];
    const t = tensors[name];
    torch.tidy(() => {
      const a = want.args;
      const settings = a.blockSetting.map(([h, i, o, kq, kkv, sq, skv]) => new video.MSBlockConfig(h, i, o, kq, kkv, sq, skv));
      torch.manualSeed(0);
      const m = new video.MViT([SMALL_CLIP[3], SMALL_CLIP[4]], SMALL_CLIP[2], settings, a.residualPool, a.residualWithClsEmbed, a.relPosEmbed, a.projAfterAttn, { stochasticDepthProb: a.stochasticDepthProb });
      perturb(m, 1);
      m.train();
      torch.manualSeed(3);
      const x = torch.randn(SMALL_CLIP, { requiresGrad: true });
      torch.manualSeed(4);
      const w = torch.randn(1, 400);
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
