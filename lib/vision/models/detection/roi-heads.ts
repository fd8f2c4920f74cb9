// torchvision.models.detection.roi_heads.RoIHeads: the second stage. In training, proposals (plus
// the gt boxes) matched to targets and sampled, the box head's classification and regression losses
// (fastrcnn_loss), and the mask / keypoint branches' losses; in eval, per-class boxes decoded,
// clipped, filtered by score and size, NMS per class, the top detections, masks and keypoints.
import { PyTypeError, ValueError } from '../../../errors';
import { Tensor } from '../../../tensor/tensor';
import * as torch from '../../../index';
import { Module } from '../../../nn/module';
import { softmax } from '../../../nn/functional/activation';
import { crossEntropy } from '../../../nn/functional/classification-loss';
import { smoothL1Loss } from '../../../nn/functional/loss';
import { boxIou, clipBoxesToImage, removeSmallBoxes } from '../../ops/boxes';
import { batchedNms } from '../../ops/nms';
import { MultiScaleRoIAlign } from '../../ops/poolers';
import { BalancedPositiveNegativeSampler, BoxCoder, Matcher } from './det-utils';
import { maskrcnnInference, maskrcnnLoss } from './mask-ops';
import { keypointrcnnInference, keypointrcnnLoss } from './keypoint-ops';
import type { TensorDict } from './transform';
import type { FastRCNNPredictor } from './faster-rcnn';
import type { MaskRCNNPredictor } from './mask-rcnn';

/** fastrcnn_loss(class_logits, box_regression, labels, regression_targets): [cross-entropy, smooth L1 (beta 1/9) of the true class's deltas over the sample count] */
export function fastrcnnLoss(classLogits: Tensor, boxRegression: Tensor, labels: readonly Tensor[], regressionTargets: readonly Tensor[]): [Tensor, Tensor] {
  const l = torch.cat([...labels], 0);
  const targets = torch.cat([...regressionTargets], 0);
  const classificationLoss = crossEntropy(classLogits, l);
  const pos = torch.where(l.gt(0))[0];
  const labelsPos = l.index(pos);
  const n = classLogits.size(0);
  const reg = boxRegression.reshape(n, boxRegression.size(-1) / 4, 4);
  const boxLoss = smoothL1Loss(reg.index(pos, labelsPos), targets.index(pos), { beta: 1 / 9, reduction: 'sum' });
  return [classificationLoss, boxLoss.div(l.numel())];
}

export interface RoIHeadsOptions {
  maskRoiPool?: MultiScaleRoIAlign | null;
  maskHead?: Module | null;
  maskPredictor?: Module | null;
  keypointRoiPool?: MultiScaleRoIAlign | null;
  keypointHead?: Module | null;
  keypointPredictor?: Module | null;
}

export class RoIHeads extends Module {
  readonly boxSimilarity = boxIou;
  readonly proposalMatcher: Matcher;
  readonly fgBgSampler: BalancedPositiveNegativeSampler;
  readonly boxCoder: BoxCoder;
  box_roi_pool: MultiScaleRoIAlign;
  box_head: Module;
  // typed as torchvision's default heads, so that ported code reads their attributes (box_predictor.cls_score.inFeatures)
  box_predictor: FastRCNNPredictor;
  scoreThresh: number;
  nmsThresh: number;
  detectionsPerImg: number;
  mask_roi_pool: MultiScaleRoIAlign | null;
  mask_head: Module | null;
  mask_predictor: MaskRCNNPredictor | null;
  keypoint_roi_pool: MultiScaleRoIAlign | null;
  keypoint_head: Module | null;
  keypoint_predictor: Module | null;

  constructor(
    boxRoiPool: MultiScaleRoIAlign,
    boxHead: Module,
    boxPredictor: Module,
    fgIouThresh: number,
    bgIouThresh: number,
    batchSizePerImage: number,
    positiveFraction: number,
    bboxRegWeights: readonly [number, number, number, number] | null,
    scoreThresh: number,
    nmsThresh: number,
    detectionsPerImg: number,
    options: RoIHeadsOptions = {},
  ) {
    super();
    this.proposalMatcher = new Matcher(fgIouThresh, bgIouThresh, false);
    this.fgBgSampler = new BalancedPositiveNegativeSampler(batchSizePerImage, positiveFraction);
    this.boxCoder = new BoxCoder(bboxRegWeights ?? [10.0, 10.0, 5.0, 5.0]);
    this.box_roi_pool = boxRoiPool;
    this.box_head = boxHead;
    this.box_predictor = boxPredictor as FastRCNNPredictor;
    this.scoreThresh = scoreThresh;
    this.nmsThresh = nmsThresh;
    this.detectionsPerImg = detectionsPerImg;
    this.mask_roi_pool = options.maskRoiPool ?? null;
    this.mask_head = options.maskHead ?? null;
    this.mask_predictor = (options.maskPredictor ?? null) as MaskRCNNPredictor | null;
    this.keypoint_roi_pool = options.keypointRoiPool ?? null;
    this.keypoint_head = options.keypointHead ?? null;
    this.keypoint_predictor = options.keypointPredictor ?? null;
  }

