// nn.intrinsic.qat.LinearBn1d (torch/nn/intrinsic/qat/modules/linear_fused.py): a Linear and the
// BatchNorm1d after it trained as one layer, the weight fake-quantized already scaled by BN.
import { AssertionError } from '../../../errors';
import { Tensor } from '../../../tensor/tensor';
import { zeros, zerosLike } from '../../../tensor/create';
import { Module } from '../../module';
import { Parameter } from '../../parameter';
import { Linear } from '../../layers/linear';
import { BatchNorm1d } from '../../layers/batchnorm';
import { linear } from '../../functional/linear';
import * as init from '../../init';
import { fuseLinearBnWeights } from '../../utils/fusion';
import { ArgsOf, Rest, signature } from '../../../keywords';
import { QConfigLike, floatQconfig, requireQconfig } from '../../qat/qconfig';
import { trainUnlessFrozen } from './frozen-bn';
import * as nni from '../modules';

/** LinearBn1d's parameters by name: LinearBn1d(in_features, out_features, bias=True, eps=1e-05, momentum=0.1, freeze_bn=False, qconfig=None). */
export interface LinearBn1dArgs {
  inFeatures: number;
  outFeatures: number;
  bias?: boolean;
  eps?: number;
  momentum?: number | null;
  freezeBn?: boolean;
  qconfig?: QConfigLike | null;
}
const LINEAR_BN = signature<LinearBn1dArgs>()(['inFeatures', 'outFeatures'], ['bias', 'eps', 'momentum', 'freezeBn', 'qconfig']);

export class LinearBn1d extends Linear {
  qconfig: QConfigLike;
  /** true while BN uses (and no longer updates) its running statistics */
  freeze_bn: boolean;
  bn: BatchNorm1d;
  weight_fake_quant: Module;

  /** LinearBn1d(inFeatures, outFeatures, bias = true, eps = 1e-5, momentum = 0.1, freezeBn = false, qconfig) */
  constructor(...args: ArgsOf<typeof LINEAR_BN>) {
    const a = LINEAR_BN.bind(new.target.name, args);
    const bias = a.bias ?? true;
    super(a.inFeatures, a.outFeatures, bias);
    this.qconfig = requireQconfig(a.qconfig, 'qconfig must be provded for QAT module');
    const freezeBn = a.freezeBn ?? false;
    this.freeze_bn = this.training ? freezeBn : true;
    this.bn = new BatchNorm1d(a.outFeatures, a.eps ?? 1e-5, a.momentum === undefined ? 0.1 : a.momentum, true, true);
    this.weight_fake_quant = this.qconfig.weight();
    // Python replaces the bias with an uninitialised torch.empty one here; zeros keep it deterministic
    if (bias) this.bias = new Parameter(zeros([a.outFeatures]));
    this.resetBnParameters();
    if (this.training && !freezeBn) this.updateBnStats();
    else this.freezeBnStats();
  }

  resetRunningStats(): void {
    this.bn.resetRunningStats();
  }

  /** BN's statistics reset, its weight from U(0, 1), its bias 0. */
  resetBnParameters(): void {
    this.bn.resetRunningStats();
    init.uniform_(this.bn.weight!);
    init.zeros_(this.bn.bias!);
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

  /** The weight scaled by bn.weight / running_std is fake-quantized, the scale divided out of the output, the bias added, then BN. */
  forward(input: Tensor): Tensor {
    const bn = this.bn;
    const runningStd = bn.running_var!.add(bn.eps).sqrt();
    const scaleFactor = bn.weight!.div(runningStd);
    const scaledWeight = this.weight_fake_quant(this.weight.mul(scaleFactor.reshape([-1, 1]))) as Tensor;
    const zeroBias = this.bias !== null ? zerosLike(this.bias) : zeros([this.outFeatures], { device: scaledWeight.device });
    let out = linear(input, scaledWeight, zeroBias).div(scaleFactor.reshape([1, -1]));
    if (this.bias !== null) out = out.add(this.bias.reshape([1, -1]));
    return bn(out);
  }

  /** train(mode = true): a frozen BN (and the fake-quant) keep their mode, as in Python. */
  train(...args: Rest<{ mode?: boolean }, ['mode']>): this {
    return trainUnlessFrozen(this, args);
  }

  /** Python's from_float: from a float LinearBn1d (linear, bn) fused module, sharing its Parameters and buffers. */
  static fromFloat(mod: Module): LinearBn1d {
    if (mod.constructor !== nni.LinearBn1d) throw new AssertionError(`qat.LinearBn1d.from_float only works for ${nni.LinearBn1d.name}`);
    const qconfig = floatQconfig(mod, 'Input float module must have a valid config');
    const seq = mod as unknown as { [i: number]: Module };
    const [float, bn] = [seq[0] as Linear, seq[1] as BatchNorm1d];
    const qat = new LinearBn1d(float.inFeatures, float.outFeatures, float.bias !== null, bn.eps, bn.momentum, false, { qconfig });
    qat.weight = float.weight;
    qat.bias = float.bias;
    qat.bn.weight = bn.weight;
    qat.bn.bias = bn.bias;
    qat.bn.running_mean = bn.running_mean;
    qat.bn.running_var = bn.running_var;
    qat.bn.num_batches_tracked = bn.num_batches_tracked;
    return qat;
  }

  /** Python's to_float: an nn.Linear with BN folded into its weight and bias. */
  toFloat(): Linear {
    const float = new Linear(this.inFeatures, this.outFeatures);
    const bn = this.bn;
    [float.weight, float.bias] = fuseLinearBnWeights(this.weight, this.bias, bn.running_mean!, bn.running_var!, bn.eps, bn.weight!, bn.bias!);
    return float;
  }
}
