// torch.ao.nn.quantized.Conv1d/2d/3d and ConvTranspose1d/2d/3d: quantized input and output, the qint8
// weight and float bias packed per engine (quantized::conv*_prepack); scale/zero_point are the
// output's. The state_dict holds the unpacked weight and bias, as Python's _ConvNd saves them.
import { TorchError, ValueError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { tensor, zeros } from '../../tensor/create';
import { float32, qint8 } from '../../tensor/dtype';
import { aten } from '../../tensor/aten';
import { Module, StateDict, LocalMetadata } from '../module';
import { ArgsOf, signature } from '../../keywords';
import { Conv1d as FloatConv1d, Conv2d as FloatConv2d, Conv3d as FloatConv3d, ConvTranspose1d as FloatConvT1d, ConvTranspose2d as FloatConvT2d, ConvTranspose3d as FloatConvT3d } from '../layers/conv';
import { FactoryOptions } from '../layers/linear';
import { Size, ntuple } from '../layers/size-args';
import { Sequential } from '../containers/sequential';
import { pad } from '../functional/vision';
import { fuseConvBnWeights } from '../utils/fusion';
import { pyFloat, pyStr } from '../../py-format';
import { PackedParams, prepack, qop } from './ops';
import { ModuleClass, ObserverLike, classRepr, observed, qconfigOf, quantizeWeight, scaleZeroPoint, scalarOf } from './utils';

type Dims = 1 | 2 | 3;
type QPaddingMode = 'zeros' | 'reflect';
const SUPPORTED_PADDING = ['zeros', 'reflect'];

type ConvArgs = {
  inChannels: number; outChannels: number; kernelSize: Size; stride?: Size; padding?: Size; dilation?: Size; groups?: number; bias?: boolean; paddingMode?: QPaddingMode;
} & FactoryOptions;
const CONV = signature<ConvArgs>()(['inChannels', 'outChannels', 'kernelSize'], ['stride', 'padding', 'dilation', 'groups', 'bias', 'paddingMode', 'device', 'dtype']);
type ConvTArgs = {
  inChannels: number; outChannels: number; kernelSize: Size; stride?: Size; padding?: Size; outputPadding?: Size; groups?: number; bias?: boolean; dilation?: Size; paddingMode?: QPaddingMode;
} & FactoryOptions;
const CONV_T = signature<ConvTArgs>()(['inChannels', 'outChannels', 'kernelSize'], ['stride', 'padding', 'outputPadding', 'groups', 'bias', 'dilation', 'paddingMode', 'device', 'dtype']);

const emptyAffineQuantized = aten('_empty_affine_quantized', '');
const INPUT_SHAPES = { 1: '(N, C, L)', 2: '(N, C, H, W)', 3: '(N, C, D, H, W)' };
const INPUT_SHAPES_T = { 1: '(N, C, L)', 2: '(N, C, H, W)', 3: '(N, C, T, H, W)' };

type FloatClass = ModuleClass;
/** A quantized conv class as fromFloat sees it: any constructor, its float class and name. */
type QConvClass<T> = (new (...args: never) => T) & { _FLOAT_MODULE: FloatClass; name: string; prototype: object };
type FloatConvLike = Module & {
  weight: Tensor; bias: Tensor | null; inChannels: number; outChannels: number; kernelSize: number[]; stride: number[];
  padding: number[]; dilation: number[]; outputPadding: number[]; groups: number; paddingMode: string;
};
type BnLike = { running_mean: Tensor; running_var: Tensor; eps: number; weight: Tensor | null; bias: Tensor | null };

/** Python's _ConvNd: settings, packing, repr and state_dict shared by every quantized convolution. */
export abstract class QuantizedConvNd extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: number[];
  readonly dilation: number[];
  readonly outputPadding: number[];
  readonly groups: number;
  readonly paddingMode: QPaddingMode;
  scale = 1.0;
  zeroPoint = 0;
  _packed_params!: PackedParams;

  static _FLOAT_MODULE: FloatClass;
  /** quantized::<op> of forward, e.g. 'quantized::conv2d.new' */
  protected abstract get _op(): string;

  protected constructor(readonly dims: Dims, readonly transposed: boolean, args: ConvArgs & { outputPadding?: Size }) {
    super();
    const { inChannels, outChannels, kernelSize, stride = 1, padding = 0, dilation = 1, outputPadding = 0, groups = 1, bias = true, paddingMode = 'zeros' } = args;
    if (transposed && paddingMode !== 'zeros') throw new ValueError(`Only "zeros" padding mode is supported for ${new.target.name}`);
    if (inChannels % groups !== 0) throw new ValueError('in_channels must be divisible by groups');
    if (outChannels % groups !== 0) throw new ValueError('out_channels must be divisible by groups');
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = ntuple(kernelSize, dims);
    this.stride = ntuple(stride, dims);
    this.padding = ntuple(padding, dims);
    this.dilation = ntuple(dilation, dims);
    this.outputPadding = ntuple(outputPadding, dims);
    this.groups = groups;
    if (!SUPPORTED_PADDING.includes(paddingMode)) throw new ValueError(`'padding_mode' ${paddingMode} is not supported by quantized convolution`);
    this.paddingMode = paddingMode;
    const shape = transposed ? [inChannels, outChannels / groups] : [outChannels, inChannels / groups];
    const qweight = emptyAffineQuantized([[...shape, ...this.kernelSize]], { scale: 1, zeroPoint: 0, dtype: qint8.code }) as Tensor;
    this.setWeightBias(qweight, bias ? zeros([outChannels], { dtype: float32 }) : null);
  }

  private get _kind(): string {
    return this.transposed ? `conv_transpose${this.dims}d` : `conv${this.dims}d`;
  }

  setWeightBias(w: Tensor, b: Tensor | null): void {
    const padding = this.paddingMode === 'zeros' ? this.padding : new Array<number>(this.dims).fill(0);
    if (this.transposed) {
      this._packed_params = prepack(`quantized::${this._kind}_prepack`, w, b, this.stride, padding, this.outputPadding, this.dilation, this.groups);
    } else {
      this._packed_params = prepack(`quantized::${this._kind}_prepack`, w, b, this.stride, padding, this.dilation, this.groups);
    }
  }

  _weightBias(): [Tensor, Tensor | null] {
    return qop<[Tensor, Tensor | null]>(`quantized::${this._kind}_unpack`, this._packed_params);
  }
  weight(): Tensor {
    return this._weightBias()[0];
  }
  bias(): Tensor | null {
    return this._weightBias()[1];
  }

  forward(input: Tensor): Tensor {
    if (input.dim() !== this.dims + 2) {
      throw new ValueError(`Input shape must be \`${(this.transposed ? INPUT_SHAPES_T : INPUT_SHAPES)[this.dims]}\`!`);
    }
    let x = input;
    if (this.paddingMode !== 'zeros') {
      // (left, right) per spatial dim, last dim first: Python's _reverse_repeat_padding
      const reversed = [...this.padding].reverse().flatMap((p) => [p, p]);
      x = pad(x, reversed, { mode: this.paddingMode });
    }
    return qop(this._op, x, this._packed_params, this.scale, this.zeroPoint);
  }

  extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${pyStr(this.kernelSize)}, stride=${pyStr(this.stride)}, scale=${pyFloat(this.scale)}, zero_point=${this.zeroPoint}`;
    if (this.padding.some((p) => p !== 0)) s += `, padding=${pyStr(this.padding)}`;
    if (this.dilation.some((d) => d !== 1)) s += `, dilation=${pyStr(this.dilation)}`;
    if (this.outputPadding.some((p) => p !== 0)) s += `, output_padding=${pyStr(this.outputPadding)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias() === null) s += ', bias=False';
    return s;
  }

  protected _saveToStateDict(dest: StateDict, prefix: string, keepVars: boolean): void {
    super._saveToStateDict(dest, prefix, keepVars);
    const [w, b] = this._weightBias();
    const entries = dest as Record<string, unknown>;
    entries[prefix + 'weight'] = w;
    entries[prefix + 'bias'] = b;
    dest[prefix + 'scale'] = tensor(this.scale, { dtype: 'float32' });
    dest[prefix + 'zero_point'] = tensor(this.zeroPoint, { dtype: 'int64' });
  }

  protected _loadFromStateDict(
    stateDict: Map<string, unknown>, prefix: string, missingKeys: string[], unexpectedKeys: string[], errorMsgs: string[], localMetadata: LocalMetadata = {},
  ): void {
    const take = (key: string): unknown => {
      if (!stateDict.has(prefix + key)) throw new TorchError(`KeyError: '${prefix + key}'`);
      const v = stateDict.get(prefix + key);
      stateDict.delete(prefix + key);
      return v;
    };
    this.setWeightBias(take('weight') as Tensor, (take('bias') as Tensor | null | undefined) ?? null);
    this.scale = scalarOf(take('scale'));
    this.zeroPoint = Math.trunc(scalarOf(take('zero_point')));
    super._loadFromStateDict(stateDict, prefix, missingKeys, unexpectedKeys, errorMsgs, localMetadata);
  }
}

