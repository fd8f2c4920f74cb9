// torchvision.models.detection's utilities against torchvision 0.14 on small inputs: BoxCoder
// (encode/decode, weights, the bbox_xform_clip clamp, gradients), Matcher (thresholds,
// allow_low_quality_matches, its errors), BalancedPositiveNegativeSampler (the same randperm draws
// after the same seed), AnchorGenerator (cell anchors, grids, several levels), GeneralizedRCNNTransform
// (normalize, resize with torchvision's scale factor, masks and keypoints, the training size draw,
// padding to size_divisible, fixed_size, postprocess with pasted masks, repr), paste_masks_in_image;
// the weights enums (entries, URLs, meta, ObjectDetection preset) and the by-name API.
import * as torch from '../lib';
import { Tensor } from '../lib';
import { models } from '../lib/vision';
import { runPython } from './helpers/python';
import { closeWithin, out } from './helpers/close';

const det = models.detection;
const close = closeWithin(1e-5);

const PY_DATA = `
torch.manual_seed(0)
gt = torch.tensor([[2., 3., 30., 40.], [20., 5., 60., 35.], [0., 0., 10., 12.]])
xy = torch.rand(12, 2) * 50
props = torch.cat([xy, xy + torch.rand(12, 2) * 30 + 1], 1)
codes = torch.randn(12, 8) * 2
quality = torch.rand(3, 12)
quality[1, 4] = quality[1].max() + 0.01
quality[2, 7] = quality[2, 7] + 1.0
labels = [torch.tensor([1, 0, 0, 2, -1, 0, 1, 0, 0, 3, 0, 0, 1, -1, 0, 0]), torch.tensor([0, 0, 0, 1, 0, 0, 0, 0])]
img1, img2 = torch.rand(3, 30, 50), torch.rand(3, 41, 27)
`;
function data() {
  torch.manualSeed(0);
  const gt = torch.tensor([[2, 3, 30, 40], [20, 5, 60, 35], [0, 0, 10, 12]], { dtype: torch.float32 });
  const xy = torch.rand(12, 2).mul(50);
  const props = torch.cat([xy, xy.add(torch.rand(12, 2).mul(30)).add(1)], 1);
  const codes = torch.randn(12, 8).mul(2);
  const quality = torch.rand(3, 12);
  quality.indexPut_([1, 4], quality.index(1).max().add(0.01));
  quality.indexPut_([2, 7], quality.index(2, 7).add(1.0));
  const labels = [torch.tensor([1, 0, 0, 2, -1, 0, 1, 0, 0, 3, 0, 0, 1, -1, 0, 0]), torch.tensor([0, 0, 0, 1, 0, 0, 0, 0])];
  const [img1, img2] = [torch.rand(3, 30, 50), torch.rand(3, 41, 27)];
  return { gt, props, codes, quality, labels, img1, img2 };
}

type Nested = number[] | number[][] | number[][][];
interface Py {
  coder: Record<string, Nested>;
  matcher: Record<string, number[] | string>;
  sampler: number[][][];
  anchors: Record<string, Nested | number[]>;
  transform: Record<string, unknown>;
  pasted: Nested;
  listed: string[];
  enums: { name: string; entries: [string, string, number, number | null, number[], string, string | null][]; default: string }[];
}

