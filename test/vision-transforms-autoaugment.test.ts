// AutoAugment (every policy), RandAugment, TrivialAugmentWide and AugMix against torchvision 0.14:
// after the same torch.manual_seed, the same draws and so the same images, exactly for uint8 (a
// sub-policy, op, magnitude or sign drawn differently would show), on RGB images, a batch, a 2-D
// Fashion-MNIST image (against torchvision on its [1, H, W] tensor) and float images (where
// torchvision raises for an op that needs uint8, the same error). Reprs and errors too.
import * as torch from '../lib';
import { transforms as T, datasets } from '../lib/vision';
import { readIdxFile } from '../lib/data/idx';
import { encodeLibraryValue, decodeLibraryValue } from '../lib/data/library-ref';
import { DataLoader, Subset } from '../lib/data';
import * as fs from 'fs';
import * as path from 'path';
import { runPython } from './helpers/python';
import { messageOf } from './helpers/errors';
import { ValueError } from '../lib/errors';

jest.setTimeout(300_000);

type Img = torch.Tensor;
type Name = 'img' | 'batch' | 'gray' | 'f';
const SEEDS = [1, 7, 42];
const CALLS = 8;
const B = 'T.InterpolationMode.BILINEAR';

/** [torchvision transform, the image, torch-node's]: CALLS calls after each seed */
const CASES: [string, Name, () => (x: Img) => Img][] = [
  ['T.AutoAugment()', 'img', () => new T.AutoAugment()],
  ['T.AutoAugment(T.AutoAugmentPolicy.CIFAR10)', 'img', () => new T.AutoAugment(T.AutoAugmentPolicy.CIFAR10)],
  ['T.AutoAugment(T.AutoAugmentPolicy.SVHN)', 'img', () => new T.AutoAugment(T.AutoAugmentPolicy.SVHN)],
  [`T.AutoAugment(T.AutoAugmentPolicy.SVHN, ${B}, fill=[10, 200, 90])`, 'img', () => new T.AutoAugment('svhn', 'bilinear', [10, 200, 90])],
  ['T.AutoAugment(policy=T.AutoAugmentPolicy.CIFAR10, fill=128)', 'batch', () => new T.AutoAugment({ policy: 'cifar10', fill: 128 })],
  ['T.AutoAugment(T.AutoAugmentPolicy.IMAGENET, fill=[30])', 'gray', () => new T.AutoAugment('imagenet', { fill: [30] })],
  ['T.AutoAugment(T.AutoAugmentPolicy.CIFAR10)', 'f', () => new T.AutoAugment('cifar10')],
  ['T.RandAugment()', 'img', () => new T.RandAugment()],
  [`T.RandAugment(3, 14, 15, ${B}, [0, 50, 255])`, 'img', () => new T.RandAugment(3, 14, 15, 'bilinear', [0, 50, 255])],
  ['T.RandAugment(num_ops=1, magnitude=30, fill=7)', 'batch', () => new T.RandAugment({ numOps: 1, magnitude: 30, fill: 7 })],
  ['T.RandAugment()', 'gray', () => new T.RandAugment()],
  ['T.RandAugment(magnitude=31)', 'img', () => new T.RandAugment({ magnitude: 31 })],
  ['T.TrivialAugmentWide()', 'img', () => new T.TrivialAugmentWide()],
  [`T.TrivialAugmentWide(11, ${B}, fill=[255, 0, 0])`, 'img', () => new T.TrivialAugmentWide(11, 'bilinear', { fill: [255, 0, 0] })],
  ['T.TrivialAugmentWide(fill=100)', 'gray', () => new T.TrivialAugmentWide({ fill: 100 })],
  ['T.TrivialAugmentWide()', 'f', () => new T.TrivialAugmentWide()],
  ['T.AugMix()', 'img', () => new T.AugMix()],
  [`T.AugMix(5, 2, 2, 0.5, False, T.InterpolationMode.NEAREST, [9, 9, 9])`, 'img', () => new T.AugMix(5, 2, 2, 0.5, false, 'nearest', [9, 9, 9])],
  ['T.AugMix(severity=10, mixture_width=4, alpha=2.0)', 'batch', () => new T.AugMix({ severity: 10, mixtureWidth: 4, alpha: 2.0 })],
  ['T.AugMix(chain_depth=3)', 'gray', () => new T.AugMix({ chainDepth: 3 })],
  ['T.AugMix(all_ops=False)', 'f', () => new T.AugMix({ allOps: false })],
  // the classification references' training preset: flip, then an auto-augmentation, then float
  ['T.Compose([T.RandomHorizontalFlip(), T.TrivialAugmentWide(interpolation=T.InterpolationMode.BILINEAR), T.ConvertImageDtype(torch.float)])', 'img', () => new T.Compose([new T.RandomHorizontalFlip(), new T.TrivialAugmentWide({ interpolation: 'bilinear' }), new T.ConvertImageDtype(torch.float32)]) as (x: Img) => Img],
];

