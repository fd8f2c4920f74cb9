// datasets.Flickr8k / Flickr30k against torchvision 0.14's: a small Flickr8k HTML annotation page
// (links naming the images, list items as captions, an "Image Not Found" entry, character
// references, text outside the table) and a Flickr30k token file, with JPEG images in root.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as torch from '../lib';
import * as T from '../lib/vision/transforms';
import { Flickr8k, Flickr30k } from '../lib/vision/datasets/flickr';
import { runPython } from './helpers/python';
import { messageOf } from './helpers/errors';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'torch-node-flickr-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const html = path.join(root, 'Flickr8k.html');
const token = path.join(root, 'results_20130124.token');

runPython(`
import os, numpy as np
from PIL import Image
root = ${JSON.stringify(root)}
rng = np.random.RandomState(0)
for name in ['3385593926_d3e9c21170.jpg', '1000268201_693b08cb0e.jpg', '2513260012_03d33305cf.jpg', '99679241_adc853a5c0.jpg']:
    Image.fromarray(rng.randint(0, 256, (5, 4, 3)).astype(np.uint8)).save(os.path.join(root, name), quality=92)
page = '''<html><head><title>Flickr 8k</title></head><body><p>Captions <li>outside the table</li></p>
<table>
<!-- one row per image -->
<tr><td><a href="http://www.flickr.com/photos/x/3385593926/">http://www.flickr.com/photos/x/3385593926/</a></td>
<td><ul><li>A dog &amp; a ball .</li>
<li> Two  dogs play in the grass . </li><br/><li>A dog runs &#8211; fast .</li></ul></td></tr>
<tr><td><a href="http://www.flickr.com/photos/y/1000268201/">http://www.flickr.com/photos/y/1000268201/</a></td>
<td><ul><li>A child in a pink dress .</li></ul></td></tr>
<tr><td>Image Not Found</td><td><ul><li>lost caption</li></ul></td></tr>
<tr><td><A HREF="http://www.flickr.com/photos/z/2513260012/">http://www.flickr.com/photos/z/2513260012/</A></td><td><UL><LI>A black dog .</LI></UL></td></tr>
</table><ul><li>after the table</li></ul></body></html>
'''
open(os.path.join(root, 'Flickr8k.html'), 'w').write(page)
lines = ['1000268201_693b08cb0e.jpg#0\\tA child in a pink dress .', '99679241_adc853a5c0.jpg#0\\tA grey bird .',
         '1000268201_693b08cb0e.jpg#1\\tA girl going into a wooden building .', '99679241_adc853a5c0.jpg#1\\tA bird stands on a rock .\\r']
open(os.path.join(root, 'results_20130124.token'), 'w').write('\\n'.join(lines) + '\\n')
result = None`);

const PY_HEAD = `
import os
from torchvision import datasets, transforms as T
root, html, token = ${JSON.stringify(root)}, ${JSON.stringify(html)}, ${JSON.stringify(token)}
pil = T.PILToTensor()
def summary(ds):
    return [len(ds), [os.path.basename(i) for i in ds.ids], [[pil(x).tolist(), y] for x, y in [ds[i] for i in list(range(len(ds))) + [-1]]]]
`;
async function summary(ds: Flickr8k | Flickr30k) {
  const items = await Promise.all([...Array.from({ length: ds.len() }, (_, i) => ds.getItem(i)), ds.getItem(-1)]);
  return [ds.len(), ds.ids.map((i) => path.basename(i)), items.map(([x, y]) => [x.tolist(), y])];
}

test('Flickr8k and Flickr30k items equal torchvision: images and caption lists', async () => {
  const py = runPython<unknown[]>(`${PY_HEAD}
result = [summary(datasets.Flickr8k(root, html)), summary(datasets.Flickr30k(root, ann_file=token))]`);
  expect([await summary(new Flickr8k(root, html)), await summary(new Flickr30k(root, { annFile: token }))]).toEqual(py);
});

test('transforms, repr and errors equal torchvision', async () => {
  const bad = path.join(root, 'bad.token');
  fs.writeFileSync(bad, 'a.jpg#0\tone\tmore\n');
  const py = runPython<unknown[]>(`${PY_HEAD}
ds = datasets.Flickr30k(root, token, T.ToTensor(), T.Lambda(lambda c: len(c)))
result = [[ds[1][0].tolist(), ds[1][1]], repr(ds), repr(datasets.Flickr8k(root, html)), err(lambda: datasets.Flickr30k(root, ${JSON.stringify(bad)})),
          err(lambda: datasets.Flickr30k(root, token)[2])]`);
  const ds = new Flickr30k(root, token, new T.ToTensor(), new T.Lambda((c: string[]) => c.length));
  const [x, y] = await ds.getItem(1);
  const ours = [
    [(x as torch.Tensor).tolist(), y], String(ds), String(new Flickr8k(root, html)), messageOf(() => new Flickr30k(root, bad)),
    await new Flickr30k(root, token).getItem(2).then(() => 'no error', (e: Error) => e.message),
  ];
  expect(ours).toEqual(py);
  expect(messageOf(() => new (Flickr8k as any)(root))).toBe("Flickr8k() missing 1 required positional argument: 'annFile'");
});
