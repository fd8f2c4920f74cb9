// torchvision.models.detection.fcos: FCOS (anchor-free one stage: per location, class logits,
// distances to the box sides and a centerness logit; locations matched to the boxes whose centre
// region and size range they fall in), its heads, BoxLinearCoder and fcos_resnet50_fpn.
import { PyTypeError, ValueError, pyType } from '../../../errors';
import { Tensor } from '../../../tensor/tensor';
import * as torch from '../../../index';
import * as nn from '../../../nn';
import { Module } from '../../../nn/module';
import { normal_, zeros_ } from '../../../nn/init';
import { relu } from '../../../nn/functional/activation';
import { binaryCrossEntropyWithLogits } from '../../../nn/functional/loss';
import { ArgsOf, signature } from '../../../keywords';
import { generalizedBoxIouLoss, sigmoidFocalLoss } from '../../ops/losses';
import { LastLevelP6P7 } from '../../ops/feature-pyramid-network';
import { NormLayer, batchNorm2d } from '../ops';
import { WEIGHTS, loadWeights } from '../weights';
import { resnet50 } from '../resnet';
import { AnchorGenerator } from './anchor-utils';
import { GeneralizedRCNNTransform, TensorDict } from './transform';
import { frozenBatchNorm2d, resnetFpnExtractor } from './backbone-utils';
import { DetectionBuilderOptions, modelKwargs, resolveDetection } from './detection-builder';
import { DETECTION_WEIGHTS } from './detection-weights';
import { TRANSFORM_KWARGS, outChannelsOf } from './faster-rcnn';
import { classLogitsConv, detectImage, detectLevels, flattenLevels, initTower, noMatches, oneStageTransform, OneStageTransformArgs, runOneStage, towerOutput } from './one-stage';
import { pySize } from '../../../py-format';

/** BoxLinearCoder(normalize_by_size=True): boxes as the distances (left, top, right, bottom) from a reference box's centre, over its size. */
export class BoxLinearCoder {
  constructor(readonly normalizeBySize = true) {}

  private static sizes(boxes: Tensor): Tensor {
    const w = boxes.index('...', 2).sub(boxes.index('...', 0));
    const h = boxes.index('...', 3).sub(boxes.index('...', 1));
    return torch.stack([w, h, w, h], -1);
  }

  private static centres(boxes: Tensor): [Tensor, Tensor] {
    return [boxes.index('...', 0).add(boxes.index('...', 2)).mul(0.5), boxes.index('...', 1).add(boxes.index('...', 3)).mul(0.5)];
  }

  /** [..., 4] distances from the reference boxes' centres to the proposals' sides */
  encode(referenceBoxes: Tensor, proposals: Tensor): Tensor {
    const [cx, cy] = BoxLinearCoder.centres(referenceBoxes);
    const col = (i: number) => proposals.index('...', i);
    const targets = torch.stack([cx.sub(col(0)), cy.sub(col(1)), col(2).sub(cx), col(3).sub(cy)], -1);
    return this.normalizeBySize ? targets.div(BoxLinearCoder.sizes(referenceBoxes)) : targets;
  }

  /** [..., 4] boxes (x1, y1, x2, y2) from the distances relCodes around the boxes' centres */
  decode(relCodes: Tensor, boxes: Tensor): Tensor {
    boxes = boxes.to(relCodes.dtype);
    const [cx, cy] = BoxLinearCoder.centres(boxes);
    if (this.normalizeBySize) relCodes = relCodes.mul(BoxLinearCoder.sizes(boxes));
    const col = (i: number) => relCodes.index('...', i);
    return torch.stack([cx.sub(col(0)), cy.sub(col(1)), cx.add(col(2)), cy.add(col(3))], -1);
  }
}

/** numConvs blocks of 3x3 Conv2d, norm (default GroupNorm(32)), ReLU, in one flat Sequential; convs normal(0.01), zero bias. */
function fcosTower(inChannels: number, numConvs: number, normLayer: NormLayer | null): nn.Sequential {
  const norm = normLayer ?? ((c: number) => new nn.GroupNorm(32, c));
  const layers: Module[] = [];
  for (let i = 0; i < numConvs; i++) layers.push(new nn.Conv2d(inChannels, inChannels, 3, { stride: 1, padding: 1 }), norm(inChannels), new nn.ReLU());
  return new nn.Sequential(...layers);
}

