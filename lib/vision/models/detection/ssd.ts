// torchvision.models.detection.ssd: SSD (one stage over several feature maps: per default box,
// softmax class logits and box deltas; cross entropy with hard negative mining, smooth L1), its
// heads, the VGG16 feature extractor (conv4_3 L2-normalised and rescaled, then extra blocks) and
// ssd300_vgg16.
import { AssertionError, PyTypeError, ValueError, warn } from '../../../errors';
import { Tensor } from '../../../tensor/tensor';
import * as torch from '../../../index';
import * as nn from '../../../nn';
import { Module } from '../../../nn/module';
import { Parameter } from '../../../nn/parameter';
import { constant_, xavierUniform_ } from '../../../nn/init';
import { smoothL1Loss } from '../../../nn/functional/loss';
import { crossEntropy } from '../../../nn/functional/classification-loss';
import { softmax } from '../../../nn/functional/activation';
import { normalize } from '../../../nn/functional/normalization';
import { ArgsOf, signature } from '../../../keywords';
import { boxIou, clipBoxesToImage } from '../../ops/boxes';
import { WEIGHTS, Weights, WeightsEnum, loadWeights } from '../weights';
import { vgg16 } from '../vgg';
import { BoxCoder, SSDMatcher, retrieveOutChannels } from './det-utils';
import { DefaultBoxGenerator } from './default-box-generator';
import { checkDegenerateBoxes } from './degenerate-boxes';
import { GeneralizedRCNNTransform, TensorDict } from './transform';
import { DetectionBuilderOptions, ResolvedDetection, modelKwargs, resolveDetection } from './detection-builder';
import { DETECTION_WEIGHTS } from './detection-weights';
import { checkOneStageInputs, flattenLevels, nmsDetections } from './retinanet';
import { pySize } from '../../../py-format';

/** torchvision's _xavier_init: every Conv2d xavier-uniform, zero bias */
export function xavierInit(module: Module): void {
  for (const layer of module.modules()) {
    if (layer instanceof nn.Conv2d) {
      xavierUniform_(layer.weight);
      if (layer.bias) constant_(layer.bias, 0.0);
    }
  }
}

/** SSDScoringHead(module_list, num_columns): module_list[i] on feature map i, each (N, A * K, H, W) to (N, HWA, K), concatenated. */
export class SSDScoringHead extends Module {
  module_list: nn.ModuleList;
  readonly numColumns: number;

  constructor(moduleList: nn.ModuleList, numColumns: number) {
    super();
    this.module_list = moduleList;
    this.numColumns = numColumns;
  }

  forward(x: readonly Tensor[]): Tensor {
    return flattenLevels(
      x.map((features, i) => this.module_list.at(i)(features) as Tensor),
      this.numColumns,
    );
  }
}

/** One 3x3 conv per feature map, xavier-initialised. */
function convPerMap(inChannels: readonly number[], numAnchors: readonly number[], perAnchor: number): nn.ModuleList {
  const n = Math.min(inChannels.length, numAnchors.length);
  const list = new nn.ModuleList(Array.from({ length: n }, (_, i) => new nn.Conv2d(inChannels[i], perAnchor * numAnchors[i], 3, { padding: 1 })));
  xavierInit(list);
  return list;
}

/** SSDClassificationHead(in_channels, num_anchors, num_classes) */
export class SSDClassificationHead extends SSDScoringHead {
  constructor(inChannels: readonly number[], numAnchors: readonly number[], numClasses: number) {
    super(convPerMap(inChannels, numAnchors, numClasses), numClasses);
  }
}

/** SSDRegressionHead(in_channels, num_anchors) */
export class SSDRegressionHead extends SSDScoringHead {
  constructor(inChannels: readonly number[], numAnchors: readonly number[]) {
    super(convPerMap(inChannels, numAnchors, 4), 4);
  }
}

/** SSDHead(in_channels, num_anchors, num_classes): in_channels and num_anchors per feature map. */
export class SSDHead extends Module {
  classification_head: SSDClassificationHead;
  regression_head: SSDRegressionHead;

  constructor(inChannels: readonly number[], numAnchors: readonly number[], numClasses: number) {
    super();
    this.classification_head = new SSDClassificationHead(inChannels, numAnchors, numClasses);
    this.regression_head = new SSDRegressionHead(inChannels, numAnchors);
  }

  /** { bbox_regression: (N, HWA, 4), cls_logits: (N, HWA, K) } */
  forward(x: readonly Tensor[]): Record<string, Tensor> {
    return { bbox_regression: this.regression_head(x) as Tensor, cls_logits: this.classification_head(x) as Tensor };
  }
}

