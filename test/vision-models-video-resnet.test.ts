// torchvision 0.14's video ResNets (r3d_18, mc3_18, r2plus1d_18), against torchvision, one model per
// Python run (the 3-D models are slow on small machines):
// - state_dict keys and shapes, parameter count, printed repr, the weights enum (entries, URLs, cache
//   file, VideoClassification preset repr, meta);
// - torch.manualSeed(0) gives torchvision's initial tensors (kaiming_normal fan_out, N(0, 0.01) fc);
// - a perturbed state_dict saved by Python loads by path and gives torchvision's eval outputs on a
//   1x3x4x32x32 clip; a training step gives its input and parameter gradients and BN statistics;
// - a Bottleneck VideoResNet built from the parts (repr, init, forward); the errors torchvision raises.
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

jest.setTimeout(600_000);

type Build = (o?: Record<string, unknown>) => Module;
const BUILDERS: [string, string, Build][] = [
  ['r3d_18', 'R3D_18_Weights', video.r3d18 as Build],
  ['mc3_18', 'MC3_18_Weights', video.mc3_18 as Build],
  ['r2plus1d_18', 'R2Plus1D_18_Weights', video.r2plus1d18 as Build],
];
const CLIP = [1, 3, 4, 32, 32];

interface PyModel extends PyBuilder {
  init: Sums[];
  out: number[];
  grads: Sums[];
  xGrad: number[];
  after: Sums[];
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'video-resnet-'));
const fileOf = (name: string) => path.join(dir, `${name}.pt`);
const py: Record<string, PyModel> = {};

/** Python, one process for the builders: each described, seeded init, perturbed weights saved, eval outputs, a training step. */
const PY_MODELS = `
import torchvision.models as M
${PY_BUILDERS}${PY_PERTURB}
def model_of(name, file):
    r = describe_builder(name)
    torch.manual_seed(0)
    m = M.get_model(name)
    r['init'] = init_sums(m)
    perturb(m, 1)
    torch.save(m.state_dict(), file)
    m.eval()
    torch.manual_seed(3)
    x = torch.randn(*${JSON.stringify(CLIP)})
    with torch.no_grad():
        r['out'] = m(x).flatten().tolist()
    m.train()
    torch.manual_seed(4)
    w = torch.randn(1, 400)
    x.requires_grad_()
    (m(x) * w).sum().backward()
    r['grads'] = grad_sums(m)
    r['xGrad'] = x.grad.flatten().tolist()
    r['after'] = init_sums(m)
    return r
result = {name: model_of(name, file) for name, file in ${JSON.stringify(BUILDERS.map(([n]) => [n, fileOf(n)]))}}
`;

