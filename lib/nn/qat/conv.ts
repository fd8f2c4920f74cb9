// nn.qat.Conv1d/2d/3d (torch/ao/nn/qat/modules/conv.py): convolutions whose forward sees the
// weight through weight_fake_quant. The shared parts (Python's qat _ConvNd) are functions here,
// so each class stays an nn.ConvNd subclass as in Python.
import { AssertionError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { Module } from '../module';
import { Parameter } from '../parameter';
import { _FusedModule } from '../intrinsic/modules/fused';
import { ConvArgs, ConvNd, Conv1d as FloatConv1d, Conv2d as FloatConv2d, Conv3d as FloatConv3d } from '../layers/conv';
import { ArgsOf, signature } from '../../keywords';
import { QConfigLike, floatQconfig, readQconfig, requireQconfig, weightFakeQuant } from './qconfig';

/** A qat convolution's parameters by name: Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True, padding_mode='zeros', qconfig=None, device=None, dtype=None). */
export type QatConvArgs = ConvArgs & { qconfig?: QConfigLike | null };
const QAT_CONV = signature<QatConvArgs>()(
  ['inChannels', 'outChannels', 'kernelSize'],
  ['stride', 'padding', 'dilation', 'groups', 'bias', 'paddingMode', 'qconfig', 'device', 'dtype'],
);

/** What the shared parts need of a qat convolution (any dimensionality, fused or not). */
export type QatConv = ConvNd & {
  qconfig: QConfigLike;
  weight_fake_quant: Module;
  _convForward(input: Tensor, weight: Tensor, bias: Tensor | null): Tensor;
};
/** A qat convolution class, with Python's class attributes. */
export interface QatConvClass<T> {
  new (...args: any[]): T;
  name: string;
  /** the float class from_float accepts */
  _FLOAT_MODULE: Function;
  /** the float convolution to_float builds */
  _FLOAT_CONV_MODULE: new (...args: any[]) => ConvNd;
  /** for the fused ones: the ReLU to_float appends, inside _FLOAT_MODULE */
  _FLOAT_RELU_MODULE?: (new () => Module) | null;
}

/** Splits a qat convolution's arguments: the float convolution's, and the qconfig (checked). */
export function bindQatConv(name: string, args: readonly unknown[]): [ConvArgs, QConfigLike] {
  const { qconfig, ...conv } = QAT_CONV.bind(name, args);
  return [conv, requireQconfig(qconfig)];
}

/** The weight fake-quant of a qat convolution built with these arguments. */
export function convWeightFakeQuant(qconfig: QConfigLike, conv: ConvArgs): Module {
  return weightFakeQuant(qconfig, { device: conv.device, dtype: conv.dtype });
}

/** The float convolution's settings, as a qat convolution's options (from_float / to_float). */
function convSettings(conv: ConvNd): Omit<ConvArgs, 'inChannels' | 'outChannels' | 'kernelSize'> {
  return { stride: conv.stride, padding: conv.padding, dilation: conv.dilation, groups: conv.groups, bias: conv.bias !== null, paddingMode: conv.paddingMode };
}

/** Python's qat _ConvNd.from_float: the float convolution's own Parameters, its qconfig; a fused ConvReLU gives its conv. */
export function convFromFloat<T extends QatConv>(cls: QatConvClass<T>, mod: Module): T {
  if (mod.constructor !== cls._FLOAT_MODULE) throw new AssertionError(`qat.${cls.name}.from_float only works for ${cls._FLOAT_MODULE.name}`);
  floatQconfig(mod);
  const conv = (mod instanceof _FusedModule ? mod[0] : mod) as ConvNd;
  const qconfig = readQconfig(conv);
  const qat = new cls(conv.inChannels, conv.outChannels, conv.kernelSize, { ...convSettings(conv), qconfig });
  qat.weight = conv.weight;
  qat.bias = conv.bias;
  return qat;
}

/** A float convolution of class `Conv` with a qat one's settings and copies of its weights (to_float's). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function floatConv(Conv: new (...args: any[]) => ConvNd, qat: ConvNd): ConvNd {
  const conv = new Conv(qat.inChannels, qat.outChannels, qat.kernelSize, convSettings(qat));
  conv.weight = new Parameter(qat.weight.detach());
  if (qat.bias !== null) conv.bias = new Parameter(qat.bias.detach());
  return conv;
}

/** Python's qat _ConvNd.to_float: the float conv, or for a fused ConvReLU the float fused module (in the same mode). */
export function convToFloat(cls: QatConvClass<QatConv>, qat: QatConv): Module {
  const conv = floatConv(cls._FLOAT_CONV_MODULE, qat);
  if (!cls._FLOAT_RELU_MODULE) return conv;
  const Fused = cls._FLOAT_MODULE as new (...modules: Module[]) => Module;
  const fused = new Fused(conv, new cls._FLOAT_RELU_MODULE());
  fused.train(qat.training);
  return fused;
}

export class Conv1d extends FloatConv1d {
  static _FLOAT_MODULE: Function = FloatConv1d;
  static _FLOAT_CONV_MODULE = FloatConv1d;
  qconfig: QConfigLike;
  weight_fake_quant: Module;

  /** Conv1d(inChannels, outChannels, kernelSize, stride = 1, padding = 0, dilation = 1, groups = 1, bias = true, paddingMode = 'zeros', qconfig, { device, dtype }) */
  constructor(...args: ArgsOf<typeof QAT_CONV>) {
    const [conv, qconfig] = bindQatConv(new.target.name, args);
    super(conv);
    this.qconfig = qconfig;
    this.weight_fake_quant = convWeightFakeQuant(qconfig, conv);
  }

  forward(input: Tensor): Tensor {
    return this._convForward(input, this.weight_fake_quant(this.weight), this.bias);
  }

  static fromFloat<T extends QatConv>(this: QatConvClass<T>, mod: Module): T {
    return convFromFloat(this, mod);
  }

  toFloat(): Module {
    return convToFloat(this.constructor as QatConvClass<QatConv>, this);
  }
}

export class Conv2d extends FloatConv2d {
  static _FLOAT_MODULE: Function = FloatConv2d;
  static _FLOAT_CONV_MODULE = FloatConv2d;
  qconfig: QConfigLike;
  weight_fake_quant: Module;

  /** Conv2d(inChannels, outChannels, kernelSize, stride = 1, padding = 0, dilation = 1, groups = 1, bias = true, paddingMode = 'zeros', qconfig, { device, dtype }) */
  constructor(...args: ArgsOf<typeof QAT_CONV>) {
    const [conv, qconfig] = bindQatConv(new.target.name, args);
    super(conv);
    this.qconfig = qconfig;
    this.weight_fake_quant = convWeightFakeQuant(qconfig, conv);
  }

  forward(input: Tensor): Tensor {
    return this._convForward(input, this.weight_fake_quant(this.weight), this.bias);
  }

  static fromFloat<T extends QatConv>(this: QatConvClass<T>, mod: Module): T {
    return convFromFloat(this, mod);
  }

  toFloat(): Module {
    return convToFloat(this.constructor as QatConvClass<QatConv>, this);
  }
}

export class Conv3d extends FloatConv3d {
  static _FLOAT_MODULE: Function = FloatConv3d;
  static _FLOAT_CONV_MODULE = FloatConv3d;
  qconfig: QConfigLike;
  weight_fake_quant: Module;

  /** Conv3d(inChannels, outChannels, kernelSize, stride = 1, padding = 0, dilation = 1, groups = 1, bias = true, paddingMode = 'zeros', qconfig, { device, dtype }) */
  constructor(...args: ArgsOf<typeof QAT_CONV>) {
    const [conv, qconfig] = bindQatConv(new.target.name, args);
    super(conv);
    this.qconfig = qconfig;
    this.weight_fake_quant = convWeightFakeQuant(qconfig, conv);
  }

  forward(input: Tensor): Tensor {
    return this._convForward(input, this.weight_fake_quant(this.weight), this.bias);
  }

  static fromFloat<T extends QatConv>(this: QatConvClass<T>, mod: Module): T {
    return convFromFloat(this, mod);
  }

  toFloat(): Module {
    return convToFloat(this.constructor as QatConvClass<QatConv>, this);
  }
}