/** SSD's keyword arguments (Python's, camelCase), in Python's positional order. */
export interface SSDArgs {
  /** returns a Tensor or a dict of feature maps; `outChannels` (one per map) or found by a forward pass at `size` */
  backbone: Module;
  anchorGenerator: DefaultBoxGenerator;
  /** [width, height] every image is resized to */
  size: readonly number[];
  /** with the background */
  numClasses: number;
  imageMean?: readonly number[] | null;
  imageStd?: readonly number[] | null;
  /** default SSDHead(out_channels, anchors per location, num_classes) */
  head?: Module | null;
  scoreThresh?: number;
  nmsThresh?: number;
  detectionsPerImg?: number;
  /** the IoU from which a default box matches a target box */
  iouThresh?: number;
  topkCandidates?: number;
  /** the share of positives among the boxes the classification loss counts (3 negatives per positive by default) */
  positiveFraction?: number;
  /** GeneralizedRCNNTransform's private keyword */
  _skipResize?: boolean;
}
export const SSD_POSITIONAL = ['imageMean', 'imageStd', 'head', 'scoreThresh', 'nmsThresh', 'detectionsPerImg', 'iouThresh', 'topkCandidates', 'positiveFraction'] as const;
const SSD_KWARGS = ['_skipResize'] as const;
const SSD_SIGNATURE = signature<SSDArgs>()(['backbone', 'anchorGenerator', 'size', 'numClasses'], SSD_POSITIONAL, SSD_KWARGS);

/** SSD(backbone, anchor_generator, size, num_classes, image_mean=None, ..., topk_candidates=400, positive_fraction=0.25): see SSDArgs. */
export class SSD extends Module {
  backbone: Module;
  anchor_generator: DefaultBoxGenerator;
  readonly boxCoder = new BoxCoder([10.0, 10.0, 5.0, 5.0]);
  head: Module;
  readonly proposalMatcher: SSDMatcher;
  transform: GeneralizedRCNNTransform;
  scoreThresh: number;
  nmsThresh: number;
  detectionsPerImg: number;
  topkCandidates: number;
  negToPosRatio: number;

  constructor(...args: ArgsOf<typeof SSD_SIGNATURE>) {
    super();
    const a = SSD_SIGNATURE.bind('SSD', args);
    this.backbone = a.backbone;
    this.anchor_generator = a.anchorGenerator;
    let head = a.head ?? null;
    if (head === null) {
      const b = a.backbone as unknown as { outChannels?: unknown; out_channels?: unknown };
      const given = b.outChannels ?? b.out_channels;
      // a Conv2d's out_channels is one number: Python's len() refuses it
      if (given !== undefined && !Array.isArray(given)) throw new PyTypeError(`object of type '${typeof given === 'number' ? 'int' : typeof given}' has no len()`);
      const outChannels = (given as number[] | undefined) ?? retrieveOutChannels(a.backbone, a.size);
      const ratios = a.anchorGenerator.aspectRatios.length;
      if (outChannels.length !== ratios) {
        throw new ValueError(`The length of the output channels from the backbone (${outChannels.length}) do not match the length of the anchor generator aspect ratios (${ratios})`);
      }
      head = new SSDHead(outChannels, a.anchorGenerator.numAnchorsPerLocation(), a.numClasses);
    }
    this.head = head;
    this.proposalMatcher = new SSDMatcher(a.iouThresh ?? 0.5);
    const [w, h] = a.size;
    this.transform = new GeneralizedRCNNTransform(Math.min(w, h), Math.max(w, h), a.imageMean ?? [0.485, 0.456, 0.406], a.imageStd ?? [0.229, 0.224, 0.225], {
      sizeDivisible: 1,
      fixedSize: a.size,
      _skipResize: a._skipResize,
    });
    this.scoreThresh = a.scoreThresh ?? 0.01;
    this.nmsThresh = a.nmsThresh ?? 0.45;
    this.detectionsPerImg = a.detectionsPerImg ?? 200;
    this.topkCandidates = a.topkCandidates ?? 400;
    const positiveFraction = a.positiveFraction ?? 0.25;
    this.negToPosRatio = (1.0 - positiveFraction) / positiveFraction;
  }