  hasMask(): boolean {
    return this.mask_roi_pool !== null && this.mask_head !== null && this.mask_predictor !== null;
  }

  hasKeypoint(): boolean {
    return this.keypoint_roi_pool !== null && this.keypoint_head !== null && this.keypoint_predictor !== null;
  }

  /** Per image: [matched gt index (clamped), label (0 background, -1 ignored)] per proposal. */
  assignTargetsToProposals(proposals: readonly Tensor[], gtBoxes: readonly Tensor[], gtLabels: readonly Tensor[]): [Tensor[], Tensor[]] {
    const matchedIdxs: Tensor[] = [];
    const labels: Tensor[] = [];
    proposals.forEach((p, i) => {
      if (gtBoxes[i].numel() === 0) {
        matchedIdxs.push(torch.zeros([p.size(0)], { dtype: torch.int64, device: p.device }));
        labels.push(torch.zeros([p.size(0)], { dtype: torch.int64, device: p.device }));
        return;
      }
      const matched = this.proposalMatcher.call(boxIou(gtBoxes[i], p));
      const clamped = matched.clamp({ min: 0 });
      const l = gtLabels[i].index(clamped).to(torch.int64);
      l.indexPut_([matched.eq(this.proposalMatcher.BELOW_LOW_THRESHOLD)], 0);
      l.indexPut_([matched.eq(this.proposalMatcher.BETWEEN_THRESHOLDS)], -1);
      matchedIdxs.push(clamped);
      labels.push(l);
    });
    return [matchedIdxs, labels];
  }

  subsample(labels: readonly Tensor[]): Tensor[] {
    const [pos, neg] = this.fgBgSampler.call(labels);
    return pos.map((p, i) => torch.where(p.bitwiseOr(neg[i]))[0]);
  }

  addGtProposals(proposals: readonly Tensor[], gtBoxes: readonly Tensor[]): Tensor[] {
    return proposals.map((p, i) => torch.cat([p, gtBoxes[i]], 0));
  }

  checkTargets(targets: readonly TensorDict[] | null): void {
    if (targets === null) throw new ValueError('targets should not be None');
    if (!targets.every((t) => 'boxes' in t)) throw new ValueError('Every element of targets should have a boxes key');
    if (!targets.every((t) => 'labels' in t)) throw new ValueError('Every element of targets should have a labels key');
    if (this.hasMask() && !targets.every((t) => 'masks' in t)) throw new ValueError('Every element of targets should have a masks key');
  }

  /** [sampled proposals, their matched gt indices, labels, regression targets] per image */
  selectTrainingSamples(proposals: readonly Tensor[], targets: readonly TensorDict[] | null): [Tensor[], Tensor[], Tensor[], Tensor[]] {
    this.checkTargets(targets);
    const { dtype, device } = proposals[0];
    const gtBoxes = targets!.map((t) => t.boxes.to(dtype));
    const gtLabels = targets!.map((t) => t.labels);
    const withGt = this.addGtProposals(proposals, gtBoxes);
    const [matchedIdxs, labels] = this.assignTargetsToProposals(withGt, gtBoxes, gtLabels);
    const sampledInds = this.subsample(labels);
    const matchedGtBoxes: Tensor[] = [];
    for (let i = 0; i < withGt.length; i++) {
      const s = sampledInds[i];
      withGt[i] = withGt[i].index(s);
      labels[i] = labels[i].index(s);
      matchedIdxs[i] = matchedIdxs[i].index(s);
      const gt = gtBoxes[i].numel() === 0 ? torch.zeros([1, 4], { dtype, device }) : gtBoxes[i];
      matchedGtBoxes.push(gt.index(matchedIdxs[i]));
    }
    const regressionTargets = this.boxCoder.encode(matchedGtBoxes, withGt);
    return [withGt, matchedIdxs, labels, regressionTargets];
  }