/**
 * Python's _ConvNd.from_float: an observed float conv (or ConvReLU for the intrinsic classes), or a
 * QAT one (it has weight_fake_quant; the ConvBn kinds have a bn, folded into the weight first).
 */
function convFromFloat<T extends QuantizedConvNd>(cls: QConvClass<T>, mod: Module): T {
  const m = observed(mod);
  if (m.weight_fake_quant !== undefined) {
    const qat = mod as FloatConvLike;
    if ('bn' in mod) {
      const bn = (mod as unknown as { bn: BnLike }).bn;
      [qat.weight, qat.bias] = fuseConvBnWeights(qat.weight, qat.bias, bn.running_mean, bn.running_var, bn.eps, bn.weight, bn.bias);
    }
    if (m.activation_post_process === undefined) throw new TorchError('Input QAT module must have observer attached');
    return getQconv(cls, qat, m.activation_post_process, m.weight_fake_quant);
  }
  if (mod.constructor !== cls._FLOAT_MODULE) {
    throw new TorchError(` nnq.${cls.name}.from_float only works for ${cls._FLOAT_MODULE.name} but got:${classRepr(mod)}`);
  }
  if (!m.qconfig) throw new TorchError('Input float module must have qconfig defined.');
  const act = m.activation_post_process;
  // a fused ConvReLU: its conv, whose qconfig (prepare gives every child one) makes the observer
  const float = (mod instanceof Sequential ? mod.at(0) : mod) as FloatConvLike;
  return getQconv(cls, float, act, qconfigOf(float).weight());
}

