// torchvision.models.detection.retinanet: RetinaNet (one stage: per anchor, class logits scored by
// sigmoid focal loss and box deltas), its heads and the builders retinanet_resnet50_fpn(_v2).
import { AssertionError, PyTypeError, pyType } from '../../../errors';
import { Tensor } from '../../../tensor/tensor';
import * as torch from '../../../index';
import * as nn from '../../../nn';
import { LocalMetadata, Module } from '../../../nn/module';
import { normal_, zeros_ } from '../../../nn/init';
import { l1Loss, smoothL1Loss } from '../../../nn/functional/loss';
import { ArgsOf, signature } from '../../../keywords';
import { boxIou } from '../../ops/boxes';
import { completeBoxIouLoss, distanceBoxIouLoss, generalizedBoxIouLoss, sigmoidFocalLoss } from '../../ops/losses';
import { LastLevelP6P7 } from '../../ops/feature-pyramid-network';
import { Conv2dNormActivation, NormLayer, batchNorm2d } from '../ops';
import { WEIGHTS, loadWeights } from '../weights';
import { resnet50 } from '../resnet';
import { AnchorGenerator } from './anchor-utils';
import { BoxCoder, Matcher } from './det-utils';
import { GeneralizedRCNNTransform, TensorDict } from './transform';
import { frozenBatchNorm2d, resnetFpnExtractor } from './backbone-utils';
import { DetectionBuilderOptions, modelKwargs, overwriteEps, resolveDetection } from './detection-builder';
import { DETECTION_WEIGHTS } from './detection-weights';
import { TRANSFORM_KWARGS, outChannelsOf } from './faster-rcnn';
import { classLogitsConv, detectImage, detectLevels, initTower, noMatches, oneStageTransform, OneStageTransformArgs, runOneStage, towerOutput } from './one-stage';
// shared with FCOS and SSD, which import them from here
export { checkOneStageInputs, flattenLevels, nmsDetections, topScoring } from './one-stage';

/** RetinaNet's _default_anchorgen: three sizes per octave (x, x * 2^(1/3), x * 2^(2/3)) for x in 32..512, ratios 0.5, 1, 2. */
function retinanetAnchorgen(): AnchorGenerator {
  const sizes = [32, 64, 128, 256, 512].map((x) => [x, Math.trunc(x * 2 ** (1 / 3)), Math.trunc(x * 2 ** (2 / 3))]);
  return new AnchorGenerator(sizes, sizes.map(() => [0.5, 1.0, 2.0]));
}

/** Four 3x3 Conv2dNormActivation(in, in) blocks (bias only without a norm layer). */
function convTower(inChannels: number, normLayer: NormLayer | null): nn.Sequential {
  return new nn.Sequential(...Array.from({ length: 4 }, () => new Conv2dNormActivation(inChannels, inChannels, { normLayer })));
}

/** Version 1 checkpoints name the towers' convs conv.0, conv.2, ... (a flat Sequential with ReLUs); now conv.i.0. */
function v1ToV2Weights(stateDict: Map<string, unknown>, prefix: string): void {
  for (let i = 0; i < 4; i++) {
    for (const type of ['weight', 'bias']) {
      const oldKey = `${prefix}conv.${2 * i}.${type}`;
      if (stateDict.has(oldKey)) {
        stateDict.set(`${prefix}conv.${i}.0.${type}`, stateDict.get(oldKey));
        stateDict.delete(oldKey);
      }
    }
  }
}

/** Python's _sum: x[0] + x[1] + ... */
const sumAll = (xs: readonly Tensor[]): Tensor => xs.slice(1).reduce((s, x) => s.add(x), xs[0]);

export interface RetinaNetClassificationHeadArgs {
  inChannels: number;
  numAnchors: number;
  numClasses: number;
  /** the initial foreground probability the logits' bias gives (default 0.01) */
  priorProbability?: number;
  normLayer?: NormLayer | null;
}
const CLASSIFICATION_HEAD = signature<RetinaNetClassificationHeadArgs>()(['inChannels', 'numAnchors', 'numClasses'], ['priorProbability', 'normLayer']);

