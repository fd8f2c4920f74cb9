// torchvision 0.14's VideoClassification preset (transforms/_presets.py), against torchvision: a
// single (T, C, H, W) uint8 clip upscaled and a batched (N, T, C, H, W) float clip downscaled give
// its (..., C, T, H, W) outputs; nearest interpolation and custom statistics; the repr; unknown keywords.
import * as torch from '../lib';
import { VideoClassification } from '../lib/vision/models/video';
import { runPython } from './helpers/python';
import { relDiff } from './helpers/model-perturb';

interface PyPreset {
  shape: number[];
  out: number[];
  repr: string;
}
let py: PyPreset[];

/** [label, video shape, uint8?, torchvision's keyword arguments, ours] */
const CASES: [string, number[], boolean, string, ConstructorParameters<typeof VideoClassification>[0]][] = [
  ['a uint8 (T, C, H, W) clip, upscaled', [3, 3, 20, 30], true, 'crop_size=(24, 32), resize_size=(28, 37)', { cropSize: [24, 32], resizeSize: [28, 37] }],
  ['a float (N, T, C, H, W) batch, downscaled', [2, 2, 3, 40, 50], false, 'crop_size=(12, 12), resize_size=(16, 21)', { cropSize: [12, 12], resizeSize: [16, 21] }],
  [
    'nearest, custom statistics',
    [2, 3, 17, 19],
    true,
    'crop_size=(8, 10), resize_size=(9, 11), mean=(0.5, 0.25, 1.0), std=(0.5, 1.0, 2.0), interpolation=InterpolationMode.NEAREST',
    { cropSize: [8, 10], resizeSize: [9, 11], mean: [0.5, 0.25, 1], std: [0.5, 1, 2], interpolation: 'nearest' },
  ],
];

/** Python's and our clip: seeded uniform floats, or their uint8 scaling. */
const PY_CLIP = 'torch.rand(*shape) if not u8 else (torch.rand(*shape) * 255).to(torch.uint8)';
const clip = (shape: number[], u8: boolean) => (u8 ? torch.rand(shape).mul(255).to(torch.uint8) : torch.rand(shape));

beforeAll(() => {
  py = runPython<PyPreset[]>(`
from torchvision.transforms._presets import VideoClassification
from torchvision.transforms import InterpolationMode
result = []
for shape, u8, kwargs in json.loads(${JSON.stringify(JSON.stringify(CASES.map(([, shape, u8, kw]) => [shape, u8, kw])))}):
    torch.manual_seed(0)
    vid = ${PY_CLIP}
    t = eval('VideoClassification(' + kwargs + ')')
    out = t(vid)
    result.append({'shape': list(out.shape), 'out': out.flatten().tolist(), 'repr': repr(t)})
`);
});

test.each(CASES.map((c, i) => [c[0], i] as const))("%s: torchvision's output and repr", (_label, i) => {
  const [, shape, u8, , options] = CASES[i];
  torch.tidy(() => {
    torch.manualSeed(0);
    const t = new VideoClassification(options);
    const out = t(clip(shape, u8));
    expect(out.shape).toEqual(py[i].shape);
    expect(out.dtype).toBe(torch.float32);
    expect(relDiff(out, py[i].out)).toBeLessThan(1e-6);
    expect(String(t)).toBe(py[i].repr);
  });
});

test('keyword-only options, checked', () => {
  expect(() => new VideoClassification({ cropSize: [8, 8], resizeSize: [9, 9], crop_size: [8, 8] } as never)).toThrow(
    "VideoClassification() got an unexpected keyword argument 'crop_size' (did you mean 'cropSize'?)",
  );
});

test("the by-name API: models.video, get_model_builder, list_models(video), get_weight", async () => {
  const { models } = await import('../lib/vision');
  const py = runPython<{ names: string[]; weight: string }>(`
from torchvision import models as M
result = {'names': M.list_models(M.video), 'weight': M.get_weight('MViT_V2_S_Weights.DEFAULT').url}
`);
  expect(models.listModels(models.video)).toEqual(py.names);
  expect(models.getModelBuilder('r2plus1d_18')).toBe(models.video.r2plus1d18);
  expect(models.getModelBuilder('mvit_v2_s')).toBe(models.video.mvitV2S);
  expect(models.getWeight('MViT_V2_S_Weights.DEFAULT')).toBe(models.video.MViT_V2_S_Weights.DEFAULT);
  expect(models.getWeight('MViT_V2_S_Weights.DEFAULT').url).toBe(py.weight);
});
