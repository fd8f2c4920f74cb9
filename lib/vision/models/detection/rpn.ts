// torchvision.models.detection.rpn: RPNHead (objectness and box deltas per anchor) and
// RegionProposalNetwork (anchors decoded, top-n per level, clipped, NMS per level, top-n overall;
// in training, anchors matched to the targets and the sampled objectness and box losses).
import { ValueError } from '../../../errors';
import { Tensor } from '../../../tensor/tensor';
import * as torch from '../../../index';
import * as nn from '../../../nn';
import { LocalMetadata, Module } from '../../../nn/module';
import { normal_, constant_ } from '../../../nn/init';
import { smoothL1Loss, binaryCrossEntropyWithLogits } from '../../../nn/functional/loss';
import { boxIou, clipBoxesToImage, removeSmallBoxes } from '../../ops/boxes';
import { batchedNms } from '../../ops/nms';
import { Conv2dNormActivation } from '../ops';
import { AnchorGenerator } from './anchor-utils';
import { BalancedPositiveNegativeSampler, BoxCoder, Matcher } from './det-utils';
import { ImageList } from './image-list';
import type { TensorDict } from './transform';

/** RPNHead(in_channels, num_anchors, conv_depth=1): 3x3 conv(s) + ReLU, then 1x1 convs to the logits and the deltas. */
export class RPNHead extends Module {
  conv: nn.Sequential;
  cls_logits: nn.Conv2d;
  bbox_pred: nn.Conv2d;

  constructor(inChannels: number, numAnchors: number, convDepth = 1) {
    super();
    const convs: Module[] = [];
    for (let i = 0; i < convDepth; i++) convs.push(new Conv2dNormActivation(inChannels, inChannels, { kernelSize: 3, normLayer: null }));
    this.conv = new nn.Sequential(...convs);
    this.cls_logits = new nn.Conv2d(inChannels, numAnchors, 1, 1);
    this.bbox_pred = new nn.Conv2d(inChannels, numAnchors * 4, 1, 1);
    for (const layer of this.modules()) {
      if (layer instanceof nn.Conv2d) {
        normal_(layer.weight, { std: 0.01 });
        if (layer.bias) constant_(layer.bias, 0);
      }
    }
  }

  // Checkpoints from before version 2 have conv.weight for the single conv (now conv.0.0)
  protected _loadFromStateDict(stateDict: Map<string, unknown>, prefix: string, missing: string[], unexpected: string[], errors: string[], localMetadata: LocalMetadata = {}): void {
    const version = localMetadata.version as number | undefined;
    if (version === undefined || version < 2) {
      for (const type of ['weight', 'bias']) {
        const oldKey = `${prefix}conv.${type}`;
        if (stateDict.has(oldKey)) {
          stateDict.set(`${prefix}conv.0.0.${type}`, stateDict.get(oldKey));
          stateDict.delete(oldKey);
        }
      }
    }
    super._loadFromStateDict(stateDict, prefix, missing, unexpected, errors, localMetadata);
  }

  /** [objectness logits per level, box deltas per level] */
  forward(x: readonly Tensor[]): [Tensor[], Tensor[]] {
    const logits: Tensor[] = [];
    const bboxReg: Tensor[] = [];
    for (const feature of x) {
      const t = this.conv(feature) as Tensor;
      logits.push(this.cls_logits(t) as Tensor);
      bboxReg.push(this.bbox_pred(t) as Tensor);
    }
    return [logits, bboxReg];
  }
}
RPNHead.prototype._version = 2;

/** [N, A * C, H, W] -> [N, H * W * A, C] */
export function permuteAndFlatten(layer: Tensor, n: number, _a: number, c: number, h: number, w: number): Tensor {
  return layer.view(n, -1, c, h, w).permute(0, 3, 4, 1, 2).reshape(n, -1, c);
}

/** Every level's predictions in anchor order: [sum of N * H * W * A, C] logits and [.., 4] deltas. */
export function concatBoxPredictionLayers(boxCls: readonly Tensor[], boxRegression: readonly Tensor[]): [Tensor, Tensor] {
  const cls: Tensor[] = [];
  const reg: Tensor[] = [];
  boxCls.forEach((c, i) => {
    const [n, axc, h, w] = c.shape;
    const a = boxRegression[i].size(1) / 4;
    cls.push(permuteAndFlatten(c, n, a, axc / a, h, w));
    reg.push(permuteAndFlatten(boxRegression[i], n, a, 4, h, w));
  });
  return [torch.cat(cls, 1).flatten(0, -2), torch.cat(reg, 1).reshape(-1, 4)];
}