/** RetinaNetClassificationHead(in_channels, num_anchors, num_classes, prior_probability=0.01, norm_layer=None) */
export class RetinaNetClassificationHead extends Module {
  conv: nn.Sequential;
  cls_logits: nn.Conv2d;
  readonly numClasses: number;
  readonly numAnchors: number;
  readonly BETWEEN_THRESHOLDS = Matcher.BETWEEN_THRESHOLDS;

  constructor(...args: ArgsOf<typeof CLASSIFICATION_HEAD>) {
    super();
    const { inChannels, numAnchors, numClasses, priorProbability = 0.01, normLayer = null } = CLASSIFICATION_HEAD.bind('RetinaNetClassificationHead', args);
    this.conv = convTower(inChannels, normLayer);
    initTower(this.conv);
    this.cls_logits = classLogitsConv(inChannels, numAnchors, numClasses, priorProbability);
    this.numClasses = numClasses;
    this.numAnchors = numAnchors;
  }

  protected _loadFromStateDict(stateDict: Map<string, unknown>, prefix: string, missing: string[], unexpected: string[], errors: string[], localMetadata: LocalMetadata = {}): void {
    const version = localMetadata.version as number | undefined;
    if (version === undefined || version < 2) v1ToV2Weights(stateDict, prefix);
    super._loadFromStateDict(stateDict, prefix, missing, unexpected, errors, localMetadata);
  }

  /** Sigmoid focal loss summed over the anchors not between thresholds, over the foreground count; averaged over images. */
  computeLoss(targets: readonly TensorDict[], headOutputs: Record<string, Tensor>, matchedIdxs: readonly Tensor[]): Tensor {
    const clsLogits = headOutputs.cls_logits;
    const losses = targets.map((target, i) => {
      const logits = clsLogits.index(i);
      const matched = matchedIdxs[i];
      const foreground = matched.ge(0);
      const numForeground = foreground.sum().item() as number;
      const gtClassesTarget = torch.zerosLike(logits);
      gtClassesTarget.indexPut_([foreground, target.labels.index(matched.index(foreground))], 1.0);
      const valid = matched.ne(this.BETWEEN_THRESHOLDS);
      return sigmoidFocalLoss(logits.index(valid), gtClassesTarget.index(valid), { reduction: 'sum' }).div(Math.max(1, numForeground));
    });
    return sumAll(losses).div(targets.length);
  }

  /** per level (N, C, H, W) features to (N, sum of H * W * A, numClasses) logits */
  forward(x: readonly Tensor[]): Tensor {
    return towerOutput(x, this.conv, this.cls_logits, this.numClasses);
  }
}
RetinaNetClassificationHead.prototype._version = 2;

export type BoxLossType = 'l1' | 'smooth_l1' | 'ciou' | 'diou' | 'giou';

/** torchvision's _box_loss: deltas against the encoded targets (l1, smooth_l1), or decoded boxes against the targets (IoU losses); summed. */
export function boxLoss(type: BoxLossType, boxCoder: BoxCoder, anchors: Tensor, matchedGtBoxes: Tensor, bboxRegression: Tensor, cnf: { beta?: number; eps?: number } = {}): Tensor {
  if (!['l1', 'smooth_l1', 'ciou', 'diou', 'giou'].includes(type)) throw new AssertionError(`Unsupported loss: ${type}`);
  if (type === 'l1' || type === 'smooth_l1') {
    const target = boxCoder.encodeSingle(matchedGtBoxes, anchors);
    if (type === 'l1') return l1Loss(bboxRegression, target, { reduction: 'sum' });
    return smoothL1Loss(bboxRegression, target, { reduction: 'sum', beta: cnf.beta ?? 1.0 });
  }
  const boxes = boxCoder.decodeSingle(bboxRegression, anchors);
  const loss = { ciou: completeBoxIouLoss, diou: distanceBoxIouLoss, giou: generalizedBoxIouLoss }[type];
  return loss(boxes, matchedGtBoxes, { reduction: 'sum', eps: cnf.eps ?? 1e-7 });
}

export interface RetinaNetRegressionHeadArgs {
  inChannels: number;
  numAnchors: number;
  normLayer?: NormLayer | null;
}
const REGRESSION_HEAD = signature<RetinaNetRegressionHeadArgs>()(['inChannels', 'numAnchors'], ['normLayer']);

