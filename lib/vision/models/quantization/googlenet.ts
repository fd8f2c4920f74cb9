// torchvision.models.quantization.googlenet: QuantizableGoogLeNet (its input transform, then
// QuantStub -> GoogLeNet's layers -> DeQuantStub), inception blocks concatenating through a
// FloatFunctional; the builder googlenet with `quantize` and `backend` (default 'fbgemm').
import { warn } from '../../../errors';
import { Tensor } from '../../../tensor/tensor';
import * as F from '../../../nn/functional';
import { Module } from '../../../nn/module';
import { ReLU } from '../../../nn/layers/activation';
import { FloatFunctional } from '../../../nn/quantized/functional-modules';
import { QuantStub, DeQuantStub } from '../../../ao/quantization/stubs';
import { GoogLeNet, GoogLeNetAux, GoogLeNetOptions, GoogLeNetOutputs, Inception } from '../googlenet';
import { WEIGHTS, Weights, loadWeights } from '../weights';
import { overwrite } from '../builder';
import { keysOf } from '../../../keywords';
import { QUANTIZED_WEIGHTS } from './weights';
import { QuantizedBuilderOptions, planQuantized } from './builder';
import { QuantizableBasicConv2d } from './basic-conv';
import { quantizeModel, replaceRelu } from './utils';

export class QuantizableInception extends Inception {
  cat: Module & Pick<FloatFunctional, 'cat'>;

  constructor(inChannels: number, ch1x1: number, ch3x3red: number, ch3x3: number, ch5x5red: number, ch5x5: number, poolProj: number) {
    super(inChannels, ch1x1, ch3x3red, ch3x3, ch5x5red, ch5x5, poolProj, QuantizableBasicConv2d);
    this.cat = new FloatFunctional();
  }

  forward(x: Tensor): Tensor {
    return this.cat.cat([this.branch1, this.branch2, this.branch3, this.branch4].map((b) => b(x) as Tensor), 1);
  }
}

export class QuantizableInceptionAux extends GoogLeNetAux {
  relu: Module;

  /** GoogLeNet's aux classifier, its convolution a QuantizableBasicConv2d (convBlock is ignored, as torchvision fixes it). */
  constructor(inChannels: number, numClasses: number, _convBlock: unknown = null, dropout = 0.7) {
    super(inChannels, numClasses, QuantizableBasicConv2d, dropout);
    this.relu = new ReLU();
  }

  forward(x: Tensor): Tensor {
    const y = this.conv(F.adaptiveAvgPool2d(x, [4, 4])) as Tensor;
    const h = this.relu(this.fc1(y.flatten(1))) as Tensor;
    return this.fc2(this.dropout(h)) as Tensor;
  }
}

export class QuantizableGoogLeNet extends GoogLeNet {
  quant: Module;
  dequant: Module;

  /** GoogLeNet's options, its blocks the quantizable ones. */
  constructor(options: Omit<GoogLeNetOptions, 'blocks'> = {}) {
    super({ ...options, blocks: [QuantizableBasicConv2d, QuantizableInception, QuantizableInceptionAux] });
    this.quant = new QuantStub();
    this.dequant = new DeQuantStub();
  }

  forward(x: Tensor): Tensor | GoogLeNetOutputs {
    const input = this.quant(this._transformInput(x)) as Tensor;
    // unpacked as torchvision does: _forward's (x, aux2, aux1) named (x, aux1, aux2)
    const [logits, aux1, aux2] = this._forward(input);
    return this.eagerOutputs(this.dequant(logits) as Tensor, aux2, aux1);
  }

  /** Fuses every QuantizableBasicConv2d's conv+bn+relu, in place. */
  fuseModel(isQat: boolean | null = null): void {
    for (const m of this.modules()) if (m.constructor === QuantizableBasicConv2d) (m as QuantizableBasicConv2d).fuseModel(isQat);
  }
}

type ModelOptions = Omit<GoogLeNetOptions, 'numClasses' | 'blocks'>;
export type QuantizableGoogLeNetBuilderOptions = ModelOptions & QuantizedBuilderOptions;
const KEYS = keysOf<ModelOptions>()('auxLogits', 'transformInput', 'initWeights', 'dropout', 'dropoutAux');

export const GoogLeNet_QuantizedWeights = QUANTIZED_WEIGHTS.GoogLeNet_QuantizedWeights;

/**
 * quantization.googlenet({ weights, progress, quantize = false, backend = 'fbgemm', ...GoogLeNet options }):
 * with an enum entry, as torchvision: transformInput true unless given, built with aux heads and no
 * init, loaded, then the aux heads removed unless auxLogits: true was given (which warns).
 */
export function googlenet(options: QuantizableGoogLeNetBuilderOptions = {}): QuantizableGoogLeNet {
  const plan = planQuantized('googlenet', WEIGHTS.GoogLeNet_Weights, GoogLeNet_QuantizedWeights, 'IMAGENET1K_FBGEMM_V1', 'fbgemm', KEYS, options);
  const originalAuxLogits = options.auxLogits ?? false;
  let rest: ModelOptions = plan.rest;
  if (plan.weights instanceof Weights) {
    const r = options as Record<string, unknown>;
    rest = {
      ...rest,
      transformInput: rest.transformInput ?? true,
      auxLogits: overwrite(r, 'auxLogits', 'aux_logits', true),
      initWeights: overwrite(r, 'initWeights', 'init_weights', false),
    };
  }
  const model = new QuantizableGoogLeNet({ ...rest, numClasses: plan.numClasses });
  replaceRelu(model);
  if (plan.quantize) quantizeModel(model, plan.backend);
  loadWeights(model, plan.weights);
  if (plan.weights instanceof Weights) {
    if (!originalAuxLogits) {
      model.auxLogits = false;
      model.aux1 = null;
      model.aux2 = null;
    } else {
      warn('auxiliary heads in the pretrained googlenet model are NOT pretrained, so make sure to train them');
    }
  }
  return model;
}