beforeAll(() => {
  Object.assign(py, runPython<Record<string, PyModel>>(PY_MODELS));
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.each(BUILDERS)('%s', (name, enumName, build) => {
  // one model built for both
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

  test("the weights enum as torchvision's: entries, URLs, cache file, transforms, meta", () => {
    const want = py[name];
    const e = (video as unknown as Record<string, video.VideoWeights & Record<string, video.VideoWeights>>)[enumName];
    expect(enumName).toBe(want.enumName);
    expect(Object.keys(e).filter((k) => k !== 'DEFAULT')).toEqual(want.entries.map((x) => x.name));
    expect(e.DEFAULT).toBe(e[want.default]);
    for (const w of want.entries) {
      const ours = e[w.name];
      expect([ours.url, ours.fileName, path.join(checkpointsDir(), ours.fileName), String(ours)]).toEqual([w.url, w.file, w.path, `${enumName}.${w.name}`]);
      expect(String(ours.transforms())).toBe(w.transforms);
      expect([ours.meta.numParams, ours.meta.minSize, ours.meta.categories?.length]).toEqual([w.numParams, w.minSize, w.categories]);
      expect(ours.meta.numParams).toBe(want.numParams);
    }
  });

  test("a torchvision state_dict loads by path: its eval outputs; a training step: its gradients and BN statistics", () => {
    const want = py[name];
    torch.tidy(() => {
      const m = build({ weights: fileOf(name) });
      m.eval();
      torch.manualSeed(3);
      const x = torch.randn(CLIP);
      const out = torch.noGrad(() => m(x) as torch.Tensor);
      expect(out.shape).toEqual([1, 400]);
      expect(relDiff(out, want.out)).toBeLessThan(1e-4);

      m.train();
      torch.manualSeed(4);
      const w = torch.randn(1, 400);
      x.requiresGrad_();
      (m(x) as torch.Tensor).mul(w).sum().backward();
      expect(relDiff(x.grad!, want.xGrad)).toBeLessThan(1e-3);
      const grads = [...m.namedParameters()].map(([k, p]) => [k, p.grad!.double().sum().item() as number, p.grad!.double().abs().sum().item() as number] as const);
      expect(grads.map(([k]) => k)).toEqual(want.grads.map(([k]) => k));
      grads.forEach(([k, s, a], i) => {
        const [, ws, wa] = want.grads[i];
        // a sum relative to the gradient's size (sums near zero cancel)
        if (Math.abs(s - ws) > 1e-3 * Math.max(wa, 1e-12) || !close(a, wa, 1e-3)) throw new Error(`${name} ${k}: grad sum ${s}/${a}, torchvision ${ws}/${wa}`);
      });
      expectSums(`${name} after a training step`, initSums(m), want.after, 1e-4);
    });
  });
});

test("an entry name loads from torch.hub's cache; pretrained: true is KINETICS400_V1, with torchvision's warnings", () => {
  const torchHome = path.join(dir, 'torch-home');
  const entry = video.R3D_18_Weights.KINETICS400_V1;
  fs.mkdirSync(path.join(torchHome, 'hub', 'checkpoints'), { recursive: true });
  fs.copyFileSync(fileOf('r3d_18'), path.join(torchHome, 'hub', 'checkpoints', entry.fileName));
  const saved = process.env.TORCH_HOME;
  process.env.TORCH_HOME = torchHome;
  const warnings: string[] = [];
  const spy = jest.spyOn(process, 'emitWarning').mockImplementation(((w: string | Error) => void warnings.push(String(w))) as typeof process.emitWarning);
  try {
    torch.tidy(() => {
      torch.manualSeed(3);
      const x = torch.randn(CLIP);
      for (const m of [video.r3d18({ weights: 'KINETICS400_V1' }), video.r3d_18({ pretrained: true })]) {
        const out = torch.noGrad(() => m.eval()(x) as torch.Tensor);
        expect(relDiff(out, py.r3d_18.out)).toBeLessThan(1e-4);
      }
    });
    expect(warnings.join('\n')).toContain('`weights=R3D_18_Weights.KINETICS400_V1`');
  } finally {
    spy.mockRestore();
    if (saved === undefined) delete process.env.TORCH_HOME;
    else process.env.TORCH_HOME = saved;
  }
});

describe('VideoResNet from its parts', () => {
  let want: { repr: string; keys: [string, number[]][]; init: Sums[]; out: number[]; errors: Record<string, string> };
  beforeAll(() => {
    want = runPython(`
import torchvision.models.video.resnet as R
import torchvision.models as M
${PY_BUILDERS}
torch.manual_seed(0)
m = R.VideoResNet(R.Bottleneck, [R.Conv3DSimple, R.Conv2Plus1D, R.Conv3DNoTemporal, R.Conv3DNoTemporal], [1, 1, 1, 1], R.R2Plus1dStem, num_classes=10)
r = {'repr': repr(m), 'keys': [[k, list(v.shape)] for k, v in m.state_dict().items()], 'init': init_sums(m)}
m.eval()
torch.manual_seed(3)
with torch.no_grad():
    r['out'] = m(torch.randn(1, 3, 4, 32, 32)).flatten().tolist()
r['errors'] = {
    'classes': err(lambda: M.video.r3d_18(weights='DEFAULT', num_classes=10)),
    'otherEnum': err(lambda: M.video.r3d_18(weights=M.video.MC3_18_Weights.DEFAULT)),
    'zeroInit': err(lambda: R.VideoResNet(R.Bottleneck, [R.Conv3DSimple] * 4, [1, 1, 1, 1], R.BasicStem, zero_init_residual=True)),
    'midplanes': err(lambda: R.Conv2Plus1D(3, 8)),
}
result = r
`);
  });

  test("a Bottleneck model with mixed convolutions: torchvision's repr, keys, init and outputs", () => {
    torch.tidy(() => {
      torch.manualSeed(0);
      const m = new video.VideoResNet(video.Bottleneck, [video.Conv3DSimple, video.Conv2Plus1D, video.Conv3DNoTemporal, video.Conv3DNoTemporal], [1, 1, 1, 1], video.R2Plus1dStem, { numClasses: 10 });
      expect(String(m)).toBe(want.repr);
      expect(Object.entries(m.stateDict()).map(([k, v]) => [k, v.shape])).toEqual(want.keys);
      expectSums('bottleneck init', initSums(m), want.init, 1e-9);
      m.eval();
      torch.manualSeed(3);
      expect(relDiff(torch.noGrad(() => m(torch.randn(1, 3, 4, 32, 32))), want.out)).toBeLessThan(1e-4);
    });
  });

  test("torchvision's errors: numClasses against an entry, another model's enum, zero_init_residual with Bottleneck, a missing argument", () => {
    expect(() => video.r3d18({ weights: 'DEFAULT', numClasses: 10 })).toThrow(want.errors.classes);
    expect(() => video.r3d18({ weights: video.MC3_18_Weights.DEFAULT })).toThrow(want.errors.otherEnum);
    expect(() => new video.VideoResNet(video.Bottleneck, Array(4).fill(video.Conv3DSimple), [1, 1, 1, 1], video.BasicStem, { zeroInitResidual: true })).toThrow(want.errors.zeroInit);
    expect(() => new (video.Conv2Plus1D as unknown as new (a: number, b: number) => Module)(3, 8)).toThrow(want.errors.midplanes.replace(/^.*\(\)/, 'Conv2Plus1D()'));
    expect(() => video.r3d18({ numClasses: 10, zero_init_residual: true } as Record<string, unknown>)).toThrow("r3d_18() got an unexpected keyword argument 'zero_init_residual' (did you mean 'zeroInitResidual'?)");
  });
});
