// nn.Identity, nn.Linear, nn.Bilinear (torch/nn/modules/linear.py).
import { Tensor } from '../../tensor/tensor';
import { empty } from '../../tensor/create';
import { DTypeLike } from '../../tensor/dtype';
import { DeviceLike } from '../../tensor/device';
import { Module } from '../module';
import { LazySpec, UninitializedParameter, hasUninitializedParams, lazyLayer } from '../lazy';
import { Parameter } from '../parameter';
import * as init from '../init';
import { linear, bilinear } from '../functional/linear';
import { ArgsOf, keysOf, signature } from '../../keywords';

/** Where a layer's parameters are created (PyTorch's factory_kwargs). */
export interface FactoryOptions {
  device?: DeviceLike | null;
  dtype?: DTypeLike | null;
}
/** FactoryOptions' keys: Python's layers take device and dtype last, positionally or by name. */
export const FACTORY_KEYS = ['device', 'dtype'] as const satisfies readonly (keyof FactoryOptions)[];

/** Linear's and Bilinear's options. */
export interface LinearOptions extends FactoryOptions {
  bias?: boolean;
}
/** Linear's parameters by name: Linear(in_features, out_features, bias=True, *, device, dtype). */
export interface LinearArgs extends LinearOptions {
  inFeatures: number;
  outFeatures: number;
}
const LINEAR = signature<LinearArgs>()(['inFeatures', 'outFeatures'], ['bias', ...FACTORY_KEYS]);

/** Bilinear's parameters by name: Bilinear(in1_features, in2_features, out_features, bias=True, *, device, dtype). */
export interface BilinearArgs extends LinearOptions {
  in1Features: number;
  in2Features: number;
  outFeatures: number;
}
const BILINEAR = signature<BilinearArgs>()(['in1Features', 'in2Features', 'outFeatures'], ['bias', ...FACTORY_KEYS]);

export class Identity extends Module {
  /** Identity(*args, **kwargs): the arguments are ignored, as in PyTorch. */
  constructor(..._args: unknown[]) {
    super();
  }

  forward(input: Tensor): Tensor {
    return input;
  }
}

export class Linear extends Module {
  weight: Parameter;
  bias: Parameter | null;

  readonly inFeatures: number;
  readonly outFeatures: number;

  /** Linear(inFeatures, outFeatures, bias = true, { device, dtype }); any of them by name: Linear({ inFeatures, outFeatures }) */
  constructor(...args: ArgsOf<typeof LINEAR>) {
    super();
    const { inFeatures, outFeatures, bias = true, ...factory } = LINEAR.bind('Linear', args);
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = new Parameter(empty([outFeatures, inFeatures], factory));
    this.bias = bias ? new Parameter(empty([outFeatures], factory)) : null;
    this.resetParameters();
  }

  resetParameters(): void {
    // kaiming_uniform(a=sqrt(5)) = U(-1/sqrt(in), 1/sqrt(in)), then the bias from the same bound
    init.kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const [fanIn] = init.calculateFanInAndFanOut(this.weight);
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      init.uniform_(this.bias, -bound, bound);
    }
  }

  forward(input: Tensor): Tensor {
    return linear(input, this.weight, this.bias);
  }

  extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias ? 'True' : 'False'}`;
  }
}

export class Bilinear extends Module {
  weight: Parameter;
  bias: Parameter | null;

  readonly in1Features: number;
  readonly in2Features: number;
  readonly outFeatures: number;

  /** Bilinear(in1Features, in2Features, outFeatures, bias = true, { device, dtype }), any of them by name */
  constructor(...args: ArgsOf<typeof BILINEAR>) {
    super();
    const { in1Features, in2Features, outFeatures, bias = true, ...factory } = BILINEAR.bind('Bilinear', args);
    this.in1Features = in1Features;
    this.in2Features = in2Features;
    this.outFeatures = outFeatures;
    this.weight = new Parameter(empty([outFeatures, in1Features, in2Features], factory));
    this.bias = bias ? new Parameter(empty([outFeatures], factory)) : null;
    this.resetParameters();
  }

  resetParameters(): void {
    const bound = 1 / Math.sqrt(this.weight.size(1));
    init.uniform_(this.weight, -bound, bound);
    if (this.bias) init.uniform_(this.bias, -bound, bound);
  }

  forward(input1: Tensor, input2: Tensor): Tensor {
    return bilinear(input1, input2, this.weight, this.bias);
  }

  extraRepr(): string {
    return `in1_features=${this.in1Features}, in2_features=${this.in2Features}, out_features=${this.outFeatures}, bias=${this.bias ? 'True' : 'False'}`;
  }
}

/** LazyLinear's parameters by name: LazyLinear(out_features, bias=True, device=None, dtype=None). */
export interface LazyLinearArgs extends LinearOptions {
  outFeatures: number;
}
const LAZY_LINEAR = signature<LazyLinearArgs>()(['outFeatures'], ['bias', ...FACTORY_KEYS]);

/** LazyLinear as lazyLayer's spec: in_features from the first input's last dimension. */
const LAZY_LINEAR_SPEC: LazySpec<Linear> = {
  construct(name, args) {
    const { outFeatures, bias = true, ...factory } = LAZY_LINEAR.bind(name, args);
    return [
      { inFeatures: 0, outFeatures: 0, bias: false },
      (m) => {
        m.weight = new UninitializedParameter({ ...factory });
        (m as { outFeatures: number }).outFeatures = outFeatures;
        if (bias) m.bias = new UninitializedParameter({ ...factory });
      },
    ];
  },
  shaped: (m) => m.inFeatures !== 0,
  initialize(m, input) {
    if (!hasUninitializedParams(m)) return;
    (m as { inFeatures: number }).inFeatures = input.shape[input.shape.length - 1];
    (m.weight as UninitializedParameter).materialize([m.outFeatures, m.inFeatures]);
    if (m.bias) (m.bias as UninitializedParameter).materialize([m.outFeatures]);
    m.resetParameters();
  },
};

/**
 * nn.LazyLinear: in_features (0 until then) comes from the first input's last dim; the parameters
 * are then materialised and initialised as Linear's, and the module becomes a Linear.
 */
export class LazyLinear extends lazyLayer<Linear>(Linear, LAZY_LINEAR_SPEC) {
  /** LazyLinear(outFeatures, bias = true, { device, dtype }), any of them by name */
  constructor(...args: ArgsOf<typeof LAZY_LINEAR>) {
    super(...args);
  }
}
