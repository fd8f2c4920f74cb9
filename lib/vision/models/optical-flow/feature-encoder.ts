// RAFT's feature (and context) encoder: a 7x7 strided conv, three stages of two blocks, a 1x1 conv;
// it must downsample by 8. Its convs are re-drawn kaiming-normal (fan_out), its norms set to 1 and 0.
import { Tensor } from '../../../tensor/tensor';
import * as nn from '../../../nn';
import { Module } from '../../../nn/module';
import { chain } from '../../../nn/intermediates';
import { constant_, kaimingNormal_ } from '../../../nn/init';
import { keysOf } from '../../../keywords';
import { ValueError } from '../../../errors';
import { Conv2dNormActivation, NormLayer, batchNorm2d } from '../ops';
import { FlowEncoderBlock, ResidualBlock } from './residual-blocks';
import { keywordOnly } from './keyword-only';

export interface FeatureEncoderOptions {
  /** the block class of the three stages (default ResidualBlock) */
  block?: FlowEncoderBlock;
  /** channels: the first conv's, each stage's, the output's (default [64, 64, 96, 128, 256]) */
  layers?: readonly number[];
  /** the first conv's and each stage's first block's strides (default [2, 1, 2, 2]) */
  strides?: readonly number[];
  /** default BatchNorm2d; null for none */
  normLayer?: NormLayer | null;
}
const FEATURE_ENCODER_KEYS = keysOf<FeatureEncoderOptions>()('block', 'layers', 'strides', 'normLayer');

/** FeatureEncoder(*, block=ResidualBlock, layers=(64, 64, 96, 128, 256), strides=(2, 1, 2, 2), norm_layer=nn.BatchNorm2d) */
export class FeatureEncoder extends Module {
  convnormrelu: Conv2dNormActivation;
  layer1: nn.Sequential;
  layer2: nn.Sequential;
  layer3: nn.Sequential;
  conv: nn.Conv2d;
  readonly outputDim: number;
  readonly downsampleFactor: number;

  constructor(options: FeatureEncoderOptions = {}) {
    super();
    keywordOnly('FeatureEncoder', options, FEATURE_ENCODER_KEYS);
    const { block = ResidualBlock, layers = [64, 64, 96, 128, 256], strides = [2, 1, 2, 2] } = options;
    const normLayer = options.normLayer === undefined ? batchNorm2d() : options.normLayer;
    if (layers.length !== 5) throw new ValueError(`The expected number of layers is 5, instead got ${layers.length}`);
    this.convnormrelu = new Conv2dNormActivation(3, layers[0], { normLayer, kernelSize: 7, stride: strides[0], bias: true });
    const twoBlocks = (inC: number, outC: number, firstStride: number) =>
      new nn.Sequential(new block(inC, outC, { normLayer, stride: firstStride }), new block(outC, outC, { normLayer, stride: 1 }));
    this.layer1 = twoBlocks(layers[0], layers[1], strides[1]);
    this.layer2 = twoBlocks(layers[1], layers[2], strides[2]);
    this.layer3 = twoBlocks(layers[2], layers[3], strides[3]);
    this.conv = new nn.Conv2d(layers[3], layers[4], 1);
    for (const m of this.modules()) {
      if (m instanceof nn.Conv2d) kaimingNormal_(m.weight, { mode: 'fan_out', nonlinearity: 'relu' });
      else if (m instanceof nn.BatchNorm2d || m instanceof nn.InstanceNorm2d) {
        if (m.weight) constant_(m.weight, 1);
        if (m.bias) constant_(m.bias, 0);
      }
    }
    this.outputDim = layers[4];
    this.downsampleFactor = 2 ** strides.filter((s) => s === 2).length;
  }

  forward(x: Tensor): Tensor {
    return chain(x, [this.convnormrelu, this.layer1, this.layer2, this.layer3, this.conv]) as Tensor;
  }
}
