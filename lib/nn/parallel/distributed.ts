// nn.parallel.DistributedDataParallel (torch/nn/parallel/distributed.py) on CPU with gloo: the
// module's replicas in every process start from rank 0's state, and their gradients are averaged
// while backward runs, by libtorch's own c10d::Reducer (buckets filled from autograd hooks and
// all-reduced as each fills). The constructor and forward make Python's calls in Python's order,
// so Node and Python processes can train one model together. ddp.join(fn) trains on uneven inputs:
// a rank out of batches shadows the others' collectives (distributed.algorithms.Join).
import { TorchError, ValueError, NotImplementedError, PyTypeError, warn } from '../../errors';
import { Call, checkKeywords, isOptions, keysOf, signature } from '../../keywords';
import { isGradEnabled } from '../../autograd/grad-mode';
import { recordFunction } from '../../profiler/record-function';
import { mapTensors } from '../../data/kinds';
import type { Handle, ReducerHandle } from '../../native';
import { Tensor } from '../../tensor/tensor';
import { c10d } from '../../distributed/native-c10d';
import { defaultGroup, getRank } from '../../distributed/groups';
import { BuiltinCommHookType, CommHook } from '../../distributed/algorithms/default-hooks';
import type { ProcessGroup } from '../../distributed/process-group';
import { Join, JoinHook, disabledJoinConfig } from '../../distributed/algorithms/join';
import type { Joinable, JoinConfig, JoinHookKwargs } from '../../distributed/algorithms/join';
import { allReduce } from '../../distributed/collectives';
import { ReduceOp } from '../../distributed/reduce-op';
import type { Work } from '../../distributed/work';
import type { Device } from '../../tensor/device';
import { ones, tensor, zeros } from '../../tensor/create';
import { int64 } from '../../tensor/dtype';
import { Module } from '../module';
import { Parameter } from '../parameter';
import { Embedding, EmbeddingBag } from '../layers/embedding';
import { _DDPSink } from './ddp-sink';

/** torch.distributed._DEFAULT_FIRST_BUCKET_BYTES: the small first bucket (1 MiB). */
const FIRST_BUCKET_BYTES = 1024 * 1024;
/** Python's broadcast_bucket_size for the module state (250 MiB). */
const BROADCAST_BUCKET_BYTES = 250 * 1024 * 1024;
/** sys.maxsize: one bucket for everything until the first backward has shown the gradients' order. */
const MAX_SIZE = 2 ** 63 - 1;

/** DistributedDataParallel's parameters by name (Python's order). */
export interface DistributedDataParallelArgs<M extends Module = Module> {
  module: M;
  deviceIds?: number[] | null;
  outputDevice?: number | null;
  dim?: number;
  broadcastBuffers?: boolean;
  processGroup?: ProcessGroup | null;
  bucketCapMb?: number;
  findUnusedParameters?: boolean;
  checkReduction?: boolean;
  gradientAsBucketView?: boolean;
  staticGraph?: boolean;
}
const OPTIONAL = [
  'deviceIds', 'outputDevice', 'dim', 'broadcastBuffers', 'processGroup', 'bucketCapMb',
  'findUnusedParameters', 'checkReduction', 'gradientAsBucketView', 'staticGraph',
] as const;
const DDP = signature<DistributedDataParallelArgs>()(['module'], OPTIONAL);

/** DistributedDataParallel.join's options (Python's keywords). */
export interface DdpJoinOptions {
  divideByInitialWorldSize?: boolean;
  enable?: boolean;
  throwOnEarlyTermination?: boolean;
}

const JOIN_KEYS = keysOf<DdpJoinOptions>()('divideByInitialWorldSize', 'enable', 'throwOnEarlyTermination');

