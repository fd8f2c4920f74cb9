// io.readImage against torchvision.io.read_image: the channels of each ImageReadMode (UNCHANGED keeps
// a gray PNG/JPEG's 1 channel, gray+alpha's 2, RGBA's 4) and the pixels (PNG exact, JPEG close).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { io, transforms as T } from '../lib/vision';
import { runPython } from './helpers/python';

jest.setTimeout(120_000);

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vision-io-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const MODES = ['UNCHANGED', 'GRAY', 'GRAY_ALPHA', 'RGB', 'RGB_ALPHA'] as const;
type Read = { shape: number[]; stride: number[]; values: number[] } | { error: string };
let py: Record<string, Record<string, Read>>;
let pil: Record<string, number[]>;

beforeAll(async () => {
  // interlaced (Adam7) palette PNGs, 8 and 2 bits a pixel; PIL writes none
  const raw = Buffer.alloc(13 * 17 * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 37) % 256;
  const sharp = (await import('sharp')).default;
  await sharp(raw, { raw: { width: 17, height: 13, channels: 3 } }).png({ palette: true, colours: 200, progressive: true }).toFile(path.join(root, 'palette_interlaced.png'));
  await sharp(raw, { raw: { width: 17, height: 13, channels: 3 } }).png({ palette: true, colours: 4, progressive: true }).toFile(path.join(root, 'palette2_interlaced.png'));
  ({ py, pil } = runPython(`
import os, numpy as np
from PIL import Image
from torchvision.io import read_image, ImageReadMode
root = ${JSON.stringify(root)}
rng = np.random.RandomState(0)
def arr(*shape): return rng.randint(0, 256, (9, 11) + shape).astype(np.uint8)
Image.fromarray(arr(), 'L').save(os.path.join(root, 'gray.png'))
Image.fromarray(arr(2), 'LA').save(os.path.join(root, 'gray_alpha.png'))
Image.fromarray(arr(3), 'RGB').save(os.path.join(root, 'rgb.png'))
Image.fromarray(arr(4), 'RGBA').save(os.path.join(root, 'rgba.png'))
Image.fromarray(arr() > 127).save(os.path.join(root, 'bilevel.png'))
Image.fromarray(arr(4), 'RGBA').convert('P').save(os.path.join(root, 'palette_alpha.png'))
Image.fromarray(arr(3), 'RGB').convert('P').save(os.path.join(root, 'palette.png'))
for colors, bits in [(2, 1), (4, 2), (16, 4)]:
    Image.fromarray(arr(3)).convert('P', palette=Image.ADAPTIVE, colors=colors).save(os.path.join(root, 'palette%d.png' % bits), bits=bits)
# smooth content so the JPEG round trip stays close to the source
yy, xx = np.mgrid[0:9, 0:11]
smooth = np.stack([(yy * 20 + xx * 5) % 256, (xx * 20) % 256, (200 - yy * 10 - xx * 3) % 256], -1).astype(np.uint8)
Image.fromarray(smooth[..., 0], 'L').save(os.path.join(root, 'gray.jpg'), quality=95)
Image.fromarray(smooth, 'RGB').save(os.path.join(root, 'rgb.jpg'), quality=95)
Image.fromarray(np.concatenate([smooth, smooth[..., :1]], -1), 'CMYK').save(os.path.join(root, 'cmyk.jpg'), quality=95)
reads = {}
for f in sorted(os.listdir(root)):
    reads[f] = {}
    for m in ${JSON.stringify(MODES)}:
        try:
            t = read_image(os.path.join(root, f), getattr(ImageReadMode, m))
            reads[f][m] = {'shape': list(t.shape), 'stride': list(t.stride()), 'values': t.flatten().tolist()}
        except RuntimeError as e:
            reads[f][m] = {'error': str(e)}
# PIL's palette indices (torchvision's for 8-bit files; for fewer bits it copies packed rows)
result = {'py': reads, 'pil': {f: np.asarray(Image.open(os.path.join(root, f))).flatten().tolist() for f in sorted(os.listdir(root)) if f.startswith('palette')}}
`));
});

async function check(file: string, mode: (typeof MODES)[number], tolerance: 'exact' | 'jpeg') {
  const expected = py[file][mode];
  if ('error' in expected) throw new Error(`torchvision refuses ${file} ${mode}: ${expected.error}`);
  const img = await io.readImage(path.join(root, file), mode);
  expect([file, mode, img.dtype, img.shape]).toEqual([file, mode, torch.uint8, expected.shape]);
  // torchvision's layout: a [C, H, W] view of [H, W, C] memory
  expect([file, mode, img.stride()]).toEqual([file, mode, expected.stride]);
  const diff = img.to(torch.float64).flatten().sub(torch.tensor(expected.values, { dtype: torch.float64 })).abs();
  if (tolerance === 'exact') expect([file, mode, diff.max().item()]).toEqual([file, mode, 0]);
  else {
    expect(diff.mean().item()).toBeLessThan(1.5);
    expect(diff.max().item()).toBeLessThanOrEqual(8);
  }
}

