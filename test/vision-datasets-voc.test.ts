// datasets.VOCSegmentation / VOCDetection against torchvision 0.14's on a tiny VOCdevkit written by
// Python in torchvision's layout (JPEG images, palette PNG masks, XML annotations with the quirks
// parse_voc_xml keeps: repeated tags, one or no object, empty and whitespace-only elements).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import { DataLoader } from '../lib/data';
import * as T from '../lib/vision/transforms';
import { VOCSegmentation, VOCDetection } from '../lib/vision/datasets/voc';
import { runPython } from './helpers/python';
import { messageOf } from './helpers/errors';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-voc-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

runPython(`
import os, numpy as np
from PIL import Image
root = ${JSON.stringify(root)}
rng = np.random.RandomState(0)
def write(p, text):
    os.makedirs(os.path.dirname(p), exist_ok=True)
    open(p, 'w').write(text)
for base, ids in [('VOCdevkit/VOC2012', ['2008_000001', '2008_000002', '2009_000003']), ('VOCdevkit/VOC2007', ['000005', '000007'])]:
    d = os.path.join(root, base)
    for sub in ['JPEGImages', 'SegmentationClass', 'Annotations']: os.makedirs(os.path.join(d, sub))
    for k, i in enumerate(ids):
        h, w = 6 + k, 9 - k
        Image.fromarray(rng.randint(0, 256, (h, w, 3)).astype(np.uint8)).save(os.path.join(d, 'JPEGImages', i + '.jpg'), quality=90)
        mask = Image.fromarray(rng.randint(0, 21, (h, w)).astype(np.uint8), 'P')
        mask.putpalette([c for j in range(256) for c in (j, 255 - j, (7 * j) % 256)])
        m = np.array(mask); m[0, :] = 255; mask = Image.fromarray(m, 'P'); mask.putpalette([c for j in range(256) for c in (j, 255 - j, (7 * j) % 256)])
        mask.save(os.path.join(d, 'SegmentationClass', i + '.png'))
        objects = ''.join('<object><name>%s</name><pose>Left</pose><truncated>%d</truncated><difficult>0</difficult>'
                          '<bndbox><xmin>%d</xmin><ymin>%d</ymin><xmax>%d</xmax><ymax>%d</ymax></bndbox>%s</object>'
                          % (n, j % 2, j, j + 1, w - 1, h - 1, '<part><name>head</name><bndbox><xmin>1</xmin></bndbox></part>' * (j + k))
                          for j, n in enumerate(['dog', 'person &amp; co', 'cat'][:k]))
        write(os.path.join(d, 'Annotations', i + '.xml'), '<?xml version="1.0"?>\\n<!-- VOC -->\\n<annotation verified="no">\\n\\t<folder>VOC2012</folder>\\n'
              '\\t<filename>%s.jpg</filename>\\n<source><database>The VOC Database</database><annotation>PASCAL VOC</annotation><image>flickr</image></source>'
              '<size><width>%d</width><height>%d</height><depth>3</depth></size><segmented>%d</segmented><empty></empty><blank> </blank><self/>%s\\n</annotation>\\n'
              % (i, w, h, k % 2, objects))
    write(os.path.join(d, 'ImageSets/Segmentation/train.txt'), '\\n'.join(ids[:2]) + '\\n')
    write(os.path.join(d, 'ImageSets/Segmentation/val.txt'), ids[-1] + '\\r\\n')
    write(os.path.join(d, 'ImageSets/Main/train.txt'), '\\n'.join(ids) + '\\n')
    write(os.path.join(d, 'ImageSets/Main/test.txt'), ids[0])
result = None`);

const PY_HEAD = `
import os
from torchvision import datasets, transforms as T
root = ${JSON.stringify(root)}
pil = T.PILToTensor()
def item(x):
    img, target = x
    return [pil(img).tolist(), target if isinstance(target, dict) else pil(target).tolist()]
`;
const itemOf = ([img, target]: [torch.Tensor, unknown]) => [img.tolist(), target instanceof torch.Tensor ? target.tolist() : target];

test('VOCSegmentation items equal torchvision: RGB image pixels and the palette mask ids, for each split', async () => {
  const py = runPython<unknown[]>(`${PY_HEAD}
sets = [datasets.VOCSegmentation(root), datasets.VOCSegmentation(root, image_set='val'), datasets.VOCSegmentation(root, '2007', 'train')]
result = [[len(s), [item(s[i]) for i in range(len(s))] + [item(s[-1])], [os.path.relpath(p, root) for p in s.images + s.masks]] for s in sets]`);
  const sets = [new VOCSegmentation(root), new VOCSegmentation(root, { imageSet: 'val' }), new VOCSegmentation(root, '2007', 'train')];
  const ours = [];
  for (const s of sets) {
    const items = await Promise.all([...Array.from({ length: s.len() }, (_, i) => s.getItem(i)), s.getItem(-1)]);
    ours.push([s.len(), items.map(itemOf), [...s.images, ...s.masks].map((p) => path.relative(root, p))]);
  }
  expect(ours).toEqual(py);
  const [img, mask] = await sets[0].getItem(0);
  expect([img.dtype, img.shape[0], mask.dtype, mask.shape[0]]).toEqual([torch.uint8, 3, torch.uint8, 1]);
});