export class DistributedDataParallel<M extends Module = Module> extends Module implements Joinable {
  module: M;
  readonly processGroup: ProcessGroup;
  readonly broadcastBuffers: boolean;
  readonly findUnusedParameters: boolean;
  readonly gradientAsBucketView: boolean;
  readonly bucketBytesCap: number;
  readonly dim: number;
  /** set by staticGraph / _setStaticGraph: the same parameters are used in every iteration */
  staticGraph = false;
  /** false inside noSync: gradients accumulate locally */
  requireBackwardGradSync = true;
  requireForwardParamSync = true;
  numIterations = 0;
  /** set by the Join this DDP last took part in (Python keeps it after the `with` block too) */
  _joinConfig: JoinConfig = disabledJoinConfig();
  /** join's divideByInitialWorldSize: joined ranks still count in the gradients' divisor */
  _divideByInitialWorldSize = true;
  private readonly reducer: ReducerHandle;

  /** DistributedDataParallel(module, deviceIds?, outputDevice?, dim = 0, broadcastBuffers = true, processGroup?, bucketCapMb = 25, findUnusedParameters = false, ...) */
  constructor(...args: Call<DistributedDataParallelArgs<M>, ['module'], typeof OPTIONAL>) {
    super();
    const a = DDP.bind('DistributedDataParallel', args) as DistributedDataParallelArgs<M>;
    if (!(a.module instanceof Module)) throw new TorchError(`DistributedDataParallel() expects an nn.Module, got ${typeof a.module}`);
    this.module = a.module;
    if (![...a.module.parameters()].some((p) => p.requiresGrad)) {
      throw new TorchError("DistributedDataParallel is not needed when a module doesn't have any parameter that requires a gradient.");
    }
    const devices = new Set([...a.module.parameters()].map((p) => String(p.device)));
    if ((a.deviceIds ?? null) !== null || (a.outputDevice ?? null) !== null) {
      throw new ValueError(
        'DistributedDataParallel device_ids and output_device arguments only work with single-device/multiple-device GPU modules or CPU modules, ' +
          `but got device_ids ${JSON.stringify(a.deviceIds)}, output_device ${String(a.outputDevice)}, and module parameters {${[...devices].map((d) => `device(type='${d}')`).join(', ')}}.`,
      );
    }
    if ([...devices].some((d) => d !== 'cpu')) throw new NotImplementedError('DistributedDataParallel: torch-node runs DDP with the gloo backend on CPU modules only');
    this.processGroup = a.processGroup ?? defaultGroup();
    this.dim = a.dim ?? 0;
    this.broadcastBuffers = a.broadcastBuffers ?? true;
    this.findUnusedParameters = a.findUnusedParameters ?? false;
    this.gradientAsBucketView = a.gradientAsBucketView ?? false;
    this.bucketBytesCap = Math.trunc((a.bucketCapMb ?? 25) * 1024 * 1024);

    const [parameters, expectSparse] = this.paramsForReducer();
    const native = c10d();
    const pg = this.processGroup._h;
    native.verifyParamsAcrossProcesses(pg, parameters.map((p) => p._h));
    const state = [...a.module.namedParameters(), ...a.module.namedBuffers()].map(([, t]) => t.detach()._h);
    if (state.length > 0) native.broadcastCoalesced(pg, state, BROADCAST_BUCKET_BYTES, 0);
    const limits = a.staticGraph || !this.findUnusedParameters ? [MAX_SIZE] : [FIRST_BUCKET_BYTES, this.bucketBytesCap];
    const [buckets, perBucketLimits] = native.computeBucketAssignmentBySize(parameters.map((p) => p._h), limits, expectSparse);
    // Reversed: gradients arrive roughly in the reverse of the parameters' order.
    this.reducer = native.reducerNew(
      parameters.map((p) => p._h), [...buckets].reverse(), [...perBucketLimits].reverse(), pg, expectSparse,
      this.bucketBytesCap, this.findUnusedParameters, this.gradientAsBucketView, this.debugParamNames(parameters), FIRST_BUCKET_BYTES,
    );
    if (a.staticGraph) this._setStaticGraph();
  }

  /**
   * _set_static_graph(): the module uses the same parameters in every iteration, so the Reducer
   * learns them in the first backward (which all-reduces once, at its end) and needs no search after.
   */
  _setStaticGraph(): void {
    if (this.staticGraph) {
      warn("You've set static_graph to be True, no need to set it again.");
      return;
    }
    this.staticGraph = true;
    c10d().reducerCall(this.reducer, 'setStaticGraph');
    if (this.findUnusedParameters) {
      warn(
        'You passed find_unused_parameters=true to DistributedDataParallel, `_set_static_graph` will detect unused parameters automatically, so ' +
          'you do not need to set find_unused_parameters=true, just be sure these unused parameters will not change during training loop while calling ' +
          '`_set_static_graph`.',
      );
    }
  }

