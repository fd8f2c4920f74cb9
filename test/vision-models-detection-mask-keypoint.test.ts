// torchvision.models.detection Mask R-CNN and Keypoint R-CNN against torchvision 0.14:
// - maskrcnn_resnet50_fpn(_v2), keypointrcnn_resnet50_fpn (and variants): state_dict keys and shapes,
//   parameter count, repr, frozen parameters (Python builds on 'meta'); seeded initial weights;
// - with a torchvision state_dict perturbed (its small tensors and BatchNorm statistics), two small images,
//   fewer proposals and detections than the defaults (FEWER_ROIS): eval detections (boxes, labels, scores,
//   masks pasted at the image size / keypoints and their scores) equal torchvision's; in training the
//   loss dict (loss_mask / loss_keypoint included) and every parameter's gradient equal torchvision's.
import * as torch from '../lib';
import { Tensor } from '../lib';
import { models } from '../lib/vision';
import { DetectionCase, describeDetectionModels, FEWER_ROIS, PY_FEWER_ROIS } from './helpers/detection-oracle';

const det = models.detection;
const STRUCTURE: DetectionCase[] = [
  ['maskrcnn_resnet50_fpn', 'D.maskrcnn_resnet50_fpn(weights_backbone=None)', () => det.maskrcnnResnet50Fpn({ weightsBackbone: null })],
  ['maskrcnn_resnet50_fpn_v2', 'D.maskrcnn_resnet50_fpn_v2(num_classes=3)', () => det.maskrcnnResnet50FpnV2({ numClasses: 3 })],
  ['keypointrcnn_resnet50_fpn', 'D.keypointrcnn_resnet50_fpn(weights_backbone=None)', () => det.keypointrcnnResnet50Fpn({ weightsBackbone: null })],
  ['keypointrcnn_resnet50_fpn(num_keypoints=5)', 'D.keypointrcnn_resnet50_fpn(weights_backbone=None, num_keypoints=5, num_classes=3)', () => det.keypointrcnnResnet50Fpn({ weightsBackbone: null, numKeypoints: 5, numClasses: 3 })],
];
const SEEDED: DetectionCase[] = [['maskrcnn_resnet50_fpn', 'D.maskrcnn_resnet50_fpn(weights_backbone=None, num_classes=3)', () => det.maskrcnnResnet50Fpn({ weightsBackbone: null, numClasses: 3 })]];
/** Compared by value (both with a perturbed state_dict), with fewer RoIs (FEWER_ROIS) */
const BY_VALUE: DetectionCase[] = [
  ['maskrcnn_resnet50_fpn', `D.maskrcnn_resnet50_fpn(weights_backbone=None, num_classes=3, min_size=64, max_size=80, ${PY_FEWER_ROIS})`, () => det.maskrcnnResnet50Fpn({ weightsBackbone: null, numClasses: 3, minSize: 64, maxSize: 80, ...FEWER_ROIS })],
  ['maskrcnn_resnet50_fpn_v2', `D.maskrcnn_resnet50_fpn_v2(num_classes=3, min_size=64, max_size=80, ${PY_FEWER_ROIS})`, () => det.maskrcnnResnet50FpnV2({ numClasses: 3, minSize: 64, maxSize: 80, ...FEWER_ROIS })],
  ['keypointrcnn_resnet50_fpn', `D.keypointrcnn_resnet50_fpn(weights_backbone=None, num_keypoints=4, min_size=64, max_size=80, ${PY_FEWER_ROIS})`, () => det.keypointrcnnResnet50Fpn({ weightsBackbone: null, numKeypoints: 4, minSize: 64, maxSize: 80, ...FEWER_ROIS })],
];

// inputs drawn alike on both sides: masks inside the boxes, keypoints (some invisible) inside them
const PY_INPUTS = `
torch.manual_seed(3)
images = [torch.rand(3, 64, 80), torch.rand(3, 56, 72)]
boxes = [torch.tensor([[4., 6., 40., 50.], [30., 10., 70., 60.]]), torch.tensor([[10., 12., 50., 40.]])]
def masks_of(b, h, w):
    m = torch.rand(len(b), h, w).gt(0.3)
    ys, xs = torch.arange(h)[None, :, None], torch.arange(w)[None, None, :]
    inside = (xs >= b[:, 0, None, None]) & (xs < b[:, 2, None, None]) & (ys >= b[:, 1, None, None]) & (ys < b[:, 3, None, None])
    return (m & inside).to(torch.uint8)
def keypoints_of(b):
    t = torch.rand(len(b), 4, 2)
    xy = b[:, None, :2] + t * (b[:, None, 2:] - b[:, None, :2])
    return torch.cat([xy, torch.rand(len(b), 4, 1).gt(0.2).float()], 2)
targets = [{'boxes': b, 'labels': torch.ones(len(b), dtype=torch.int64), 'masks': masks_of(b, *img.shape[-2:]), 'keypoints': keypoints_of(b)}
           for b, img in zip(boxes, images)]
`;
function inputs(): [Tensor[], models.detection.TensorDict[]] {
  torch.manualSeed(3);
  const images = [torch.rand(3, 64, 80), torch.rand(3, 56, 72)];
  const boxes = [torch.tensor([[4, 6, 40, 50], [30, 10, 70, 60]], { dtype: torch.float32 }), torch.tensor([[10, 12, 50, 40]], { dtype: torch.float32 })];
  const col = (b: Tensor, i: number) => b.index(':', i, null, null);
  const masksOf = (b: Tensor, h: number, w: number) => {
    const m = torch.rand(b.size(0), h, w).gt(0.3);
    const ys = torch.arange(h).index(null, ':', null), xs = torch.arange(w).index(null, null, ':');
    const inside = xs.ge(col(b, 0)).logicalAnd(xs.lt(col(b, 2))).logicalAnd(ys.ge(col(b, 1))).logicalAnd(ys.lt(col(b, 3)));
    return m.logicalAnd(inside).to(torch.uint8);
  };
  const keypointsOf = (b: Tensor) => {
    const t = torch.rand(b.size(0), 4, 2);
    const lo = b.index(':', null, torch.slice(null, 2)), hi = b.index(':', null, torch.slice(2));
    const xy = lo.add(t.mul(hi.sub(lo)));
    return torch.cat([xy, torch.rand(b.size(0), 4, 1).gt(0.2).float()], 2);
  };
  const targets = boxes.map((b, i) => ({ boxes: b, labels: torch.ones(b.size(0), { dtype: torch.int64 }), masks: masksOf(b, images[i].size(1), images[i].size(2)), keypoints: keypointsOf(b) }));
  return [images, targets];
}

describeDetectionModels({ structure: STRUCTURE, seeded: SEEDED, byValue: BY_VALUE, pyInputs: PY_INPUTS, inputs });
