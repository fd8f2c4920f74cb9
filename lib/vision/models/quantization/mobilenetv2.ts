// torchvision.models.quantization.mobilenetv2: QuantizableMobileNetV2 (QuantStub -> MobileNetV2 ->
// DeQuantStub), its residual add a FloatFunctional; the builder mobilenet_v2 with `quantize` and
// `backend` (default 'qnnpack').
import { Tensor } from '../../../tensor/tensor';
import { Module } from '../../../nn/module';
import { Conv2d } from '../../../nn/layers/conv';
import { FloatFunctional } from '../../../nn/quantized/functional-modules';
import { QuantStub, DeQuantStub } from '../../../ao/quantization/stubs';
import { InvertedResidual, MobileNetV2, MobileNetV2Options } from '../mobilenetv2';
import { Conv2dNormActivation, NormLayer } from '../ops';
import { WEIGHTS, loadWeights } from '../weights';
import { keysOf } from '../../../keywords';
import { QUANTIZED_WEIGHTS } from './weights';
import { QuantizedBuilderOptions, planQuantized } from './builder';
import { fuseModulesOf, quantizeModel, replaceRelu } from './utils';

export class QuantizableInvertedResidual extends InvertedResidual {
  skip_add: Module & Pick<FloatFunctional, 'add'>;

  constructor(inp: number, oup: number, stride: number, expandRatio: number, normLayer?: NormLayer) {
    super(inp, oup, stride, expandRatio, normLayer);
    this.skip_add = new FloatFunctional();
  }

  forward(x: Tensor): Tensor {
    return this.useResConnect ? this.skip_add.add(x, this.conv(x) as Tensor) : (this.conv(x) as Tensor);
  }

  /** Fuses each Conv2d of `conv` with the BatchNorm after it. */
  fuseModel(isQat: boolean | null = null): void {
    for (let idx = 0; idx < this.conv.length; idx++) {
      if (this.conv[idx].constructor === Conv2d) fuseModulesOf(this.conv, [String(idx), String(idx + 1)], isQat);
    }
  }
}

export type QuantizableMobileNetV2Options = Omit<MobileNetV2Options, 'block'>;

export class QuantizableMobileNetV2 extends MobileNetV2 {
  quant: Module;
  dequant: Module;

  /** MobileNetV2's options; torchvision's builder passes block: QuantizableInvertedResidual. */
  constructor(options: MobileNetV2Options = {}) {
    super(options);
    this.quant = new QuantStub();
    this.dequant = new DeQuantStub();
  }

  forward(x: Tensor): Tensor {
    return this.dequant(super.forward(this.quant(x) as Tensor)) as Tensor;
  }

  /** Fuses every Conv2dNormActivation (conv+bn+relu) and each block's conv+bn, in place. */
  fuseModel(isQat: boolean | null = null): void {
    for (const m of this.modules()) {
      if (m.constructor === Conv2dNormActivation) fuseModulesOf(m, ['0', '1', '2'], isQat);
      if (m.constructor === QuantizableInvertedResidual) (m as QuantizableInvertedResidual).fuseModel(isQat);
    }
  }
}

export type QuantizableMobileNetV2BuilderOptions = Omit<QuantizableMobileNetV2Options, 'numClasses'> & QuantizedBuilderOptions;
const KEYS = keysOf<Omit<QuantizableMobileNetV2Options, 'numClasses'>>()('widthMult', 'invertedResidualSetting', 'roundNearest', 'normLayer', 'dropout');

export const MobileNet_V2_QuantizedWeights = QUANTIZED_WEIGHTS.MobileNet_V2_QuantizedWeights;

/** quantization.mobilenet_v2({ weights, progress, quantize = false, backend = 'qnnpack', ...MobileNetV2 options }) */
export function mobilenetV2(options: QuantizableMobileNetV2BuilderOptions = {}): QuantizableMobileNetV2 {
  const plan = planQuantized('mobilenet_v2', WEIGHTS.MobileNet_V2_Weights, MobileNet_V2_QuantizedWeights, 'IMAGENET1K_QNNPACK_V1', 'qnnpack', KEYS, options);
  const model = new QuantizableMobileNetV2({ block: QuantizableInvertedResidual, ...plan.rest, numClasses: plan.numClasses });
  replaceRelu(model);
  if (plan.quantize) quantizeModel(model, plan.backend);
  return loadWeights(model, plan.weights);
}