  /** Python's _build_params_for_reducer: trainable parameters once each, module by module, and which expect sparse gradients. */
  private paramsForReducer(): [Parameter[], boolean[]] {
    const seen = new Set<Parameter>();
    const params: Parameter[] = [];
    const sparse: boolean[] = [];
    for (const [, m] of this.module.namedModules()) {
      for (const [, p] of m.namedParameters({ recurse: false })) {
        if (!p.requiresGrad || seen.has(p)) continue;
        seen.add(p);
        params.push(p);
        sparse.push((m instanceof Embedding || m instanceof EmbeddingBag) && m.sparse);
      }
    }
    return [params, sparse];
  }

  /** Parameter names for the Reducer's messages, given only under TORCH_DISTRIBUTED_DEBUG, as Python does. */
  private debugParamNames(parameters: Parameter[]): string[] {
    const level = process.env.TORCH_DISTRIBUTED_DEBUG ?? 'OFF';
    if (level === 'OFF') return [];
    const names = new Map<Parameter, string>();
    for (const [moduleName, m] of this.module.namedModules()) {
      for (const [name, p] of m.namedParameters({ recurse: false })) names.set(p, `${moduleName}.${name}`);
    }
    return parameters.map((p) => names.get(p)!);
  }

  forward(...inputs: Parameters<M['forward']>): ReturnType<M['forward']> {
    return recordFunction('DistributedDataParallel.forward', () => {
      const native = c10d();
      const sync = isGradEnabled() && this.requireBackwardGradSync;
      if (sync) {
        this.numIterations += 1;
        native.reducerCall(this.reducer, 'prepareForForward');
      }
      // inside an enabled Join: tell the joined ranks this one still trains
      const work = Join.notifyJoinContext(this);
      if (work !== null) native.reducerCall(this.reducer, 'setForwardPassWorkHandle', work._h, this._divideByInitialWorldSize);
      if (isGradEnabled()) native.reducerCall(this.reducer, 'rebuildBuckets');
      if (this.willSyncModuleBuffers()) this.syncBuffers();
      if (this._joinConfig.enable) this._checkGlobalRequiresBackwardGradSync(false);
      const output = (this.module as unknown as (...a: unknown[]) => ReturnType<M['forward']>)(...inputs);
      const searchUnused = this.findUnusedParameters && !this.staticGraph;
      if (sync) {
        this.requireForwardParamSync = true;
        native.reducerCall(this.reducer, 'prepareForBackward', searchUnused ? outputTensors(output) : []);
      } else {
        this.requireForwardParamSync = false;
      }
      if (searchUnused || (this.staticGraph && this.numIterations === 1)) {
        return this.throughSink(output, { staticGraph: this.staticGraph, numIterations: this.numIterations });
      }
      return output;
    });
  }

  /** The output with its tensors that have a grad_fn passed through _DDPSink, as Python's forward does. */
  private throughSink<T>(output: T, state: { staticGraph: boolean; numIterations: number }): T {
    const tensors: Tensor[] = [];
    mapTensors(output, (t: Tensor) => tensors.push(t));
    const sunk = _DDPSink.apply(this.reducer, state, ...tensors);
    let i = 0;
    // tensors without a grad_fn stay as they are (pytorch#60733)
    return mapTensors(output, (t: Tensor) => (t.gradFn === null ? (i++, t) : sunk[i++])) as T;
  }

  /** will_sync_module_buffers(): the next forward broadcasts the buffers first. */
  willSyncModuleBuffers(): boolean {
    return this.requireForwardParamSync && this.broadcastBuffers && [...this.module.namedBuffers()].length > 0;
  }

  /**
   * Python's _sync_buffers: one rank's buffers (BatchNorm's running stats) to every rank before
   * forward; rank 0's, or inside a Join the highest rank still training (rank 0 may have joined).
   */
  private syncBuffers(): void {
    const source = this._joinConfig.enable ? this.findCommonRank(this.distributedRank, true) : 0;
    this.broadcastModuleBuffers(source);
  }

