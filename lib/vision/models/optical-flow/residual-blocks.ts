// RAFT's encoder blocks (torchvision.models.optical_flow.raft): residual and bottleneck blocks with
// biased convs (the norm layers may be frozen in training) and a ReLU after the sum.
import { Tensor } from '../../../tensor/tensor';
import * as nn from '../../../nn';
import { Module } from '../../../nn/module';
import { chain, release } from '../../../nn/intermediates';
import { ArgsOf, signature } from '../../../keywords';
import { Conv2dNormActivation, NormLayer } from '../ops';
import { requireKeywords } from './keyword-only';

export interface BlockArgs {
  inChannels: number;
  outChannels: number;
  /** keyword-only, required: the norm layer after each conv, or null for none */
  normLayer: NormLayer | null;
  /** keyword-only (default 1) */
  stride?: number;
}
export interface ResidualBlockArgs extends BlockArgs {
  /** keyword-only: a projection on the shortcut even at stride 1 (default false) */
  alwaysProject?: boolean;
}

/** A block class FeatureEncoder builds its layers of: Block(inChannels, outChannels, { normLayer, stride }). */
export type FlowEncoderBlock = new (inChannels: number, outChannels: number, options: { normLayer: NormLayer | null; stride?: number }) => Module;

/** relu(downsample(x) + y), freeing y and the projected shortcut once summed. */
function residual(x: Tensor, y: Tensor, downsample: Module, relu: Module): Tensor {
  const shortcut = downsample(x) as Tensor;
  const sum = shortcut.add(y);
  release(y, x, sum);
  release(shortcut, x, sum);
  return relu(sum) as Tensor;
}

/** The 1x1 strided conv (and norm) on the shortcut. */
const projection = (inChannels: number, outChannels: number, normLayer: NormLayer | null, stride: number) =>
  new Conv2dNormActivation(inChannels, outChannels, { normLayer, kernelSize: 1, stride, bias: true, activationLayer: null });

const RESIDUAL = signature<ResidualBlockArgs>()(['inChannels', 'outChannels'], [], ['normLayer', 'stride', 'alwaysProject']);

/** ResidualBlock(in_channels, out_channels, *, norm_layer, stride=1, always_project=False) */
export class ResidualBlock extends Module {
  convnormrelu1: Conv2dNormActivation;
  convnormrelu2: Conv2dNormActivation;
  downsample: Module;
  relu: nn.ReLU;

  constructor(...args: ArgsOf<typeof RESIDUAL>) {
    super();
    const a = RESIDUAL.bind('ResidualBlock', args);
    requireKeywords('ResidualBlock', a, ['normLayer']);
    const { inChannels, outChannels, normLayer, stride = 1, alwaysProject = false } = a;
    this.convnormrelu1 = new Conv2dNormActivation(inChannels, outChannels, { normLayer, kernelSize: 3, stride, bias: true });
    this.convnormrelu2 = new Conv2dNormActivation(outChannels, outChannels, { normLayer, kernelSize: 3, bias: true });
    this.downsample = stride === 1 && !alwaysProject ? new nn.Identity() : projection(inChannels, outChannels, normLayer, stride);
    this.relu = new nn.ReLU({ inplace: true });
  }

  forward(x: Tensor): Tensor {
    return residual(x, chain(x, [this.convnormrelu1, this.convnormrelu2]) as Tensor, this.downsample, this.relu);
  }
}

const BOTTLENECK = signature<BlockArgs>()(['inChannels', 'outChannels'], [], ['normLayer', 'stride']);

/** BottleneckBlock(in_channels, out_channels, *, norm_layer, stride=1): 1x1, 3x3 (strided), 1x1 at a quarter of the channels. */
export class BottleneckBlock extends Module {
  convnormrelu1: Conv2dNormActivation;
  convnormrelu2: Conv2dNormActivation;
  convnormrelu3: Conv2dNormActivation;
  relu: nn.ReLU;
  downsample: Module;

  constructor(...args: ArgsOf<typeof BOTTLENECK>) {
    super();
    const a = BOTTLENECK.bind('BottleneckBlock', args);
    requireKeywords('BottleneckBlock', a, ['normLayer']);
    const { inChannels, outChannels, normLayer, stride = 1 } = a;
    const mid = Math.floor(outChannels / 4);
    this.convnormrelu1 = new Conv2dNormActivation(inChannels, mid, { normLayer, kernelSize: 1, bias: true });
    this.convnormrelu2 = new Conv2dNormActivation(mid, mid, { normLayer, kernelSize: 3, stride, bias: true });
    this.convnormrelu3 = new Conv2dNormActivation(mid, outChannels, { normLayer, kernelSize: 1, bias: true });
    this.relu = new nn.ReLU({ inplace: true });
    this.downsample = stride === 1 ? new nn.Identity() : projection(inChannels, outChannels, normLayer, stride);
  }

  forward(x: Tensor): Tensor {
    return residual(x, chain(x, [this.convnormrelu1, this.convnormrelu2, this.convnormrelu3]) as Tensor, this.downsample, this.relu);
  }
}