test('VOCDetection targets are the nested dict of parse_voc_xml, key order included', async () => {
  const py = runPython<string>(`${PY_HEAD}
sets = [datasets.VOCDetection(root), datasets.VOCDetection(root, year='2007', image_set='test')]
result = json.dumps([[len(s)] + [item(s[i]) for i in range(len(s))] for s in sets])`);
  const sets = [new VOCDetection(root), new VOCDetection({ root, year: '2007', imageSet: 'test' })];
  const ours = [];
  for (const s of sets) ours.push([s.len(), ...(await Promise.all(Array.from({ length: s.len() }, (_, i) => s.getItem(i)))).map(itemOf)]);
  expect(JSON.stringify(ours)).toBe(JSON.stringify(JSON.parse(py)));
});

test('transform, targetTransform and transforms run as torchvision runs them, seeded random flips in order', async () => {
  const py = runPython<unknown[]>(`${PY_HEAD}
torch.manual_seed(3)
a = datasets.VOCSegmentation(root, transform=T.Compose([T.RandomHorizontalFlip(), T.ToTensor()]), target_transform=T.PILToTensor())
first = [[x.tolist(), y.tolist()] for x, y in [a[1], a[0], a[1], a[0]]]
def joint(img, target):
    return T.functional.hflip(pil(img)).tolist(), target['annotation']['size']
b = datasets.VOCDetection(root, transforms=joint)
result = [first, list(b[2]), torch.rand(2).tolist()]`);
  torch.manualSeed(3);
  const a = new VOCSegmentation(root, { transform: new T.Compose([new T.RandomHorizontalFlip(), new T.ToTensor()]), targetTransform: new T.PILToTensor() });
  const first = (await Promise.all([1, 0, 1, 0].map((i) => a.getItem(i)))).map(([x, y]) => [x.tolist(), y.tolist()]);
  const joint = (img: torch.Tensor, target: any) => [T.functional.hflip(img).tolist(), target.annotation.size];
  const b = new VOCDetection(root, { transforms: joint });
  expect([first, await b.getItem(2), torch.rand(2).tolist()]).toEqual(py);
});

test("reprs and errors equal torchvision's", () => {
  const py = runPython<unknown[]>(`${PY_HEAD}
result = [repr(datasets.VOCSegmentation(root, transform=T.Compose([T.Resize(4, antialias=True), T.ToTensor()]), target_transform=T.PILToTensor())),
          repr(datasets.VOCDetection(root, '2007')), repr(datasets.VOCSegmentation(root, image_set='val')),
          err(lambda: datasets.VOCSegmentation(root, year='2013')), err(lambda: datasets.VOCSegmentation(root, image_set='test')),
          err(lambda: datasets.VOCDetection(root, year=2012)), err(lambda: datasets.VOCDetection(root, '2010')),
          err(lambda: datasets.VOCDetection(root, image_set='trainval')), err(lambda: datasets.VOCDetection(root, transform=pil, transforms=lambda a, b: (a, b))),
          err(lambda: datasets.VOCSegmentation(root, '2007', 'test'))]`);
  const ours = [
    String(new VOCSegmentation(root, { transform: new T.Compose([new T.Resize(4), new T.ToTensor()]), targetTransform: new T.PILToTensor() })),
    String(new VOCDetection(root, '2007')),
    String(new VOCSegmentation(root, { imageSet: 'val' })),
    messageOf(() => new VOCSegmentation(root, { year: '2013' })),
    messageOf(() => new VOCSegmentation(root, { imageSet: 'test' })),
    messageOf(() => new VOCDetection(root, { year: 2012 as never })),
    messageOf(() => new VOCDetection(root, '2010')),
    messageOf(() => new VOCDetection(root, { imageSet: 'trainval' })),
    messageOf(() => new VOCDetection(root, { transform: new T.PILToTensor(), transforms: (a: unknown, b: unknown) => [a, b] })),
    messageOf(() => new VOCSegmentation(root, '2007', 'test')),
  ];
  expect(ours).toEqual(py);
  expect(messageOf(() => new VOCDetection(root, { year: '2011', download: true }))).toMatch(/cannot download here.*VOCtrainval_25-May-2011\.tar/);
  expect(messageOf(() => new VOCDetection(root, { year: '2012', imageSet: 'val', badOption: 1 } as never))).toMatch(/unexpected keyword argument 'badOption'/);
});

test('a DataLoader batches VOCSegmentation items as torch.utils.data.DataLoader does', async () => {
  const py = runPython<unknown[]>(`${PY_HEAD}
from torch.utils.data import DataLoader
ds = datasets.VOCSegmentation(root, '2012', 'train', transform=T.Compose([T.CenterCrop(4), T.ToTensor()]), target_transform=T.Compose([T.CenterCrop(4), T.PILToTensor()]))
result = [[x.tolist(), y.tolist()] for x, y in DataLoader(ds, batch_size=2)]`);
  const ds = new VOCSegmentation(root, '2012', 'train', { transform: new T.Compose([new T.CenterCrop(4), new T.ToTensor()]), targetTransform: new T.Compose([new T.CenterCrop(4), new T.PILToTensor()]) });
  const batches: unknown[] = [];
  for await (const [x, y] of new DataLoader(ds, { batchSize: 2 })) batches.push([(x as torch.Tensor).tolist(), (y as torch.Tensor).tolist()]);
  expect(batches).toEqual(py);
  // worker threads rebuild the data set (and its transforms) from how it was made
  const inWorkers: unknown[] = [];
  for await (const [x, y] of new DataLoader(ds, { batchSize: 2, numWorkers: 2 })) inWorkers.push([(x as torch.Tensor).tolist(), (y as torch.Tensor).tolist()]);
  expect(inWorkers).toEqual(py);
});
