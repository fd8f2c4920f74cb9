// vision.utils.makeGrid / saveImage against torchvision.utils.make_grid / save_image: grids equal
// torchvision's exactly (nrow, padding, normalize, valueRange, scaleEach, padValue; 1- and 3-channel,
// single images, lists), and the files saveImage writes hold save_image's pixels (read back by PIL).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { Tensor } from '../lib';
import { utils } from '../lib/vision';
import { runPython } from './helpers/python';

jest.setTimeout(120_000);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vision-utils-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

type Flat = { shape: number[]; values: number[] };
// [label, input name, positional args (Python and JS alike), keyword args (snake_case; camelCase in JS)]
type Case = [string, string, unknown[], Record<string, unknown>];
const CASES: Case[] = [
  ['defaults (nrow 8, padding 2)', 'b5', [], {}],
  ['nrow 2, padding 1, pad_value 0.5', 'b5', [], { nrow: 2, padding: 1, pad_value: 0.5 }],
  ['positional nrow, padding, normalize', 'b5', [3, 0, true], {}],
  ['normalize by the batch min/max', 'b5', [], { normalize: true }],
  ['normalize by value_range', 'b5', [], { normalize: true, value_range: [-1, 1] }],
  ['normalize each image', 'b5', [], { normalize: true, scale_each: true, nrow: 3 }],
  ['normalize each image by value_range', 'b5', [4], { normalize: true, scale_each: true, value_range: [-0.5, 0.5] }],
  ['value_range without normalize does nothing', 'b5', [], { value_range: [0, 0.1] }],
  ['1-channel batch becomes 3 channels', 'g4', [], { nrow: 3, padding: 3, pad_value: 1 }],
  ['1-channel batch normalized', 'g4', [2], { normalize: true, scale_each: true }],
  ['a single [1, H, W] image', 'g1', [], {}],
  ['a single [H, W] image', 'hw', [], { normalize: true }],
  ['a batch of one', 'b1', [], { padding: 5 }],
  ['more images than nrow, last row part-filled', 'b7', [3], { padding: 0 }],
  ['a list of [C, H, W] tensors', 'list', [2], { pad_value: 0.25 }],
  ['uint8 images', 'u8', [2], { pad_value: 255 }],
];
const camel = (k: string) => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

// save_image: [file, input, keyword args]
const SAVES: [string, string, Record<string, unknown>][] = [
  ['grid.png', 'b5', { nrow: 3 }],
  ['gray.png', 'g4', { normalize: true, scale_each: true }],
  ['single.png', 'unit', {}],
  ['list.png', 'list', { nrow: 1, padding: 4, pad_value: 1 }],
  ['rgba.png', 'rgba', {}],
  ['photo.jpg', 'smooth', { padding: 0 }],
];

let py: { inputs: Record<string, Flat | Flat[]>; grids: Flat[] };
const inputs: Record<string, Tensor | Tensor[]> = {};

beforeAll(() => {
  py = runPython(`
import os
from torchvision.utils import make_grid, save_image
torch.manual_seed(0)
inputs = {
    'b5': torch.randn(5, 3, 4, 6),
    'g4': torch.rand(4, 1, 5, 3) * 3 - 1,
    'g1': torch.rand(1, 4, 5),
    'hw': torch.randn(3, 4),
    'b1': torch.rand(1, 3, 2, 3),
    'b7': torch.rand(7, 3, 3, 2),
    'list': [torch.rand(3, 4, 4), torch.rand(3, 4, 4), torch.rand(3, 4, 4)],
    'u8': torch.randint(0, 256, (3, 3, 2, 2), dtype=torch.uint8),
    # values on and around the rounding steps k/255 (and out of [0, 1], clamped)
    'unit': (torch.arange(0, 3 * 8 * 12, dtype=torch.float32).reshape(3, 8, 12) - 20) / 510,
    'rgba': torch.rand(4, 6, 5),
    'smooth': (torch.linspace(0, 1, 16).reshape(1, 1, 16) * torch.linspace(0.2, 1, 12).reshape(1, 12, 1)).expand(3, 12, 16) * torch.tensor([1.0, 0.6, 0.3]).reshape(3, 1, 1),
}
def flat(t): return {'shape': list(t.shape), 'values': t.flatten().tolist()}
def kw(k): return {n: tuple(v) if isinstance(v, list) else v for n, v in k.items()}
cases = json.loads(${JSON.stringify(JSON.stringify(CASES))})
grids = [flat(make_grid(inputs[name], *args, **kw(k))) for _, name, args, k in cases]
for f, name, k in json.loads(${JSON.stringify(JSON.stringify(SAVES))}):
    save_image(inputs[name], os.path.join(${JSON.stringify(dir)}, 'py-' + f), **kw(k))
result = {'inputs': {k: [flat(x) for x in v] if isinstance(v, list) else flat(v) for k, v in inputs.items()}, 'grids': grids}
`);
  for (const [name, v] of Object.entries(py.inputs)) {
    const toTensor = (f: Flat) => torch.tensor(f.values, { dtype: name === 'u8' ? torch.uint8 : torch.float32 }).reshape(f.shape);
    inputs[name] = Array.isArray(v) ? v.map(toTensor) : toTensor(v);
  }
});

const jsOptions = (k: Record<string, unknown>) => Object.fromEntries(Object.entries(k).map(([n, v]) => [camel(n), v]));