  /**
   * Smooth L1 on the foreground boxes' deltas; cross entropy on the foreground and on the hardest
   * negatives (negToPosRatio per foreground box of the image); both over the foreground count.
   */
  computeLoss(targets: readonly TensorDict[], headOutputs: Record<string, Tensor>, anchors: readonly Tensor[], matchedIdxs: readonly Tensor[]): Record<string, Tensor> {
    const { bbox_regression: bboxRegression, cls_logits: clsLogits } = headOutputs;
    let numForeground = 0;
    const bboxLoss: Tensor[] = [];
    const clsTargets: Tensor[] = [];
    targets.forEach((target, i) => {
      const matched = matchedIdxs[i];
      const foregroundIdxs = torch.where(matched.ge(0))[0];
      const foregroundMatched = matched.index(foregroundIdxs);
      numForeground += foregroundMatched.numel();
      const matchedGtBoxes = target.boxes.index(foregroundMatched);
      const regression = bboxRegression.index(i).index(foregroundIdxs, ':');
      const anchorsPerImage = anchors[i].index(foregroundIdxs, ':');
      const targetRegression = this.boxCoder.encodeSingle(matchedGtBoxes, anchorsPerImage);
      bboxLoss.push(smoothL1Loss(regression, targetRegression, { reduction: 'sum' }));
      const gtClassesTarget = torch.zeros([clsLogits.size(1)], { dtype: target.labels.dtype, device: target.labels.device });
      gtClassesTarget.indexPut_([foregroundIdxs], target.labels.index(foregroundMatched));
      clsTargets.push(gtClassesTarget);
    });
    const allBboxLoss = torch.stack(bboxLoss);
    const allClsTargets = torch.stack(clsTargets);
    const numClasses = clsLogits.size(-1);
    const clsLoss = crossEntropy(clsLogits.view(-1, numClasses), allClsTargets.view(-1), { reduction: 'none' }).view(allClsTargets.shape);
    // hard negative mining: the foreground at -inf, the negatives ranked by loss
    const foregroundIdxs = allClsTargets.gt(0);
    const numNegative = foregroundIdxs.sum(1, { keepdim: true }).mul(this.negToPosRatio);
    const negativeLoss = clsLoss.clone();
    negativeLoss.indexPut_([foregroundIdxs], -Infinity);
    const [, idx] = negativeLoss.sort(1, { descending: true });
    const backgroundIdxs = idx.sort(1)[1].lt(numNegative);
    const n = Math.max(1, numForeground);
    return {
      bbox_regression: allBboxLoss.sum().div(n),
      classification: clsLoss.index(foregroundIdxs).sum().add(clsLoss.index(backgroundIdxs).sum()).div(n),
    };
  }

  /** Per image: boxes decoded and clipped; per class (not the background) softmax scores above scoreThresh, the topkCandidates best; then NMS per class. */
  postprocessDetections(headOutputs: Record<string, Tensor>, imageAnchors: readonly Tensor[], imageShapes: readonly (readonly number[])[]): TensorDict[] {
    const bboxRegression = headOutputs.bbox_regression;
    const predScores = softmax(headOutputs.cls_logits, { dim: -1 });
    const numClasses = predScores.size(-1);
    return imageShapes.map((imageShape, i) => {
      const boxes = clipBoxesToImage(this.boxCoder.decodeSingle(bboxRegression.index(i), imageAnchors[i]), imageShape as [number, number]);
      const scores = predScores.index(i);
      const imageBoxes: Tensor[] = [];
      const imageScores: Tensor[] = [];
      const imageLabels: Tensor[] = [];
      for (let label = 1; label < numClasses; label++) {
        let score = scores.index(':', label);
        const keep = score.gt(this.scoreThresh);
        score = score.index(keep);
        const [best, idxs] = score.topk(Math.min(this.topkCandidates, score.size(0)));
        imageBoxes.push(boxes.index(keep).index(idxs));
        imageScores.push(best);
        imageLabels.push(torch.fullLike(best, label, { dtype: torch.int64 }));
      }
      return nmsDetections(imageBoxes, imageScores, imageLabels, this.nmsThresh, this.detectionsPerImg);
    });
  }