test('UNCHANGED keeps the channels of the file: gray 1, gray+alpha 2, RGB 3, RGBA 4 (PNG, JPEG)', async () => {
  const channels: Record<string, number> = { 'gray.png': 1, 'bilevel.png': 1, 'gray_alpha.png': 2, 'rgb.png': 3, 'rgba.png': 4, 'gray.jpg': 1, 'rgb.jpg': 3 };
  for (const [file, c] of Object.entries(channels)) {
    expect([file, py[file].UNCHANGED]).toEqual([file, expect.objectContaining({ shape: [c, 9, 11] })]);
    await check(file, 'UNCHANGED', file.endsWith('.jpg') ? 'jpeg' : 'exact');
  }
  expect((await io.decodeImage(fs.readFileSync(path.join(root, 'gray.png')))).shape).toEqual([1, 9, 11]);
  // an Adobe CMYK JPEG: its 4 stored bands, as libjpeg gives them
  await check('cmyk.jpg', 'UNCHANGED', 'jpeg');
});

test('each PNG in each mode equals torchvision pixel for pixel (libpng gray conversion)', async () => {
  for (const file of ['gray.png', 'gray_alpha.png', 'rgb.png', 'rgba.png', 'palette_alpha.png']) {
    for (const mode of MODES) await check(file, mode, 'exact');
  }
  // palette PNGs without transparency: the modes without alpha (torchvision's alpha modes read
  // uninitialised memory for them)
  for (const file of ['palette.png', 'palette_interlaced.png']) for (const mode of ['GRAY', 'RGB'] as const) await check(file, mode, 'exact');
  for (const mode of ['GRAY', 'RGB'] as const) await check('bilevel.png', mode, 'exact');
});

test('a palette PNG read UNCHANGED gives its palette indices [1, H, W] (1, 2, 4, 8 bits; Adam7 interlaced)', async () => {
  for (const file of ['palette.png', 'palette_alpha.png', 'palette_interlaced.png']) {
    expect(py[file].UNCHANGED).toEqual(expect.objectContaining({ shape: [1, expect.any(Number), expect.any(Number)] }));
    await check(file, 'UNCHANGED', 'exact');
  }
  for (const file of ['palette1.png', 'palette2.png', 'palette4.png', 'palette2_interlaced.png']) {
    const img = await io.readImage(path.join(root, file));
    expect([file, img.shape[0], img.flatten().tolist()]).toEqual([file, 1, pil[file]]);
    expect(Math.max(...pil[file])).toBeGreaterThan(0);
  }
  await expect(io.decodeImage(Buffer.concat([fs.readFileSync(path.join(root, 'palette.png')).subarray(0, 60), Buffer.alloc(8)]))).rejects.toThrow(torch.TorchError);
});

test('JPEG modes torchvision takes: gray and colour files to GRAY and RGB', async () => {
  for (const file of ['gray.jpg', 'rgb.jpg']) {
    for (const mode of ['GRAY', 'RGB'] as const) await check(file, mode, 'jpeg');
  }
  // beyond torchvision (which refuses these): alpha modes add an opaque alpha
  const rgba = await io.readImage(path.join(root, 'rgb.jpg'), 'RGB_ALPHA');
  expect(rgba.shape).toEqual([4, 9, 11]);
  expect(rgba.select(0, 3).eq(255).all().item()).toBe(true);
  expect((await io.readImage(path.join(root, 'gray.jpg'), 'GRAY_ALPHA')).shape).toEqual([2, 9, 11]);
});

