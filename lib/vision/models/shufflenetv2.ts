// torchvision.models.shufflenetv2: ShuffleNetV2 x0.5, x1.0, x1.5 and x2.0, with torchvision's module
// names (state_dict keys), options and construction order (its layers keep PyTorch's default init).
import { ValueError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { cat } from '../../tensor/functions';
import * as nn from '../../nn';
import { Module } from '../../nn/module';
import { chain, release } from '../../nn/intermediates';
import { BuilderOptions, build, builderKeys } from './builder';
import { WEIGHTS } from './weights';
import { checkKeywords, keysOf } from '../../keywords';

/** Interleaves the channels of `groups` groups, so that the next block's halves mix both branches. */
export function channelShuffle(x: Tensor, groups: number): Tensor {
  const [batchsize, numChannels, height, width] = x.shape;
  const channelsPerGroup = Math.floor(numChannels / groups);
  return x.view(batchsize, groups, channelsPerGroup, height, width).transpose(1, 2).contiguous().view(batchsize, -1, height, width);
}

const depthwiseConv = (i: number, o: number, kernelSize: number, stride = 1, padding = 0, bias = false) =>
  new nn.Conv2d(i, o, kernelSize, { stride, padding, bias, groups: i });

/** torchvision's shufflenetv2.InvertedResidual: stride 1 keeps half the channels and transforms the other half. */
export class InvertedResidual extends Module {
  branch1: nn.Sequential;
  branch2: nn.Sequential;

  constructor(inp: number, oup: number, readonly stride: number) {
    super();
    if (!(stride >= 1 && stride <= 3)) throw new ValueError('illegal stride value');
    const branchFeatures = Math.floor(oup / 2);
    if (stride === 1 && inp !== branchFeatures << 1) {
      throw new ValueError(`Invalid combination of stride ${stride}, inp ${inp} and oup ${oup} values. If stride == 1 then inp should be equal to oup // 2 << 1.`);
    }
    this.branch1 =
      stride > 1
        ? new nn.Sequential(
            depthwiseConv(inp, inp, 3, stride, 1),
            new nn.BatchNorm2d(inp),
            new nn.Conv2d(inp, branchFeatures, 1, { stride: 1, padding: 0, bias: false }),
            new nn.BatchNorm2d(branchFeatures),
            new nn.ReLU({ inplace: true }),
          )
        : new nn.Sequential();
    this.branch2 = new nn.Sequential(
      new nn.Conv2d(stride > 1 ? inp : branchFeatures, branchFeatures, 1, { stride: 1, padding: 0, bias: false }),
      new nn.BatchNorm2d(branchFeatures),
      new nn.ReLU({ inplace: true }),
      depthwiseConv(branchFeatures, branchFeatures, 3, stride, 1),
      new nn.BatchNorm2d(branchFeatures),
      new nn.Conv2d(branchFeatures, branchFeatures, 1, { stride: 1, padding: 0, bias: false }),
      new nn.BatchNorm2d(branchFeatures),
      new nn.ReLU({ inplace: true }),
    );
  }

  forward(x: Tensor): Tensor {
    let parts: Tensor[];
    if (this.stride === 1) {
      const [x1, x2] = x.chunk(2, 1);
      parts = [x1, this.branch2(x2) as Tensor];
    } else {
      parts = [this.branch1(x) as Tensor, this.branch2(x) as Tensor];
    }
    const out = cat(parts, 1);
    for (const p of parts) release(p, x, out);
    return channelShuffle(out, 2);
  }
}

/** What builds a stage's blocks (torchvision's inverted_residual argument): (inp, oup, stride). */
export type ShuffleNetBlock = new (inp: number, oup: number, stride: number) => Module;

export interface ShuffleNetV2Options {
  numClasses?: number;
  invertedResidual?: ShuffleNetBlock;
}
const SHUFFLENET_KEYS = keysOf<ShuffleNetV2Options>()('numClasses', 'invertedResidual');

export class ShuffleNetV2 extends Module {
  conv1: nn.Sequential;
  maxpool: nn.MaxPool2d;
  stage2: nn.Sequential;
  stage3: nn.Sequential;
  stage4: nn.Sequential;
  conv5: nn.Sequential;
  fc: nn.Linear;
  readonly _stage_out_channels: number[];

  constructor(stagesRepeats: number[], stagesOutChannels: number[], options: ShuffleNetV2Options = {}) {
    super();
    checkKeywords('ShuffleNetV2', options, SHUFFLENET_KEYS);
    const { numClasses = 1000, invertedResidual = InvertedResidual } = options;
    if (stagesRepeats.length !== 3) throw new ValueError('expected stages_repeats as list of 3 positive ints');
    if (stagesOutChannels.length !== 5) throw new ValueError('expected stages_out_channels as list of 5 positive ints');
    this._stage_out_channels = stagesOutChannels;
    let inputChannels = 3;
    let outputChannels = stagesOutChannels[0];
    this.conv1 = new nn.Sequential(
      new nn.Conv2d(inputChannels, outputChannels, 3, { stride: 2, padding: 1, bias: false }),
      new nn.BatchNorm2d(outputChannels),
      new nn.ReLU({ inplace: true }),
    );
    inputChannels = outputChannels;
    this.maxpool = new nn.MaxPool2d({ kernelSize: 3, stride: 2, padding: 1 });
    const stages: nn.Sequential[] = [];
    stagesRepeats.forEach((repeats, s) => {
      const out = stagesOutChannels[s + 1];
      const blocks = [new invertedResidual(inputChannels, out, 2)];
      for (let i = 0; i < repeats - 1; i++) blocks.push(new invertedResidual(out, out, 1));
      stages.push(new nn.Sequential(...blocks));
      inputChannels = out;
    });
    [this.stage2, this.stage3, this.stage4] = stages;
    outputChannels = stagesOutChannels[4];
    this.conv5 = new nn.Sequential(
      new nn.Conv2d(inputChannels, outputChannels, 1, { stride: 1, padding: 0, bias: false }),
      new nn.BatchNorm2d(outputChannels),
      new nn.ReLU({ inplace: true }),
    );
    this.fc = new nn.Linear(outputChannels, numClasses);
  }

  forward(x: Tensor): Tensor {
    const features = chain(x, [this.conv1, this.maxpool, this.stage2, this.stage3, this.stage4, this.conv5]) as Tensor;
    const pooled = features.mean([2, 3]); // global pool
    release(features, x, pooled);
    return this.fc(pooled);
  }
}

export const ShuffleNet_V2_X0_5_Weights = WEIGHTS.ShuffleNet_V2_X0_5_Weights;
export const ShuffleNet_V2_X1_0_Weights = WEIGHTS.ShuffleNet_V2_X1_0_Weights;
export const ShuffleNet_V2_X1_5_Weights = WEIGHTS.ShuffleNet_V2_X1_5_Weights;
export const ShuffleNet_V2_X2_0_Weights = WEIGHTS.ShuffleNet_V2_X2_0_Weights;

export type ShuffleNetV2BuilderOptions = BuilderOptions & Omit<ShuffleNetV2Options, 'numClasses'>;
const SHUFFLENET_BUILDER_KEYS = builderKeys<ShuffleNetV2BuilderOptions>()('invertedResidual');

function shufflenetv2(fn: string, enumName: keyof typeof WEIGHTS, outChannels: number[], o: ShuffleNetV2BuilderOptions): ShuffleNetV2 {
  return build(fn, enumName, SHUFFLENET_BUILDER_KEYS, o, (numClasses, rest) => new ShuffleNetV2([4, 8, 4], outChannels, { ...rest, numClasses }));
}

type Opts = ShuffleNetV2BuilderOptions;
export const shufflenetV2X0_5 = (o: Opts = {}) => shufflenetv2('shufflenetV2X0_5', 'ShuffleNet_V2_X0_5_Weights', [24, 48, 96, 192, 1024], o);
export const shufflenetV2X1_0 = (o: Opts = {}) => shufflenetv2('shufflenetV2X1_0', 'ShuffleNet_V2_X1_0_Weights', [24, 116, 232, 464, 1024], o);
export const shufflenetV2X1_5 = (o: Opts = {}) => shufflenetv2('shufflenetV2X1_5', 'ShuffleNet_V2_X1_5_Weights', [24, 176, 352, 704, 1024], o);
export const shufflenetV2X2_0 = (o: Opts = {}) => shufflenetv2('shufflenetV2X2_0', 'ShuffleNet_V2_X2_0_Weights', [24, 244, 488, 976, 2048], o);