  /** images: [C, H, W] tensors (0-1 floats); targets (training): boxes [N, 4] float, labels [N] int64. Training: the loss dict; eval: detections. */
  forward(images: readonly Tensor[], targets: readonly TensorDict[] | null = null): Record<string, Tensor> | TensorDict[] {
    if (this.training && targets) {
      for (const target of targets) {
        if (!(target.boxes instanceof Tensor)) throw new AssertionError(`Expected target boxes to be of type Tensor, got <class '${pyTypeName(target.boxes)}'>.`);
      }
    }
    const originalImageSizes = checkOneStageInputs(this.training, images, targets, (b) => `Expected target boxes to be a tensor of shape [N, 4], got ${pySize(b.shape)}.`);
    const [imageList, tTargets] = this.transform(images, targets ?? null);
    checkDegenerateBoxes(tTargets);
    const out = this.backbone(imageList.tensors) as Record<string, Tensor> | Tensor;
    const features = out instanceof Tensor ? [out] : Object.values(out);
    const headOutputs = this.head(features) as Record<string, Tensor>;
    const anchors = this.anchor_generator(imageList, features) as Tensor[];
    if (this.training) {
      const matchedIdxs = anchors.map((anchorsPerImage, i) => {
        const boxes = tTargets![i].boxes;
        if (boxes.numel() === 0) return torch.full([anchorsPerImage.size(0)], -1, { dtype: torch.int64, device: anchorsPerImage.device });
        return this.proposalMatcher.call(boxIou(boxes, anchorsPerImage));
      });
      return this.computeLoss(tTargets!, headOutputs, anchors, matchedIdxs);
    }
    const detections = this.postprocessDetections(headOutputs, anchors, imageList.imageSizes);
    return this.transform.postprocess(detections, imageList.imageSizes, originalImageSizes);
  }
}

/** Python's type(x).__name__ for what a target may hold by mistake */
function pyTypeName(x: unknown): string {
  if (Array.isArray(x)) return 'list';
  if (x === null || x === undefined) return 'NoneType';
  return typeof x === 'number' ? (Number.isInteger(x) ? 'int' : 'float') : typeof x === 'string' ? 'str' : 'dict';
}

/** SSDFeatureExtractorVGG(backbone, highres): VGG's features up to conv4_3 (L2-normalised, times a learnt scale), then fc6/fc7 as convs and the extra blocks. */
export class SSDFeatureExtractorVGG extends Module {
  scale_weight: Parameter;
  features: nn.Sequential;
  extra: nn.ModuleList;

  constructor(backbone: nn.Sequential, highres: boolean) {
    super();
    const maxpools = [...backbone.children()].flatMap((layer, i) => (layer instanceof nn.MaxPool2d ? [i] : []));
    if (maxpools.length !== 5) throw new ValueError(`${maxpools.length > 5 ? 'too many' : 'not enough'} values to unpack (expected 5${maxpools.length < 5 ? `, got ${maxpools.length}` : ''})`);
    const [, , maxpool3Pos, maxpool4Pos] = maxpools;
    // ceil mode for maxpool3, so that the maps have the paper's sizes (38x38 at 300)
    (backbone.at(maxpool3Pos) as unknown as { ceilMode: boolean }).ceilMode = true;
    this.scale_weight = new Parameter(torch.ones(512).mul(20));
    this.features = new nn.Sequential(...backbone.slice(0, maxpool4Pos).children());
    const block = (inC: number, midC: number, outC: number, conv2: { kernelSize: number; padding?: number; stride?: number }) =>
      new nn.Sequential(
        new nn.Conv2d(inC, midC, 1),
        new nn.ReLU({ inplace: true }),
        new nn.Conv2d(midC, outC, conv2.kernelSize, { padding: conv2.padding ?? 0, stride: conv2.stride ?? 1 }),
        new nn.ReLU({ inplace: true }),
      );
    const extra = new nn.ModuleList([
      block(1024, 256, 512, { kernelSize: 3, padding: 1, stride: 2 }), // conv8_2
      block(512, 128, 256, { kernelSize: 3, padding: 1, stride: 2 }), // conv9_2
      block(256, 128, 256, { kernelSize: 3 }), // conv10_2
      block(256, 128, 256, { kernelSize: 3 }), // conv11_2
    ]);
    if (highres) extra.append(block(256, 128, 256, { kernelSize: 4 })); // conv12_2 of SSD512
    xavierInit(extra);
    const fc = new nn.Sequential(
      new nn.MaxPool2d(3, { stride: 1, padding: 1, ceilMode: false }), // maxpool5, modified
      new nn.Conv2d(512, 1024, 3, { padding: 6, dilation: 6 }), // fc6, atrous
      new nn.ReLU({ inplace: true }),
      new nn.Conv2d(1024, 1024, 1), // fc7
      new nn.ReLU({ inplace: true }),
    );
    xavierInit(fc);
    // conv5_3 without maxpool5, then fc
    extra.insert(0, new nn.Sequential(...backbone.slice(maxpool4Pos, -1).children(), fc));
    this.extra = extra;
  }

