// torch.ao.quantization.fuser_method_mappings: how each sequence of layer classes fuses — conv+bn
// folds BN into the conv (eval) or becomes ConvBn (QAT); with relu, ConvReLU / ConvBnReLU; linear+bn,
// linear+relu, bn+relu likewise.
import { AssertionError, NotImplementedError, TorchError } from '../../errors';
import type { Tensor } from '../../tensor/tensor';
import { Module } from '../../nn/module';
import { Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d } from '../../nn/layers/conv';
import { BatchNorm1d, BatchNorm2d, BatchNorm3d } from '../../nn/layers/batchnorm';
import { Linear } from '../../nn/layers/linear';
import { ReLU } from '../../nn/layers/activation';
import { fuseConvBnEval, fuseLinearBnEval } from '../../nn/utils/fusion';
import * as nni from '../../nn/intrinsic/modules';
import { ModuleClass } from './mappings';
import { pyClassRepr, setPyModule } from './partial';

/** fuser_method(isQat, ...modules): the fused module. */
export type FuserMethod = (isQat: boolean, ...mods: Module[]) => Module;

type ConvLike = Module & { weight: Tensor; bias: Tensor | null; outChannels: number };
type BnLike = Module & { numFeatures: number; affine: boolean; trackRunningStats: boolean; running_mean: Tensor | null; running_var: Tensor | null; eps: number; weight: Tensor | null; bias: Tensor | null };
type FusedCtor = new (...mods: Module[]) => Module;

for (const [classes, module] of [
  [[Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d], 'torch.nn.modules.conv'],
  [[BatchNorm1d, BatchNorm2d, BatchNorm3d], 'torch.nn.modules.batchnorm'],
  [[Linear], 'torch.nn.modules.linear'],
  [[ReLU], 'torch.nn.modules.activation'],
] as [object[], string][]) {
  for (const cls of classes) setPyModule(cls, module);
}

const byConv = <T>(conv: Module, table: [ModuleClass, T][]): T | undefined => table.find(([cls]) => conv.constructor === cls)?.[1];

/** fuse_conv_bn(isQat, conv, bn): ConvBn (QAT) or the conv with BN folded in (eval). */
export function fuseConvBn(isQat: boolean, conv: Module, bn: Module): Module {
  if (conv.training !== bn.training) throw new AssertionError('Conv and BN both must be in the same mode (train or eval).');
  if (!isQat) return fuseConvBnEval(conv as ConvLike, bn as BnLike);
  const b = bn as BnLike;
  if (b.numFeatures !== (conv as ConvLike).outChannels) throw new AssertionError('Output channel of Conv2d must match num_features of BatchNorm2d');
  if (!b.affine) throw new AssertionError('Only support fusing BatchNorm2d with affine set to True');
  if (!b.trackRunningStats) throw new AssertionError('Only support fusing BatchNorm2d with tracking_running_stats set to True');
  const fused = byConv<FusedCtor>(conv, [[Conv1d, nni.ConvBn1d], [Conv2d, nni.ConvBn2d], [Conv3d, nni.ConvBn3d]]);
  if (!fused) throw new NotImplementedError(`Cannot fuse train modules: (${String(conv)}, ${String(bn)})`);
  return new fused(conv, bn);
}

/** fuse_conv_bn_relu(isQat, conv, bn, relu): ConvBnReLU (QAT) or ConvReLU over the folded conv (eval). */
export function fuseConvBnRelu(isQat: boolean, conv: Module, bn: Module, relu: Module): Module {
  if (!(conv.training === bn.training && bn.training === relu.training)) throw new AssertionError('Conv and BN both must be in the same mode (train or eval).');
  if (isQat) {
    const b = bn as BnLike;
    if (b.numFeatures !== (conv as ConvLike).outChannels) throw new AssertionError('Output channel of Conv must match num_features of BatchNorm');
    if (!b.affine) throw new AssertionError('Only support fusing BatchNorm with affine set to True');
    if (!b.trackRunningStats) throw new AssertionError('Only support fusing BatchNorm with tracking_running_stats set to True');
    const fused = byConv<FusedCtor>(conv, [[Conv1d, nni.ConvBnReLU1d], [Conv2d, nni.ConvBnReLU2d], [Conv3d, nni.ConvBnReLU3d]]);
    if (!fused) throw new NotImplementedError(`Cannot fuse train modules: (${String(conv)}, ${String(bn)}, ${String(relu)})`);
    return new fused(conv, bn, relu);
  }
  const fused = byConv<FusedCtor>(conv, [[Conv1d, nni.ConvReLU1d], [Conv2d, nni.ConvReLU2d], [Conv3d, nni.ConvReLU3d]]);
  if (!fused) throw new NotImplementedError(`Cannot fuse eval modules: (${String(conv)}, ${String(bn)}, ${String(relu)})`);
  return new fused(fuseConvBnEval(conv as ConvLike, bn as BnLike), relu);
}

