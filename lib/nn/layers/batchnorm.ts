// nn.BatchNorm1d/2d/3d and their shared base with InstanceNorm (torch/nn/modules/batchnorm.py).
import { TorchError, ValueError, NotImplementedError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { empty, zeros, ones, tensor } from '../../tensor/create';
import { int64 } from '../../tensor/dtype';
import { noGrad } from '../../autograd/grad-mode';
import { getWorldSize, GroupMember } from '../../distributed/groups';
import type { ProcessGroup } from '../../distributed/process-group';
import { Module, LocalMetadata } from '../module';
import { LazySpec, UninitializedBuffer, UninitializedParameter, hasUninitializedParams, lazyLayer } from '../lazy';
import { Parameter } from '../parameter';
import * as init from '../init';
import { batchNorm } from '../functional/normalization';
import { ArgsOf, signature } from '../../keywords';
import { FACTORY_KEYS, FactoryOptions } from './linear';
import { pyBool, pyFloat } from '../../py-format';

export interface NormOptions extends FactoryOptions {
  eps?: number;
  /** null: cumulative moving average of the running statistics */
  momentum?: number | null;
  affine?: boolean;
  trackRunningStats?: boolean;
}
/** BatchNorm's and InstanceNorm's parameters by name: (num_features, eps=1e-05, momentum=0.1, affine, track_running_stats). */
export interface NormArgs extends NormOptions {
  numFeatures: number;
}
export const NORM = signature<NormArgs>()(['numFeatures'], ['eps', 'momentum', 'affine', 'trackRunningStats', ...FACTORY_KEYS]);

/** PyTorch's _NormBase: affine weight/bias and, when tracked, the running-statistics buffers. */
export abstract class NormBase extends Module {
  weight: Parameter | null;
  bias: Parameter | null;
  running_mean!: Tensor | null;
  running_var!: Tensor | null;
  num_batches_tracked!: Tensor | null;
  readonly eps: number;
  momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;

  readonly numFeatures: number;

  /** `args`: the parameters as bound by NORM */
  constructor(args: NormArgs, defaults: { affine: boolean; trackRunningStats: boolean }) {
    super();
    const { numFeatures, eps = 1e-5, momentum = 0.1, affine = defaults.affine, trackRunningStats = defaults.trackRunningStats, ...factory } = args;
    this.numFeatures = numFeatures;
    this.eps = eps;
    this.momentum = momentum;
    this.affine = affine;
    this.trackRunningStats = trackRunningStats;
    this.weight = affine ? new Parameter(empty([numFeatures], factory)) : null;
    this.bias = affine ? new Parameter(empty([numFeatures], factory)) : null;
    if (trackRunningStats) {
      this.registerBuffer('running_mean', zeros([numFeatures], factory));
      this.registerBuffer('running_var', ones([numFeatures], factory));
      this.registerBuffer('num_batches_tracked', tensor(0, { dtype: int64, device: factory.device }));
    } else {
      this.registerBuffer('running_mean', null);
      this.registerBuffer('running_var', null);
      this.registerBuffer('num_batches_tracked', null);
    }
    this.resetParameters();
  }

  resetRunningStats(): void {
    if (!this.trackRunningStats) return;
    noGrad(() => {
      this.running_mean!.zero_();
      this.running_var!.fill_(1);
      this.num_batches_tracked!.zero_();
    });
  }

  resetParameters(): void {
    this.resetRunningStats();
    if (this.affine) {
      init.ones_(this.weight!);
      init.zeros_(this.bias!);
    }
  }

  protected abstract _checkInputDim(input: Tensor): void;

  extraRepr(): string {
    return `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${this.momentum === null ? 'None' : pyFloat(this.momentum)}, affine=${pyBool(this.affine)}, track_running_stats=${pyBool(this.trackRunningStats)}`;
  }

  /** Checkpoints older than num_batches_tracked (version < 2, or none given): it loads as 0, as in PyTorch. */
  protected _loadFromStateDict(
    stateDict: Map<string, unknown>,
    prefix: string,
    missingKeys: string[],
    unexpectedKeys: string[],
    errorMsgs: string[],
    localMetadata: LocalMetadata = {},
  ): void {
    const version = localMetadata.version as number | undefined;
    const key = `${prefix}num_batches_tracked`;
    if ((version === undefined || version < 2) && this.trackRunningStats && !stateDict.has(key)) stateDict.set(key, tensor(0, { dtype: int64 }));
    super._loadFromStateDict(stateDict, prefix, missingKeys, unexpectedKeys, errorMsgs, localMetadata);
  }
}
// version 2 added num_batches_tracked (the norms, InstanceNorm too, share PyTorch's _NormBase)
NormBase.prototype._version = 2;

/** PyTorch's _BatchNorm: batch statistics in training (updating the running ones), running ones in eval. */
export abstract class BatchNormBase extends NormBase {
  /** (numFeatures, eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true, { device, dtype }), any of them by name */
  constructor(...args: ArgsOf<typeof NORM>) {
    super(NORM.bind(new.target.name, args), { affine: true, trackRunningStats: true });
  }

  forward(input: Tensor): Tensor {
    this._checkInputDim(input);
    let averageFactor = this.momentum ?? 0.0;
    if (this.training && this.trackRunningStats && this.num_batches_tracked !== null) {
      noGrad(() => this.num_batches_tracked!.add_(1));
      averageFactor = this.momentum ?? 1.0 / Number(this.num_batches_tracked.item());
    }
    // batch statistics in training, and in eval when there are no running ones
    const useBatchStats = this.training || (this.running_mean === null && this.running_var === null);
    const passStats = !this.training || this.trackRunningStats;
    return batchNorm(input, passStats ? this.running_mean : null, passStats ? this.running_var : null, {
      weight: this.weight,
      bias: this.bias,
      training: useBatchStats,
      momentum: averageFactor,
      eps: this.eps,
    });
  }
}

function checkDims(input: Tensor, allowed: number[], text: string): void {
  if (!allowed.includes(input.dim())) throw new TorchError(`expected ${text} input (got ${input.dim()}D input)`);
}

/** Over (N, C) or (N, C, L) */
export class BatchNorm1d extends BatchNormBase {
  protected _checkInputDim(input: Tensor): void {
    checkDims(input, [2, 3], '2D or 3D');
  }
}

/** Over (N, C, H, W) */
export class BatchNorm2d extends BatchNormBase {
  protected _checkInputDim(input: Tensor): void {
    checkDims(input, [4], '4D');
  }
}

/** Over (N, C, D, H, W) */
export class BatchNorm3d extends BatchNormBase {
  protected _checkInputDim(input: Tensor): void {
    checkDims(input, [5], '5D');
  }
}

export { checkDims as _checkNormInputDims };

// ---- lazy norms: num_features from the first input (torch/nn/modules/batchnorm.py, _LazyNormBase)

/** _LazyNormBase's parameters by name: (eps=1e-5, momentum=0.1, affine=True, track_running_stats=True, device=None, dtype=None). */
export type LazyNormArgs = NormOptions;
export const _LAZY_NORM = signature<LazyNormArgs>()([], ['eps', 'momentum', 'affine', 'trackRunningStats', ...FACTORY_KEYS]);

/** The concrete norm's arguments (num_features 0, neither affine nor tracking) and what the lazy constructor sets after. */
export function _lazyNormArgs(name: string, args: readonly unknown[]): [NormArgs, Required<Pick<NormOptions, 'affine' | 'trackRunningStats'>> & FactoryOptions] {
  const { affine = true, trackRunningStats = true, ...rest } = _LAZY_NORM.bind(name, args);
  return [{ ...rest, numFeatures: 0, affine: false, trackRunningStats: false }, { affine, trackRunningStats, device: rest.device, dtype: rest.dtype }];
}

/** the rest of _LazyNormBase.__init__: uninitialised parameters and running statistics, the mixin */
function lazyNormSetup(m: NormBase, setup: ReturnType<typeof _lazyNormArgs>[1]): void {
  const { affine, trackRunningStats, ...factory } = setup;
  (m as { affine: boolean }).affine = affine;
  (m as { trackRunningStats: boolean }).trackRunningStats = trackRunningStats;
  if (affine) {
    m.weight = new UninitializedParameter({ ...factory });
    m.bias = new UninitializedParameter({ ...factory });
  }
  if (trackRunningStats) {
    m.running_mean = new UninitializedBuffer({ ...factory });
    m.running_var = new UninitializedBuffer({ ...factory });
    m.num_batches_tracked = tensor(0, { dtype: int64, device: factory.device });
  }
}

/** _LazyNormBase.initialize_parameters */
function lazyNormInitialize(m: NormBase, input: Tensor): void {
  if (!hasUninitializedParams(m)) return;
  const n = input.shape[1];
  (m as { numFeatures: number }).numFeatures = n;
  if (m.affine) {
    (m.weight as UninitializedParameter).materialize([n]);
    (m.bias as UninitializedParameter).materialize([n]);
  }
  if (m.trackRunningStats) {
    (m.running_mean as UninitializedBuffer).materialize([n]);
    (m.running_var as UninitializedBuffer).materialize([n]);
  }
  m.resetParameters();
}

/** _LazyNormBase as lazyLayer's spec (the lazy batch and instance norms). */
export const _LAZY_NORM_SPEC: LazySpec<any> = {
  construct(name, args) {
    const [concrete, setup] = _lazyNormArgs(name, args);
    return [concrete, (m: NormBase) => lazyNormSetup(m, setup)];
  },
  shaped: (m: NormBase) => m.numFeatures !== 0,
  initialize: lazyNormInitialize,
};


/** nn.LazyBatchNorm1d: becomes a BatchNorm1d on the first forward */
export class LazyBatchNorm1d extends lazyLayer<BatchNorm1d>(BatchNorm1d, _LAZY_NORM_SPEC) {
  /** LazyBatchNorm1d(eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true, { device, dtype }), any of them by name */
  constructor(...args: ArgsOf<typeof _LAZY_NORM>) {
    super(...args);
  }
}

/** nn.LazyBatchNorm2d: becomes a BatchNorm2d on the first forward */
export class LazyBatchNorm2d extends lazyLayer<BatchNorm2d>(BatchNorm2d, _LAZY_NORM_SPEC) {
  /** LazyBatchNorm2d(eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true, { device, dtype }), any of them by name */
  constructor(...args: ArgsOf<typeof _LAZY_NORM>) {
    super(...args);
  }
}

/** nn.LazyBatchNorm3d: becomes a BatchNorm3d on the first forward */
export class LazyBatchNorm3d extends lazyLayer<BatchNorm3d>(BatchNorm3d, _LAZY_NORM_SPEC) {
  /** LazyBatchNorm3d(eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true, { device, dtype }), any of them by name */
  constructor(...args: ArgsOf<typeof _LAZY_NORM>) {
    super(...args);
  }
}

// ---- SyncBatchNorm (torch/nn/modules/batchnorm.py)

/** SyncBatchNorm's parameters by name: (num_features, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True, process_group=None, device=None, dtype=None). */
export interface SyncBatchNormArgs extends NormArgs {
  processGroup?: ProcessGroup | null;
}
const SYNC_NORM = signature<SyncBatchNormArgs>()(['numFeatures'], ['eps', 'momentum', 'affine', 'trackRunningStats', 'processGroup', ...FACTORY_KEYS]);

/**
 * nn.SyncBatchNorm: BatchNorm over (N, C, +) inputs whose batch statistics are synchronised across a
 * process group. As in PyTorch 1.13 the input must be on the GPU; in training it needs an initialized
 * torch.distributed (the default group or processGroup): a world of one normalises as BatchNorm,
 * a bigger one is not implemented (it needs CUDA collectives, and this build's distributed is gloo on
 * CPU). In eval it is BatchNorm. convertSyncBatchnorm converts a model.
 */
export class SyncBatchNorm extends BatchNormBase {
  processGroup: ProcessGroup | null;

  /** SyncBatchNorm(numFeatures, eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true, processGroup = null, { device, dtype }) */
  constructor(...args: ArgsOf<typeof SYNC_NORM>) {
    const { processGroup = null, ...norm } = SYNC_NORM.bind('SyncBatchNorm', args);
    super(norm);
    this.processGroup = processGroup;
  }

  protected _checkInputDim(input: Tensor): void {
    if (input.dim() < 2) throw new ValueError(`expected at least 2D input (got ${input.dim()}D input)`);
  }

  forward(input: Tensor): Tensor {
    if (!input.isCuda) throw new ValueError('SyncBatchNorm expected input tensor to be on GPU');
    this._checkInputDim(input);
    if (input.size(1) === 0) throw new ValueError('SyncBatchNorm number of input channels should be non-zero');
    const bnTraining = this.training || (this.running_mean === null && this.running_var === null);
    if (bnTraining && this.training) {
      const size = getWorldSize((this.processGroup as ProcessGroup | null) ?? GroupMember.WORLD);
      if (size !== 1) throw new NotImplementedError('SyncBatchNorm across processes: the CUDA statistics exchange is not implemented');
    }
    return super.forward(input);
  }

  /**
   * SyncBatchNorm.convert_sync_batchnorm(module, process_group=None): every _BatchNorm in `module`
   * (itself included) replaced by a SyncBatchNorm sharing its parameters and buffers; state_dict
   * keys are unchanged.
   */
  static convertSyncBatchnorm(module: Module, processGroup: ProcessGroup | null = null): Module {
    let output = module;
    if (module instanceof BatchNormBase) {
      const sync = new SyncBatchNorm(module.numFeatures, module.eps, module.momentum, module.affine, module.trackRunningStats, processGroup);
      if (module.affine) {
        noGrad(() => {
          sync.weight = module.weight;
          sync.bias = module.bias;
        });
      }
      sync.running_mean = module.running_mean;
      sync.running_var = module.running_var;
      sync.num_batches_tracked = module.num_batches_tracked;
      const qconfig = (module as unknown as { qconfig?: unknown }).qconfig;
      if (qconfig !== undefined) (sync as unknown as { qconfig?: unknown }).qconfig = qconfig;
      output = sync;
    }
    for (const [name, child] of module.namedChildren()) output.addModule(name, SyncBatchNorm.convertSyncBatchnorm(child, processGroup));
    return output;
  }
}
