// torchvision 0.14's S3D (s3d), against torchvision: state_dict keys and shapes, parameter count, repr,
// the weights enum (min_temporal_size included); torch.manualSeed(0) gives its initial tensors (default
// layer initialisation in construction order); a perturbed state_dict saved by Python gives its eval
// outputs, and a seeded training step (dropout draws, BatchNorm batch statistics) its gradients, on the
// smallest clip S3D takes (1x3x13x209x209); options by repr; a too-short clip fails as in torchvision.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import * as video from '../lib/vision/models/video';
import { checkpointsDir } from '../lib/vision/models/weights';
import { runPython } from './helpers/python';
import { PY_PERTURB, relDiff } from './helpers/model-perturb';
import { PY_BUILDERS, PyBuilder, Sums, close, expectSums, initSums } from './helpers/vision-model-oracle';

jest.setTimeout(600_000);

const CLIP = [1, 3, 13, 209, 209];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'video-s3d-'));
const weightsFile = path.join(dir, 's3d.pt');
const tensorsFile = path.join(dir, 's3d-tensors.pt');

interface PyS3D extends PyBuilder {
  init: Sums[];
  grads: Sums[];
  after: Sums[];
  minTemporalSize: number;
  variant: string;
  shortClip: string;
}
let py: PyS3D;
let tensors: { out: torch.Tensor; xGrad: torch.Tensor };

beforeAll(() => {
  py = runPython<PyS3D>(`
import torchvision.models as M
from torch import nn
from functools import partial
${PY_BUILDERS}${PY_PERTURB}
r = describe_builder('s3d')
r['minTemporalSize'] = M.video.S3D_Weights.DEFAULT.meta['min_temporal_size']
torch.manual_seed(0)
m = M.get_model('s3d')
r['init'] = init_sums(m)
perturb(m, 1)
torch.save(m.state_dict(), ${JSON.stringify(weightsFile)})
m.eval()
torch.manual_seed(3)
x = torch.randn(*${JSON.stringify(CLIP)})
with torch.no_grad():
    out = m(x)
    r['shortClip'] = err(lambda: m(torch.randn(1, 3, 12, 209, 209)))
m.train()
torch.manual_seed(4)
w = torch.randn(1, 400)
x.requires_grad_()
torch.manual_seed(5)
(m(x) * w).sum().backward()
r['grads'] = grad_sums(m)
r['after'] = init_sums(m)
torch.save({'out': out, 'xGrad': x.grad}, ${JSON.stringify(tensorsFile)})
with OnMeta():
    r['variant'] = repr(M.video.S3D(10, 0.5, partial(nn.BatchNorm3d, eps=0.01)))
result = r
`);
  tensors = torch.loadSync(tensorsFile) as unknown as typeof tensors;
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test("torchvision's state_dict keys and shapes, parameter count and repr", () => {
  torch.tidy(() => {
    const m = video.s3d();
    expect(Object.entries(m.stateDict()).map(([k, v]) => [k, v.shape])).toEqual(py.keys);
    expect([...m.parameters()].reduce((s, p) => s + p.numel(), 0)).toBe(py.numParams);
    expect(String(m)).toBe(py.repr);
  });
});

test("the weights enum as torchvision's: entry, URL, cache file, transforms, meta", () => {
  const e = video.S3D_Weights;
  expect(Object.keys(e).filter((k) => k !== 'DEFAULT')).toEqual(py.entries.map((x) => x.name));
  expect(e.DEFAULT).toBe(e[py.default]);
  for (const w of py.entries) {
    const ours = e[w.name] as video.VideoWeights;
    expect([ours.url, ours.fileName, path.join(checkpointsDir(), ours.fileName), String(ours.transforms())]).toEqual([w.url, w.file, w.path, w.transforms]);
    expect([ours.meta.numParams, ours.meta.minSize, ours.meta.categories?.length, ours.minTemporalSize]).toEqual([py.numParams, w.minSize, w.categories, py.minTemporalSize]);
  }
});

test("same seed -> torchvision's initial tensors", () => {
  torch.tidy(() => {
    torch.manualSeed(0);
    expectSums('s3d init', initSums(video.s3d()), py.init, 1e-9);
  });
});

test("a torchvision state_dict loads by path: its eval outputs; a seeded training step: its gradients", () => {
  torch.tidy(() => {
    const m = video.s3d({ weights: weightsFile });
    m.eval();
    torch.manualSeed(3);
    const x = torch.randn(CLIP);
    const out = torch.noGrad(() => m(x));
    expect(relDiff(out, tensors.out.flatten().tolist() as number[])).toBeLessThan(1e-4);
    expect(() => torch.noGrad(() => m(torch.randn(1, 3, 12, 209, 209)))).toThrow(py.shortClip);

    m.train();
    torch.manualSeed(4);
    const w = torch.randn(1, 400);
    x.requiresGrad_();
    torch.manualSeed(5);
    m(x).mul(w).sum().backward();
    const xGrad = x.grad!.sub(tensors.xGrad).abs().max().item() as number;
    expect(xGrad / (tensors.xGrad.abs().max().item() as number)).toBeLessThan(1e-3);
    const grads = [...m.namedParameters()].map(([k, p]) => [k, p.grad!.double().sum().item() as number, p.grad!.double().abs().sum().item() as number] as const);
    expect(grads.map(([k]) => k)).toEqual(py.grads.map(([k]) => k));
    grads.forEach(([k, s, a], i) => {
      const [, ws, wa] = py.grads[i];
      if (Math.abs(s - ws) > 1e-3 * Math.max(wa, 1e-12) || !close(a, wa, 1e-3)) throw new Error(`s3d ${k}: grad sum ${s}/${a}, torchvision ${ws}/${wa}`);
    });
    expectSums('s3d after a training step', initSums(m), py.after, 1e-4);
  });
});

test("S3D's positional arguments (num_classes, dropout, norm_layer): torchvision's repr", () => {
  torch.tidy(() => {
    expect(String(new video.S3D(10, 0.5, (c) => new torch.nn.BatchNorm3d(c, { eps: 0.01 })))).toBe(py.variant);
  });
});