export interface FCOSClassificationHeadArgs {
  inChannels: number;
  numAnchors: number;
  numClasses: number;
  numConvs?: number;
  priorProbability?: number;
  /** default GroupNorm(32, channels) */
  normLayer?: NormLayer | null;
}
const CLASSIFICATION_HEAD = signature<FCOSClassificationHeadArgs>()(['inChannels', 'numAnchors', 'numClasses'], ['numConvs', 'priorProbability', 'normLayer']);

/** FCOSClassificationHead(in_channels, num_anchors, num_classes, num_convs=4, prior_probability=0.01, norm_layer=None) */
export class FCOSClassificationHead extends Module {
  readonly numClasses: number;
  readonly numAnchors: number;
  conv: nn.Sequential;
  cls_logits: nn.Conv2d;

  constructor(...args: ArgsOf<typeof CLASSIFICATION_HEAD>) {
    super();
    const { inChannels, numAnchors, numClasses, numConvs = 4, priorProbability = 0.01, normLayer = null } = CLASSIFICATION_HEAD.bind('FCOSClassificationHead', args);
    this.numClasses = numClasses;
    this.numAnchors = numAnchors;
    this.conv = fcosTower(inChannels, numConvs, normLayer);
    initTower(this.conv);
    this.cls_logits = classLogitsConv(inChannels, numAnchors, numClasses, priorProbability);
  }

  /** (N, sum of H * W * A, numClasses) logits */
  forward(x: readonly Tensor[]): Tensor {
    return towerOutput(x, this.conv, this.cls_logits, this.numClasses);
  }
}

export interface FCOSRegressionHeadArgs {
  inChannels: number;
  numAnchors: number;
  numConvs?: number;
  /** default GroupNorm(32, channels) */
  normLayer?: NormLayer | null;
}
const REGRESSION_HEAD = signature<FCOSRegressionHeadArgs>()(['inChannels', 'numAnchors'], ['numConvs', 'normLayer']);

/** FCOSRegressionHead(in_channels, num_anchors, num_convs=4, norm_layer=None): side distances (ReLU'd) and a centerness logit. */
export class FCOSRegressionHead extends Module {
  conv: nn.Sequential;
  bbox_reg: nn.Conv2d;
  bbox_ctrness: nn.Conv2d;

  constructor(...args: ArgsOf<typeof REGRESSION_HEAD>) {
    super();
    const { inChannels, numAnchors, numConvs = 4, normLayer = null } = REGRESSION_HEAD.bind('FCOSRegressionHead', args);
    this.conv = fcosTower(inChannels, numConvs, normLayer);
    this.bbox_reg = new nn.Conv2d(inChannels, numAnchors * 4, 3, { stride: 1, padding: 1 });
    this.bbox_ctrness = new nn.Conv2d(inChannels, numAnchors * 1, 3, { stride: 1, padding: 1 });
    for (const layer of [this.bbox_reg, this.bbox_ctrness]) {
      normal_(layer.weight, { std: 0.01 });
      zeros_(layer.bias!);
    }
    initTower(this.conv);
  }

  /** [(N, HWA, 4) distances, (N, HWA, 1) centerness logits] */
  forward(x: readonly Tensor[]): [Tensor, Tensor] {
    const features = x.map((f) => this.conv(f) as Tensor);
    const regression = flattenLevels(
      features.map((f) => relu(this.bbox_reg(f) as Tensor)),
      4,
    );
    const ctrness = flattenLevels(
      features.map((f) => this.bbox_ctrness(f) as Tensor),
      1,
    );
    return [regression, ctrness];
  }
}

export interface FCOSHeadArgs {
  inChannels: number;
  numAnchors: number;
  numClasses: number;
  numConvs?: number;
}
const FCOS_HEAD = signature<FCOSHeadArgs>()(['inChannels', 'numAnchors', 'numClasses'], ['numConvs']);

/** FCOSHead(in_channels, num_anchors, num_classes, num_convs=4) */
export class FCOSHead extends Module {
  readonly boxCoder = new BoxLinearCoder(true);
  classification_head: FCOSClassificationHead;
  regression_head: FCOSRegressionHead;

