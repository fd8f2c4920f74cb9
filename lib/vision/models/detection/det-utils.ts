// torchvision.models.detection._utils: BoxCoder (box deltas to and from boxes), Matcher (ground
// truth per anchor or proposal by IoU; SSDMatcher, SSD's) and BalancedPositiveNegativeSampler (training samples drawn
// with torch.randperm in torchvision's order, so a seeded run draws Python's samples).
import { AssertionError, ValueError } from '../../../errors';
import { Tensor } from '../../../tensor/tensor';
import * as torch from '../../../index';
import { Module } from '../../../nn/module';

/** torchvision's encode_boxes: the deltas (dx, dy, dw, dh) * weights taking proposals to reference boxes, [N, 4]. */
export function encodeBoxes(referenceBoxes: Tensor, proposals: Tensor, weights: Tensor): Tensor {
  const [wx, wy, ww, wh] = [0, 1, 2, 3].map((i) => weights.index(i));
  const col = (t: Tensor, i: number) => t.index(':', i).unsqueeze(1);
  const [px1, py1, px2, py2] = [0, 1, 2, 3].map((i) => col(proposals, i));
  const [rx1, ry1, rx2, ry2] = [0, 1, 2, 3].map((i) => col(referenceBoxes, i));
  const exW = px2.sub(px1), exH = py2.sub(py1);
  const exX = px1.add(exW.mul(0.5)), exY = py1.add(exH.mul(0.5));
  const gtW = rx2.sub(rx1), gtH = ry2.sub(ry1);
  const gtX = rx1.add(gtW.mul(0.5)), gtY = ry1.add(gtH.mul(0.5));
  const dx = wx.mul(gtX.sub(exX)).div(exW);
  const dy = wy.mul(gtY.sub(exY)).div(exH);
  const dw = ww.mul(torch.log(gtW.div(exW)));
  const dh = wh.mul(torch.log(gtH.div(exH)));
  return torch.cat([dx, dy, dw, dh], 1);
}

/** BoxCoder(weights, bbox_xform_clip=log(1000 / 16)) */
export class BoxCoder {
  constructor(
    readonly weights: readonly [number, number, number, number],
    readonly bboxXformClip = Math.log(1000 / 16),
  ) {}

  /** Per image: the deltas from proposals to reference boxes. */
  encode(referenceBoxes: readonly Tensor[], proposals: readonly Tensor[]): Tensor[] {
    const perImage = referenceBoxes.map((b) => b.size(0));
    const targets = this.encodeSingle(torch.cat([...referenceBoxes], 0), torch.cat([...proposals], 0));
    return targets.split(perImage, 0);
  }

  encodeSingle(referenceBoxes: Tensor, proposals: Tensor): Tensor {
    const weights = torch.asTensor([...this.weights], { dtype: referenceBoxes.dtype, device: referenceBoxes.device });
    return encodeBoxes(referenceBoxes, proposals, weights);
  }

  /** relCodes [sum(N_i), K * 4] applied to the boxes of every image: [sum(N_i), K, 4] */
  decode(relCodes: Tensor, boxes: readonly Tensor[]): Tensor {
    const boxSum = boxes.reduce((s, b) => s + b.size(0), 0);
    const codes = boxSum > 0 ? relCodes.reshape(boxSum, -1) : relCodes;
    const pred = this.decodeSingle(codes, torch.cat([...boxes], 0));
    return boxSum > 0 ? pred.reshape(boxSum, -1, 4) : pred;
  }

  /** relCodes [N, K * 4] applied to boxes [N, 4]: [N, K * 4] boxes (x1, y1, x2, y2) */
  decodeSingle(relCodes: Tensor, boxes: Tensor): Tensor {
    boxes = boxes.to(relCodes.dtype);
    const widths = boxes.index(':', 2).sub(boxes.index(':', 0));
    const heights = boxes.index(':', 3).sub(boxes.index(':', 1));
    const ctrX = boxes.index(':', 0).add(widths.mul(0.5));
    const ctrY = boxes.index(':', 1).add(heights.mul(0.5));
    const [wx, wy, ww, wh] = this.weights;
    const every4 = (i: number) => relCodes.index(':', torch.slice(i, null, 4));
    const dx = every4(0).div(wx);
    const dy = every4(1).div(wy);
    const dw = every4(2).div(ww).clamp({ max: this.bboxXformClip });
    const dh = every4(3).div(wh).clamp({ max: this.bboxXformClip });
    const col = (t: Tensor) => t.index(':', null);
    const predX = dx.mul(col(widths)).add(col(ctrX));
    const predY = dy.mul(col(heights)).add(col(ctrY));
    const predW = torch.exp(dw).mul(col(widths));
    const predH = torch.exp(dh).mul(col(heights));
    const halfH = torch.tensor(0.5, { dtype: predY.dtype, device: predH.device }).mul(predH);
    const halfW = torch.tensor(0.5, { dtype: predX.dtype, device: predW.device }).mul(predW);
    return torch.stack([predX.sub(halfW), predY.sub(halfH), predX.add(halfW), predY.add(halfH)], 2).flatten(1);
  }
}