/** Python's get_qconv: the observed weight quantized, the output qparams from the activation observer. */
function getQconv<T extends QuantizedConvNd>(cls: QConvClass<T>, mod: FloatConvLike, actObserver: ObserverLike | undefined, weightObserver: ObserverLike): T {
  weightObserver(mod.weight);
  if (weightObserver.dtype !== qint8) throw new TorchError('Weight observer must have a dtype of qint8');
  const qweight = quantizeWeight(mod.weight.float(), weightObserver);
  const options = { stride: mod.stride, padding: mod.padding, groups: mod.groups, bias: mod.bias !== null, dilation: mod.dilation, paddingMode: mod.paddingMode };
  const transposed = cls.prototype instanceof QuantizedConvTransposeNd;
  const qconv = new (cls as unknown as new (...args: unknown[]) => T)(mod.inChannels, mod.outChannels, mod.kernelSize, transposed ? { ...options, outputPadding: mod.outputPadding } : options);
  qconv.setWeightBias(qweight, mod.bias);
  if (actObserver !== undefined && actObserver.dtype !== float32) [qconv.scale, qconv.zeroPoint] = scaleZeroPoint(actObserver);
  return qconv;
}

abstract class QuantizedConv extends QuantizedConvNd {
  protected constructor(dims: Dims, args: readonly unknown[], name: string) {
    super(dims, false, CONV.bind(name, args));
  }
}

export abstract class QuantizedConvTransposeNd extends QuantizedConvNd {
  protected constructor(dims: Dims, args: readonly unknown[], name: string) {
    super(dims, true, CONV_T.bind(name, args));
  }
}

