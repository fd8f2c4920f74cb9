// What torchvision's one-stage detectors, RetinaNet and FCOS (SSD too, for the first few), do alike.
// Python writes these steps out in each class (they share no base class there, nor here); the steps
// themselves live once, below.
import { Tensor } from '../../../tensor/tensor';
import * as torch from '../../../index';
import * as nn from '../../../nn';
import { Module } from '../../../nn/module';
import { constant_, normal_ } from '../../../nn/init';
import { clipBoxesToImage } from '../../ops/boxes';
import { AnchorGenerator } from './anchor-utils';
import { GeneralizedRCNNTransform, TensorDict } from './transform';
import { ImageList } from './image-list';
import { checkDegenerateBoxes } from './degenerate-boxes';
import { AssertionError } from '../../../errors';
import { batchedNms } from '../../ops/nms';
import { pySize } from '../../../py-format';

/** (N, A * K, H, W) per level to (N, H * W * A, K), levels concatenated */
export function flattenLevels(levels: readonly Tensor[], k: number): Tensor {
  return torch.cat(
    levels.map((t) => {
      const [n, , h, w] = t.shape;
      return t.view(n, -1, k, h, w).permute(0, 3, 4, 1, 2).reshape(n, -1, k);
    }),
    1,
  );
}

/** The input checks of the one-stage detectors (RetinaNet, FCOS); the images' original sizes. */
export function checkOneStageInputs(training: boolean, images: readonly Tensor[], targets: readonly TensorDict[] | null | undefined, shapeMessage: (boxes: Tensor) => string): [number, number][] {
  if (training) {
    if (targets === null || targets === undefined) throw new AssertionError('targets should not be none when in training mode');
    for (const target of targets) {
      const boxes = target.boxes;
      if (!(boxes instanceof Tensor)) throw new AssertionError('Expected target boxes to be of type Tensor.');
      if (!(boxes.dim() === 2 && boxes.size(-1) === 4)) throw new AssertionError(shapeMessage(boxes));
    }
  }
  return images.map((img) => {
    if (img.dim() < 2) throw new AssertionError(`expecting the last two dimensions of the Tensor to be H and W instead got ${pySize(img.shape.slice(-2))}`);
    return img.shape.slice(-2) as [number, number];
  });
}

/** Of one level's flattened (anchor, class) scores: those above scoreThresh, the topkCandidates best; [scores, anchor indices, labels]. */
export function topScoring(scores: Tensor, scoreThresh: number, topkCandidates: number, numClasses: number): [Tensor, Tensor, Tensor] {
  const keep = scores.gt(scoreThresh);
  const kept = scores.index(keep);
  let topkIdxs = torch.where(keep)[0];
  const [best, idxs] = kept.topk(Math.min(topkCandidates, topkIdxs.size(0)));
  topkIdxs = topkIdxs.index(idxs);
  return [best, torch.div(topkIdxs, numClasses, { roundingMode: 'floor' }), topkIdxs.remainder(numClasses)];
}

/** One image's detections over the levels: NMS per class, the detectionsPerImg best. */
export function nmsDetections(boxes: Tensor[], scores: Tensor[], labels: Tensor[], nmsThresh: number, detectionsPerImg: number): TensorDict {
  const imageBoxes = torch.cat(boxes, 0);
  const imageScores = torch.cat(scores, 0);
  const imageLabels = torch.cat(labels, 0);
  const keep = batchedNms(imageBoxes, imageScores, imageLabels, nmsThresh).index(torch.slice(null, detectionsPerImg));
  return { boxes: imageBoxes.index(keep), scores: imageScores.index(keep), labels: imageLabels.index(keep) };
}

/** normal(std 0.01) weights, zero biases: torchvision's init of the heads' conv towers */
export function initTower(tower: nn.Sequential): void {
  for (const layer of tower.modules()) {
    if (layer instanceof nn.Conv2d) {
      normal_(layer.weight, { std: 0.01 });
      if (layer.bias) constant_(layer.bias, 0);
    }
  }
}

/** The classification heads' 3x3 logits conv: normal(0.01) weights, a bias giving each class priorProbability. */
export function classLogitsConv(inChannels: number, numAnchors: number, numClasses: number, priorProbability: number): nn.Conv2d {
  const conv = new nn.Conv2d(inChannels, numAnchors * numClasses, 3, { stride: 1, padding: 1 });
  normal_(conv.weight, { std: 0.01 });
  constant_(conv.bias!, -Math.log((1 - priorProbability) / priorProbability));
  return conv;
}