  constructor(...args: ArgsOf<typeof FCOS_HEAD>) {
    super();
    const { inChannels, numAnchors, numClasses, numConvs = 4 } = FCOS_HEAD.bind('FCOSHead', args);
    this.classification_head = new FCOSClassificationHead(inChannels, numAnchors, numClasses, numConvs);
    this.regression_head = new FCOSRegressionHead(inChannels, numAnchors, numConvs);
  }

  /** { classification (focal), bbox_regression (GIoU), bbox_ctrness (BCE) }, each summed over the foreground locations over their count */
  computeLoss(targets: readonly TensorDict[], headOutputs: Record<string, Tensor>, anchors: readonly Tensor[], matchedIdxs: readonly Tensor[]): Record<string, Tensor> {
    const { cls_logits: clsLogits, bbox_regression: bboxRegression, bbox_ctrness: bboxCtrness } = headOutputs;
    const classes: Tensor[] = [];
    const boxes: Tensor[] = [];
    targets.forEach((target, i) => {
      const matched = matchedIdxs[i];
      let gtClasses: Tensor;
      let gtBoxes: Tensor;
      if (target.labels.size(0) === 0) {
        gtClasses = target.labels.newZeros([matched.size(0)]);
        gtBoxes = target.boxes.newZeros([matched.size(0), 4]);
      } else {
        const idx = matched.clip({ min: 0 });
        gtClasses = target.labels.index(idx);
        gtBoxes = target.boxes.index(idx);
      }
      gtClasses.indexPut_([matched.lt(0)], -1); // background
      classes.push(gtClasses);
      boxes.push(gtBoxes);
    });
    const allGtBoxes = torch.stack(boxes);
    const allGtClasses = torch.stack(classes);
    const allAnchors = torch.stack([...anchors]);
    const foreground = allGtClasses.ge(0);
    const numForeground = Math.max(1, foreground.sum().item() as number);

    const gtClassesTargets = torch.zerosLike(clsLogits);
    gtClassesTargets.indexPut_([foreground, allGtClasses.index(foreground)], 1.0);
    const lossCls = sigmoidFocalLoss(clsLogits, gtClassesTargets, { reduction: 'sum' });

    const predBoxes = this.boxCoder.decode(bboxRegression, allAnchors);
    const lossBboxReg = generalizedBoxIouLoss(predBoxes.index(foreground), allGtBoxes.index(foreground), { reduction: 'sum' });

    // centerness target: sqrt(min/max of left-right times min/max of top-bottom)
    const regTargets = this.boxCoder.encode(allAnchors, allGtBoxes);
    let gtCtrness: Tensor;
    if (regTargets.size(0) === 0) {
      gtCtrness = regTargets.newZeros(regTargets.shape.slice(0, -1));
    } else {
      const ratio = (cols: number[]) => {
        const t = regTargets.index(':', ':', torch.tensor(cols));
        return t.min(-1)[0].div(t.max(-1)[0]);
      };
      gtCtrness = torch.sqrt(ratio([0, 2]).mul(ratio([1, 3])));
    }
    const predCtrness = bboxCtrness.squeeze(2);
    const lossCtrness = binaryCrossEntropyWithLogits(predCtrness.index(foreground), gtCtrness.index(foreground), { reduction: 'sum' });
    return {
      classification: lossCls.div(numForeground),
      bbox_regression: lossBboxReg.div(numForeground),
      bbox_ctrness: lossCtrness.div(numForeground),
    };
  }

  /** { cls_logits, bbox_regression, bbox_ctrness } */
  forward(x: readonly Tensor[]): Record<string, Tensor> {
    const clsLogits = this.classification_head(x) as Tensor;
    const [bboxRegression, bboxCtrness] = this.regression_head(x) as [Tensor, Tensor];
    return { cls_logits: clsLogits, bbox_regression: bboxRegression, bbox_ctrness: bboxCtrness };
  }
}

