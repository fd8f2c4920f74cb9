// torch.ao.nn.quantized.reference.Conv1d/2d/3d and ConvTranspose1d/2d/3d: the float convolutions
// computing with their weight quantized and dequantized. As Python's, forward calls the functional
// convolution with the layer's padding directly (padding_mode is not applied).
import { Tensor } from '../../../tensor/tensor';
import { DTypeLike } from '../../../tensor/dtype';
import { DeviceLike } from '../../../tensor/device';
import { ArgsOf, signature } from '../../../keywords';
import { Module } from '../../module';
import { Parameter } from '../../parameter';
import * as nn from '../../layers/conv';
import { conv1d, conv2d, conv3d, convTranspose1d, convTranspose2d, convTranspose3d } from '../../functional/conv';
import { ReferenceMembers, WeightQparams, initWeightQparams, installReferenceMembers } from './utils';
import { requireQparams } from './linear';

type Factory = { device?: DeviceLike | null; dtype?: DTypeLike | null; weightQparams?: WeightQparams | null };
type RefConvArgs = nn.ConvArgs & Factory;
type RefConvTArgs = nn.ConvTransposeArgs & Factory;
const REF_CONV = signature<RefConvArgs>()(
  ['inChannels', 'outChannels', 'kernelSize'],
  ['stride', 'padding', 'dilation', 'groups', 'bias', 'paddingMode', 'device', 'dtype', 'weightQparams'],
);
const REF_CONV_T = signature<RefConvTArgs>()(
  ['inChannels', 'outChannels', 'kernelSize'],
  ['stride', 'padding', 'outputPadding', 'groups', 'bias', 'dilation', 'paddingMode', 'device', 'dtype', 'weightQparams'],
);

type ConvLike = nn.ConvNd;
type ConvFn = (x: Tensor, w: Tensor, o: Record<string, unknown>) => Tensor;

function convForward(m: ConvLike & ReferenceMembers, fn: ConvFn, x: Tensor): Tensor {
  return fn(x, m.getWeight(), { bias: m.bias, stride: m.stride, padding: m.padding, dilation: m.dilation, groups: m.groups });
}

function convTForward(m: ConvLike & ReferenceMembers & { _outputPadding(x: Tensor, s: readonly number[] | null | undefined): number[] }, fn: ConvFn, x: Tensor, outputSize?: readonly number[] | null): Tensor {
  return fn(x, m.getWeight(), {
    bias: m.bias, stride: m.stride, padding: m.padding, outputPadding: m._outputPadding(x, outputSize), groups: m.groups, dilation: m.dilation,
  });
}

/** The float conv's settings, weight and bias (detached) on a new reference conv of class `cls`. */
function fromFloatConv<T extends ConvLike>(cls: new (o: Record<string, unknown>) => T, name: string, mod: Module, weightQparams: WeightQparams | undefined): T {
  const qparams = requireQparams(name, 'weight_qparams', weightQparams);
  const f = mod as ConvLike;
  const common = {
    inChannels: f.inChannels, outChannels: f.outChannels, kernelSize: f.kernelSize, stride: f.stride, padding: f.padding, dilation: f.dilation,
    groups: f.groups, bias: f.bias !== null, paddingMode: f.paddingMode, device: f.weight.device, dtype: f.weight.dtype, weightQparams: qparams,
  };
  const ref = new cls(f.transposed ? { ...common, outputPadding: f.outputPadding } : common);
  ref.weight = new Parameter(f.weight.detach());
  if (f.bias !== null) ref.bias = new Parameter(f.bias.detach());
  return ref;
}

function bindConv(name: string, args: unknown[]): [nn.ConvArgs, Factory] {
  const { device, dtype, weightQparams, ...rest } = REF_CONV.bind(name, args as ArgsOf<typeof REF_CONV>);
  return [{ ...rest, device, dtype }, { device, weightQparams }];
}
function bindConvT(name: string, args: unknown[]): [nn.ConvTransposeArgs, Factory] {
  const { device, dtype, weightQparams, ...rest } = REF_CONV_T.bind(name, args as ArgsOf<typeof REF_CONV_T>);
  return [{ ...rest, device, dtype }, { device, weightQparams }];
}

export interface Conv1d extends ReferenceMembers {}
export class Conv1d extends nn.Conv1d {
  static readonly _IS_REFERENCE = true;
  /** Conv1d(inChannels, outChannels, kernelSize, stride=1, padding=0, dilation=1, groups=1, bias=true, paddingMode='zeros', device, dtype, weightQparams) */
  constructor(...args: ArgsOf<typeof REF_CONV>) {
    const [conv, q] = bindConv('Conv1d', args);
    super(conv);
    initWeightQparams(this, q.weightQparams, q.device);
  }
  forward(x: Tensor): Tensor {
    return convForward(this, conv1d as ConvFn, x);
  }
  static fromFloat(mod: Module, weightQparams?: WeightQparams): Conv1d {
    return fromFloatConv(Conv1d as never, 'Conv1d', mod, weightQparams);
  }
}