/** Python's {'training': n, 'testing': n} */
export interface TopN {
  training: number;
  testing: number;
}

export class RegionProposalNetwork extends Module {
  anchor_generator: AnchorGenerator;
  head: RPNHead;
  readonly boxCoder = new BoxCoder([1.0, 1.0, 1.0, 1.0]);
  readonly boxSimilarity = boxIou;
  readonly proposalMatcher: Matcher;
  readonly fgBgSampler: BalancedPositiveNegativeSampler;
  readonly _preNmsTopN: TopN;
  readonly _postNmsTopN: TopN;
  nmsThresh: number;
  scoreThresh: number;
  minSize = 1e-3;

  constructor(
    anchorGenerator: AnchorGenerator,
    head: RPNHead,
    fgIouThresh: number,
    bgIouThresh: number,
    batchSizePerImage: number,
    positiveFraction: number,
    preNmsTopN: TopN,
    postNmsTopN: TopN,
    nmsThresh: number,
    scoreThresh = 0.0,
  ) {
    super();
    this.anchor_generator = anchorGenerator;
    this.head = head;
    this.proposalMatcher = new Matcher(fgIouThresh, bgIouThresh, true);
    this.fgBgSampler = new BalancedPositiveNegativeSampler(batchSizePerImage, positiveFraction);
    this._preNmsTopN = { ...preNmsTopN };
    this._postNmsTopN = { ...postNmsTopN };
    this.nmsThresh = nmsThresh;
    this.scoreThresh = scoreThresh;
  }

  preNmsTopN(): number {
    return this.training ? this._preNmsTopN.training : this._preNmsTopN.testing;
  }

  postNmsTopN(): number {
    return this.training ? this._postNmsTopN.training : this._postNmsTopN.testing;
  }

  /** Per image: each anchor's label (1 object, 0 background, -1 ignored) and matched ground-truth box. */
  assignTargetsToAnchors(anchors: readonly Tensor[], targets: readonly TensorDict[]): [Tensor[], Tensor[]] {
    const labels: Tensor[] = [];
    const matchedGtBoxes: Tensor[] = [];
    anchors.forEach((anchorsPerImage, i) => {
      const gtBoxes = targets[i].boxes;
      if (gtBoxes.numel() === 0) {
        const device = anchorsPerImage.device;
        matchedGtBoxes.push(torch.zeros(anchorsPerImage.shape, { dtype: torch.float32, device }));
        labels.push(torch.zeros([anchorsPerImage.size(0)], { dtype: torch.float32, device }));
        return;
      }
      const matchQuality = this.boxSimilarity(gtBoxes, anchorsPerImage);
      const matchedIdxs = this.proposalMatcher.call(matchQuality);
      matchedGtBoxes.push(gtBoxes.index(matchedIdxs.clamp({ min: 0 })));
      const l = matchedIdxs.ge(0).to(torch.float32);
      l.indexPut_([matchedIdxs.eq(this.proposalMatcher.BELOW_LOW_THRESHOLD)], 0.0);
      l.indexPut_([matchedIdxs.eq(this.proposalMatcher.BETWEEN_THRESHOLDS)], -1.0);
      labels.push(l);
    });
    return [labels, matchedGtBoxes];
  }

  _getTopNIdx(objectness: Tensor, numAnchorsPerLevel: readonly number[]): Tensor {
    const r: Tensor[] = [];
    let offset = 0;
    for (const ob of objectness.split([...numAnchorsPerLevel], 1)) {
      const numAnchors = ob.size(1);
      const preNmsTopN = Math.min(this.preNmsTopN(), numAnchors);
      const [, topNIdx] = ob.topk(preNmsTopN, 1);
      r.push(topNIdx.add(offset));
      offset += numAnchors;
    }
    return torch.cat(r, 1);
  }