/** Per level (N, C, H, W): the tower, then the output conv; levels flattened to (N, sum of H * W * A, k). */
export function towerOutput(levels: readonly Tensor[], tower: Module, out: Module, k: number): Tensor {
  return flattenLevels(
    levels.map((f) => out(tower(f) as Tensor) as Tensor),
    k,
  );
}

/** The keywords of GeneralizedRCNNTransform both detectors take, with torchvision's defaults (800, 1333, ImageNet mean and std). */
export interface OneStageTransformArgs {
  minSize?: number | readonly number[];
  maxSize?: number;
  imageMean?: readonly number[] | null;
  imageStd?: readonly number[] | null;
  sizeDivisible?: number;
  fixedSize?: readonly number[] | null;
  _skipResize?: boolean;
}
export function oneStageTransform(a: OneStageTransformArgs): GeneralizedRCNNTransform {
  return new GeneralizedRCNNTransform(a.minSize ?? 800, a.maxSize ?? 1333, a.imageMean ?? [0.485, 0.456, 0.406], a.imageStd ?? [0.229, 0.224, 0.225], {
    sizeDivisible: a.sizeDivisible,
    fixedSize: a.fixedSize,
    _skipResize: a._skipResize,
  });
}

/** Every anchor unmatched (-1): an image without target boxes. */
export function noMatches(anchorsPerImage: Tensor): Tensor {
  return torch.full([anchorsPerImage.size(0)], -1, { dtype: torch.int64, device: anchorsPerImage.device });
}

/** The parts of a one-stage detector its forward pass uses. */
interface OneStageDetector {
  training: boolean;
  transform: GeneralizedRCNNTransform;
  backbone: Module;
  head: Module;
  anchor_generator: AnchorGenerator;
}

/** The forward pass up to the head and the anchors: checked inputs, transformed images and targets, features. */
export function runOneStage(model: OneStageDetector, images: readonly Tensor[], targets: readonly TensorDict[] | null, shapeMessage: (boxes: Tensor) => string) {
  const originalImageSizes = checkOneStageInputs(model.training, images, targets, shapeMessage);
  const [imageList, tTargets] = model.transform(images, targets ?? null) as [ImageList, TensorDict[] | null];
  checkDegenerateBoxes(tTargets);
  const out = model.backbone(imageList.tensors) as Record<string, Tensor> | Tensor;
  const features = out instanceof Tensor ? [out] : Object.values(out);
  const headOutputs = model.head(features) as Record<string, Tensor>;
  const anchors = model.anchor_generator(imageList, features) as Tensor[];
  return { originalImageSizes, imageList, targets: tTargets, features, headOutputs, anchors };
}

/** Evaluation: head outputs and anchors split into levels of perLevel anchors, detected per image, mapped back to the original sizes. */
export function detectLevels(
  model: OneStageDetector & { postprocessDetections(h: Record<string, Tensor[]>, a: readonly Tensor[][], s: readonly (readonly number[])[]): TensorDict[] },
  run: ReturnType<typeof runOneStage>,
  perLevel: number[],
): TensorDict[] {
  const { headOutputs, anchors, imageList, originalImageSizes } = run;
  const split = Object.fromEntries(Object.entries(headOutputs).map(([k, v]) => [k, v.split(perLevel, 1)]));
  const splitAnchors = anchors.map((a) => a.split(perLevel));
  const detections = model.postprocessDetections(split, splitAnchors, imageList.imageSizes);
  return model.transform.postprocess(detections, imageList.imageSizes, originalImageSizes);
}

/** A detector's thresholds for keeping detections. */
interface DetectionLimits {
  scoreThresh: number;
  topkCandidates: number;
  nmsThresh: number;
  detectionsPerImg: number;
}

/**
 * One image's detections: per level, the flattened (anchor, class) scores above scoreThresh, the
 * topkCandidates best, their boxes decoded and clipped; then NMS per class over the levels.
 */
export function detectImage(
  limits: DetectionLimits,
  levelLogits: readonly Tensor[],
  scores: (logits: Tensor, level: number) => Tensor,
  decode: (anchorIdxs: Tensor, level: number) => Tensor,
  imageShape: readonly number[],
): TensorDict {
  const boxes: Tensor[] = [];
  const kept: Tensor[] = [];
  const labels: Tensor[] = [];
  levelLogits.forEach((logits, level) => {
    const [best, anchorIdxs, levelLabels] = topScoring(scores(logits, level), limits.scoreThresh, limits.topkCandidates, logits.size(-1));
    boxes.push(clipBoxesToImage(decode(anchorIdxs, level), imageShape as [number, number]));
    kept.push(best);
    labels.push(levelLabels);
  });
  return nmsDetections(boxes, kept, labels, limits.nmsThresh, limits.detectionsPerImg);
}