/** RetinaNetRegressionHead(in_channels, num_anchors, norm_layer=None) */
export class RetinaNetRegressionHead extends Module {
  conv: nn.Sequential;
  bbox_reg: nn.Conv2d;
  readonly boxCoder = new BoxCoder([1.0, 1.0, 1.0, 1.0]);
  /** Python's _loss_type: 'l1', or 'giou' in retinanet_resnet50_fpn_v2 */
  _loss_type: BoxLossType = 'l1';

  constructor(...args: ArgsOf<typeof REGRESSION_HEAD>) {
    super();
    const { inChannels, numAnchors, normLayer = null } = REGRESSION_HEAD.bind('RetinaNetRegressionHead', args);
    this.conv = convTower(inChannels, normLayer);
    this.bbox_reg = new nn.Conv2d(inChannels, numAnchors * 4, 3, { stride: 1, padding: 1 });
    normal_(this.bbox_reg.weight, { std: 0.01 });
    zeros_(this.bbox_reg.bias!);
    initTower(this.conv);
  }

  protected _loadFromStateDict(stateDict: Map<string, unknown>, prefix: string, missing: string[], unexpected: string[], errors: string[], localMetadata: LocalMetadata = {}): void {
    const version = localMetadata.version as number | undefined;
    if (version === undefined || version < 2) v1ToV2Weights(stateDict, prefix);
    super._loadFromStateDict(stateDict, prefix, missing, unexpected, errors, localMetadata);
  }

  /** The box loss of the foreground anchors over their count, averaged over images. */
  computeLoss(targets: readonly TensorDict[], headOutputs: Record<string, Tensor>, anchors: readonly Tensor[], matchedIdxs: readonly Tensor[]): Tensor {
    const bboxRegression = headOutputs.bbox_regression;
    const losses = targets.map((target, i) => {
      const matched = matchedIdxs[i];
      const foreground = torch.where(matched.ge(0))[0];
      const matchedGtBoxes = target.boxes.index(matched.index(foreground));
      const regression = bboxRegression.index(i).index(foreground, ':');
      const anchorsPerImage = anchors[i].index(foreground, ':');
      return boxLoss(this._loss_type, this.boxCoder, anchorsPerImage, matchedGtBoxes, regression).div(Math.max(1, foreground.numel()));
    });
    return sumAll(losses).div(Math.max(1, targets.length));
  }

  /** per level (N, C, H, W) features to (N, sum of H * W * A, 4) deltas */
  forward(x: readonly Tensor[]): Tensor {
    return towerOutput(x, this.conv, this.bbox_reg, 4);
  }
}
RetinaNetRegressionHead.prototype._version = 2;

export interface RetinaNetHeadArgs {
  inChannels: number;
  numAnchors: number;
  numClasses: number;
  normLayer?: NormLayer | null;
}
const RETINANET_HEAD = signature<RetinaNetHeadArgs>()(['inChannels', 'numAnchors', 'numClasses'], ['normLayer']);

/** RetinaNetHead(in_channels, num_anchors, num_classes, norm_layer=None): the classification and regression heads. */
export class RetinaNetHead extends Module {
  classification_head: RetinaNetClassificationHead;
  regression_head: RetinaNetRegressionHead;

  constructor(...args: ArgsOf<typeof RETINANET_HEAD>) {
    super();
    const { inChannels, numAnchors, numClasses, normLayer = null } = RETINANET_HEAD.bind('RetinaNetHead', args);
    this.classification_head = new RetinaNetClassificationHead(inChannels, numAnchors, numClasses, { normLayer });
    this.regression_head = new RetinaNetRegressionHead(inChannels, numAnchors, { normLayer });
  }

  /** { classification, bbox_regression } */
  computeLoss(targets: readonly TensorDict[], headOutputs: Record<string, Tensor>, anchors: readonly Tensor[], matchedIdxs: readonly Tensor[]): Record<string, Tensor> {
    return {
      classification: this.classification_head.computeLoss(targets, headOutputs, matchedIdxs),
      bbox_regression: this.regression_head.computeLoss(targets, headOutputs, anchors, matchedIdxs),
    };
  }

