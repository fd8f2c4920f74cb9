// torchvision.io's encoders and raw file functions: what encodePng/writePng write decodes, in
// torchvision (decode_png, read_image) and PIL, to the same pixels, and back here too; JPEGs
// (libvips' encoder, not libjpeg's) decode within a few levels of torchvision's own encode_jpeg.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { io } from '../lib/vision';
import { readIdxFile } from '../lib/data/idx';
import { runPython } from './helpers/python';

jest.setTimeout(300_000);

let dir: string;
let rgb: torch.Tensor; // noise: the hardest case for the PNG filters
let smooth: torch.Tensor; // photo-like, for JPEG
let gray: torch.Tensor; // a Fashion-MNIST image, [1, 28, 28]
let rgba: torch.Tensor;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tn-io-encode-'));
  torch.manualSeed(0);
  rgb = torch.randint(0, 256, [3, 37, 45], { dtype: torch.uint8 });
  rgba = torch.randint(0, 256, [4, 9, 13], { dtype: torch.uint8 });
  const coarse = torch.rand([1, 3, 6, 7]).mul(255);
  smooth = torch.nn.functional.interpolate(coarse, { size: [48, 56], mode: 'bilinear', alignCorners: false }).round().squeeze(0).to(torch.uint8);
  gray = readIdxFile('/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz').select(0, 3).unsqueeze(0);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const same = (a: torch.Tensor, b: torch.Tensor) => {
  expect(a.shape).toEqual(b.shape);
  expect(a.eq(b).all().item()).toBe(true);
};

test('PNGs decode to the same pixels in torchvision and PIL, at every compression level', () => {
  const files: [string, torch.Tensor][] = [];
  for (const [name, img] of [['rgb', rgb], ['gray', gray], ['smooth', smooth], ['rgba', rgba]] as const) {
    for (const level of [0, 1, 6, 9]) {
      const f = path.join(dir, `${name}-${level}.png`);
      io.writePng(img, f, level);
      files.push([f, img]);
    }
  }
  expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  const py = runPython<{ tv: number[][]; pil: number[][]; shapes: number[][] }>(`
import numpy as np
from PIL import Image
from torchvision.io import read_image, decode_png, read_file
tv, pil, shapes = [], [], []
for f in json.loads(${JSON.stringify(JSON.stringify(files.map(([f]) => f)))}):
    a = decode_png(read_file(f)) if 'rgba' not in f else read_image(f)
    b = torch.from_numpy(np.array(Image.open(f))).reshape(a.shape[1], a.shape[2], -1).permute(2, 0, 1)
    tv.append(a.flatten().tolist()); pil.append(b.flatten().tolist()); shapes.append(list(a.shape))
result = {'tv': tv, 'pil': pil, 'shapes': shapes}
`);
  files.forEach(([, img], i) => {
    expect(py.shapes[i]).toEqual(img.shape);
    same(torch.tensor(py.tv[i], { dtype: torch.uint8 }), img.flatten());
    same(torch.tensor(py.pil[i], { dtype: torch.uint8 }), img.flatten());
  });
  // higher levels compress noise-free images better
  expect(fs.statSync(path.join(dir, 'smooth-9.png')).size).toBeLessThan(fs.statSync(path.join(dir, 'smooth-0.png')).size);
});

test('encodePng / decodePng / decodeImage round trip, and torchvision PNG bytes decode here', async () => {
  for (const img of [rgb, gray, rgba, smooth]) {
    const bytes = io.encodePng(img, { compressionLevel: 9 });
    expect(bytes.dtype).toBe(torch.uint8);
    expect(bytes.dim()).toBe(1);
    same(await io.decodePng(bytes), img);
    same(await io.decodeImage(bytes), img);
  }
  same(io.encodePng(gray.squeeze(0)), io.encodePng(gray)); // a 2-D image is one channel
  const f = path.join(dir, 'tv.png');
  runPython(`
from torchvision.io import write_png
torch.manual_seed(1)
write_png(torch.randint(0, 256, (3, 20, 30), dtype=torch.uint8), ${JSON.stringify(f)})
result = 0`);
  torch.manualSeed(1);
  same(await io.decodePng(io.readFile(f)), torch.randint(0, 256, [3, 20, 30], { dtype: torch.uint8 }));
  same(await io.decodePng(io.readFile(f), 'GRAY'), await io.decodeImage(io.readFile(f), { mode: 'GRAY' }));
});

