// RAFT's update block (motion encoder, recurrent block, flow head: the hidden state and a delta flow
// per iteration) and the mask predictor that weights the convex upsampling of the flow.
import { Tensor } from '../../../tensor/tensor';
import * as torch from '../../../index';
import * as nn from '../../../nn';
import { Module } from '../../../nn/module';
import { chain } from '../../../nn/intermediates';
import { keysOf } from '../../../keywords';
import { Conv2dNormActivation } from '../ops';
import { keywordOnly } from './keyword-only';

export interface FlowHeadOptions {
  inChannels: number;
  hiddenSize: number;
}
const FLOW_HEAD_KEYS = keysOf<FlowHeadOptions>()('inChannels', 'hiddenSize');

/** FlowHead(*, in_channels, hidden_size): the hidden state to the 2-channel delta flow. */
export class FlowHead extends Module {
  conv1: nn.Conv2d;
  conv2: nn.Conv2d;
  relu: nn.ReLU;

  constructor(options: FlowHeadOptions) {
    super();
    keywordOnly('FlowHead', options, FLOW_HEAD_KEYS, FLOW_HEAD_KEYS);
    this.conv1 = new nn.Conv2d(options.inChannels, options.hiddenSize, 3, { padding: 1 });
    this.conv2 = new nn.Conv2d(options.hiddenSize, 2, 3, { padding: 1 });
    this.relu = new nn.ReLU({ inplace: true });
  }

  forward(x: Tensor): Tensor {
    return chain(x, [this.conv1, this.relu, this.conv2]) as Tensor;
  }
}

/** A recurrent block: its hidden state's size is the update block's. */
type WithHiddenSize = Module & { hiddenSize: number };

export interface UpdateBlockOptions {
  motionEncoder: Module;
  recurrentBlock: WithHiddenSize;
  flowHead: Module;
}
const UPDATE_BLOCK_KEYS = keysOf<UpdateBlockOptions>()('motionEncoder', 'recurrentBlock', 'flowHead');

/** UpdateBlock(*, motion_encoder, recurrent_block, flow_head): forward(hidden, context, corr, flow) -> [hidden, delta flow]. */
export class UpdateBlock extends Module {
  motion_encoder: Module;
  recurrent_block: WithHiddenSize;
  flow_head: Module;
  readonly hiddenStateSize: number;

  constructor(options: UpdateBlockOptions) {
    super();
    keywordOnly('UpdateBlock', options, UPDATE_BLOCK_KEYS, UPDATE_BLOCK_KEYS);
    this.motion_encoder = options.motionEncoder;
    this.recurrent_block = options.recurrentBlock;
    this.flow_head = options.flowHead;
    this.hiddenStateSize = options.recurrentBlock.hiddenSize;
  }

  forward(hiddenState: Tensor, context: Tensor, corrFeatures: Tensor, flow: Tensor): [Tensor, Tensor] {
    const motionFeatures = this.motion_encoder(flow, corrFeatures) as Tensor;
    const x = torch.cat([context, motionFeatures], 1);
    const h = this.recurrent_block(hiddenState, x) as Tensor;
    return [h, this.flow_head(h) as Tensor];
  }
}

export interface MaskPredictorOptions {
  inChannels: number;
  hiddenSize: number;
  /** scales the mask (default 0.25: the original code's down-weighting of this branch's gradients) */
  multiplier?: number;
}
const MASK_PREDICTOR_KEYS = keysOf<MaskPredictorOptions>()('inChannels', 'hiddenSize', 'multiplier');

/** MaskPredictor(*, in_channels, hidden_size, multiplier=0.25): 8 * 8 * 9 upsampling weights per coarse pixel. */
export class MaskPredictor extends Module {
  convrelu: Conv2dNormActivation;
  conv: nn.Conv2d;
  multiplier: number;

  constructor(options: MaskPredictorOptions) {
    super();
    keywordOnly('MaskPredictor', options, MASK_PREDICTOR_KEYS, ['inChannels', 'hiddenSize']);
    const { inChannels, hiddenSize, multiplier = 0.25 } = options;
    this.convrelu = new Conv2dNormActivation(inChannels, hiddenSize, { normLayer: null, kernelSize: 3 });
    // 8 * 8 (the encoders' downsampling) * 9 (the 3x3 neighbours)
    this.conv = new nn.Conv2d(hiddenSize, 8 * 8 * 9, 1, { padding: 0 });
    this.multiplier = multiplier;
  }

  forward(x: Tensor): Tensor {
    return (this.conv(this.convrelu(x)) as Tensor).mul(this.multiplier);
  }
}
