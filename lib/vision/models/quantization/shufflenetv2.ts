// torchvision.models.quantization.shufflenetv2: QuantizableShuffleNetV2 (QuantStub -> ShuffleNetV2 ->
// DeQuantStub) whose blocks concatenate through a FloatFunctional; builders shufflenet_v2_x0_5,
// x1_0, x1_5 and x2_0 with `quantize` and `backend` (default 'fbgemm').
import { Tensor } from '../../../tensor/tensor';
import { Module } from '../../../nn/module';
import { FloatFunctional } from '../../../nn/quantized/functional-modules';
import { QuantStub, DeQuantStub } from '../../../ao/quantization/stubs';
import { InvertedResidual, ShuffleNetV2, ShuffleNetV2Options, channelShuffle } from '../shufflenetv2';
import { WEIGHTS, loadWeights } from '../weights';
import { QUANTIZED_WEIGHTS } from './weights';
import { QuantizedBuilderOptions, planQuantized } from './builder';
import { fuseModulesOf, quantizeModel, replaceRelu } from './utils';

export class QuantizableInvertedResidual extends InvertedResidual {
  cat: Module & Pick<FloatFunctional, 'cat'>;

  constructor(inp: number, oup: number, stride: number) {
    super(inp, oup, stride);
    this.cat = new FloatFunctional();
  }

  forward(x: Tensor): Tensor {
    let out: Tensor;
    if (this.stride === 1) {
      const [x1, x2] = x.chunk(2, 1);
      out = this.cat.cat([x1, this.branch2(x2) as Tensor], 1);
    } else {
      out = this.cat.cat([this.branch1(x) as Tensor, this.branch2(x) as Tensor], 1);
    }
    return channelShuffle(out, 2);
  }
}

export class QuantizableShuffleNetV2 extends ShuffleNetV2 {
  quant: Module;
  dequant: Module;

  /** ShuffleNetV2's arguments, its blocks QuantizableInvertedResidual. */
  constructor(stagesRepeats: number[], stagesOutChannels: number[], options: Omit<ShuffleNetV2Options, 'invertedResidual'> = {}) {
    super(stagesRepeats, stagesOutChannels, { ...options, invertedResidual: QuantizableInvertedResidual });
    this.quant = new QuantStub();
    this.dequant = new DeQuantStub();
  }

  forward(x: Tensor): Tensor {
    return this.dequant(super.forward(this.quant(x) as Tensor)) as Tensor;
  }

  /** Fuses conv1 and conv5 (conv+bn+relu) and every block's branches, in place; numerics stay float. */
  fuseModel(isQat: boolean | null = null): void {
    for (const [name, m] of this.namedChildren()) {
      if ((name === 'conv1' || name === 'conv5') && m) fuseModulesOf(m, [['0', '1', '2']], isQat);
    }
    for (const m of this.modules()) {
      if (m.constructor !== QuantizableInvertedResidual) continue;
      const block = m as QuantizableInvertedResidual;
      if ([...block.branch1.namedChildren()].length > 0) fuseModulesOf(block.branch1, [['0', '1'], ['2', '3', '4']], isQat);
      fuseModulesOf(block.branch2, [['0', '1', '2'], ['3', '4'], ['5', '6', '7']], isQat);
    }
  }
}

export type QuantizableShuffleNetV2BuilderOptions = QuantizedBuilderOptions;

type FloatEnumName = keyof typeof WEIGHTS;
type QuantEnumName = keyof typeof QUANTIZED_WEIGHTS;

function quantizableShufflenetv2(fn: string, floatEnum: FloatEnumName, quantEnum: QuantEnumName, outChannels: number[], options: QuantizableShuffleNetV2BuilderOptions): QuantizableShuffleNetV2 {
  const plan = planQuantized(fn, WEIGHTS[floatEnum], QUANTIZED_WEIGHTS[quantEnum], 'IMAGENET1K_FBGEMM_V1', 'fbgemm', [], options);
  const model = new QuantizableShuffleNetV2([4, 8, 4], outChannels, { numClasses: plan.numClasses });
  replaceRelu(model);
  if (plan.quantize) quantizeModel(model, plan.backend);
  return loadWeights(model, plan.weights);
}

export const ShuffleNet_V2_X0_5_QuantizedWeights = QUANTIZED_WEIGHTS.ShuffleNet_V2_X0_5_QuantizedWeights;
export const ShuffleNet_V2_X1_0_QuantizedWeights = QUANTIZED_WEIGHTS.ShuffleNet_V2_X1_0_QuantizedWeights;
export const ShuffleNet_V2_X1_5_QuantizedWeights = QUANTIZED_WEIGHTS.ShuffleNet_V2_X1_5_QuantizedWeights;
export const ShuffleNet_V2_X2_0_QuantizedWeights = QUANTIZED_WEIGHTS.ShuffleNet_V2_X2_0_QuantizedWeights;

type Opts = QuantizableShuffleNetV2BuilderOptions;
/** quantization.shufflenet_v2_x0_5({ weights, progress, quantize = false, backend = 'fbgemm' }) */
export const shufflenetV2X0_5 = (o: Opts = {}) => quantizableShufflenetv2('shufflenet_v2_x0_5', 'ShuffleNet_V2_X0_5_Weights', 'ShuffleNet_V2_X0_5_QuantizedWeights', [24, 48, 96, 192, 1024], o);
export const shufflenetV2X1_0 = (o: Opts = {}) => quantizableShufflenetv2('shufflenet_v2_x1_0', 'ShuffleNet_V2_X1_0_Weights', 'ShuffleNet_V2_X1_0_QuantizedWeights', [24, 116, 232, 464, 1024], o);
export const shufflenetV2X1_5 = (o: Opts = {}) => quantizableShufflenetv2('shufflenet_v2_x1_5', 'ShuffleNet_V2_X1_5_Weights', 'ShuffleNet_V2_X1_5_QuantizedWeights', [24, 176, 352, 704, 1024], o);
export const shufflenetV2X2_0 = (o: Opts = {}) => quantizableShufflenetv2('shufflenet_v2_x2_0', 'ShuffleNet_V2_X2_0_Weights', 'ShuffleNet_V2_X2_0_QuantizedWeights', [24, 244, 488, 976, 2048], o);
