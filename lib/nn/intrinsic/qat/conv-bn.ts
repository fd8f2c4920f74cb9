// Python's _ConvBnNd (torch/nn/intrinsic/qat/modules/conv_fused.py) as the mixin convBnNd: a
// convolution and the BatchNorm after it trained as one layer whose weight is fake-quantized
// already scaled by BN, as convert will fold it. A mixin, so that each ConvBn class stays a
// subclass of nn.Conv1d/2d/3d.
import { AssertionError } from '../../../errors';
import { Tensor } from '../../../tensor/tensor';
import { zeros, zerosLike } from '../../../tensor/create';
import { noGrad } from '../../../autograd/grad-mode';
import { Module, LocalMetadata } from '../../module';
import { Parameter } from '../../parameter';
import { ConvArgs, ConvNd } from '../../layers/conv';
import { BatchNormBase, BatchNorm1d, BatchNorm2d, BatchNorm3d } from '../../layers/batchnorm';
import * as init from '../../init';
import { fuseConvBnWeights } from '../../utils/fusion';
import { Rest, signature } from '../../../keywords';
import { QConfigLike, floatQconfig, requireQconfig } from '../../qat/qconfig';
import { trainUnlessFrozen } from './frozen-bn';
import { QatConvClass, floatConv } from '../../qat/conv';

/** ConvBn's parameters by name: ConvBn2d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=None, padding_mode='zeros', eps=1e-05, momentum=0.1, freeze_bn=False, qconfig=None). */
export type ConvBnArgs = Omit<ConvArgs, 'device' | 'dtype'> & { eps?: number; momentum?: number | null; freezeBn?: boolean; qconfig?: QConfigLike | null };
export const CONV_BN = signature<ConvBnArgs>()(
  ['inChannels', 'outChannels', 'kernelSize'],
  ['stride', 'padding', 'dilation', 'groups', 'bias', 'paddingMode', 'eps', 'momentum', 'freezeBn', 'qconfig'],
);

export type Dims = 1 | 2 | 3;
const BN_CLASSES = { 1: BatchNorm1d, 2: BatchNorm2d, 3: BatchNorm3d };
export type FloatConv = ConvNd & { _convForward(input: Tensor, weight: Tensor, bias: Tensor | null): Tensor };

/** A ConvBn class with Python's class attributes (to_float's and from_float's). */
export interface ConvBnClass<T> extends QatConvClass<T> {
  _FLOAT_BN_MODULE: typeof BatchNormBase;
  /** for ConvBnReLU: the float ConvReLU that to_float builds around the folded conv */
  _FUSED_FLOAT_MODULE?: new (...modules: Module[]) => Module;
}

// Python's v1 state_dict names of the BN entries, before they moved into the bn submodule
const V1_NAMES: [string, string][] = [
  ['bn.weight', 'gamma'],
  ['bn.bias', 'beta'],
  ['bn.running_mean', 'running_mean'],
  ['bn.running_var', 'running_var'],
  ['bn.num_batches_tracked', 'num_batches_tracked'],
];

