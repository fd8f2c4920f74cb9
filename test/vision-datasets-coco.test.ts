// datasets.CocoDetection / CocoCaptions against torchvision 0.14's classes, run with a stand-in for
// pycocotools (not installed here) written in the test from pycocotools' indexing: images by id
// (a repeated id replaces the earlier entry), ids sorted, an image's annotations in file order each
// looked up by annotation id (a repeated annotation id gives the later one). PNG images (RGB, L,
// RGBA, one in a subfolder) so the decoded pixels compare exactly.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import * as T from '../lib/vision/transforms';
import { CocoDetection, CocoCaptions } from '../lib/vision/datasets/coco';
import { runPython } from './helpers/python';
import { messageOf } from './helpers/errors';

jest.setTimeout(120_000);

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-coco-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const annFile = path.join(root, 'instances.json');
const capFile = path.join(root, 'captions.json');
const listFile = path.join(root, 'list.json');

runPython(`
import os, numpy as np
from PIL import Image
root = ${JSON.stringify(root)}
rng = np.random.RandomState(0)
os.makedirs(os.path.join(root, 'sub'), exist_ok=True)
Image.fromarray(rng.randint(0, 256, (5, 4, 3)).astype(np.uint8)).save(os.path.join(root, 'a.png'))
Image.fromarray(rng.randint(0, 256, (3, 6)).astype(np.uint8), 'L').save(os.path.join(root, 'b.png'))
Image.fromarray(rng.randint(0, 256, (4, 4, 4)).astype(np.uint8), 'RGBA').save(os.path.join(root, 'sub', 'c.png'))
Image.fromarray(rng.randint(0, 256, (2, 3, 3)).astype(np.uint8)).save(os.path.join(root, 'd.png'))
images = [{'id': 9, 'file_name': 'a.png', 'height': 5, 'width': 4}, {'id': 2, 'file_name': 'b.png'},
          {'id': 31, 'file_name': 'sub/c.png'}, {'id': 4, 'file_name': 'a.png'}, {'id': 4, 'file_name': 'd.png', 'license': 1}]
anns = [{'id': 7, 'image_id': 9, 'category_id': 1, 'bbox': [1.5, 2, 3, 4], 'area': 12.0, 'iscrowd': 0, 'segmentation': [[1, 2, 3, 4, 5, 6]]},
        {'id': 3, 'image_id': 2, 'category_id': 2, 'bbox': [0, 0, 2, 2], 'area': 4, 'iscrowd': 1},
        {'id': 11, 'image_id': 9, 'category_id': 2, 'bbox': [0, 1, 1, 1], 'area': 1, 'iscrowd': 0},
        {'id': 3, 'image_id': 4, 'category_id': 1, 'bbox': [2, 2, 1, 1], 'area': 1, 'iscrowd': 0, 'note': 'same id as an earlier one'},
        {'id': 12, 'image_id': 77, 'category_id': 1, 'bbox': [0, 0, 1, 1], 'area': 1, 'iscrowd': 0}]
cats = [{'id': 1, 'name': 'cat', 'supercategory': 'animal'}, {'id': 2, 'name': 'dog', 'supercategory': 'animal'}]
json.dump({'info': {'year': 2017}, 'images': images, 'annotations': anns, 'categories': cats}, open(os.path.join(root, 'instances.json'), 'w'))
caps = [{'id': 1, 'image_id': 31, 'caption': 'A small square.'}, {'id': 2, 'image_id': 9, 'caption': 'Noise, mostly.'},
        {'id': 5, 'image_id': 31, 'caption': 'Another caption \\u00e9.'}]
json.dump({'images': images[:3], 'annotations': caps}, open(os.path.join(root, 'captions.json'), 'w'))
json.dump([1, 2], open(os.path.join(root, 'list.json'), 'w'))
result = None`);