test('writeFile / readFile: the same bytes as torchvision, written atomically', () => {
  const f = path.join(dir, 'bytes.bin');
  const data = io.encodePng(rgb);
  io.writeFile(f, data);
  const py = runPython<number[]>(`
from torchvision.io import read_file
result = read_file(${JSON.stringify(f)}).tolist()`);
  same(torch.tensor(py, { dtype: torch.uint8 }), data);
  same(io.readFile(f), data);
  expect(fs.readdirSync(dir).filter((n) => n.includes('bytes.bin') && n !== 'bytes.bin')).toEqual([]);
});

test('JPEGs decode close to torchvision encode_jpeg at the same quality', async () => {
  const cases: [string, torch.Tensor, number][] = [['smooth', smooth, 75], ['smooth', smooth, 95], ['gray', gray, 75], ['rgb', rgb, 90]];
  const files = [];
  for (const [name, img, q] of cases) {
    const src = path.join(dir, `${name}-src.png`);
    io.writePng(img, src);
    const ours = path.join(dir, `${name}-${q}.jpg`);
    await io.writeJpeg(img, ours, q);
    files.push([src, ours, q]);
  }
  const py = runPython<{ ours: number[][]; theirs: number[][]; shapes: number[][] }>(`
from torchvision.io import read_image, encode_jpeg, decode_jpeg, read_file
ours, theirs, shapes = [], [], []
for src, f, q in json.loads(${JSON.stringify(JSON.stringify(files))}):
    img = read_image(src)
    a = decode_jpeg(read_file(f))
    b = decode_jpeg(encode_jpeg(img, quality=q))
    ours.append(a.flatten().tolist()); theirs.append(b.flatten().tolist()); shapes.append(list(a.shape))
result = {'ours': ours, 'theirs': theirs, 'shapes': shapes}
`);
  for (let i = 0; i < cases.length; i++) {
    const [, img] = cases[i];
    expect(py.shapes[i]).toEqual(img.shape); // 1 channel stays 1, 3 stay 3
    const orig = img.flatten().to(torch.float64);
    const ours = torch.tensor(py.ours[i], { dtype: torch.float64 });
    const theirs = torch.tensor(py.theirs[i], { dtype: torch.float64 });
    const errOurs = ours.sub(orig).abs().mean().item() as number;
    const errTheirs = theirs.sub(orig).abs().mean().item() as number;
    // as lossy as torchvision's: mean error within 1.5 levels of theirs, decodes within 4 levels on average
    expect(errOurs).toBeLessThan(errTheirs + 1.5);
    expect(ours.sub(theirs).abs().mean().item()).toBeLessThan(4);
    // and our decoder reads our JPEG as torchvision's does (libjpeg-turbo both), within a level
    const here = (await io.decodeJpeg(io.readFile(files[i][1] as string))).flatten().to(torch.float64);
    expect(here.sub(ours).abs().max().item()).toBeLessThanOrEqual(1);
  }
});

test("torchvision's errors", async () => {
  expect(() => io.encodePng(rgb.float())).toThrow('Input tensor dtype should be uint8');
  expect(() => io.encodePng(rgb.unsqueeze(0))).toThrow('Input data should be a 3-dimensional tensor');
  expect(() => io.encodePng(rgb, 10)).toThrow('Compression level should be between 0 and 9');
  expect(() => io.encodePng(torch.zeros([5, 2, 2], { dtype: torch.uint8 }))).toThrow('The number of channels should be 1, 2, 3 or 4, got: 5');
  await expect(io.encodeJpeg(rgba)).rejects.toThrow('The number of channels should be 1 or 3, got: 4');
  await expect(io.encodeJpeg(rgb, 0)).rejects.toThrow('Image quality should be a positive number between 1 and 100');
  await expect(io.decodePng(io.encodePng(rgb).float())).rejects.toThrow('Expected a torch.uint8 tensor');
  await expect(io.decodePng(await io.encodeJpeg(rgb))).rejects.toThrow('Content is not png!');
  await expect(io.decodeJpeg(io.encodePng(rgb))).rejects.toThrow('Not a JPEG file');
  expect(() => io.writeFile(path.join(dir, 'x.bin'), rgb)).toThrow('Input data should be a 1-dimensional tensor');
  expect(() => io.writePng(rgb, path.join(dir, 'no-such-dir', 'x.png'))).toThrow(/could not write/);
});