/** fuse_linear_bn(isQat, linear, bn): LinearBn1d (QAT) or the linear with BN folded in (eval). */
export function fuseLinearBn(isQat: boolean, linear: Module, bn: Module): Module {
  if (linear.training !== bn.training) throw new AssertionError('Linear and BN both must be in the same mode (train or eval).');
  if (!isQat) return fuseLinearBnEval(linear as ConvLike, bn as BnLike);
  const b = bn as BnLike;
  if (b.numFeatures !== (linear as unknown as { outFeatures: number }).outFeatures) throw new AssertionError('Output features of Linear must match num_features of BatchNorm1d');
  if (!b.affine) throw new AssertionError('Only support fusing BatchNorm1d with affine set to True');
  if (!b.trackRunningStats) throw new AssertionError('Only support fusing BatchNorm1d with tracking_running_stats set to True');
  return new nni.LinearBn1d(linear, bn);
}

/** fuse_convtranspose_bn(isQat, convt, bn): the transposed conv with BN folded in (eval only). */
export function fuseConvtransposeBn(isQat: boolean, convt: Module, bn: Module): Module {
  if (convt.training !== bn.training) throw new AssertionError('ConvTranspose and BN both must be in the same mode (train or eval).');
  if (isQat) throw new TorchError('Fusing ConvTranspose+BatchNorm not yet supported in QAT.');
  return fuseConvBnEval(convt as ConvLike, bn as BnLike, true);
}

/** sequential_wrapper2(cls): a fuser method that wraps the two modules in cls. */
function sequentialWrapper2(cls: FusedCtor): FuserMethod {
  return (_isQat, m1, m2) => new cls(m1, m2);
}

/** DEFAULT_OP_LIST_TO_FUSER_METHOD: exact class sequences to their fuser methods. */
export const DEFAULT_OP_LIST_TO_FUSER_METHOD: [ModuleClass[], FuserMethod][] = [
  [[Conv1d, BatchNorm1d], fuseConvBn],
  [[Conv1d, BatchNorm1d, ReLU], fuseConvBnRelu],
  [[Conv2d, BatchNorm2d], fuseConvBn],
  [[Conv2d, BatchNorm2d, ReLU], fuseConvBnRelu],
  [[Conv3d, BatchNorm3d], fuseConvBn],
  [[Conv3d, BatchNorm3d, ReLU], fuseConvBnRelu],
  [[Conv1d, ReLU], sequentialWrapper2(nni.ConvReLU1d)],
  [[Conv2d, ReLU], sequentialWrapper2(nni.ConvReLU2d)],
  [[Conv3d, ReLU], sequentialWrapper2(nni.ConvReLU3d)],
  [[Linear, BatchNorm1d], fuseLinearBn],
  [[Linear, ReLU], sequentialWrapper2(nni.LinearReLU)],
  [[BatchNorm2d, ReLU], sequentialWrapper2(nni.BNReLU2d)],
  [[BatchNorm3d, ReLU], sequentialWrapper2(nni.BNReLU3d)],
  [[ConvTranspose1d, BatchNorm1d], fuseConvtransposeBn],
  [[ConvTranspose2d, BatchNorm2d], fuseConvtransposeBn],
  [[ConvTranspose3d, BatchNorm3d], fuseConvtransposeBn],
];

const sameClasses = (a: readonly ModuleClass[], b: readonly ModuleClass[]) => a.length === b.length && a.every((c, i) => c === b[i]);

/** get_fuser_method(opList, additional = null): the fuser method of these exact classes. */
export function getFuserMethod(opList: ModuleClass[], additionalFuserMethodMapping: [ModuleClass[], FuserMethod][] | null = null): FuserMethod {
  const all = [...(additionalFuserMethodMapping ?? []), ...DEFAULT_OP_LIST_TO_FUSER_METHOD];
  const found = all.find(([classes]) => sameClasses(classes, opList));
  if (!found) throw new AssertionError(`did not find fuser method for: (${opList.map((c) => pyClassRepr(c)).join(', ')}${opList.length === 1 ? ',' : ''}) `);
  return found[1];
}