  /** { '0': the rescaled conv4_3 map, '1'...: each extra block's output } */
  forward(x: Tensor): Record<string, Tensor> {
    x = this.features(x) as Tensor;
    const output = [this.scale_weight.view(1, -1, 1, 1).mul(normalize(x))];
    for (const block of this.extra.children()) {
      x = block(x) as Tensor;
      output.push(x);
    }
    return Object.fromEntries(output.map((v, i) => [String(i), v]));
  }
}

/** torchvision's _vgg_extractor: the first stages of VGG's features frozen (all but trainableLayers of 5). */
export function vggExtractor(backbone: { features: Module }, highres: boolean, trainableLayers: number): SSDFeatureExtractorVGG {
  const features = backbone.features as nn.Sequential;
  const layers = [...features.children()];
  const stageIndices = [0, ...layers.flatMap((b, i) => (b instanceof nn.MaxPool2d ? [i] : [])).slice(0, -1)];
  const numStages = stageIndices.length;
  if (!(trainableLayers >= 0 && trainableLayers <= numStages)) throw new AssertionError(`trainable_layers should be in the range [0, ${numStages}]. Instead got ${trainableLayers}`);
  const freezeBefore = trainableLayers === 0 ? layers.length : stageIndices[numStages - trainableLayers];
  for (const b of layers.slice(0, freezeBefore)) for (const p of b.parameters()) p.requiresGrad_(false);
  return new SSDFeatureExtractorVGG(features, highres);
}

/** Builder options: the weights and backbone ones, and any SSD keyword (scoreThresh, imageMean, ...). */
export type SSDBuilderOptions = DetectionBuilderOptions & Omit<SSDArgs, 'backbone' | 'anchorGenerator' | 'size' | 'numClasses'> & {
  /** not taken: the model's size is fixed (torchvision warns, then SSD() refuses it twice) */
  size?: readonly number[];
};
export const SSD_MODEL_KEYS = [...SSD_POSITIONAL, ...SSD_KWARGS, 'size'];

/**
 * The SSD builders' arguments as torchvision resolves them: resolveDetection's, with their own
 * legacy backbone (pretrained_backbone=True) and default count of trainable backbone layers, and
 * the size torchvision refuses.
 */
export function resolveSsd(fn: string, o: SSDBuilderOptions, enumValue: WeightsEnum, backboneEnum: WeightsEnum, defaultBackbone: Weights, maxLayers: number, defaultLayers: number): ResolvedDetection {
  const r = resolveDetection(fn, o, SSD_MODEL_KEYS, enumValue, backboneEnum, defaultBackbone, maxLayers, { defaultTrainableLayers: defaultLayers, legacyBackbone: defaultBackbone });
  if (o.size !== undefined) {
    warn('The size of the model is already fixed; ignoring the parameter.');
    throw new PyTypeError("SSD.__init__() got multiple values for argument 'size'");
  }
  return r;
}

export const SSD300_VGG16_Weights = DETECTION_WEIGHTS.SSD300_VGG16_Weights;

/** ssd300_vgg16(*, weights=None, progress=True, num_classes=None, weights_backbone=VGG16_Weights.IMAGENET1K_FEATURES, trainable_backbone_layers=None, **kwargs) */
export function ssd300Vgg16(o: SSDBuilderOptions = {}): SSD {
  const VGG16 = WEIGHTS.VGG16_Weights;
  const r = resolveSsd('ssd300_vgg16', o, SSD300_VGG16_Weights, VGG16, VGG16.IMAGENET1K_FEATURES, 5, 4);
  const backbone = vggExtractor(vgg16({ weights: r.weightsBackbone, progress: o.progress }), false, r.trainableLayers);
  const anchorGenerator = new DefaultBoxGenerator([[2], [2, 3], [2, 3], [2, 3], [2], [2]], {
    scales: [0.07, 0.15, 0.33, 0.51, 0.69, 0.87, 1.05],
    steps: [8, 16, 32, 64, 100, 300],
  });
  // the backbone's weights expect 0-255 inputs, less the mean
  const defaults = { imageMean: [0.48235, 0.45882, 0.40784], imageStd: [1.0 / 255.0, 1.0 / 255.0, 1.0 / 255.0] };
  const model = new SSD(backbone, anchorGenerator, [300, 300], r.numClasses, { ...defaults, ...modelKwargs(o) });
  return loadWeights(model, r.weights);
}