// pycocotools.coco.COCO as far as torchvision uses it, from pycocotools' createIndex / getAnnIds /
// loadAnns / loadImgs
const PY_HEAD = `
import sys, types, itertools, os
from collections import defaultdict
class COCO:
    def __init__(self, annotation_file):
        dataset = json.load(open(annotation_file, 'r'))
        assert type(dataset) == dict, 'annotation file format {} not supported'.format(type(dataset))
        self.dataset = dataset
        self.anns, self.imgs, self.imgToAnns = {}, {}, defaultdict(list)
        for ann in dataset.get('annotations', []):
            self.imgToAnns[ann['image_id']].append(ann)
            self.anns[ann['id']] = ann
        for img in dataset.get('images', []):
            self.imgs[img['id']] = img
    def getAnnIds(self, imgIds):
        ids = imgIds if isinstance(imgIds, list) else [imgIds]
        return [ann['id'] for ann in itertools.chain.from_iterable(self.imgToAnns[i] for i in ids if i in self.imgToAnns)]
    def loadAnns(self, ids):
        return [self.anns[i] for i in ids]
    def loadImgs(self, ids):
        return [self.imgs[i] for i in (ids if isinstance(ids, list) else [ids])]
module = types.ModuleType('pycocotools'); module.coco = types.ModuleType('pycocotools.coco'); module.coco.COCO = COCO
sys.modules['pycocotools'] = module; sys.modules['pycocotools.coco'] = module.coco
from torchvision import datasets, transforms as T
root, ann_file, cap_file, list_file = ${JSON.stringify(root)}, ${JSON.stringify(annFile)}, ${JSON.stringify(capFile)}, ${JSON.stringify(listFile)}
pil = T.PILToTensor()
def summary(ds):
    return [len(ds), ds.ids, [[pil(x).tolist(), y] for x, y in [ds[i] for i in list(range(len(ds))) + [-1]]]]
`;
async function summary(ds: CocoDetection<torch.Tensor, unknown>) {
  const items = await Promise.all([...Array.from({ length: ds.len() }, (_, i) => ds.getItem(i)), ds.getItem(-1)]);
  return [ds.len(), ds.ids, items.map(([x, y]) => [x.tolist(), y])];
}

test('CocoDetection and CocoCaptions items equal torchvision: images in sorted id order, annotations in file order', async () => {
  const py = runPython<unknown[]>(`${PY_HEAD}
result = [summary(datasets.CocoDetection(root, ann_file)), summary(datasets.CocoCaptions(root, annFile=cap_file))]`);
  expect([await summary(new CocoDetection(root, annFile)), await summary(new CocoCaptions(root, { annFile: capFile }))]).toEqual(py);
});

test('transforms, target transforms, joint transforms, repr and errors equal torchvision', async () => {
  const py = runPython<unknown[]>(`${PY_HEAD}
ds = datasets.CocoDetection(root, ann_file, T.ToTensor(), T.Lambda(lambda t: [a['id'] for a in t]))
joint = datasets.CocoCaptions(root, cap_file, transforms=lambda img, caps: (img.size, len(caps)))
no_caption = datasets.CocoCaptions(root, ann_file)
result = [[ds[0][0].tolist(), ds[0][1]], list(joint[2]), repr(ds), repr(datasets.CocoCaptions(root, cap_file)),
          err(lambda: datasets.CocoDetection(root, list_file)), err(lambda: no_caption[0]), err(lambda: ds[4])]`);
  const ds = new CocoDetection(root, annFile, new T.ToTensor(), new T.Lambda((t: { id: number }[]) => t.map((a) => a.id)));
  const [x, y] = await ds.getItem(0);
  const joint = new CocoCaptions(root, capFile, { transforms: (img: torch.Tensor, caps: string[]) => [[img.size(2), img.size(1)], caps.length] });
  const noCaption = new CocoCaptions(root, annFile);
  const ours = [
    [(x as torch.Tensor).tolist(), y], await joint.getItem(2), String(ds), String(new CocoCaptions(root, capFile)),
    messageOf(() => new CocoDetection(root, listFile)),
    await noCaption.getItem(0).then(() => 'no error', (e: Error) => e.message.replace(/^KeyError: /, '')),
    await ds.getItem(4).then(() => 'no error', (e: Error) => e.message),
  ];
  expect(ours).toEqual(py);
  expect(messageOf(() => new (CocoDetection as any)(root))).toBe("CocoDetection() missing 1 required positional argument: 'annFile'");
  expect(messageOf(() => new CocoDetection(root, path.join(root, 'missing.json')))).toMatch(/No such file or directory/);
});