  /** Per image: the proposals kept (top-n per level, clipped, not tiny, above the score threshold, NMS per level, top-n) and their scores. */
  filterProposals(proposals: Tensor, objectness: Tensor, imageShapes: readonly (readonly number[])[], numAnchorsPerLevel: readonly number[]): [Tensor[], Tensor[]] {
    const numImages = proposals.size(0);
    const device = proposals.device;
    objectness = objectness.detach().reshape(numImages, -1);
    let levels = torch.cat(numAnchorsPerLevel.map((n, idx) => torch.full([n], idx, { dtype: torch.int64, device })), 0);
    levels = levels.reshape(1, -1).expandAs(objectness);
    const topNIdx = this._getTopNIdx(objectness, numAnchorsPerLevel);
    const batchIdx = torch.arange(numImages, { device }).index(':', null);
    objectness = objectness.index(batchIdx, topNIdx);
    levels = levels.index(batchIdx, topNIdx);
    proposals = proposals.index(batchIdx, topNIdx);
    const prob = torch.sigmoid(objectness);
    const finalBoxes: Tensor[] = [];
    const finalScores: Tensor[] = [];
    for (let i = 0; i < numImages; i++) {
      let boxes = clipBoxesToImage(proposals.index(i), imageShapes[i] as [number, number]);
      let [scores, lvl] = [prob.index(i), levels.index(i)];
      let keep = removeSmallBoxes(boxes, this.minSize);
      [boxes, scores, lvl] = [boxes.index(keep), scores.index(keep), lvl.index(keep)];
      keep = torch.where(scores.ge(this.scoreThresh))[0];
      [boxes, scores, lvl] = [boxes.index(keep), scores.index(keep), lvl.index(keep)];
      keep = batchedNms(boxes, scores, lvl, this.nmsThresh);
      keep = keep.index(torch.slice(null, this.postNmsTopN()));
      finalBoxes.push(boxes.index(keep));
      finalScores.push(scores.index(keep));
    }
    return [finalBoxes, finalScores];
  }

  /** [objectness loss (BCE on the sampled anchors), box loss (smooth L1, beta 1/9, on the positives, over the sample count)] */
  computeLoss(objectness: Tensor, predBboxDeltas: Tensor, labels: readonly Tensor[], regressionTargets: readonly Tensor[]): [Tensor, Tensor] {
    const [pos, neg] = this.fgBgSampler.call(labels);
    const sampledPos = torch.where(torch.cat(pos, 0))[0];
    const sampledNeg = torch.where(torch.cat(neg, 0))[0];
    const sampled = torch.cat([sampledPos, sampledNeg], 0);
    objectness = objectness.flatten();
    const allLabels = torch.cat([...labels], 0);
    const targets = torch.cat([...regressionTargets], 0);
    const boxLoss = smoothL1Loss(predBboxDeltas.index(sampledPos), targets.index(sampledPos), { beta: 1 / 9, reduction: 'sum' }).div(sampled.numel());
    const objectnessLoss = binaryCrossEntropyWithLogits(objectness.index(sampled), allLabels.index(sampled));
    return [objectnessLoss, boxLoss];
  }

  /** [proposals per image, losses ({} in eval: loss_objectness, loss_rpn_box_reg in training)] */
  forward(images: ImageList, features: Record<string, Tensor>, targets: readonly TensorDict[] | null = null): [Tensor[], Record<string, Tensor>] {
    const feats = Object.values(features);
    const [objectnessList, deltasList] = this.head(feats) as [Tensor[], Tensor[]];
    const anchors = this.anchor_generator(images, feats) as Tensor[];
    const numImages = anchors.length;
    const numAnchorsPerLevel = objectnessList.map((o) => o.size(1) * o.size(2) * o.size(3));
    const [objectness, predBboxDeltas] = concatBoxPredictionLayers(objectnessList, deltasList);
    const proposals = this.boxCoder.decode(predBboxDeltas.detach(), anchors).view(numImages, -1, 4);
    const [boxes] = this.filterProposals(proposals, objectness, images.imageSizes, numAnchorsPerLevel);
    let losses: Record<string, Tensor> = {};
    if (this.training) {
      if (targets === null) throw new ValueError('targets should not be None');
      const [labels, matchedGtBoxes] = this.assignTargetsToAnchors(anchors, targets);
      const regressionTargets = this.boxCoder.encode(matchedGtBoxes, anchors);
      const [lossObjectness, lossRpnBoxReg] = this.computeLoss(objectness, predBboxDeltas, labels, regressionTargets);
      losses = { loss_objectness: lossObjectness, loss_rpn_box_reg: lossRpnBoxReg };
    }
    return [boxes, losses];
  }
}