let py: Py;
beforeAll(() => {
  py = runPython<Py>(`
import torchvision.models as M
import torchvision.models.detection as D
from torchvision.models.detection import _utils as U
from torchvision.models.detection.anchor_utils import AnchorGenerator
from torchvision.models.detection.transform import GeneralizedRCNNTransform
from torchvision.models.detection.image_list import ImageList
from torchvision.models.detection.roi_heads import paste_masks_in_image
${PY_DATA}
result = {'coder': {}, 'matcher': {}, 'anchors': {}, 'transform': {}}
coder = U.BoxCoder((10., 10., 5., 5.))
codes_g = codes.clone().requires_grad_()
dec = coder.decode(codes_g, [props[:5], props[5:]])
(dec * torch.arange(dec.numel()).reshape(dec.shape).sin()).sum().backward()
result['coder'] = {'encode': [t.tolist() for t in coder.encode([gt[[0, 1, 2, 0, 1]], gt[[2, 2, 1, 0, 0, 1, 2]]], [props[:5], props[5:]])],
    'decode': dec.tolist(), 'grad': codes_g.grad.tolist(),
    'clip': U.BoxCoder((1., 1., 1., 1.), bbox_xform_clip=0.5).decode_single(codes, props).tolist()}
for name, m in [('plain', U.Matcher(0.7, 0.3)), ('low', U.Matcher(0.7, 0.3, allow_low_quality_matches=True)), ('equal', U.Matcher(0.5, 0.5))]:
    result['matcher'][name] = m(quality).tolist()
result['matcher']['noGt'] = err(lambda: U.Matcher(0.7, 0.3)(torch.zeros(0, 5)))
result['matcher']['noProposals'] = err(lambda: U.Matcher(0.7, 0.3)(torch.zeros(2, 0)))
result['matcher']['thresholds'] = err(lambda: U.Matcher(0.3, 0.7))
sampler = U.BalancedPositiveNegativeSampler(6, 0.5)
torch.manual_seed(7)
result['sampler'] = [[p.tolist(), n.tolist()] for p, n in zip(*sampler(labels))] + [[p.tolist(), n.tolist()] for p, n in zip(*sampler(labels))]
ag = AnchorGenerator(((16, 32), (64,)), ((0.5, 1.0, 2.0), (0.25, 4.0)))
il = ImageList(torch.zeros(2, 3, 40, 64), [(40, 60), (33, 64)])
a = ag(il, [torch.zeros(2, 4, 10, 16), torch.zeros(2, 4, 5, 8)])
ag2 = AnchorGenerator((8, 16, 32))
result['anchors'] = {'two': a[0].tolist(), 'count': [len(x) for x in a], 'perLocation': ag.num_anchors_per_location(),
    'cells': [c.tolist() for c in AnchorGenerator().cell_anchors], 'flat': ag2.num_anchors_per_location(), 'flatCells': [c.tolist() for c in ag2.cell_anchors]}
t = GeneralizedRCNNTransform(48, 70, [0.4, 0.5, 0.6], [0.2, 0.25, 0.3], size_divisible=16)
targets = [{'boxes': torch.tensor([[1., 2., 20., 25.]]), 'labels': torch.tensor([1]), 'masks': (img1[0] > 0.5).to(torch.uint8)[None],
            'keypoints': torch.tensor([[[3., 4., 1.], [10., 20., 0.]]])},
           {'boxes': torch.tensor([[5., 6., 25., 40.], [0., 0., 8., 9.]]), 'labels': torch.tensor([2, 1]), 'masks': (img2[:2] > 0.5).to(torch.uint8),
            'keypoints': torch.tensor([[[6., 7., 1.], [1., 2., 1.]], [[3., 3., 1.], [4., 4., 1.]]])}]
t.eval()
il, tt = t([img1, img2], targets)
result['transform']['eval'] = {'tensors': il.tensors.tolist(), 'sizes': il.image_sizes, 'targets': [{k: v.tolist() for k, v in x.items()} for x in tt]}
t2 = GeneralizedRCNNTransform((20, 30, 40, 50), 70, [0.4, 0.5, 0.6], [0.2, 0.25, 0.3])
torch.manual_seed(11)
il2, _ = t2([img1, img2, img1])
result['transform']['train'] = {'shape': list(il2.tensors.shape), 'sizes': il2.image_sizes}
t3 = GeneralizedRCNNTransform(48, 70, [0.4, 0.5, 0.6], [0.2, 0.25, 0.3], fixed_size=(40, 24))
t3.eval()
il3, _ = t3([img1])
result['transform']['fixed'] = {'tensors': il3.tensors.tolist(), 'sizes': il3.image_sizes}
t.eval()
torch.manual_seed(4)
masks = torch.rand(2, 1, 5, 5)
pb = torch.tensor([[2.3, 3.1, 20.7, 18.2], [-3., 5., 12., 40.]])
post = t.postprocess([{'boxes': pb, 'labels': torch.tensor([1, 2]), 'masks': masks, 'keypoints': torch.tensor([[[3., 4., 1.]], [[5., 6., 1.]]])}], [(48, 40)], [(30, 25)])
result['transform']['post'] = {k: v.tolist() for k, v in post[0].items()}
result['transform']['repr'] = [repr(t), repr(t2)]
result['pasted'] = paste_masks_in_image(masks, pb, (30, 33), padding=2).tolist()
result['listed'] = M.list_models(module=M.detection)
result['enums'] = []
for name in ['fasterrcnn_resnet50_fpn', 'fasterrcnn_resnet50_fpn_v2', 'fasterrcnn_mobilenet_v3_large_fpn', 'fasterrcnn_mobilenet_v3_large_320_fpn',
             'maskrcnn_resnet50_fpn', 'maskrcnn_resnet50_fpn_v2', 'keypointrcnn_resnet50_fpn',
             'retinanet_resnet50_fpn', 'retinanet_resnet50_fpn_v2', 'fcos_resnet50_fpn']:
    e = M.get_model_weights(name)
    result['enums'].append({'name': e.__name__, 'default': [n for n, w in e.__members__.items() if w is e.DEFAULT and n != 'DEFAULT'][0],
        'entries': [[w.name, w.url, len(w.meta['categories']), w.meta['num_params'], list(w.meta['min_size']), repr(w.transforms()),
                     None if 'keypoint_names' not in w.meta else ','.join(w.meta['keypoint_names'])] for w in e]})
`);
});