// A bilinear resize runs torchvision's channels-last kernel on read_image's [H, W, C] memory and the
// planar one on a contiguous [C, H, W] copy; the two differ in the last float bit, so a few uint8
// pixels differ. readImage's layout is torchvision's, hence its resizes are, bit for bit: without
// antialias (torchvision 0.14's tensor default) and with it (the default here, as in 0.17+).
test("Resize of a readImage'd PNG and JPEG equals torchvision's bit for bit", async () => {
  const SIZES = [[224, 224], [60], [299], [200, 333], [37, 51]];
  const files = ['resize.png', 'resize.jpg', 'resize444.jpg'];
  const layoutMatters = runPython<number>(`
import os, numpy as np
from PIL import Image
import torchvision.transforms as T
from torchvision.io import read_image
root = ${JSON.stringify(root)}
rng = np.random.RandomState(1)
yy, xx = np.mgrid[0:97, 0:131]
img = np.stack([(yy * 3 + xx * 2) % 256, (xx * 5) % 256, (255 - yy * 2) % 256], -1) + rng.randn(97, 131, 3) * 20
img = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
img.save(os.path.join(root, 'resize.png'))
img.save(os.path.join(root, 'resize.jpg'), quality=90)
img.save(os.path.join(root, 'resize444.jpg'), quality=90, subsampling=0)
differ = 0  # pixels the planar layout would get wrong
for f in ${JSON.stringify(files)}:
    t = read_image(os.path.join(root, f))
    for i, size in enumerate(${JSON.stringify(SIZES)}):
        for aa in [False, True]:
            out = T.Resize(size, antialias=aa)(t)
            out.contiguous().numpy().tofile(os.path.join(root, '%s.%d.%d.raw' % (f, i, aa)))
            if not aa: differ += int((T.Resize(size, antialias=False)(t.contiguous()) != out).sum())
result = differ
`);
  // the check is not vacuous: these sizes hit pixels where the two layouts round differently
  expect(layoutMatters).toBeGreaterThan(0);
  for (const file of files) {
    const img = await io.readImage(path.join(root, file));
    for (const [i, size] of SIZES.entries()) {
      for (const aa of [0, 1]) {
        const out = aa ? new T.Resize(size)(img) : new T.Resize(size, { antialias: false })(img);
        const want = fs.readFileSync(path.join(root, `${file}.${i}.${aa}.raw`));
        const got = Buffer.from(out.contiguous().toTypedArray() as Uint8Array);
        expect([file, size, aa, got.length === want.length && got.equals(want)]).toEqual([file, size, aa, true]);
      }
    }
  }
});

// The point of the antialias default: torchvision's datasets give PIL images, which it resizes with
// PIL's antialiasing filter always; here datasets and io.readImage give uint8 tensors. With the
// default (antialias on), Resize of the decoded file equals torchvision's Resize of the PIL image
// (then PILToTensor) within 1 level (measured: max 1, on 10-17% of the values: PIL's filter rounds
// in fixed point); without it (torchvision 0.14's tensor default) these are 30-88 levels away.
test("default Resize of a readImage'd PNG and JPEG equals torchvision's Resize of the PIL image within 1 level", async () => {
  const SIZES = [[256], [224, 224], [100], [150, 90]];
  const files = ['photo.png', 'photo.jpg'];
  const pilOut = runPython<Record<string, { shape: number[]; values: number[] }[]>>(`
import os, numpy as np
from PIL import Image
import torchvision.transforms as T
root = ${JSON.stringify(root)}
# photo-like: smooth shading, hard edges and fine texture (where antialiasing matters), sensor noise
rng = np.random.RandomState(2)
yy, xx = np.mgrid[0:375, 0:500].astype(np.float64)
img = np.stack([120 + 80 * np.sin(xx / 47) * np.cos(yy / 31), 100 + 0.2 * xx + 60 * (((xx // 9) + (yy // 9)) % 2), 180 - 0.3 * yy + 50 * np.sin((xx + yy) / 3.1)], -1)
img[(xx - 300) ** 2 + (yy - 150) ** 2 < 70 ** 2] = [230, 40, 30]
img = np.clip(img + rng.randn(375, 500, 3) * 6, 0, 255).astype(np.uint8)
Image.fromarray(img).save(os.path.join(root, 'photo.png'))
Image.fromarray(img).save(os.path.join(root, 'photo.jpg'), quality=90)
result = {}
for f in ${JSON.stringify(files)}:
    pil = Image.open(os.path.join(root, f)).convert('RGB')
    result[f] = []
    for size in ${JSON.stringify(SIZES)}:
        out = T.PILToTensor()(T.Resize(size)(pil))
        result[f].append({'shape': list(out.shape), 'values': out.flatten().tolist()})
`);
  for (const file of files) {
    const img = await io.readImage(path.join(root, file));
    expect(img.shape).toEqual([3, 375, 500]);
    for (const [i, size] of SIZES.entries()) {
      const want = torch.tensor(pilOut[file][i].values, { dtype: torch.float64 });
      const diff = (t: torch.Tensor) => t.to(torch.float64).flatten().sub(want).abs().max().item() as number;
      const out = new T.Resize(size)(img);
      expect([file, size, out.shape]).toEqual([file, size, pilOut[file][i].shape]);
      expect([file, size, diff(out) <= 1]).toEqual([file, size, true]);
      // without antialias (0.14's tensor default) the same resize is far from PIL's
      expect([file, size, diff(new T.Resize(size, { antialias: false })(img)) > 10]).toEqual([file, size, true]);
    }
  }
});