  private broadcastModuleBuffers(source: number): void {
    const buffers = [...this.module.namedBuffers()].map(([, b]) => b.detach()._h);
    if (buffers.length > 0) c10d().broadcastCoalesced(this.processGroup._h, buffers, BROADCAST_BUCKET_BYTES, source);
  }

  /** This process's rank in the DDP group. */
  private get distributedRank(): number {
    return getRank(this.processGroup);
  }

  /** Python's _find_common_rank: the highest rank for which cond holds (an all-reduce MAX; -1 stands out). */
  private findCommonRank(rank: number, cond: boolean): number {
    const candidate = tensor([cond ? rank : -1], { dtype: int64 });
    allReduce(candidate, { op: ReduceOp.MAX, group: this.processGroup });
    const common = candidate.item();
    if (common === -1) throw new ValueError('BUG! Expected rank_cond to be true for at least one process. This indicates a bug in PyTorch, please report an issue.');
    return common;
  }

  /**
   * Python's `with ddp.join(divideByInitialWorldSize, enable, throwOnEarlyTermination):` around a
   * training loop whose number of batches differs between ranks: fn (sync or async) runs, then this
   * rank shadows the others' forward and backward collectives until every rank has finished, and
   * the last rank to finish broadcasts its model. Gives fn's result. Without fn: the Join itself.
   */
  join<T>(fn: () => T): T;
  join<T>(options: DdpJoinOptions, fn: () => T): T;
  join(options?: DdpJoinOptions): Join;
  join<T>(optionsOrFn?: DdpJoinOptions | (() => T), maybeFn?: () => T): T | Join {
    const fn = typeof optionsOrFn === 'function' ? optionsOrFn : maybeFn;
    const o = isOptions(optionsOrFn) ? (optionsOrFn as DdpJoinOptions) : {};
    checkKeywords('join', o, JOIN_KEYS);
    const join = new Join([this], o.enable ?? true, o.throwOnEarlyTermination ?? false, { divideByInitialWorldSize: o.divideByInitialWorldSize ?? true });
    return fn === undefined ? join : join.run(fn);
  }

  /** Joinable.joinHook: shadows DDP's collectives on a joined rank; kwargs.divideByInitialWorldSize (default true). */
  joinHook(kwargs: JoinHookKwargs = {}): JoinHook {
    return new DDPJoinHook(this, (kwargs.divideByInitialWorldSize as boolean | undefined) ?? true);
  }

  get joinDevice(): Device {
    return [...this.module.parameters()][0].device;
  }

  get joinProcessGroup(): ProcessGroup {
    return this.processGroup;
  }

  /**
   * Python's _check_global_requires_backward_grad_sync: an all-reduce (not waited on) that is
   * non-zero when some rank still training will all-reduce gradients in this iteration.
   */
  _checkGlobalRequiresBackwardGradSync(isJoinedRank: boolean): Work {
    const flag = !isJoinedRank && this.requireBackwardGradSync ? ones(1) : zeros(1);
    return allReduce(flag, { group: this.processGroup, asyncOp: true })!;
  }

  /** A joined rank's side of forward's buffer broadcast (it never is the source). */
  _checkAndSyncModuleBuffers(): void {
    if (this.willSyncModuleBuffers()) this.broadcastModuleBuffers(this.findCommonRank(this.distributedRank, false));
  }

  /** A joined rank's side of backward: zero gradients for each bucket, through the comm hook, in the Reducer's order. */
  _matchAllReduceForBwdPass(): void {
    c10d().reducerCall(this.reducer, 'matchAllReduceForBackward');
  }

  /** A joined rank's side of findUnusedParameters' all-reduce of which parameters were used. */
  _matchUnusedParamsAllreduce(): void {
    c10d().reducerCall(this.reducer, 'matchUnusedParamsAllReduce', this.processGroup._h);
  }