test("BoxCoder: torchvision's encode, decode (and its gradient), the bbox_xform_clip clamp", () => {
  const { gt, props, codes } = data();
  const coder = new det.BoxCoder([10, 10, 5, 5]);
  const idx = (t: Tensor, i: number[]) => t.index(torch.tensor(i));
  const enc = coder.encode([idx(gt, [0, 1, 2, 0, 1]), idx(gt, [2, 2, 1, 0, 0, 1, 2])], [props.narrow(0, 0, 5), props.narrow(0, 5, 7)]);
  enc.forEach((t, i) => close(out(t), py.coder.encode[i] as number[][], 1e-5, `encode ${i}`));
  const g = codes.clone().requiresGrad_();
  const dec = coder.decode(g, [props.narrow(0, 0, 5), props.narrow(0, 5, 7)]);
  close(out(dec), py.coder.decode, 1e-5, 'decode');
  dec.mul(torch.arange(dec.numel()).reshape(dec.shape).sin()).sum().backward();
  close(out(g.grad), py.coder.grad, 1e-5, 'grad');
  close(out(new det.BoxCoder([1, 1, 1, 1], 0.5).decodeSingle(codes, props)), py.coder.clip, 1e-5, 'clip');
});

test("Matcher: torchvision's matches, low-quality matches kept, and its errors", () => {
  const { quality } = data();
  expect(out(new det.Matcher(0.7, 0.3).call(quality))).toEqual(py.matcher.plain);
  expect(out(new det.Matcher(0.7, 0.3, true).call(quality))).toEqual(py.matcher.low);
  expect(out(new det.Matcher(0.5, 0.5).call(quality))).toEqual(py.matcher.equal);
  expect(() => new det.Matcher(0.7, 0.3).call(torch.zeros(0, 5))).toThrow(py.matcher.noGt as string);
  expect(() => new det.Matcher(0.7, 0.3).call(torch.zeros(2, 0))).toThrow(py.matcher.noProposals as string);
  expect(() => new det.Matcher(0.3, 0.7)).toThrow(py.matcher.thresholds as string);
});

test('BalancedPositiveNegativeSampler: the same samples after the same seed (randperm in torchvision order)', () => {
  const { labels } = data();
  const sampler = new det.BalancedPositiveNegativeSampler(6, 0.5);
  torch.manualSeed(7);
  const draw = () => {
    const [pos, neg] = sampler.call(labels);
    return pos.map((p, i) => [out(p), out(neg[i])]);
  };
  expect([...draw(), ...draw()]).toEqual(py.sampler);
});

test("AnchorGenerator: torchvision's cell anchors and anchors over several feature maps", () => {
  const ag = new det.AnchorGenerator([[16, 32], [64]], [[0.5, 1.0, 2.0], [0.25, 4.0]]);
  const il = new det.ImageList(torch.zeros(2, 3, 40, 64), [[40, 60], [33, 64]]);
  const a = ag(il, [torch.zeros(2, 4, 10, 16), torch.zeros(2, 4, 5, 8)]);
  expect(out(a[0])).toEqual(py.anchors.two);
  expect(a.map((x) => x.size(0))).toEqual(py.anchors.count);
  expect(ag.numAnchorsPerLocation()).toEqual(py.anchors.perLocation);
  expect(new det.AnchorGenerator().cellAnchors.map((c) => out(c))).toEqual(py.anchors.cells);
  const flat = new det.AnchorGenerator({ sizes: [8, 16, 32] });
  expect(flat.numAnchorsPerLocation()).toEqual(py.anchors.flat);
  expect(flat.cellAnchors.map((c) => out(c))).toEqual(py.anchors.flatCells);
});

