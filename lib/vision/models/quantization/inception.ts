// torchvision.models.quantization.inception: QuantizableInception3 (its input transform, then
// QuantStub -> Inception3's layers -> DeQuantStub), blocks concatenating their branches through
// FloatFunctionals (torchvision's myop*); the builder inception_v3 with `quantize` and `backend`
// (default 'fbgemm').
import { Tensor } from '../../../tensor/tensor';
import * as F from '../../../nn/functional';
import { Module } from '../../../nn/module';
import { FloatFunctional } from '../../../nn/quantized/functional-modules';
import { QuantStub, DeQuantStub } from '../../../ao/quantization/stubs';
import { Inception3, Inception3Options, InceptionA, InceptionAux, InceptionB, InceptionC, InceptionD, InceptionE, InceptionOutputs } from '../inception';
import { WEIGHTS, Weights, loadWeights } from '../weights';
import { overwrite } from '../builder';
import { keysOf } from '../../../keywords';
import { QUANTIZED_WEIGHTS } from './weights';
import { QuantizedBuilderOptions, planQuantized } from './builder';
import { QuantizableBasicConv2d } from './basic-conv';
import { quantizeModel, replaceRelu } from './utils';

type Cat = Module & Pick<FloatFunctional, 'cat'>;
const run = (x: Tensor, modules: Module[]): Tensor => modules.reduce((t, m) => m(t) as Tensor, x);
const avgPool3 = (x: Tensor) => F.avgPool2d(x, 3, { stride: 1, padding: 1 });
const maxPool3s2 = (x: Tensor) => F.maxPool2d(x, 3, { stride: 2 });

export class QuantizableInceptionA extends InceptionA {
  myop: Cat;

  constructor(inChannels: number, poolFeatures: number) {
    super(inChannels, poolFeatures, QuantizableBasicConv2d);
    this.myop = new FloatFunctional();
  }

  /** the branch outputs: 1x1, 5x5, double 3x3, pool */
  _forward(x: Tensor): Tensor[] {
    return [
      this.branch1x1(x) as Tensor,
      run(x, [this.branch5x5_1, this.branch5x5_2]),
      run(x, [this.branch3x3dbl_1, this.branch3x3dbl_2, this.branch3x3dbl_3]),
      this.branch_pool(avgPool3(x)) as Tensor,
    ];
  }

  forward(x: Tensor): Tensor {
    return this.myop.cat(this._forward(x), 1);
  }
}

export class QuantizableInceptionB extends InceptionB {
  myop: Cat;

  constructor(inChannels: number) {
    super(inChannels, QuantizableBasicConv2d);
    this.myop = new FloatFunctional();
  }

  /** the branch outputs: 3x3, double 3x3, max pool */
  _forward(x: Tensor): Tensor[] {
    return [this.branch3x3(x) as Tensor, run(x, [this.branch3x3dbl_1, this.branch3x3dbl_2, this.branch3x3dbl_3]), maxPool3s2(x)];
  }

  forward(x: Tensor): Tensor {
    return this.myop.cat(this._forward(x), 1);
  }
}

export class QuantizableInceptionC extends InceptionC {
  myop: Cat;

  constructor(inChannels: number, channels7x7: number) {
    super(inChannels, channels7x7, QuantizableBasicConv2d);
    this.myop = new FloatFunctional();
  }

  /** the branch outputs: 1x1, 7x7, double 7x7, pool */
  _forward(x: Tensor): Tensor[] {
    return [
      this.branch1x1(x) as Tensor,
      run(x, [this.branch7x7_1, this.branch7x7_2, this.branch7x7_3]),
      run(x, [this.branch7x7dbl_1, this.branch7x7dbl_2, this.branch7x7dbl_3, this.branch7x7dbl_4, this.branch7x7dbl_5]),
      this.branch_pool(avgPool3(x)) as Tensor,
    ];
  }

  forward(x: Tensor): Tensor {
    return this.myop.cat(this._forward(x), 1);
  }
}

export class QuantizableInceptionD extends InceptionD {
  myop: Cat;

  constructor(inChannels: number) {
    super(inChannels, QuantizableBasicConv2d);
    this.myop = new FloatFunctional();
  }

  /** the branch outputs: 3x3, 7x7x3, max pool */
  _forward(x: Tensor): Tensor[] {
    return [
      run(x, [this.branch3x3_1, this.branch3x3_2]),
      run(x, [this.branch7x7x3_1, this.branch7x7x3_2, this.branch7x7x3_3, this.branch7x7x3_4]),
      maxPool3s2(x),
    ];
  }

  forward(x: Tensor): Tensor {
    return this.myop.cat(this._forward(x), 1);
  }
}