export interface Conv2d extends ReferenceMembers {}
export class Conv2d extends nn.Conv2d {
  static readonly _IS_REFERENCE = true;
  /** Conv2d(inChannels, outChannels, kernelSize, stride=1, padding=0, dilation=1, groups=1, bias=true, paddingMode='zeros', device, dtype, weightQparams) */
  constructor(...args: ArgsOf<typeof REF_CONV>) {
    const [conv, q] = bindConv('Conv2d', args);
    super(conv);
    initWeightQparams(this, q.weightQparams, q.device);
  }
  forward(x: Tensor): Tensor {
    return convForward(this, conv2d as ConvFn, x);
  }
  static fromFloat(mod: Module, weightQparams?: WeightQparams): Conv2d {
    return fromFloatConv(Conv2d as never, 'Conv2d', mod, weightQparams);
  }
}

export interface Conv3d extends ReferenceMembers {}
export class Conv3d extends nn.Conv3d {
  static readonly _IS_REFERENCE = true;
  /** Conv3d(inChannels, outChannels, kernelSize, stride=1, padding=0, dilation=1, groups=1, bias=true, paddingMode='zeros', device, dtype, weightQparams) */
  constructor(...args: ArgsOf<typeof REF_CONV>) {
    const [conv, q] = bindConv('Conv3d', args);
    super(conv);
    initWeightQparams(this, q.weightQparams, q.device);
  }
  forward(x: Tensor): Tensor {
    return convForward(this, conv3d as ConvFn, x);
  }
  static fromFloat(mod: Module, weightQparams?: WeightQparams): Conv3d {
    return fromFloatConv(Conv3d as never, 'Conv3d', mod, weightQparams);
  }
}

export interface ConvTranspose1d extends ReferenceMembers {}
export class ConvTranspose1d extends nn.ConvTranspose1d {
  static readonly _IS_REFERENCE = true;
  /** ConvTranspose1d(inChannels, outChannels, kernelSize, stride=1, padding=0, outputPadding=0, groups=1, bias=true, dilation=1, paddingMode='zeros', device, dtype, weightQparams) */
  constructor(...args: ArgsOf<typeof REF_CONV_T>) {
    const [conv, q] = bindConvT('ConvTranspose1d', args);
    super(conv);
    initWeightQparams(this, q.weightQparams, q.device);
  }
  forward(x: Tensor, outputSize?: readonly number[] | null): Tensor {
    return convTForward(this, convTranspose1d as ConvFn, x, outputSize);
  }
  static fromFloat(mod: Module, weightQparams?: WeightQparams): ConvTranspose1d {
    return fromFloatConv(ConvTranspose1d as never, 'ConvTranspose1d', mod, weightQparams);
  }
}

export interface ConvTranspose2d extends ReferenceMembers {}
export class ConvTranspose2d extends nn.ConvTranspose2d {
  static readonly _IS_REFERENCE = true;
  /** ConvTranspose2d(inChannels, outChannels, kernelSize, stride=1, padding=0, outputPadding=0, groups=1, bias=true, dilation=1, paddingMode='zeros', device, dtype, weightQparams) */
  constructor(...args: ArgsOf<typeof REF_CONV_T>) {
    const [conv, q] = bindConvT('ConvTranspose2d', args);
    super(conv);
    initWeightQparams(this, q.weightQparams, q.device);
  }
  forward(x: Tensor, outputSize?: readonly number[] | null): Tensor {
    return convTForward(this, convTranspose2d as ConvFn, x, outputSize);
  }
  static fromFloat(mod: Module, weightQparams?: WeightQparams): ConvTranspose2d {
    return fromFloatConv(ConvTranspose2d as never, 'ConvTranspose2d', mod, weightQparams);
  }
}

export interface ConvTranspose3d extends ReferenceMembers {}
export class ConvTranspose3d extends nn.ConvTranspose3d {
  static readonly _IS_REFERENCE = true;
  /** ConvTranspose3d(inChannels, outChannels, kernelSize, stride=1, padding=0, outputPadding=0, groups=1, bias=true, dilation=1, paddingMode='zeros', device, dtype, weightQparams) */
  constructor(...args: ArgsOf<typeof REF_CONV_T>) {
    const [conv, q] = bindConvT('ConvTranspose3d', args);
    super(conv);
    initWeightQparams(this, q.weightQparams, q.device);
  }
  forward(x: Tensor, outputSize?: readonly number[] | null): Tensor {
    return convTForward(this, convTranspose3d as ConvFn, x, outputSize);
  }
  static fromFloat(mod: Module, weightQparams?: WeightQparams): ConvTranspose3d {
    return fromFloatConv(ConvTranspose3d as never, 'ConvTranspose3d', mod, weightQparams);
  }
}

for (const [cls, name] of [
  [Conv1d, 'QuantizedConv1d(Reference)'], [Conv2d, 'QuantizedConv2d(Reference)'], [Conv3d, 'QuantizedConv3d(Reference)'],
  [ConvTranspose1d, 'QuantizedConvTranspose1d(Reference)'], [ConvTranspose2d, 'QuantizedConvTranspose2d(Reference)'], [ConvTranspose3d, 'QuantizedConvTranspose3d(Reference)'],
] as const) {
  installReferenceMembers(cls, name);
}