  /** { cls_logits: (N, HWA, K), bbox_regression: (N, HWA, 4) } */
  forward(x: readonly Tensor[]): Record<string, Tensor> {
    return { cls_logits: this.classification_head(x) as Tensor, bbox_regression: this.regression_head(x) as Tensor };
  }
}

/** RetinaNet's keyword arguments (Python's, camelCase), in Python's positional order after backbone. */
export interface RetinaNetArgs extends OneStageTransformArgs {
  /** needs `outChannels` (Python's out_channels) */
  backbone: Module;
  /** with the background */
  numClasses: number;
  anchorGenerator?: AnchorGenerator | null;
  /** default RetinaNetHead(out_channels, anchors per location, num_classes) */
  head?: RetinaNetHead | null;
  proposalMatcher?: Matcher | null;
  scoreThresh?: number;
  nmsThresh?: number;
  detectionsPerImg?: number;
  fgIouThresh?: number;
  bgIouThresh?: number;
  topkCandidates?: number;
}
export const RETINANET_POSITIONAL = [
  'minSize', 'maxSize', 'imageMean', 'imageStd', 'anchorGenerator', 'head', 'proposalMatcher', 'scoreThresh', 'nmsThresh',
  'detectionsPerImg', 'fgIouThresh', 'bgIouThresh', 'topkCandidates',
] as const;
const RETINANET = signature<RetinaNetArgs>()(['backbone', 'numClasses'], RETINANET_POSITIONAL, TRANSFORM_KWARGS);

/** RetinaNet(backbone, num_classes, min_size=800, max_size=1333, ..., topk_candidates=1000): see RetinaNetArgs. */
export class RetinaNet extends Module {
  backbone: Module;
  anchor_generator: AnchorGenerator;
  head: RetinaNetHead;
  transform: GeneralizedRCNNTransform;
  readonly proposalMatcher: Matcher;
  readonly boxCoder = new BoxCoder([1.0, 1.0, 1.0, 1.0]);
  scoreThresh: number;
  nmsThresh: number;
  detectionsPerImg: number;
  topkCandidates: number;

  constructor(...args: ArgsOf<typeof RETINANET>) {
    super();
    const a = RETINANET.bind('RetinaNet', args);
    const outChannels = outChannelsOf(a.backbone);
    this.backbone = a.backbone;
    if (a.anchorGenerator != null && !(a.anchorGenerator instanceof AnchorGenerator)) throw new PyTypeError(`anchor_generator should be of type AnchorGenerator or None instead of ${pyType(a.anchorGenerator)}`);
    this.anchor_generator = a.anchorGenerator ?? retinanetAnchorgen();
    this.head = a.head ?? new RetinaNetHead(outChannels, this.anchor_generator.numAnchorsPerLocation()[0], a.numClasses);
    this.proposalMatcher = a.proposalMatcher ?? new Matcher(a.fgIouThresh ?? 0.5, a.bgIouThresh ?? 0.4, true);
    this.transform = oneStageTransform(a);
    this.scoreThresh = a.scoreThresh ?? 0.05;
    this.nmsThresh = a.nmsThresh ?? 0.5;
    this.detectionsPerImg = a.detectionsPerImg ?? 300;
    this.topkCandidates = a.topkCandidates ?? 1000;
  }

  /** Each anchor matched to a target box (IoU, low-quality matches kept), then the heads' losses. */
  computeLoss(targets: readonly TensorDict[], headOutputs: Record<string, Tensor>, anchors: readonly Tensor[]): Record<string, Tensor> {
    const matchedIdxs = anchors.map((anchorsPerImage, i) => {
      const boxes = targets[i].boxes;
      if (boxes.numel() === 0) return noMatches(anchorsPerImage);
      return this.proposalMatcher.call(boxIou(boxes, anchorsPerImage));
    });
    return this.head.computeLoss(targets, headOutputs, anchors, matchedIdxs);
  }