test("GeneralizedRCNNTransform: torchvision's batch, sizes and targets; the training size draw; fixed_size; postprocess; repr", () => {
  const { img1, img2 } = data();
  const want = py.transform as Record<string, Record<string, unknown>> & { repr: string[] };
  const t = new det.GeneralizedRCNNTransform(48, 70, [0.4, 0.5, 0.6], [0.2, 0.25, 0.3], { sizeDivisible: 16 });
  const targets = [
    { boxes: torch.tensor([[1, 2, 20, 25]], { dtype: torch.float32 }), labels: torch.tensor([1]), masks: img1.index(0).gt(0.5).to(torch.uint8).index(null), keypoints: torch.tensor([[[3, 4, 1], [10, 20, 0]]], { dtype: torch.float32 }) },
    {
      boxes: torch.tensor([[5, 6, 25, 40], [0, 0, 8, 9]], { dtype: torch.float32 }),
      labels: torch.tensor([2, 1]),
      masks: img2.index(torch.slice(null, 2)).gt(0.5).to(torch.uint8),
      keypoints: torch.tensor([[[6, 7, 1], [1, 2, 1]], [[3, 3, 1], [4, 4, 1]]], { dtype: torch.float32 }),
    },
  ];
  t.eval();
  const [il, tt] = t([img1, img2], targets);
  close(out(il.tensors), want.eval.tensors as number[], 1e-5, 'tensors');
  expect(il.imageSizes).toEqual(want.eval.sizes);
  (want.eval.targets as Record<string, number[]>[]).forEach((w, i) => {
    expect(Object.keys(tt![i])).toEqual(Object.keys(w));
    for (const [k, v] of Object.entries(tt![i])) close(out(v), w[k], 1e-5, `${k} ${i}`);
  });
  // the caller's targets are not changed
  expect(targets[0].boxes.shape).toEqual([1, 4]);
  expect(out(targets[0].boxes)).toEqual([[1, 2, 20, 25]]);

  const t2 = new det.GeneralizedRCNNTransform([20, 30, 40, 50], 70, [0.4, 0.5, 0.6], [0.2, 0.25, 0.3]);
  torch.manualSeed(11);
  const [il2] = t2([img1, img2, img1]);
  expect([il2.tensors.shape, il2.imageSizes]).toEqual([want.train.shape, want.train.sizes]);

  const t3 = new det.GeneralizedRCNNTransform(48, 70, [0.4, 0.5, 0.6], [0.2, 0.25, 0.3], { fixedSize: [40, 24] });
  t3.eval();
  const [il3] = t3([img1]);
  close(out(il3.tensors), want.fixed.tensors as number[], 1e-5, 'fixed');
  expect(il3.imageSizes).toEqual(want.fixed.sizes);

  torch.manualSeed(4);
  const masks = torch.rand(2, 1, 5, 5);
  const pb = torch.tensor([[2.3, 3.1, 20.7, 18.2], [-3, 5, 12, 40]]);
  const post = t.postprocess([{ boxes: pb, labels: torch.tensor([1, 2]), masks, keypoints: torch.tensor([[[3, 4, 1]], [[5, 6, 1]]], { dtype: torch.float32 }) }], [[48, 40]], [[30, 25]]);
  for (const [k, v] of Object.entries(post[0])) close(out(v), (want.post as Record<string, number[]>)[k], 1e-5, `post ${k}`);
  expect([String(t), String(t2)]).toEqual(want.repr);
  close(out(det.pasteMasksInImage(masks, pb, [30, 33], 2)), py.pasted, 1e-5, 'pasted');
});

test("the weights enums as torchvision's (entries, URLs, categories, meta, ObjectDetection preset) and the by-name API", () => {
  for (const e of py.enums) {
    const ours = (det as unknown as Record<string, models.WeightsEnum>)[e.name];
    expect(Object.keys(ours).filter((k) => k !== 'DEFAULT')).toEqual(e.entries.map(([n]) => n));
    expect(ours.DEFAULT).toBe(ours[e.default]);
    expect(models.getWeight(`${e.name}.DEFAULT`)).toBe(ours.DEFAULT);
    for (const [name, url, categories, numParams, minSize, transforms, keypoints] of e.entries) {
      const w = ours[name] as models.detection.DetectionWeights;
      expect([name, w.url, w.meta.categories!.length, w.meta.numParams, w.meta.minSize, String(w.transforms()), w.keypointNames?.join(',') ?? null]).toEqual([name, url, categories, numParams, minSize, transforms, keypoints]);
    }
  }
  expect(models.getModelBuilder('fasterrcnn_resnet50_fpn')).toBe(det.fasterrcnnResnet50Fpn);
  expect(models.getModelBuilder('maskrcnnResnet50Fpn')).toBe(det.maskrcnn_resnet50_fpn);
  // every torchvision detection builder
  expect(models.listModels(det)).toEqual(py.listed);
  // the ObjectDetection preset: the image as float in [0, 1]
  const img = torch.tensor([[[0, 128, 255]]], { dtype: torch.uint8 });
  expect(out(det.FasterRCNN_ResNet50_FPN_Weights.DEFAULT.transforms()(img))).toEqual([[[0, 128 / 255, 1]].map((r) => r.map((v) => Math.fround(v)))]);
});
