// RAFT's correlation block: the all-pairs correlation volume of the two feature maps, average-pooled
// into a pyramid, and indexed around each pixel's current match (a square of side 2 * radius + 1,
// bilinearly sampled at every level).
import { Tensor } from '../../../tensor/tensor';
import * as torch from '../../../index';
import { Module } from '../../../nn/module';
import { avgPool2d } from '../../../nn/functional/pooling';
import { keysOf } from '../../../keywords';
import { ValueError } from '../../../errors';
import { gridSampleWithCoords } from './flow-utils';
import { keywordOnly } from './keyword-only';
import { pySize } from '../../../py-format';


export interface CorrBlockOptions {
  /** pyramid levels (default 4) */
  numLevels?: number;
  /** the neighbourhood's radius, in the infinity norm (default 4) */
  radius?: number;
}
const CORR_BLOCK_KEYS = keysOf<CorrBlockOptions>()('numLevels', 'radius');

/** CorrBlock(*, num_levels=4, radius=4): buildPyramid(fmap1, fmap2), then indexPyramid(centroidsCoords). */
export class CorrBlock extends Module {
  readonly numLevels: number;
  readonly radius: number;
  /** numLevels * (2 * radius + 1) ** 2 */
  readonly outChannels: number;
  /** the pooled correlation volumes of the last buildPyramid, [B*h*w, 1, h/2^l, w/2^l] */
  corrPyramid: Tensor[] = [];

  constructor(options: CorrBlockOptions = {}) {
    super();
    keywordOnly('CorrBlock', options, CORR_BLOCK_KEYS);
    const { numLevels = 4, radius = 4 } = options;
    this.numLevels = numLevels;
    this.radius = radius;
    this.outChannels = numLevels * (2 * radius + 1) ** 2;
  }

  /** build_pyramid(fmap1, fmap2): every pixel of fmap1 against every pixel of fmap2, pooled numLevels - 1 times. */
  buildPyramid(fmap1: Tensor, fmap2: Tensor): void {
    if (fmap1.shape.join() !== fmap2.shape.join() || fmap1.dim() !== fmap2.dim()) {
      throw new ValueError(`Input feature maps should have the same shape, instead got ${pySize(fmap1.shape)} (fmap1.shape) != ${pySize(fmap2.shape)} (fmap2.shape)`);
    }
    const [batchSize, numChannels, h, w] = fmap1.shape;
    const a = fmap1.view([batchSize, numChannels, h * w]);
    const b = fmap2.view([batchSize, numChannels, h * w]);
    // divided by sqrt(C) computed in float32, as torchvision's torch.sqrt(torch.tensor(C))
    let volume = torch.matmul(a.transpose(1, 2), b).view([batchSize, h, w, 1, h, w]).div(torch.sqrt(torch.tensor(numChannels)));
    volume = volume.reshape([batchSize * h * w, 1, h, w]);
    this.corrPyramid = [volume];
    for (let i = 0; i < this.numLevels - 1; i++) {
      volume = avgPool2d(volume, 2, { stride: 2 });
      this.corrPyramid.push(volume);
    }
  }

  /** index_pyramid(centroids_coords): [B, outChannels, h, w] correlation features around the (x, y) centroids [B, 2, h, w]. */
  indexPyramid(centroidsCoords: Tensor): Tensor {
    const side = 2 * this.radius + 1;
    const di = torch.linspace(-this.radius, this.radius, side);
    const dj = torch.linspace(-this.radius, this.radius, side);
    const delta = torch.stack(torch.meshgrid([di, dj], { indexing: 'ij' }) as Tensor[], -1).to(centroidsCoords.device).view([1, side, side, 2]);
    const [batchSize, , h, w] = centroidsCoords.shape;
    let centroids = centroidsCoords.permute([0, 2, 3, 1]).reshape([batchSize * h * w, 1, 1, 2]);
    const indexed: Tensor[] = [];
    for (const volume of this.corrPyramid) {
      const sampled = gridSampleWithCoords(volume, centroids.add(delta), 'bilinear', true);
      indexed.push(sampled.view([batchSize, h, w, -1]));
      centroids = centroids.div(2);
    }
    const features = torch.cat(indexed, -1).permute([0, 3, 1, 2]).contiguous();
    const expected = [batchSize, this.outChannels, h, w];
    if (features.shape.join() !== expected.join()) {
      throw new ValueError(`Output shape of index pyramid is incorrect. Should be (${expected.join(', ')}), got ${pySize(features.shape)}`);
    }
    return features;
  }
}