/**
 * Matcher(high_threshold, low_threshold, allow_low_quality_matches=False): for each column (anchor
 * or proposal) of an [M gt, N] quality matrix, the best ground truth, or BELOW_LOW_THRESHOLD (-1) /
 * BETWEEN_THRESHOLDS (-2); low-quality matching keeps each ground truth's best predictions matched.
 */
export class Matcher {
  static readonly BELOW_LOW_THRESHOLD = -1;
  static readonly BETWEEN_THRESHOLDS = -2;
  readonly BELOW_LOW_THRESHOLD = -1;
  readonly BETWEEN_THRESHOLDS = -2;

  constructor(
    readonly highThreshold: number,
    readonly lowThreshold: number,
    readonly allowLowQualityMatches = false,
  ) {
    if (!(lowThreshold <= highThreshold)) throw new AssertionError('low_threshold should be <= high_threshold');
  }

  call(matchQualityMatrix: Tensor): Tensor {
    if (matchQualityMatrix.numel() === 0) {
      if (matchQualityMatrix.size(0) === 0) throw new ValueError('No ground-truth boxes available for one of the images during training');
      throw new ValueError('No proposal boxes available for one of the images during training');
    }
    const [matchedVals, matches] = matchQualityMatrix.max(0);
    const allMatches = this.allowLowQualityMatches ? matches.clone() : null;
    const below = matchedVals.lt(this.lowThreshold);
    const between = matchedVals.ge(this.lowThreshold).logicalAnd(matchedVals.lt(this.highThreshold));
    matches.indexPut_([below], this.BELOW_LOW_THRESHOLD);
    matches.indexPut_([between], this.BETWEEN_THRESHOLDS);
    if (allMatches) this.setLowQualityMatches_(matches, allMatches, matchQualityMatrix);
    return matches;
  }

  /** Every prediction tied for some ground truth's highest quality gets its original match back. */
  setLowQualityMatches_(matches: Tensor, allMatches: Tensor, matchQualityMatrix: Tensor): void {
    const [highest] = matchQualityMatrix.max(1);
    const pairs = torch.where(matchQualityMatrix.eq(highest.index(':', null)));
    const toUpdate = pairs[1];
    matches.indexPut_([toUpdate], allMatches.index(toUpdate));
  }
}

/** SSDMatcher(threshold): Matcher(threshold, threshold), then each ground truth's best prediction matched to it whatever its IoU. */
export class SSDMatcher extends Matcher {
  constructor(threshold: number) {
    super(threshold, threshold, false);
  }

  call(matchQualityMatrix: Tensor): Tensor {
    const matches = super.call(matchQualityMatrix);
    const [, highestQualityPredForeachGt] = matchQualityMatrix.max(1);
    const gts = torch.arange(highestQualityPredForeachGt.size(0), { dtype: torch.int64, device: highestQualityPredForeachGt.device });
    matches.indexPut_([highestQualityPredForeachGt], gts);
    return matches;
  }
}

/** torchvision's retrieve_out_channels(model, size): the channels of each feature map the model returns for a [1, 3, h, w] zero image (size [w, h]), run in eval mode. */
export function retrieveOutChannels(model: Module, size: readonly number[]): number[] {
  const inTraining = model.training;
  model.eval();
  try {
    return torch.noGrad(() => {
      const first = model.parameters().next().value as Tensor | undefined;
      const features = model(torch.zeros([1, 3, size[1], size[0]], { device: first?.device })) as Tensor | Record<string, Tensor>;
      return features instanceof Tensor ? [features.size(1)] : Object.values(features).map((x) => x.size(1));
    });
  } finally {
    if (inTraining) model.train();
  }
}

/**
 * BalancedPositiveNegativeSampler(batch_size_per_image, positive_fraction): per image, up to
 * batch * fraction positives (label >= 1) and the rest negatives (label 0), drawn by randperm.
 */
export class BalancedPositiveNegativeSampler {
  constructor(
    readonly batchSizePerImage: number,
    readonly positiveFraction: number,
  ) {}

  /** [positive masks, negative masks] (uint8, one per image) */
  call(matchedIdxs: readonly Tensor[]): [Tensor[], Tensor[]] {
    const posIdx: Tensor[] = [];
    const negIdx: Tensor[] = [];
    for (const m of matchedIdxs) {
      const positive = torch.where(m.ge(1))[0];
      const negative = torch.where(m.eq(0))[0];
      const numPos = Math.min(positive.numel(), Math.trunc(this.batchSizePerImage * this.positiveFraction));
      const numNeg = Math.min(negative.numel(), this.batchSizePerImage - numPos);
      const perm1 = torch.randperm(positive.numel(), { device: positive.device }).index(torch.slice(null, numPos));
      const perm2 = torch.randperm(negative.numel(), { device: negative.device }).index(torch.slice(null, numNeg));
      const posMask = torch.zerosLike(m, { dtype: torch.uint8 });
      const negMask = torch.zerosLike(m, { dtype: torch.uint8 });
      posMask.indexPut_([positive.index(perm1)], 1);
      negMask.indexPut_([negative.index(perm2)], 1);
      posIdx.push(posMask);
      negIdx.push(negMask);
    }
    return [posIdx, negIdx];
  }
}
