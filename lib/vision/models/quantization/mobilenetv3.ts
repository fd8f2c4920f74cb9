// torchvision.models.quantization.mobilenetv3: QuantizableMobileNetV3 (QuantStub -> MobileNetV3 ->
// DeQuantStub) whose Squeeze-Excitation gate and residual add are FloatFunctionals; the builder
// mobilenet_v3_large with `quantize` (QAT-prepared, weights loaded, then converted, as torchvision
// does for these weights) and `backend` (default 'qnnpack').
import { Tensor } from '../../../tensor/tensor';
import { tensor } from '../../../tensor/create';
import { int32, int64 } from '../../../tensor/dtype';
import { Module, LocalMetadata } from '../../../nn/module';
import { ReLU } from '../../../nn/layers/activation';
import { Sequential } from '../../../nn/containers/sequential';
import { FloatFunctional } from '../../../nn/quantized/functional-modules';
import { QuantStub, DeQuantStub } from '../../../ao/quantization/stubs';
import { QConfig, getDefaultQatQconfig } from '../../../ao/quantization/qconfig';
import { prepareQat, convert } from '../../../ao/quantization/quantize';
import { InvertedResidualConfig, InvertedResidualV3, MobileNetV3, MobileNetV3ConfOptions, MobileNetV3Options, mobilenetV3Conf } from '../mobilenetv3';
import { Conv2dNormActivation, NormLayer, SqueezeExcitation, SqueezeExcitationOptions, hardsigmoid } from '../ops';
import { WEIGHTS, loadWeights } from '../weights';
import { keysOf } from '../../../keywords';
import { QUANTIZED_WEIGHTS } from './weights';
import { QuantizedBuilderOptions, planQuantized } from './builder';
import { fuseModulesOf, replaceRelu } from './utils';

export class QuantizableSqueezeExcitation extends SqueezeExcitation {
  skip_mul: Module & Pick<FloatFunctional, 'mul'>;

  /** SqueezeExcitation with a Hardsigmoid gate (any scaleActivation given is replaced, as in torchvision). */
  constructor(inputChannels: number, squeezeChannels: number, options: SqueezeExcitationOptions = {}) {
    super(inputChannels, squeezeChannels, { ...options, scaleActivation: hardsigmoid });
    this.skip_mul = new FloatFunctional();
  }

  /** The per-channel gate: avgpool -> fc1 -> activation -> fc2 -> scale_activation. */
  protected _scale(input: Tensor): Tensor {
    const pooled = this.avgpool(input) as Tensor;
    return this.scale_activation(this.fc2(this.activation(this.fc1(pooled)))) as Tensor;
  }

  forward(input: Tensor): Tensor {
    return this.skip_mul.mul(this._scale(input), input);
  }

  /** Fuses fc1 with its ReLU. */
  fuseModel(isQat: boolean | null = null): void {
    fuseModulesOf(this, ['fc1', 'activation'], isQat);
  }

  // Version 1 checkpoints of QAT-prepared models lack the gate's fixed-qparams fake-quant state:
  // torchvision fills in its defaults
  protected _loadFromStateDict(stateDict: Map<string, unknown>, prefix: string, missing: string[], unexpected: string[], errors: string[], localMetadata: LocalMetadata = {}): void {
    const version = localMetadata.version as number | undefined;
    if ('qconfig' in this && (version === undefined || version < 2)) {
      const defaults: [string, () => Tensor][] = [
        ['scale_activation.activation_post_process.scale', () => tensor([1.0])],
        ['scale_activation.activation_post_process.activation_post_process.scale', () => tensor([1.0])],
        ['scale_activation.activation_post_process.zero_point', () => tensor([0], { dtype: int32 })],
        ['scale_activation.activation_post_process.activation_post_process.zero_point', () => tensor([0], { dtype: int32 })],
        ['scale_activation.activation_post_process.fake_quant_enabled', () => tensor([1], { dtype: int64 })],
        ['scale_activation.activation_post_process.observer_enabled', () => tensor([1], { dtype: int64 })],
      ];
      for (const [k, v] of defaults) if (!stateDict.has(prefix + k)) stateDict.set(prefix + k, v());
    }
    super._loadFromStateDict(stateDict, prefix, missing, unexpected, errors, localMetadata);
  }
}
QuantizableSqueezeExcitation.prototype._version = 2;