  /** The Reducer's rebuildBuckets, which a joined rank shadows too (it broadcasts the new order once). */
  _rebuildBuckets(): boolean {
    return c10d().reducerCall(this.reducer, 'rebuildBuckets') as boolean;
  }

  /** A joined rank's buckets are rebuilt in the parameters' order (it ran no backward to learn another). */
  _pushAllRebuiltParams(): void {
    c10d().reducerCall(this.reducer, 'pushAllRebuiltParams');
  }

  /** Python's _sync_final_model: every rank takes the model of the highest rank that joined last. */
  _syncFinalModel(isLastJoiner: boolean): void {
    const source = this.findCommonRank(this.distributedRank, isLastJoiner);
    const state = [...this.module.namedParameters(), ...this.module.namedBuffers()].map(([, t]) => t.detach()._h);
    if (state.length > 0) c10d().broadcastCoalesced(this.processGroup._h, state, BROADCAST_BUCKET_BYTES, source);
  }

  /**
   * register_comm_hook(state, hook): how buckets are reduced. The hooks of
   * distributed.algorithms.ddpCommHooks.defaultHooks (allreduceHook, fp16CompressHook) with state
   * null (the default group) or this DDP's group; hooks written in JS are not supported.
   */
  registerCommHook(state: ProcessGroup | null, hook: CommHook): void {
    if (typeof hook !== 'function') throw new PyTypeError('Communication hook must be callable.');
    if (hook.builtin === undefined) {
      throw new NotImplementedError('DistributedDataParallel.registerCommHook: only the hooks of distributed.algorithms.ddpCommHooks.defaultHooks are supported (they run in libtorch); hooks written in JS are not');
    }
    if (state !== null && state !== undefined && state !== this.processGroup) {
      throw new NotImplementedError('DistributedDataParallel.registerCommHook: the state must be null or the process group DDP runs on');
    }
    if ((state === null || state === undefined) && this.processGroup !== defaultGroup()) {
      throw new NotImplementedError("DistributedDataParallel.registerCommHook: with state null Python's hooks reduce over the default group; pass DDP's own process group as the state");
    }
    this._registerBuiltinCommHook(hook.builtin);
  }

  /** _register_builtin_comm_hook(comm_hook_type): one of distributed.BuiltinCommHookType. */
  _registerBuiltinCommHook(type: BuiltinCommHookType): void {
    c10d().reducerCall(this.reducer, 'registerBuiltinCommHook', type);
  }

  /**
   * Python's `with ddp.no_sync():` — runs fn with gradient synchronisation off, so gradients
   * accumulate locally until the first backward after it.
   */
  noSync<T>(fn: () => T): T {
    const old = this.requireBackwardGradSync;
    this.requireBackwardGradSync = false;
    try {
      return fn();
    } finally {
      this.requireBackwardGradSync = old;
    }
  }
}

/** Python's _DDPJoinHook: a joined rank's shadow of one DDP iteration, and the final model sync. */
class DDPJoinHook extends JoinHook {
  constructor(private readonly ddp: DistributedDataParallel, divideByInitialWorldSize: boolean) {
    super();
    ddp._divideByInitialWorldSize = divideByInitialWorldSize;
  }

  mainHook(): void {
    const ddp = this.ddp;
    ddp._rebuildBuckets();
    ddp._checkAndSyncModuleBuffers();
    const work = ddp._checkGlobalRequiresBackwardGradSync(true);
    work.wait();
    const shouldSyncBackwards = work.result()[0].item() !== 0;
    // a skipped gradient sync (noSync) also skips the next forward's buffer broadcast, as on the others
    ddp.requireForwardParamSync = shouldSyncBackwards;
    if (!shouldSyncBackwards) return;
    ddp._matchAllReduceForBwdPass();
    if (ddp.findUnusedParameters) ddp._matchUnusedParamsAllreduce();
    ddp._pushAllRebuiltParams();
  }

  postHook(isLastJoiner: boolean): void {
    this.ddp._syncFinalModel(isLastJoiner);
  }
}

/** Python's _find_tensors: every tensor in a (nested) output. */
function outputTensors(output: unknown): Handle[] {
  const found: Handle[] = [];
  mapTensors(output, (t: Tensor) => found.push(t._h));
  return found;
}
