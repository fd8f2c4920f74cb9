// SummaryWriter's image edge cases, addImageWithBoxes and addMesh against PyTorch 1.13's own
// torch/utils/tensorboard/summary.py (loaded by test/helpers/tensorboard_oracle.py on our schema):
// - images: values out of [0, 1] cast as numpy casts them, integer and float64 tensors, batches
//   that leave blanks on the grid, permuted dataformats, RGBA, views, grad-requiring tensors;
// - boxes drawn by PIL (image_boxes / draw_boxes) on RGB and RGBA images, boxes inside, across the
//   border, reversed, degenerate and fractional, compared pixel by pixel; labels PyTorch drops;
// - meshes: the three plugin summaries (vertices, faces, colors) with their MeshPluginData and
//   the config as Python's json.dumps(sort_keys=True) writes it, and the shape error.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { SummaryWriter } from '../lib/utils/tensorboard';
import { mesh } from '../lib/utils/tensorboard/mesh';
import { pyJsonDumps } from '../lib/utils/tensorboard/py-json';
import { encode } from '../lib/utils/tensorboard/schema';
import { eventFiles, tensorboardOracle as oracle } from './helpers/tensorboard';

let tmp: string;
beforeAll(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tb-extras-'))));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A tensor as the oracle's T() rebuilds it. */
function spec(t: torch.Tensor): object {
  return { data: Array.from(t.contiguous().toTypedArray() as ArrayLike<number>, Number), dtype: t.dtype.toString().replace('torch.', ''), shape: t.shape };
}

/**
 * The differences between the summaries of the run's event file (after the file-version event)
 * and `expected`, Python building [(step, Summary)] from `a` (the JSON of `args`).
 */
function compareRun(dir: string, args: object, expected: string): { count: number; diffs: string[] } {
  return oracle(`a = json.loads(${JSON.stringify(JSON.stringify(args))})
expected = ${expected}
events = O.read_events(${JSON.stringify(eventFiles(dir)[0])}, Event)[1:]
diffs = []
for (step, summ), got in zip(expected, events):
    want = Event(wall_time=got.wall_time, step=step, summary=summ)
    diffs += ['%s %s' % (summ.value[0].tag, d) for d in O.diff(O.normalize(want, c), O.normalize(got, c))]
result = {'count': len(events), 'diffs': diffs}`);
}

/** The message of what f throws. */
function thrown(f: () => unknown): { name: string; message: string } {
  try {
    f();
  } catch (e) {
    return { name: (e as Error).name, message: (e as Error).message };
  }
  return { name: 'none', message: 'no error' };
}

test("images: numpy's casts of values out of [0, 1], integer and float64 tensors, grids with blanks, any dataformats", () => {
  torch.manualSeed(1);
  const dir = path.join(tmp, 'images');
  const w = new SummaryWriter(dir);
  const wild = torch.randn(3, 5, 4).mul(2); // negative and > 1: truncated, then modulo 256
  const ints = torch.randint(-300, 300, [4, 6, 3]); // int64, scaled by 255 as numpy does
  const f64 = torch.rand(1, 3, 5, { dtype: torch.float64 }); // grey CHW
  const nine = torch.rand(9, 3, 2, 3); // 8 to a row: the second row has 7 blanks
  const one = torch.rand(1, 1, 3, 4);
  const nhwcGrey = torch.rand(3, 4, 2, 1);
  const rgba = torch.randint(0, 256, [4, 3, 4]).to(torch.uint8);
  const cwh = torch.rand(3, 4, 5);
  const grad = torch.rand(3, 4, 4, { requiresGrad: true });
  const view = torch.rand(5, 3, 4).permute(1, 0, 2); // a non-contiguous CHW view
  const wh = torch.rand(4, 6);
  w.addImage('wild', wild, 1);
  w.addImage('ints', ints, 2, { dataformats: 'HWC' });
  w.addImage('f64', f64, 3);
  w.addImages('nine', nine, 4);
  w.addImages('one', one, 5);
  w.addImages('nhwcGrey', nhwcGrey, { globalStep: 6, dataformats: 'NHWC' });
  w.addImage('rgba', rgba, { globalStep: 7, dataformats: 'HWC' });
  w.addImage('cwh', cwh, { globalStep: 8, dataformats: 'CWH' });
  w.addImage('grad', grad, 9);
  w.addImage('view', view, 10);
  w.addImage('wh', wh, { globalStep: 11, dataformats: 'WH' });
  w.close();
  const args = { wild: spec(wild), ints: spec(ints), f64: spec(f64), nine: spec(nine), one: spec(one), nhwcGrey: spec(nhwcGrey), rgba: spec(rgba), cwh: spec(cwh), grad: spec(grad), view: spec(view), wh: spec(wh) };
  const r = compareRun(dir, args, `[
    (1, S.image('wild', T(a['wild']), dataformats='CHW')),
    (2, S.image('ints', T(a['ints']), dataformats='HWC')),
    (3, S.image('f64', T(a['f64']), dataformats='CHW')),
    (4, S.image('nine', T(a['nine']))),
    (5, S.image('one', T(a['one']))),
    (6, S.image('nhwcGrey', T(a['nhwcGrey']), dataformats='NHWC')),
    (7, S.image('rgba', T(a['rgba']), dataformats='HWC')),
    (8, S.image('cwh', T(a['cwh']), dataformats='CWH')),
    (9, S.image('grad', T(a['grad']).requires_grad_(), dataformats='CHW')),
    (10, S.image('view', T(a['view']), dataformats='CHW')),
    (11, S.image('wh', T(a['wh']), dataformats='WH')),
]`);
  expect(r.diffs).toEqual([]);
  expect(r.count).toBe(11);
});

describe('addImageWithBoxes: boxes outlined in red as PIL draws them', () => {
  test('boxes inside, across the border, reversed, degenerate and fractional, on RGB and RGBA', () => {
    torch.manualSeed(2);
    const dir = path.join(tmp, 'boxes');
    const w = new SummaryWriter(dir);
    const img = torch.rand(3, 20, 24);
    const rgba = torch.randint(0, 256, [16, 18, 4]).to(torch.uint8);
    const grey = torch.rand(12, 14, { dtype: torch.float64 });
    const fixed = torch.tensor([[2, 3, 10, 12], [15, 1, 5, 8], [-3, -2, 4, 30], [20, 5, 30, 9], [7, 7, 7, 7], [4, 9, 18, 9], [11, 2, 11, 15]]);
    const fractional = torch.rand(12, 4).mul(34).sub(6); // float32 corners from -6 to 28, some outside
    w.addImageWithBoxes('fixed', img, fixed, 1);
    w.addImageWithBoxes('fractional', img, fractional, { globalStep: 2 });
    w.addImageWithBoxes('rgba', rgba, fixed, { globalStep: 3, dataformats: 'HWC' });
    w.addImageWithBoxes('grey', grey, fractional.double(), 4, null, 1, 'HW');
    w.addImageWithBoxes('none', img, torch.zeros(0, 4), 5);
    // labels PyTorch ignores: a count other than the boxes', and empty strings (nothing drawn)
    w.addImageWithBoxes('dropped', img, fixed, { globalStep: 6, labels: ['cat', 'dog'] });
    w.addImageWithBoxes('empty', img, fixed.index(torch.slice(0, 1)), { globalStep: 7, labels: '' });
    w.close();
    const args = { img: spec(img), rgba: spec(rgba), grey: spec(grey), fixed: spec(fixed), fractional: spec(fractional) };
    const r = compareRun(dir, args, `[
    (1, S.image_boxes('fixed', T(a['img']), T(a['fixed']))),
    (2, S.image_boxes('fractional', T(a['img']), T(a['fractional']))),
    (3, S.image_boxes('rgba', T(a['rgba']), T(a['fixed']), dataformats='HWC')),
    (4, S.image_boxes('grey', T(a['grey']), T(a['fractional']).double(), dataformats='HW')),
    (5, S.image_boxes('none', T(a['img']), torch.zeros(0, 4))),
    (6, S.image_boxes('dropped', T(a['img']), T(a['fixed']), labels=None)),
    (7, S.image_boxes('empty', T(a['img']), T(a['fixed'])[:1], labels=[''])),
]`);
    expect(r.diffs).toEqual([]);
    expect(r.count).toBe(7);
  });

  test("rescale: the drawn image resized as PIL's LANCZOS resizes it, up and down, one axis or both, RGB and RGBA", () => {
    torch.manualSeed(4);
    const dir = path.join(tmp, 'rescale');
    const w = new SummaryWriter(dir);
    const img = torch.rand(3, 20, 24);
    const wide = torch.rand(3, 10, 30);
    const tall = torch.randint(0, 256, [30, 10, 3]).to(torch.uint8);
    const rgba = torch.randint(0, 256, [16, 18, 4]).to(torch.uint8);
    rgba.index(torch.slice(0, 4)).index(':', ':', 3).fill_(0); // transparent rows and opaque ones
    rgba.index(torch.slice(4, 8)).index(':', ':', 3).fill_(255);
    const boxes = torch.tensor([[2, 3, 10, 12], [15, 1, 5, 8], [-3, -2, 4, 30]]);
    w.addImageWithBoxes('up', img, boxes, { globalStep: 1, rescale: 2 });
    w.addImageWithBoxes('down', img, boxes, { globalStep: 2, rescale: 0.5 });
    w.addImageWithBoxes('odd', img, boxes, { globalStep: 3, rescale: 0.37 });
    w.addImageWithBoxes('wide', wide, boxes, { globalStep: 4, rescale: 1.05 }); // 10 x 31.5: the width only
    w.addImageWithBoxes('tall', tall, boxes, { globalStep: 5, rescale: 1.05, dataformats: 'HWC' }); // the height only
    w.addImageWithBoxes('rgba', rgba, boxes, { globalStep: 6, rescale: 1.7, dataformats: 'HWC' });
    w.addImageWithBoxes('rgbaDown', rgba, boxes, { globalStep: 7, rescale: 0.3, dataformats: 'HWC' });
    w.close();
    const args = { img: spec(img), wide: spec(wide), tall: spec(tall), rgba: spec(rgba), boxes: spec(boxes) };
    const r = compareRun(dir, args, `[
    (1, S.image_boxes('up', T(a['img']), T(a['boxes']), rescale=2)),
    (2, S.image_boxes('down', T(a['img']), T(a['boxes']), rescale=0.5)),
    (3, S.image_boxes('odd', T(a['img']), T(a['boxes']), rescale=0.37)),
    (4, S.image_boxes('wide', T(a['wide']), T(a['boxes']), rescale=1.05)),
    (5, S.image_boxes('tall', T(a['tall']), T(a['boxes']), rescale=1.05, dataformats='HWC')),
    (6, S.image_boxes('rgba', T(a['rgba']), T(a['boxes']), rescale=1.7, dataformats='HWC')),
    (7, S.image_boxes('rgbaDown', T(a['rgba']), T(a['boxes']), rescale=0.3, dataformats='HWC')),
]`);
    expect(r.diffs).toEqual([]);
    expect(r.count).toBe(7);
  });

  test("labels (PIL's default font) are NotImplementedError; PIL's error for an empty rescaled image; a 1-D box tensor is numpy's IndexError", () => {
    const w = new SummaryWriter(path.join(tmp, 'boxes-errors'));
    const img = torch.rand(3, 8, 8);
    const boxes = torch.tensor([[1, 1, 5, 5]]);
    const labels = thrown(() => w.addImageWithBoxes('a', img, boxes, { labels: ['cat'] }));
    expect(labels.name).toBe('NotImplementedError');
    expect(labels.message).toMatch(/labels/);
    const empty = thrown(() => w.addImageWithBoxes('a', img, boxes, { rescale: 0.1 }));
    const flat = thrown(() => w.addImageWithBoxes('a', img, torch.tensor([1, 1, 5, 5])));
    w.close();
    const python = oracle(`result = [err(lambda: S.image_boxes('a', torch.rand(3, 8, 8), torch.tensor([[1, 1, 5, 5]]), rescale=0.1)),
          err(lambda: S.image_boxes('a', torch.rand(3, 8, 8), torch.tensor([1, 1, 5, 5])))]`) as string[];
    expect(empty).toEqual({ name: 'ValueError', message: python[0] });
    expect(flat).toEqual({ name: 'IndexError', message: python[1] });
  });
});

describe('addMesh: the mesh plugin summaries', () => {
  const config = {
    camera: { cls: 'PerspectiveCamera', fov: 75 },
    lights: [{ cls: 'AmbientLight', color: '#ffffff', intensity: 0.75 }, { cls: 'DirectionalLight', color: '#ffffff', intensity: 0.75, position: [0, -1, 2] }],
    material: { cls: 'MeshStandardMaterial', roughness: 1e-7, metalness: 0.1, name: 'héllo ✓ 😀\n"q"\u007f\\', flat: true, map: null },
    Zoom: -2.5,
    empty: {},
    none: [],
  };

  test('vertices, faces and colors; the parts given; float64 and integer tensors; the JSON config', () => {
    torch.manualSeed(3);
    const dir = path.join(tmp, 'mesh');
    const w = new SummaryWriter(dir);
    const vertices = torch.randn(1, 4, 3);
    const colors = torch.tensor([[[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 0, 255]]], { dtype: torch.int32 });
    const faces = torch.tensor([[[0, 2, 3], [0, 3, 1], [0, 1, 2], [1, 3, 2]]], { dtype: torch.int32 });
    const cloud = torch.randn(2, 5, 3, { dtype: torch.float64 });
    const cloudColors = torch.randint(0, 256, [2, 5, 3]);
    w.addMesh('my_mesh', vertices, { colors, faces, globalStep: 1 });
    w.addMesh('cloud', cloud, cloudColors, null, config, 2);
    w.addMesh('bare', vertices, { globalStep: 3, configDict: {} });
    w.close();
    const args = { vertices: spec(vertices), colors: spec(colors), faces: spec(faces), cloud: spec(cloud), cloudColors: spec(cloudColors), config };
    const r = compareRun(dir, args, `[
    (1, S.mesh('my_mesh', T(a['vertices']), T(a['colors']), T(a['faces']), None)),
    (2, S.mesh('cloud', T(a['cloud']), T(a['cloudColors']), None, a['config'])),
    (3, S.mesh('bare', T(a['vertices']), None, None, {})),
]`);
    expect(r.diffs).toEqual([]);
    expect(r.count).toBe(3);
  });

  test("summary.mesh's display name and description; the config's JSON; a mesh that is not B x N x 3", () => {
    const vertices = torch.rand(1, 3, 3);
    const faces = torch.tensor([[[0, 1, 2]]]);
    const mine = mesh('m', vertices, null, faces, config, 'shown', 'a *triangle*');
    const bad = thrown(() => mesh('m', torch.rand(4, 3), null, null, null));
    const r = oracle(`from google.protobuf import json_format
a = json.loads(${JSON.stringify(JSON.stringify({ vertices: spec(vertices), faces: spec(faces), config }))})
want = S.mesh('m', T(a['vertices']), None, T(a['faces']), a['config'], display_name='shown', description='a *triangle*')
got = c['tensorboard.Summary']()
got.ParseFromString(bytes(${JSON.stringify(Array.from(encode('tensorboard.Summary', mine)))}))
result = {'diffs': O.diff(O.normalize(want, c), O.normalize(got, c)), 'json': json.dumps(a['config'], sort_keys=True),
          'config': O.normalize(want, c)['value'][0]['metadata']['plugin_data']['content']['json_config'],
          'bad': err(lambda: S.mesh('m', torch.rand(4, 3), None, None, None))}`) as { diffs: string[]; json: string; config: string; bad: string };
    expect(r.diffs).toEqual([]);
    expect(pyJsonDumps(config)).toBe(r.json);
    expect(r.config).toBe(r.json);
    expect(bad).toEqual({ name: 'ValueError', message: r.bad });
  });
});