export class QuantizableInceptionE extends InceptionE {
  myop1: Cat;
  myop2: Cat;
  myop3: Cat;

  constructor(inChannels: number) {
    super(inChannels, QuantizableBasicConv2d);
    this.myop1 = new FloatFunctional();
    this.myop2 = new FloatFunctional();
    this.myop3 = new FloatFunctional();
  }

  /** the branch outputs: 1x1, split 3x3 (joined by myop1), split double 3x3 (myop2), pool */
  _forward(x: Tensor): Tensor[] {
    const b3 = this.branch3x3_1(x) as Tensor;
    const branch3x3 = this.myop1.cat([this.branch3x3_2a(b3) as Tensor, this.branch3x3_2b(b3) as Tensor], 1);
    const bd = run(x, [this.branch3x3dbl_1, this.branch3x3dbl_2]);
    const branch3x3dbl = this.myop2.cat([this.branch3x3dbl_3a(bd) as Tensor, this.branch3x3dbl_3b(bd) as Tensor], 1);
    return [this.branch1x1(x) as Tensor, branch3x3, branch3x3dbl, this.branch_pool(avgPool3(x)) as Tensor];
  }

  forward(x: Tensor): Tensor {
    return this.myop3.cat(this._forward(x), 1);
  }
}

export class QuantizableInceptionAux extends InceptionAux {
  /** Inception3's aux classifier, its convolutions QuantizableBasicConv2d. */
  constructor(inChannels: number, numClasses: number) {
    super(inChannels, numClasses, QuantizableBasicConv2d);
  }
}

export class QuantizableInception3 extends Inception3 {
  quant: Module;
  dequant: Module;

  /** Inception3's options, its blocks the quantizable ones. */
  constructor(options: Omit<Inception3Options, 'inceptionBlocks'> = {}) {
    super({
      ...options,
      inceptionBlocks: [QuantizableBasicConv2d, QuantizableInceptionA, QuantizableInceptionB, QuantizableInceptionC, QuantizableInceptionD, QuantizableInceptionE, QuantizableInceptionAux],
    });
    this.quant = new QuantStub();
    this.dequant = new DeQuantStub();
  }

  forward(x: Tensor): Tensor | InceptionOutputs {
    const [logits, aux] = this._forward(this.quant(this._transformInput(x)) as Tensor);
    return this.eagerOutputs(this.dequant(logits) as Tensor, aux);
  }

  /** Fuses every QuantizableBasicConv2d's conv+bn+relu, in place. */
  fuseModel(isQat: boolean | null = null): void {
    for (const m of this.modules()) if (m.constructor === QuantizableBasicConv2d) (m as QuantizableBasicConv2d).fuseModel(isQat);
  }
}

type ModelOptions = Omit<Inception3Options, 'numClasses' | 'inceptionBlocks'>;
export type QuantizableInception3BuilderOptions = ModelOptions & QuantizedBuilderOptions;
const KEYS = keysOf<ModelOptions>()('auxLogits', 'transformInput', 'initWeights', 'dropout');

export const Inception_V3_QuantizedWeights = QUANTIZED_WEIGHTS.Inception_V3_QuantizedWeights;

/**
 * quantization.inception_v3({ weights, progress, quantize = false, backend = 'fbgemm', ...Inception3 options }):
 * with an enum entry, as torchvision: transformInput true unless given, built with the aux head,
 * which is removed (before loading when quantized, after when float) unless auxLogits: true was given.
 */
export function inceptionV3(options: QuantizableInception3BuilderOptions = {}): QuantizableInception3 {
  const plan = planQuantized('inception_v3', WEIGHTS.Inception_V3_Weights, Inception_V3_QuantizedWeights, 'IMAGENET1K_FBGEMM_V1', 'fbgemm', KEYS, options);
  const originalAuxLogits = options.auxLogits ?? false;
  const entry = plan.weights instanceof Weights;
  let rest: ModelOptions = plan.rest;
  if (entry) rest = { ...rest, transformInput: rest.transformInput ?? true, auxLogits: overwrite(options as Record<string, unknown>, 'auxLogits', 'aux_logits', true) };
  const model = new QuantizableInception3({ ...rest, numClasses: plan.numClasses });
  replaceRelu(model);
  if (plan.quantize) quantizeModel(model, plan.backend);
  const dropAux = () => {
    model.auxLogits = false;
    model.AuxLogits = null;
  };
  if (entry && plan.quantize && !originalAuxLogits) dropAux();
  loadWeights(model, plan.weights);
  if (entry && !plan.quantize && !originalAuxLogits) dropAux();
  return model;
}