/** FCOS's keyword arguments (Python's, camelCase), in Python's positional order after backbone and numClasses. */
export interface FCOSArgs extends OneStageTransformArgs {
  /** needs `outChannels` (Python's out_channels) */
  backbone: Module;
  numClasses: number;
  /** one anchor per location (its size the level's stride); default sizes 8..128 */
  anchorGenerator?: AnchorGenerator | null;
  head?: FCOSHead | null;
  centerSamplingRadius?: number;
  scoreThresh?: number;
  nmsThresh?: number;
  detectionsPerImg?: number;
  topkCandidates?: number;
}
export const FCOS_POSITIONAL = [
  'minSize', 'maxSize', 'imageMean', 'imageStd', 'anchorGenerator', 'head', 'centerSamplingRadius', 'scoreThresh', 'nmsThresh', 'detectionsPerImg', 'topkCandidates',
] as const;
const FCOS_SIGNATURE = signature<FCOSArgs>()(['backbone', 'numClasses'], FCOS_POSITIONAL, TRANSFORM_KWARGS);

/** FCOS(backbone, num_classes, min_size=800, max_size=1333, ..., center_sampling_radius=1.5, score_thresh=0.2, nms_thresh=0.6, detections_per_img=100, topk_candidates=1000) */
export class FCOS extends Module {
  backbone: Module;
  anchor_generator: AnchorGenerator;
  head: FCOSHead;
  readonly boxCoder = new BoxLinearCoder(true);
  transform: GeneralizedRCNNTransform;
  centerSamplingRadius: number;
  scoreThresh: number;
  nmsThresh: number;
  detectionsPerImg: number;
  topkCandidates: number;

  constructor(...args: ArgsOf<typeof FCOS_SIGNATURE>) {
    super();
    const a = FCOS_SIGNATURE.bind('FCOS', args);
    const outChannels = outChannelsOf(a.backbone);
    this.backbone = a.backbone;
    if (a.anchorGenerator != null && !(a.anchorGenerator instanceof AnchorGenerator)) throw new PyTypeError(`anchor_generator should be of type AnchorGenerator or None, instead  got ${pyType(a.anchorGenerator)}`);
    const sizes = [[8], [16], [32], [64], [128]];
    this.anchor_generator = a.anchorGenerator ?? new AnchorGenerator(sizes, sizes.map(() => [1.0]));
    const perLocation = this.anchor_generator.numAnchorsPerLocation()[0];
    if (perLocation !== 1) throw new ValueError(`anchor_generator.num_anchors_per_location()[0] should be 1 instead of ${perLocation}`);
    this.head = a.head ?? new FCOSHead(outChannels, perLocation, a.numClasses);
    this.transform = oneStageTransform(a);
    this.centerSamplingRadius = a.centerSamplingRadius ?? 1.5;
    this.scoreThresh = a.scoreThresh ?? 0.2;
    this.nmsThresh = a.nmsThresh ?? 0.6;
    this.detectionsPerImg = a.detectionsPerImg ?? 100;
    this.topkCandidates = a.topkCandidates ?? 1000;
  }

  /**
   * A location matches the smallest box that holds it, whose centre is within centerSamplingRadius
   * strides, and whose largest side distance is in the level's range (4 to 8 anchor sizes, open
   * below on the first level and above on the last); -1 when none.
   */
  computeLoss(targets: readonly TensorDict[], headOutputs: Record<string, Tensor>, anchors: readonly Tensor[], numAnchorsPerLevel: readonly number[]): Record<string, Tensor> {
    const matchedIdxs = anchors.map((anchorsPerImage, i) => {
      const gtBoxes = targets[i].boxes;
      if (gtBoxes.numel() === 0) return noMatches(anchorsPerImage);
      const halves = (b: Tensor) => b.index(':', torch.slice(null, 2)).add(b.index(':', torch.slice(2))).div(2);
      const gtCenters = halves(gtBoxes);
      const anchorCenters = halves(anchorsPerImage);
      const anchorSizes = anchorsPerImage.index(':', 2).sub(anchorsPerImage.index(':', 0));
      let match = anchorCenters.index(':', null, ':').sub(gtCenters.index(null, ':', ':')).abs_().max(2)[0].lt(anchorSizes.index(':', null).mul(this.centerSamplingRadius));
      const [x, y] = anchorCenters.unsqueeze(2).unbind(1);
      const [x0, y0, x1, y1] = gtBoxes.unsqueeze(0).unbind(2);
      const dist = torch.stack([x.sub(x0), y.sub(y0), x1.sub(x), y1.sub(y)], 2);
      match = match.logicalAnd(dist.min(2)[0].gt(0));
      const lowerBound = anchorSizes.mul(4);
      lowerBound.index(torch.slice(null, numAnchorsPerLevel[0])).fill_(0);
      const upperBound = anchorSizes.mul(8);
      upperBound.index(torch.slice(-numAnchorsPerLevel[numAnchorsPerLevel.length - 1])).fill_(Infinity);
      const maxDist = dist.max(2)[0];
      match = match.logicalAnd(maxDist.gt(lowerBound.index(':', null)).logicalAnd(maxDist.lt(upperBound.index(':', null))));
      const gtAreas = gtBoxes.index(':', 2).sub(gtBoxes.index(':', 0)).mul(gtBoxes.index(':', 3).sub(gtBoxes.index(':', 1)));
      // the smallest box wins: 1e8 - area for a match, 0 otherwise
      const weighted = match.to(torch.float32).mul(gtAreas.index(null, ':').neg().add(1e8));
      const [minValues, matched] = weighted.max(1);
      matched.indexPut_([minValues.lt(1e-5)], -1);
      return matched;
    });
    return this.head.computeLoss(targets, headOutputs, anchors, matchedIdxs);
  }