  /** Per image: [boxes, scores, labels] of the final detections. */
  postprocessDetections(classLogits: Tensor, boxRegression: Tensor, proposals: readonly Tensor[], imageShapes: readonly (readonly number[])[]): [Tensor[], Tensor[], Tensor[]] {
    const device = classLogits.device;
    const numClasses = classLogits.size(-1);
    const perImage = proposals.map((p) => p.size(0));
    const predBoxes = this.boxCoder.decode(boxRegression, proposals);
    const predScores = softmax(classLogits, -1);
    const boxesList = predBoxes.split(perImage, 0);
    const scoresList = predScores.split(perImage, 0);
    const allBoxes: Tensor[] = [], allScores: Tensor[] = [], allLabels: Tensor[] = [];
    boxesList.forEach((b, i) => {
      let boxes = clipBoxesToImage(b, imageShapes[i] as [number, number]);
      let scores = scoresList[i];
      let labels = torch.arange(numClasses, { device }).view(1, -1).expandAs(scores);
      // class 0 is the background
      boxes = boxes.index(':', torch.slice(1)).reshape(-1, 4);
      scores = scores.index(':', torch.slice(1)).reshape(-1);
      labels = labels.index(':', torch.slice(1)).reshape(-1);
      let keep = torch.where(scores.gt(this.scoreThresh))[0];
      [boxes, scores, labels] = [boxes.index(keep), scores.index(keep), labels.index(keep)];
      keep = removeSmallBoxes(boxes, 1e-2);
      [boxes, scores, labels] = [boxes.index(keep), scores.index(keep), labels.index(keep)];
      keep = batchedNms(boxes, scores, labels, this.nmsThresh).index(torch.slice(null, this.detectionsPerImg));
      allBoxes.push(boxes.index(keep));
      allScores.push(scores.index(keep));
      allLabels.push(labels.index(keep));
    });
    return [allBoxes, allScores, allLabels];
  }

  /** [detections per image (eval; [] in training), losses ({} in eval)] */
  forward(features: Record<string, Tensor>, proposals: Tensor[], imageShapes: readonly (readonly number[])[], targets: readonly TensorDict[] | null = null): [TensorDict[], Record<string, Tensor>] {
    if (targets !== null) {
      for (const t of targets) {
        if (![torch.float32, torch.float64, torch.float16].includes(t.boxes.dtype)) throw new PyTypeError(`target boxes must of float type, instead got ${t.boxes.dtype}`);
        if (t.labels.dtype !== torch.int64) throw new PyTypeError('target labels must of int64 type, instead got {t[\'labels\'].dtype}');
        if (this.hasKeypoint() && t.keypoints.dtype !== torch.float32) throw new PyTypeError(`target keypoints must of float type, instead got ${t.keypoints.dtype}`);
      }
    }
    let labels: Tensor[] | null = null;
    let regressionTargets: Tensor[] | null = null;
    let matchedIdxs: Tensor[] | null = null;
    if (this.training) [proposals, matchedIdxs, labels, regressionTargets] = this.selectTrainingSamples(proposals, targets);
    const pooled = this.box_roi_pool(features, proposals, imageShapes) as Tensor;
    const boxFeatures = this.box_head(pooled) as Tensor;
    const [classLogits, boxRegression] = this.box_predictor(boxFeatures) as [Tensor, Tensor];
    const result: TensorDict[] = [];
    const losses: Record<string, Tensor> = {};
    if (this.training) {
      const [lossClassifier, lossBoxReg] = fastrcnnLoss(classLogits, boxRegression, labels!, regressionTargets!);
      Object.assign(losses, { loss_classifier: lossClassifier, loss_box_reg: lossBoxReg });
    } else {
      const [boxes, scores, lbls] = this.postprocessDetections(classLogits, boxRegression, proposals, imageShapes);
      boxes.forEach((b, i) => result.push({ boxes: b, labels: lbls[i], scores: scores[i] }));
    }
    // the positive proposals and their matched gt (training) or the detections (eval), for the mask and keypoint branches
    const positives = (): [Tensor[], Tensor[] | null] => {
      if (!this.training) return [result.map((r) => r.boxes), null];
      const pos = labels!.map((l) => torch.where(l.gt(0))[0]);
      return [proposals.map((p, i) => p.index(pos[i])), matchedIdxs!.map((m, i) => m.index(pos[i]))];
    };
    if (this.hasMask()) {
      const [maskProposals, posMatchedIdxs] = positives();
      const maskFeatures = this.mask_head!(this.mask_roi_pool!(features, maskProposals, imageShapes)) as Tensor;
      const maskLogits = this.mask_predictor!(maskFeatures) as Tensor;
      if (this.training) {
        losses.loss_mask = maskrcnnLoss(maskLogits, maskProposals, targets!.map((t) => t.masks), targets!.map((t) => t.labels), posMatchedIdxs!);
      } else {
        const probs = maskrcnnInference(maskLogits, result.map((r) => r.labels));
        probs.forEach((p, i) => (result[i].masks = p));
      }
    }
    if (this.hasKeypoint()) {
      const [kpProposals, posMatchedIdxs] = positives();
      const kpFeatures = this.keypoint_head!(this.keypoint_roi_pool!(features, kpProposals, imageShapes)) as Tensor;
      const kpLogits = this.keypoint_predictor!(kpFeatures) as Tensor;
      if (this.training) {
        losses.loss_keypoint = keypointrcnnLoss(kpLogits, kpProposals, targets!.map((t) => t.keypoints), posMatchedIdxs!);
      } else {
        const [kps, kpScores] = keypointrcnnInference(kpLogits, kpProposals);
        kps.forEach((k, i) => Object.assign(result[i], { keypoints: k, keypoints_scores: kpScores[i] }));
      }
    }
    return [result, losses];
  }
}