/** What a ConvBn adds to its convolution (Python's _ConvBnNd's members). */
export interface ConvBnMembers {
  qconfig: QConfigLike;
  freeze_bn: boolean;
  bn: BatchNormBase;
  weight_fake_quant: Module;
  _enableSlowPathForBetterNumericalStability: boolean;
  resetRunningStats(): void;
  resetBnParameters(): void;
  updateBnStats(): this;
  freezeBnStats(): this;
  _forward(input: Tensor): Tensor;
  _forwardApproximate(input: Tensor): Tensor;
  _forwardSlow(input: Tensor): Tensor;
  toFloat(): Module;
}
/** The class convBnNd makes (typed by hand: an anonymous class type cannot be declared in .d.ts). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ConvBnBase<C> = (abstract new (...args: any[]) => C & ConvBnMembers) & {
  fromFloat<T extends FloatConv & ConvBnMembers>(this: ConvBnClass<T>, mod: Module): T;
};

/** Python's _ConvBnNd over one of nn.Conv1d/2d/3d. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function convBnNd<C extends FloatConv>(Base: abstract new (...args: any[]) => C, dims: Dims): ConvBnBase<C> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const Conv = Base as abstract new (...args: any[]) => FloatConv;
  abstract class ConvBnNd extends Conv {
    qconfig: QConfigLike;
    /** true while BN uses (and no longer updates) its running statistics */
    freeze_bn: boolean;
    bn: BatchNormBase;
    weight_fake_quant: Module;
    /** forward through _forwardSlow (two convolutions, exact even when bn.weight is 0) */
    _enableSlowPathForBetterNumericalStability = false;

    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    constructor(...args: any[]) {
      const a = CONV_BN.bind(new.target.name, args);
      const { inChannels, outChannels, kernelSize, stride, padding, dilation, groups, paddingMode } = a;
      // the conv's own bias is made below, after BN, as Python draws its random numbers in that order
      super(inChannels, outChannels, kernelSize, { stride, padding, dilation, groups, bias: false, paddingMode });
      this.qconfig = requireQconfig(a.qconfig);
      const freezeBn = a.freezeBn ?? false;
      this.freeze_bn = this.training ? freezeBn : true;
      this.bn = new BN_CLASSES[dims](outChannels, a.eps ?? 1e-5, a.momentum === undefined ? 0.1 : a.momentum, true, true);
      this.weight_fake_quant = this.qconfig.weight();
      if (a.bias) this.bias = new Parameter(zeros([outChannels]));
      this.resetBnParameters();
      if (this.training && !freezeBn) this.updateBnStats();
      else this.freezeBnStats();
    }

    resetRunningStats(): void {
      this.bn.resetRunningStats();
    }

    /** BN's statistics reset, its weight from U(0, 1), its bias 0; then the conv's bias (Python does it here) */
    resetBnParameters(): void {
      this.bn.resetRunningStats();
      init.uniform_(this.bn.weight!);
      init.zeros_(this.bn.bias!);
      if (this.bias !== null) {
        const [fanIn] = init.calculateFanInAndFanOut(this.weight);
        const bound = 1 / Math.sqrt(fanIn);
        init.uniform_(this.bias, -bound, bound);
      }
    }

    /** BN updates its running statistics again (in training mode). */
    updateBnStats(): this {
      this.freeze_bn = false;
      this.bn.training = true;
      return this;
    }

    /** BN uses its running statistics and stops updating them. */
    freezeBnStats(): this {
      this.freeze_bn = true;
      this.bn.training = false;
      return this;
    }

    /** the conv + BN computation (ConvBnReLU applies ReLU after it) */
    _forward(input: Tensor): Tensor {
      if (this._enableSlowPathForBetterNumericalStability) return this._forwardSlow(input);
      return this._forwardApproximate(input);
    }

    /** [-1, 1, ...] and [1, -1, ...]: per-output-channel shapes for the weight and for the output */
    _channelShapes(): [number[], number[]] {
      const ones = new Array<number>(this.weight.dim()).fill(1);
      const weightShape = [...ones];
      weightShape[0] = -1;
      const outShape = [...ones];
      outShape[1] = -1;
      return [weightShape, outShape];
    }

    /**
     * One convolution: the weight scaled by bn.weight / running_std (as convert will fold it) is
     * fake-quantized, the scale divided out of the output, the bias added, then BN.
     */
    _forwardApproximate(input: Tensor): Tensor {
      const bn = this.bn;
      const [weightShape, outShape] = this._channelShapes();
      const runningStd = bn.running_var!.add(bn.eps).sqrt();
      const scaleFactor = bn.weight!.div(runningStd);
      const scaledWeight = this.weight_fake_quant(this.weight.mul(scaleFactor.reshape(weightShape))) as Tensor;
      // the conv's bias is added after the scale is divided out
      const zeroBias = this.bias !== null ? zerosLike(this.bias, { dtype: input.dtype }) : zeros([this.outChannels], { device: scaledWeight.device, dtype: input.dtype });
      let convOrig = this._convForward(input, scaledWeight, zeroBias).div(scaleFactor.reshape(outShape));
      if (this.bias !== null) convOrig = convOrig.add(this.bias.reshape(outShape));
      return bn(convOrig);
    }

    /**
     * Two convolutions (Python's slow path): in training, an unquantized one gives the batch
     * statistics (and updates BN's running ones); the fake-quantized one, with the weight scaled by
     * the running std, is then rescaled to the batch std, and the fused bias added.
     */
    _forwardSlow(input: Tensor): Tensor {
      const bn = this.bn;
      const [weightShape, outShape] = this._channelShapes();
      const zeroBias = zeros([this.outChannels], { device: this.weight.device, dtype: input.dtype });
      let convOut: Tensor | null = null;
      if (bn.training) {
        const plain = this._convForward(input, this.weight, zeroBias);
        convOut = plain;
        noGrad(() => bn(this.bias === null ? plain : plain.add(this.bias.reshape(outShape))));
      }
      const runningStd = bn.running_var!.add(bn.eps).sqrt();
      const scaleFactor = bn.weight!.div(runningStd);
      const scaledWeight = this.weight_fake_quant(this.weight.mul(scaleFactor.reshape(weightShape))) as Tensor;
      let convBn = this._convForward(input, scaledWeight, zeroBias);
      let fusedMean: Tensor;
      let fusedStd: Tensor;
      if (convOut !== null) {
        const avgDims = [0, ...Array.from({ length: this.weight.dim() - 2 }, (_, i) => i + 2)];
        const batchMean = convOut.mean(avgDims);
        const batchVar = convOut.sub(batchMean.reshape(outShape)).square().mean(avgDims);
        const batchStd = batchVar.add(bn.eps).sqrt();
        convBn = convBn.mul(runningStd.div(batchStd).reshape(outShape));
        fusedMean = batchMean;
        fusedStd = batchStd;
      } else {
        fusedMean = this.bias !== null ? bn.running_mean!.sub(this.bias) : bn.running_mean!.sub(0);
        fusedStd = runningStd;
      }
      const fusedBias = bn.bias!.sub(bn.weight!.mul(fusedMean).div(fusedStd));
      convBn = convBn.add(fusedBias.reshape(outShape));
      // the conv bias takes part in the loss (with gradient 0), as Python does for DDP's sake
      if (this.bias !== null) convBn = convBn.add(this.bias.sub(this.bias).reshape(outShape));
      return convBn;
    }

    forward(input: Tensor): Tensor {
      return this._forward(input);
    }

    /** train(mode = true): a frozen BN (and the fake-quant) keep their mode, as in Python. */
    train(...args: Rest<{ mode?: boolean }, ['mode']>): this {
      return trainUnlessFrozen(this, args);
    }

    /** Loads Python's version-1 state_dicts too, whose BN entries were gamma, beta, running_mean, ... */
    _loadFromStateDict(
      stateDict: Map<string, unknown>,
      prefix: string,
      missingKeys: string[],
      unexpectedKeys: string[],
      errorMsgs: string[],
      localMetadata: LocalMetadata = {},
    ): void {
      const version = localMetadata.version as number | undefined;
      if (version === undefined || version === 1) {
        for (const [v2, v1] of V1_NAMES) {
          if (stateDict.has(prefix + v1)) {
            stateDict.set(prefix + v2, stateDict.get(prefix + v1));
            stateDict.delete(prefix + v1);
          } else if (!stateDict.has(prefix + v2)) {
            missingKeys.push(prefix + v2);
          }
        }
      }
      super._loadFromStateDict(stateDict, prefix, missingKeys, unexpectedKeys, errorMsgs, localMetadata);
    }

    /** Python's to_float: the float conv with BN folded in (then ReLU, for ConvBnReLU), in the same mode. */
    toFloat(): Module {
      const cls = this.constructor as ConvBnClass<ConvBnNd>;
      const conv = floatConv(cls._FLOAT_CONV_MODULE, this);
      const bn = this.bn;
      [conv.weight, conv.bias] = fuseConvBnWeights(conv.weight, conv.bias, bn.running_mean!, bn.running_var!, bn.eps, bn.weight, bn.bias);
      const out = cls._FLOAT_RELU_MODULE ? new cls._FUSED_FLOAT_MODULE!(conv, new cls._FLOAT_RELU_MODULE()) : conv;
      out.train(this.training);
      return out;
    }

    /** Python's from_float: from a float ConvBn (conv, bn) fused module, sharing its Parameters and buffers. */
    static fromFloat<T extends ConvBnNd>(this: ConvBnClass<T>, mod: Module): T {
      if (mod.constructor !== this._FLOAT_MODULE) throw new AssertionError(`qat.${this.name}.from_float only works for ${this._FLOAT_MODULE.name}`);
      const qconfig = floatQconfig(mod);
      const seq = mod as unknown as { [i: number]: Module };
      const [conv, bn] = [seq[0] as ConvNd, seq[1] as BatchNormBase];
      const qat = new this(conv.inChannels, conv.outChannels, conv.kernelSize, {
        stride: conv.stride, padding: conv.padding, dilation: conv.dilation, groups: conv.groups, bias: conv.bias !== null,
        paddingMode: conv.paddingMode, eps: bn.eps, momentum: bn.momentum, freezeBn: false, qconfig,
      });
      qat.weight = conv.weight;
      qat.bias = conv.bias;
      qat.bn.weight = bn.weight;
      qat.bn.bias = bn.bias;
      qat.bn.running_mean = bn.running_mean;
      qat.bn.running_var = bn.running_var;
      qat.bn.num_batches_tracked = bn.num_batches_tracked;
      return qat;
    }
  }
  // version 2 moved the BN entries into the bn submodule
  ConvBnNd.prototype._version = 2;
  return ConvBnNd as unknown as ConvBnBase<C>;
}