  /** Per image and level: sqrt(class probability * centerness) above scoreThresh, the topkCandidates best, decoded and clipped; then NMS per class. */
  postprocessDetections(headOutputs: Record<string, Tensor[]>, anchors: readonly Tensor[][], imageShapes: readonly (readonly number[])[]): TensorDict[] {
    const { cls_logits: classLogits, bbox_regression: boxRegression, bbox_ctrness: boxCtrness } = headOutputs;
    return imageShapes.map((imageShape, index) =>
      detectImage(
        this,
        classLogits.map((cl) => cl.index(index)),
        (logits, level) => torch.sqrt(torch.sigmoid(logits).mul(torch.sigmoid(boxCtrness[level].index(index)))).flatten(),
        (anchorIdxs, level) => this.boxCoder.decode(boxRegression[level].index(index).index(anchorIdxs), anchors[index][level].index(anchorIdxs)),
        imageShape,
      ),
    );
  }

  /** images: [C, H, W] tensors (0-1 floats); targets (training): boxes [N, 4] float, labels [N] int64. Training: the loss dict; eval: detections. */
  forward(images: readonly Tensor[], targets: readonly TensorDict[] | null = null): Record<string, Tensor> | TensorDict[] {
    const run = runOneStage(this, images, targets, (b) => `Expected target boxes to be a tensor of shape [N, 4], got ${pySize(b.shape)}.`);
    const numAnchorsPerLevel = run.features.map((f) => f.size(2) * f.size(3));
    if (this.training) return this.computeLoss(run.targets!, run.headOutputs, run.anchors, numAnchorsPerLevel);
    return detectLevels(this, run, numAnchorsPerLevel);
  }
}

/** Builder options: the weights and backbone ones, and any FCOS keyword (minSize, scoreThresh, ...). */
export type FCOSBuilderOptions = DetectionBuilderOptions & Omit<FCOSArgs, 'backbone' | 'numClasses'>;
const MODEL_KEYS = [...FCOS_POSITIONAL, ...TRANSFORM_KWARGS];

export const FCOS_ResNet50_FPN_Weights = DETECTION_WEIGHTS.FCOS_ResNet50_FPN_Weights;

/** fcos_resnet50_fpn(*, weights=None, progress=True, num_classes=None, weights_backbone=ResNet50_Weights.IMAGENET1K_V1, trainable_backbone_layers=None, **kwargs): P3-P7 */
export function fcosResnet50Fpn(o: FCOSBuilderOptions = {}): FCOS {
  const r = resolveDetection('fcos_resnet50_fpn', o, MODEL_KEYS, FCOS_ResNet50_FPN_Weights, WEIGHTS.ResNet50_Weights, WEIGHTS.ResNet50_Weights.IMAGENET1K_V1, 5);
  const backbone = resnet50({ weights: r.weightsBackbone, normLayer: r.isTrained ? frozenBatchNorm2d : batchNorm2d() });
  const fpn = resnetFpnExtractor(backbone, r.trainableLayers, [2, 3, 4], new LastLevelP6P7(256, 256));
  return loadWeights(new FCOS(fpn, r.numClasses, modelKwargs(o)), r.weights);
}