const REPRS: [string, () => unknown][] = [
  ['T.AutoAugment()', () => new T.AutoAugment()],
  ['T.AutoAugment(T.AutoAugmentPolicy.CIFAR10, fill=[1, 2, 3])', () => new T.AutoAugment('cifar10', { fill: [1, 2, 3] })],
  [`T.AutoAugment(policy=T.AutoAugmentPolicy.SVHN, interpolation=${B}, fill=128)`, () => new T.AutoAugment({ policy: T.AutoAugmentPolicy.SVHN, interpolation: 'bilinear', fill: 128 })],
  ['T.RandAugment()', () => new T.RandAugment()],
  [`T.RandAugment(3, 5, 11, ${B}, [1, 2, 3])`, () => new T.RandAugment(3, 5, 11, 'bilinear', [1, 2, 3])],
  ['T.TrivialAugmentWide(fill=3)', () => new T.TrivialAugmentWide({ fill: 3 })],
  ['T.TrivialAugmentWide(21)', () => new T.TrivialAugmentWide(21)],
  ['T.AugMix()', () => new T.AugMix()],
  ['T.AugMix(2, 4, 1, 0.5, False, T.InterpolationMode.NEAREST, 5)', () => new T.AugMix(2, 4, 1, 0.5, false, 'nearest', 5)],
];

const ERRORS: [string, () => unknown][] = [
  ['T.AugMix(severity=11)', () => new T.AugMix({ severity: 11 })],
  ['T.AugMix(0)', () => new T.AugMix(0)],
  ["T.AutoAugment('imagenette')", () => new T.AutoAugment('imagenette' as never)],
];

type Outcome = { shape: number[]; values: number[] } | { error: [string, string] };
let py: { cases: Outcome[][]; reprs: string[]; errors: [string, string][] };
const images = {} as Record<Name, Img>;

beforeAll(() => {
  py = runPython(`
import gzip, warnings, numpy as np
warnings.filterwarnings('ignore')
import torchvision.transforms as T
torch.manual_seed(0)
img = torch.randint(0, 256, (3, 20, 24), dtype=torch.uint8)
batch = torch.randint(0, 256, (2, 3, 12, 10), dtype=torch.uint8)
f = torch.rand(3, 20, 24)
a = np.frombuffer(gzip.open('/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz').read(), np.uint8, offset=16).reshape(-1, 28, 28)[11].copy()
images = dict(img=img, batch=batch, f=f, gray=torch.from_numpy(a).unsqueeze(0))
def outcome(run):
    try:
        out = run()
    except Exception as e:
        return {'error': [type(e).__name__, str(e)]}
    return {'shape': list(out.shape), 'values': out.double().flatten().tolist()}
cases = []
for code, name in json.loads(${JSON.stringify(JSON.stringify(CASES.map(([c, n]) => [c, n])))}):
    t, x = eval(code), images[name]
    per_seed = []
    for seed in ${JSON.stringify(SEEDS)}:
        torch.manual_seed(seed)
        per_seed.append(outcome(lambda: torch.stack([t(x) for _ in range(${CALLS})]).squeeze(-3 if name == 'gray' else 0)))
    cases.append(per_seed)
result = {'cases': cases, 'reprs': [repr(eval(c)) for c in ${JSON.stringify(REPRS.map(([c]) => c))}],
          'errors': [outcome(lambda: eval(c))['error'] for c in ${JSON.stringify(ERRORS.map(([c]) => c))}]}
`);
  torch.manualSeed(0);
  images.img = torch.randint(0, 256, [3, 20, 24], { dtype: torch.uint8 });
  images.batch = torch.randint(0, 256, [2, 3, 12, 10], { dtype: torch.uint8 });
  images.f = torch.rand(3, 20, 24);
  images.gray = readIdxFile('/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz').select(0, 11);
});

const maxDiff = (a: Img, values: number[]) => a.to(torch.float64).flatten().sub(torch.tensor(values, { dtype: torch.float64 })).abs().max().item() as number;

