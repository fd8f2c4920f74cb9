// torchvision.models.optical_flow.RAFT: features of both images and the context of the first (all at
// 1/8 resolution), a correlation pyramid, then num_flow_updates recurrent refinements of the flow,
// each upsampled to full resolution (by a learned convex mask, or bilinearly) and returned.
import { Tensor } from '../../../tensor/tensor';
import * as torch from '../../../index';
import { Module } from '../../../nn/module';
import { relu } from '../../../nn/functional/activation';
import { keysOf, parse } from '../../../keywords';
import type { Rest } from '../../../keywords';
import { ValueError } from '../../../errors';
import { makeCoordsGrid, upsampleFlow } from './flow-utils';
import { keywordOnly } from './keyword-only';
import { pySize } from '../../../py-format';

/** What RAFT needs of a correlation block (CorrBlock's methods, and its outChannels for the motion encoder). */
export interface CorrBlockLike extends Module {
  readonly outChannels: number;
  buildPyramid(fmap1: Tensor, fmap2: Tensor): void;
  indexPyramid(centroidsCoords: Tensor): Tensor;
}

export interface RAFTOptions {
  /** downsamples by 8; gets both images as one batch */
  featureEncoder: Module;
  /** downsamples by 8; its output splits into the initial hidden state and the context */
  contextEncoder: Module;
  corrBlock: CorrBlockLike;
  /** with a hiddenStateSize: forward(hidden, context, corr, flow) -> [hidden, delta flow] */
  updateBlock: Module & { hiddenStateSize?: number };
  /** the convex-upsampling mask's predictor; null (default): bilinear upsampling */
  maskPredictor?: Module | null;
}
const RAFT_KEYS = keysOf<RAFTOptions>()('featureEncoder', 'contextEncoder', 'corrBlock', 'updateBlock', 'maskPredictor');

type ForwardOptions = { numFlowUpdates?: number };
const FORWARD_ARGS = ['numFlowUpdates'] as const;


/** RAFT(*, feature_encoder, context_encoder, corr_block, update_block, mask_predictor=None) */
export class RAFT extends Module {
  feature_encoder: Module;
  context_encoder: Module;
  corr_block: CorrBlockLike;
  update_block: Module & { hiddenStateSize?: number };
  mask_predictor: Module | null;

  constructor(options: RAFTOptions) {
    super();
    keywordOnly('RAFT', options, RAFT_KEYS, ['featureEncoder', 'contextEncoder', 'corrBlock', 'updateBlock']);
    this.feature_encoder = options.featureEncoder;
    this.context_encoder = options.contextEncoder;
    this.corr_block = options.corrBlock;
    this.update_block = options.updateBlock;
    this.mask_predictor = options.maskPredictor ?? null;
    if (!('hiddenStateSize' in this.update_block)) throw new ValueError("The update_block parameter should expose a 'hidden_state_size' attribute.");
  }

  /** forward(image1, image2, num_flow_updates=12): the list of flow predictions [B, 2, H, W], one per update. */
  forward(image1: Tensor, image2: Tensor, ...rest: Rest<ForwardOptions, typeof FORWARD_ARGS>): Tensor[] {
    const { numFlowUpdates = 12 } = parse<ForwardOptions>('forward', rest, FORWARD_ARGS);
    const n = image1.dim();
    if (n !== 4) throw new ValueError(`${n < 4 ? 'not enough' : 'too many'} values to unpack (expected 4${n < 4 ? `, got ${n}` : ''})`);
    const [batchSize, , h, w] = image1.shape;
    const size2 = image2.shape.slice(-2);
    if (h !== size2[0] || w !== size2[1] || size2.length !== 2) throw new ValueError(`input images should have the same shape, instead got (${h}, ${w}) != ${pySize(size2)}`);
    // torchvision's test, precedence included: only an h not divisible by 8 with a divisible w is caught here
    if (!(h % 8 === 0) && w % 8 === 0) throw new ValueError(`input image H and W should be divisible by 8, insted got ${h} (h) and ${w} (w)`);
    const down = (t: Tensor) => t.size(-2) === Math.floor(h / 8) && t.size(-1) === Math.floor(w / 8);

    const fmaps = this.feature_encoder(torch.cat([image1, image2], 0)) as Tensor;
    const [fmap1, fmap2] = torch.chunk(fmaps, 2, 0) as Tensor[];
    if (!down(fmap1)) throw new ValueError('The feature encoder should downsample H and W by 8');
    this.corr_block.buildPyramid(fmap1, fmap2);

    const contextOut = this.context_encoder(image1) as Tensor;
    if (!down(contextOut)) throw new ValueError('The context encoder should downsample H and W by 8');
    // as in the paper, the context encoder's output is the initial hidden state and the context
    const hiddenStateSize = this.update_block.hiddenStateSize as number;
    const outChannelsContext = contextOut.size(1) - hiddenStateSize;
    if (outChannelsContext <= 0) {
      throw new ValueError(`The context encoder outputs ${contextOut.size(1)} channels, but it should have at strictly more than hidden_state=${hiddenStateSize} channels`);
    }
    const [hidden, ctx] = torch.split(contextOut, [hiddenStateSize, outChannelsContext], 1) as Tensor[];
    let hiddenState = torch.tanh(hidden);
    const context = relu(ctx);

    const coords0 = makeCoordsGrid(batchSize, Math.floor(h / 8), Math.floor(w / 8)).to(fmap1.device);
    let coords1 = makeCoordsGrid(batchSize, Math.floor(h / 8), Math.floor(w / 8)).to(fmap1.device);
    const flowPredictions: Tensor[] = [];
    for (let i = 0; i < numFlowUpdates; i++) {
      coords1 = coords1.detach(); // no gradient through the coordinates, as in the paper
      const corrFeatures = this.corr_block.indexPyramid(coords1);
      const flow = coords1.sub(coords0);
      const [h1, deltaFlow] = this.update_block(hiddenState, context, corrFeatures, flow) as [Tensor, Tensor];
      hiddenState = h1;
      coords1 = coords1.add(deltaFlow);
      const upMask = this.mask_predictor === null ? null : (this.mask_predictor(hiddenState) as Tensor);
      flowPredictions.push(upsampleFlow(coords1.sub(coords0), upMask));
    }
    return flowPredictions;
  }
}