const quantizableSe = (inputChannels: number, squeezeChannels: number) => new QuantizableSqueezeExcitation(inputChannels, squeezeChannels);

export class QuantizableInvertedResidual extends InvertedResidualV3 {
  skip_add: Module & Pick<FloatFunctional, 'add'>;

  constructor(cnf: InvertedResidualConfig, normLayer: NormLayer) {
    super(cnf, normLayer, quantizableSe);
    this.skip_add = new FloatFunctional();
  }

  forward(x: Tensor): Tensor {
    return this.useResConnect ? this.skip_add.add(x, this.block(x) as Tensor) : (this.block(x) as Tensor);
  }
}

export class QuantizableMobileNetV3 extends MobileNetV3 {
  quant: Module;
  dequant: Module;

  /** MobileNetV3's arguments; torchvision's builder passes block: QuantizableInvertedResidual. */
  constructor(setting: InvertedResidualConfig[], lastChannel: number, options: MobileNetV3Options = {}) {
    super(setting, lastChannel, options);
    this.quant = new QuantStub();
    this.dequant = new DeQuantStub();
  }

  forward(x: Tensor): Tensor {
    return this.dequant(super.forward(this.quant(x) as Tensor)) as Tensor;
  }

  /** Fuses every Conv2dNormActivation (conv+bn, +relu where it has a ReLU) and the SE blocks' fc1+relu, in place. */
  fuseModel(isQat: boolean | null = null): void {
    for (const m of this.modules()) {
      if (m.constructor === Conv2dNormActivation) {
        const seq = m as Sequential;
        const modulesToFuse = ['0', '1'];
        if (seq.length === 3 && seq[2].constructor === ReLU) modulesToFuse.push('2');
        fuseModulesOf(m, modulesToFuse, isQat);
      } else if (m.constructor === QuantizableSqueezeExcitation) {
        (m as QuantizableSqueezeExcitation).fuseModel(isQat);
      }
    }
  }
}

type ModelOptions = Omit<MobileNetV3Options, 'numClasses' | 'block'>;
export type QuantizableMobileNetV3BuilderOptions = MobileNetV3ConfOptions & ModelOptions & QuantizedBuilderOptions;
const KEYS = keysOf<MobileNetV3ConfOptions & ModelOptions>()('widthMult', 'reducedTail', 'dilated', 'normLayer', 'dropout');

export const MobileNet_V3_Large_QuantizedWeights = QUANTIZED_WEIGHTS.MobileNet_V3_Large_QuantizedWeights;

/** quantization.mobilenet_v3_large({ weights, progress, quantize = false, backend = 'qnnpack', ...MobileNetV3 options }) */
export function mobilenetV3Large(options: QuantizableMobileNetV3BuilderOptions = {}): QuantizableMobileNetV3 {
  const plan = planQuantized('mobilenet_v3_large', WEIGHTS.MobileNet_V3_Large_Weights, MobileNet_V3_Large_QuantizedWeights, 'IMAGENET1K_QNNPACK_V1', 'qnnpack', KEYS, options);
  const { widthMult, reducedTail, dilated, ...rest } = plan.rest;
  const [setting, lastChannel] = mobilenetV3Conf('mobilenet_v3_large', { widthMult, reducedTail, dilated });
  const model = new QuantizableMobileNetV3(setting, lastChannel, { block: QuantizableInvertedResidual, ...rest, numClasses: plan.numClasses });
  replaceRelu(model);
  // torchvision's workaround for accuracy lost in eager post-training quantization: the published
  // weights are QAT-prepared state, loaded before convert
  if (plan.quantize) {
    model.fuseModel(true);
    (model as unknown as { qconfig: QConfig }).qconfig = getDefaultQatQconfig(plan.backend);
    prepareQat(model, null, { inplace: true });
  }
  loadWeights(model, plan.weights);
  if (plan.quantize) {
    convert(model, { inplace: true });
    model.eval();
  }
  return model;
}