function outcome(run: () => Img): Outcome {
  try {
    const out = run();
    return { shape: out.shape, values: [] };
  } catch (e) {
    return { error: [(e as Error).name, (e as Error).message] };
  }
}

test.each(CASES.map(([code, name, make], i) => [code, name, make, i] as const))('%s on %s equals torchvision after the same seeds', (code, name, make, i) => {
  const t = make();
  const x = images[name];
  SEEDS.forEach((seed, s) => {
    torch.manualSeed(seed);
    let out: Img | undefined;
    const got = outcome(() => (out = torch.stack(Array.from({ length: CALLS }, () => t(x))).squeeze(name === 'gray' ? -3 : 0)));
    const want = py.cases[i][s];
    if ('error' in want) {
      expect(got).toEqual(want);
      return;
    }
    expect([seed, (got as { shape: number[] }).shape]).toEqual([seed, want.shape]);
    const diff = maxDiff(out!, want.values);
    // uint8 exactly; float images to float32 rounding
    expect([seed, diff <= (out!.dtype.isFloatingPoint ? 1e-5 : 0)]).toEqual([seed, true]);
  });
});

test('an augmentation changes the image (no pass-through)', () => {
  torch.manualSeed(3);
  expect(new T.RandAugment()(images.img).equal(images.img)).toBe(false);
});

test('reprs equal torchvision', () => {
  expect(REPRS.map(([, make]) => String(make()))).toEqual(py.reprs);
});

test('errors: torchvision exception classes and messages', () => {
  ERRORS.forEach(([, run], i) => {
    expect(outcome(run as () => Img)).toEqual({ error: py.errors[i] });
    expect(run).toThrow(torch.TorchError);
  });
});

test('AutoAugmentPolicy values are torchvision enum values', () => {
  expect(runPython<string[]>('import torchvision.transforms as T\nresult = [p.value for p in T.AutoAugmentPolicy]')).toEqual(Object.values(T.AutoAugmentPolicy));
});

// workers load the compiled library: `npm test` builds it first (pretest); a bare jest run may not have it
const built = fs.existsSync(path.join(__dirname, '..', 'dist', 'lib', 'vision', 'transforms', 'autoaugment.js'));
(built ? test : test.skip)('DataLoader worker threads rebuild the transforms: seeded runs repeat, reprs survive', async () => {
  const augment = new T.Compose([new T.AutoAugment('svhn', { fill: 5 }), new T.RandAugment(), new T.TrivialAugmentWide(), new T.AugMix(), new T.RandomEqualize(), new T.RandomPosterize(3), new T.PILToTensor()]);
  expect(String(decodeLibraryValue(encodeLibraryValue(augment)))).toBe(String(augment));
  const fm = new datasets.FashionMNIST({ root: '/usr/share/datasets/fashion-mnist', train: false, transform: augment });
  const run = async () => {
    torch.manualSeed(9);
    const out: number[][] = [];
    for await (const [x] of new DataLoader<[Img, Img]>(new Subset(fm, [0, 1, 2, 3]), { batchSize: 2, numWorkers: 2 })) {
      expect([x.shape, x.dtype]).toEqual([[2, 1, 28, 28], torch.uint8]);
      out.push(x.flatten().tolist() as number[]);
    }
    return out;
  };
  const first = await run();
  expect(await run()).toEqual(first);
});

test("InterpolationMode and AutoAugmentPolicy are values as Python's Enums: members, lookup by value, its ValueError", () => {
  const want = runPython<string[]>(`
import torchvision.transforms as T
result = [T.InterpolationMode('bilinear').value, T.AutoAugmentPolicy('cifar10').value, T.InterpolationMode.BICUBIC.value,
          err(lambda: T.InterpolationMode('linear')), err(lambda: T.AutoAugmentPolicy('mnist'))]`);
  expect([T.InterpolationMode('bilinear'), T.AutoAugmentPolicy('cifar10'), T.InterpolationMode.BICUBIC]).toEqual(want.slice(0, 3));
  expect(() => T.InterpolationMode('linear')).toThrow(ValueError);
  expect([() => T.InterpolationMode('linear'), () => T.AutoAugmentPolicy('mnist')].map((f) => messageOf(f))).toEqual(want.slice(3));
  expect(String(new T.AutoAugment(T.AutoAugmentPolicy('svhn')))).toContain('policy=AutoAugmentPolicy.SVHN');
});
