// RAFT's motion encoder (part of the update block): the correlation features and the current flow,
// each through its convs, joined by one more conv; the flow itself is appended to the output.
import { Tensor } from '../../../tensor/tensor';
import * as torch from '../../../index';
import * as nn from '../../../nn';
import { Module } from '../../../nn/module';
import { chain, release } from '../../../nn/intermediates';
import { keysOf } from '../../../keywords';
import { ValueError } from '../../../errors';
import { Conv2dNormActivation } from '../ops';
import { keywordOnly } from './keyword-only';

export interface MotionEncoderOptions {
  /** required: the correlation features' channels (the corr block's outChannels) */
  inChannelsCorr: number;
  /** one or two convs on the correlation features (default [256, 192]) */
  corrLayers?: readonly number[];
  /** two convs on the flow (default [128, 64]) */
  flowLayers?: readonly number[];
  /** default 128, the flow's 2 channels included */
  outChannels?: number;
}
const MOTION_ENCODER_KEYS = keysOf<MotionEncoderOptions>()('inChannelsCorr', 'corrLayers', 'flowLayers', 'outChannels');

/** MotionEncoder(*, in_channels_corr, corr_layers=(256, 192), flow_layers=(128, 64), out_channels=128) */
export class MotionEncoder extends Module {
  convcorr1: Conv2dNormActivation;
  convcorr2: Module;
  convflow1: Conv2dNormActivation;
  convflow2: Conv2dNormActivation;
  conv: Conv2dNormActivation;
  readonly outChannels: number;

  constructor(options: MotionEncoderOptions) {
    super();
    keywordOnly('MotionEncoder', options, MOTION_ENCODER_KEYS, ['inChannelsCorr']);
    const { inChannelsCorr, corrLayers = [256, 192], flowLayers = [128, 64], outChannels = 128 } = options;
    if (flowLayers.length !== 2) throw new ValueError(`The expected number of flow_layers is 2, instead got ${flowLayers.length}`);
    if (corrLayers.length !== 1 && corrLayers.length !== 2) throw new ValueError(`The number of corr_layers should be 1 or 2, instead got ${corrLayers.length}`);
    const plain = (inC: number, outC: number, kernelSize: number) => new Conv2dNormActivation(inC, outC, { normLayer: null, kernelSize });
    this.convcorr1 = plain(inChannelsCorr, corrLayers[0], 1);
    this.convcorr2 = corrLayers.length === 2 ? plain(corrLayers[0], corrLayers[1], 3) : new nn.Identity();
    this.convflow1 = plain(2, flowLayers[0], 7);
    this.convflow2 = plain(flowLayers[0], flowLayers[1], 3);
    // out_channels - 2: the flow is concatenated at the end
    this.conv = plain(corrLayers[corrLayers.length - 1] + flowLayers[1], outChannels - 2, 3);
    this.outChannels = outChannels;
  }

  forward(flow: Tensor, corrFeatures: Tensor): Tensor {
    const corr = chain(corrFeatures, [this.convcorr1, this.convcorr2]) as Tensor;
    const flowFeatures = chain(flow, [this.convflow1, this.convflow2]) as Tensor;
    const joined = torch.cat([corr, flowFeatures], 1);
    release(corr, corrFeatures, joined);
    release(flowFeatures, flow, joined);
    const corrFlow = chain(joined, [this.conv]) as Tensor;
    const out = torch.cat([corrFlow, flow], 1);
    release(corrFlow, flow, out);
    return out;
  }
}