  /** Per image and level: scores above scoreThresh, the topkCandidates best, decoded and clipped; then NMS per class. */
  postprocessDetections(headOutputs: Record<string, Tensor[]>, anchors: readonly Tensor[][], imageShapes: readonly (readonly number[])[]): TensorDict[] {
    const classLogits = headOutputs.cls_logits;
    const boxRegression = headOutputs.bbox_regression;
    return imageShapes.map((imageShape, index) =>
      detectImage(
        this,
        classLogits.map((cl) => cl.index(index)),
        (logits) => torch.sigmoid(logits).flatten(),
        (anchorIdxs, level) => this.boxCoder.decodeSingle(boxRegression[level].index(index).index(anchorIdxs), anchors[index][level].index(anchorIdxs)),
        imageShape,
      ),
    );
  }

  /** images: [C, H, W] tensors (0-1 floats); targets (training): boxes [N, 4] float, labels [N] int64. Training: the loss dict; eval: detections. */
  forward(images: readonly Tensor[], targets: readonly TensorDict[] | null = null): Record<string, Tensor> | TensorDict[] {
    const run = runOneStage(this, images, targets, () => 'Expected target boxes to be a tensor of shape [N, 4].');
    if (this.training) return this.computeLoss(run.targets!, run.headOutputs, run.anchors);
    // the anchors per location, from the head's output size over the levels' positions
    const hw = run.features.map((f) => f.size(2) * f.size(3));
    const A = Math.floor(run.headOutputs.cls_logits.size(1) / hw.reduce((s, v) => s + v, 0));
    return detectLevels(this, run, hw.map((v) => v * A));
  }
}

/** Builder options: the weights and backbone ones, and any RetinaNet keyword (minSize, scoreThresh, ...). */
export type RetinaNetBuilderOptions = DetectionBuilderOptions & Omit<RetinaNetArgs, 'backbone' | 'numClasses'>;
const MODEL_KEYS = [...RETINANET_POSITIONAL, ...TRANSFORM_KWARGS];

export const RetinaNet_ResNet50_FPN_Weights = DETECTION_WEIGHTS.RetinaNet_ResNet50_FPN_Weights;
export const RetinaNet_ResNet50_FPN_V2_Weights = DETECTION_WEIGHTS.RetinaNet_ResNet50_FPN_V2_Weights;

/** retinanet_resnet50_fpn(*, weights=None, progress=True, num_classes=None, weights_backbone=ResNet50_Weights.IMAGENET1K_V1, trainable_backbone_layers=None, **kwargs): P3-P7 (no P2) */
export function retinanetResnet50Fpn(o: RetinaNetBuilderOptions = {}): RetinaNet {
  const r = resolveDetection('retinanet_resnet50_fpn', o, MODEL_KEYS, RetinaNet_ResNet50_FPN_Weights, WEIGHTS.ResNet50_Weights, WEIGHTS.ResNet50_Weights.IMAGENET1K_V1, 5);
  const backbone = resnet50({ weights: r.weightsBackbone, normLayer: r.isTrained ? frozenBatchNorm2d : batchNorm2d() });
  const fpn = resnetFpnExtractor(backbone, r.trainableLayers, [2, 3, 4], new LastLevelP6P7(256, 256));
  const model = new RetinaNet(fpn, r.numClasses, modelKwargs(o));
  loadWeights(model, r.weights);
  if (r.weights === RetinaNet_ResNet50_FPN_Weights.COCO_V1) overwriteEps(model, 0.0);
  return model;
}

/** retinanet_resnet50_fpn_v2: P6 from C5, GroupNorm(32) in the heads, GIoU box loss. */
export function retinanetResnet50FpnV2(o: RetinaNetBuilderOptions = {}): RetinaNet {
  const r = resolveDetection('retinanet_resnet50_fpn_v2', o, MODEL_KEYS, RetinaNet_ResNet50_FPN_V2_Weights, WEIGHTS.ResNet50_Weights, null, 5);
  const backbone = resnetFpnExtractor(resnet50({ weights: r.weightsBackbone }), r.trainableLayers, [2, 3, 4], new LastLevelP6P7(2048, 256));
  const anchorGenerator = retinanetAnchorgen();
  const head = new RetinaNetHead(backbone.outChannels, anchorGenerator.numAnchorsPerLocation()[0], r.numClasses, { normLayer: (c) => new nn.GroupNorm(32, c) });
  head.regression_head._loss_type = 'giou';
  const model = new RetinaNet(backbone, r.numClasses, { ...modelKwargs(o), anchorGenerator, head });
  return loadWeights(model, r.weights);
}