test.each(CASES.map((c, i) => [c[0], i] as const))('makeGrid: %s', (_label, i) => {
  const [, name, args, kwargs] = CASES[i];
  const input = inputs[name];
  const before = Array.isArray(input) ? input.map((t) => t.clone()) : input.clone();
  const call = utils.makeGrid as (t: Tensor | Tensor[], ...rest: unknown[]) => Tensor;
  const grid = Object.keys(kwargs).length ? call(input, ...args, jsOptions(kwargs)) : call(input, ...args);
  const expected = py.grids[i];
  expect(grid.shape).toEqual(expected.shape);
  expect(grid.dtype).toBe(name === 'u8' ? torch.uint8 : torch.float32);
  expect(grid.flatten().tolist()).toEqual(expected.values);
  // the input is left as it was (normalize works on a copy)
  if (Array.isArray(input)) input.forEach((t, k) => expect(t.equal((before as Tensor[])[k])).toBe(true));
  else expect(input.equal(before as Tensor)).toBe(true);
});

test('makeGrid argument errors are Python\'s', () => {
  const b5 = inputs.b5 as Tensor;
  expect(() => utils.makeGrid([b5.select(0, 0), 3 as never])).toThrow("tensor or list of tensors expected, got a list containing <class 'int'>");
  expect(() => utils.makeGrid('x' as never)).toThrow("tensor or list of tensors expected, got <class 'str'>");
  expect(() => utils.makeGrid(b5, { normalize: true, valueRange: 1 as never })).toThrow('value_range has to be a tuple (min, max) if specified. min and max are numbers');
  expect(() => utils.makeGrid(b5, { value_range: [0, 1] } as never)).toThrow("makeGrid() got an unexpected keyword argument 'value_range' (did you mean 'valueRange'?)");
  expect(() => utils.makeGrid(b5, 2, { nrow: 3 } as never)).toThrow("makeGrid() got multiple values for argument 'nrow'");
});

test('saveImage writes save_image\'s pixels (PNG exact, JPEG close), through a temporary file', async () => {
  for (const [file, name, kwargs] of SAVES) await utils.saveImage(inputs[name], path.join(dir, `js-${file}`), jsOptions(kwargs));
  // format given: the extension is not looked at
  await utils.saveImage(inputs.b5, path.join(dir, 'js-grid.bin'), 'png', { nrow: 3 });
  // an existing file is replaced
  fs.writeFileSync(path.join(dir, 'js-over.png'), 'old');
  await utils.saveImage(inputs.unit, path.join(dir, 'js-over.png'));
  expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

  const read = runPython<Record<string, { mode: string; format: string; size: number[]; js: number[]; py: number[] }>>(`
import numpy as np
from PIL import Image
d = ${JSON.stringify(dir)}
result = {}
for f in ${JSON.stringify([...SAVES.map(([f]) => f), 'grid.bin', 'over.png'])}:
    ref = {'grid.bin': 'grid.png', 'over.png': 'single.png'}.get(f, f)
    js, py = Image.open(os.path.join(d, 'js-' + f)), Image.open(os.path.join(d, 'py-' + ref))
    result[f] = {'mode': js.mode + '/' + py.mode, 'format': js.format + '/' + py.format, 'size': list(js.size) + list(py.size),
                 'js': np.asarray(js).flatten().tolist(), 'py': np.asarray(py).flatten().tolist()}
`.replace('import numpy', 'import os, numpy'));
  for (const [file, r] of Object.entries(read)) {
    const [jsMode, pyMode] = r.mode.split('/');
    expect([file, jsMode, r.size.slice(0, 2)]).toEqual([file, pyMode, r.size.slice(2)]);
    expect([file, r.format.split('/')[0]]).toEqual([file, r.format.split('/')[1]]);
    if (file.endsWith('.jpg')) {
      const diff = torch.tensor(r.js).sub(torch.tensor(r.py)).abs().to(torch.float64);
      expect(diff.mean().item()).toBeLessThan(1);
      expect(diff.max().item()).toBeLessThanOrEqual(6);
    } else expect([file, r.js]).toEqual([file, r.py]);
  }
  expect(read['rgba.png'].mode).toBe('RGBA/RGBA');
});

test('saveImage errors: unknown extension or format, RGBA as JPEG, missing directory; nothing left behind', async () => {
  const b5 = inputs.b5 as Tensor;
  await expect(utils.saveImage(b5, path.join(dir, 'x.xyz'))).rejects.toThrow('unknown file extension: .xyz');
  await expect(utils.saveImage(b5, path.join(dir, 'x.png'), 'bmpx')).rejects.toThrow("saveImage() cannot write format 'bmpx'");
  await expect(utils.saveImage(inputs.rgba, path.join(dir, 'x.jpg'))).rejects.toThrow('cannot write mode RGBA as JPEG');
  await expect(utils.saveImage(b5, path.join(dir, 'x.png'), { value_range: [0, 1] } as never)).rejects.toThrow("saveImage() got an unexpected keyword argument 'value_range' (did you mean 'valueRange'?)");
  const missing = path.join(dir, 'no', 'such', 'dir', 'x.png');
  await expect(utils.saveImage(b5, missing)).rejects.toThrow(`could not write image ${missing}`);
  expect(fs.readdirSync(dir).filter((f) => f.startsWith('x.') || f.startsWith('.x.'))).toEqual([]);
});