export class Conv1d extends QuantizedConv {
  static _FLOAT_MODULE: FloatClass = FloatConv1d;
  protected get _op(): string {
    return 'quantized::conv1d';
  }
  /** Conv1d(inChannels, outChannels, kernelSize, stride=1, padding=0, dilation=1, groups=1, bias=true, paddingMode='zeros') */
  constructor(...args: ArgsOf<typeof CONV>) {
    super(1, args, new.target.name);
  }
  _getName(): string {
    return 'QuantizedConv1d';
  }
  static fromFloat<T extends QuantizedConvNd>(this: QConvClass<T>, mod: Module): T {
    return convFromFloat(this, mod);
  }
}
// The rest of the classes: the same shape, other dims and ops.
export class Conv2d extends QuantizedConv {
  static _FLOAT_MODULE: FloatClass = FloatConv2d;
  protected get _op(): string {
    return 'quantized::conv2d.new';
  }
  /** Conv2d(inChannels, outChannels, kernelSize, stride=1, padding=0, dilation=1, groups=1, bias=true, paddingMode='zeros') */
  constructor(...args: ArgsOf<typeof CONV>) {
    super(2, args, new.target.name);
  }
  _getName(): string {
    return 'QuantizedConv2d';
  }
  static fromFloat<T extends QuantizedConvNd>(this: QConvClass<T>, mod: Module): T {
    return convFromFloat(this, mod);
  }
}
export class Conv3d extends QuantizedConv {
  static _FLOAT_MODULE: FloatClass = FloatConv3d;
  protected get _op(): string {
    return 'quantized::conv3d.new';
  }
  /** Conv3d(inChannels, outChannels, kernelSize, stride=1, padding=0, dilation=1, groups=1, bias=true, paddingMode='zeros') */
  constructor(...args: ArgsOf<typeof CONV>) {
    super(3, args, new.target.name);
  }
  _getName(): string {
    return 'QuantizedConv3d';
  }
  static fromFloat<T extends QuantizedConvNd>(this: QConvClass<T>, mod: Module): T {
    return convFromFloat(this, mod);
  }
}

/** Python's _ConvTransposeNd.from_float: float modules only (no QAT kind exists). */
function convTransposeFromFloat<T extends QuantizedConvNd>(cls: QConvClass<T>, mod: Module): T {
  if (mod.constructor !== cls._FLOAT_MODULE) throw new TorchError(` nnq.${cls.name}.from_float only works for ${cls._FLOAT_MODULE.name}`);
  const m = observed(mod);
  if (!m.qconfig) throw new TorchError('Input float module must have qconfig defined.');
  return getQconv(cls, mod as FloatConvLike, m.activation_post_process, m.qconfig.weight());
}

export class ConvTranspose1d extends QuantizedConvTransposeNd {
  static _FLOAT_MODULE: FloatClass = FloatConvT1d;
  protected get _op(): string {
    return 'quantized::conv_transpose1d';
  }
  /** ConvTranspose1d(inChannels, outChannels, kernelSize, stride=1, padding=0, outputPadding=0, groups=1, bias=true, dilation=1, paddingMode='zeros') */
  constructor(...args: ArgsOf<typeof CONV_T>) {
    super(1, args, new.target.name);
  }
  _getName(): string {
    return 'QuantizedConvTranpose1d';
  }
  static fromFloat<T extends QuantizedConvNd>(this: QConvClass<T>, mod: Module): T {
    return convTransposeFromFloat(this, mod);
  }
}
export class ConvTranspose2d extends QuantizedConvTransposeNd {
  static _FLOAT_MODULE: FloatClass = FloatConvT2d;
  protected get _op(): string {
    return 'quantized::conv_transpose2d';
  }
  /** ConvTranspose2d(inChannels, outChannels, kernelSize, stride=1, padding=0, outputPadding=0, groups=1, bias=true, dilation=1, paddingMode='zeros') */
  constructor(...args: ArgsOf<typeof CONV_T>) {
    super(2, args, new.target.name);
  }
  _getName(): string {
    return 'QuantizedConvTranpose2d';
  }
  static fromFloat<T extends QuantizedConvNd>(this: QConvClass<T>, mod: Module): T {
    return convTransposeFromFloat(this, mod);
  }
}
export class ConvTranspose3d extends QuantizedConvTransposeNd {
  static _FLOAT_MODULE: FloatClass = FloatConvT3d;
  protected get _op(): string {
    return 'quantized::conv_transpose3d';
  }
  /** ConvTranspose3d(inChannels, outChannels, kernelSize, stride=1, padding=0, outputPadding=0, groups=1, bias=true, dilation=1, paddingMode='zeros') */
  constructor(...args: ArgsOf<typeof CONV_T>) {
    super(3, args, new.target.name);
  }
  _getName(): string {
    return 'QuantizedConvTranpose3d';
  }
  static fromFloat<T extends QuantizedConvNd>(this: QConvClass<T>, mod: Module): T {
    return convTransposeFromFloat(this, mod);
  }
}
