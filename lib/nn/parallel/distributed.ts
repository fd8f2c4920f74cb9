// nn.parallel.DistributedDataParallel (torch/nn/parallel/distributed.py) on CPU with gloo: the
// module's replicas in every process start from rank 0's state, and their gradients are averaged
// while backward runs, by libtorch's own c10d::Reducer (buckets filled from autograd hooks and
// all-reduced as each fills). The constructor and forward make Python's calls in Python's order,
// so Node and Python processes can train one model together.
import { TorchError, ValueError, NotImplementedError, PyTypeError, warn } from '../../errors';
import { Call, signature } from '../../keywords';
import { isGradEnabled } from '../../autograd/grad-mode';
import { recordFunction } from '../../profiler/record-function';
import { mapTensors } from '../../data/kinds';
import type { Handle, ReducerHandle } from '../../native';
import { Tensor } from '../../tensor/tensor';
import { c10d } from '../../distributed/native-c10d';
import { defaultGroup } from '../../distributed/groups';
import { BuiltinCommHookType, CommHook } from '../../distributed/algorithms/default-hooks';
import type { ProcessGroup } from '../../distributed/process-group';
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

export class DistributedDataParallel<M extends Module = Module> extends Module {
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
      if (isGradEnabled()) native.reducerCall(this.reducer, 'rebuildBuckets');
      if (this.requireForwardParamSync && this.broadcastBuffers) this.syncBuffers();
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

  /** Python's _sync_buffers: rank 0's buffers (BatchNorm's running stats) to every rank before forward. */
  private syncBuffers(): void {
    const buffers = [...this.module.namedBuffers()].map(([, b]) => b.detach()._h);
    if (buffers.length > 0) c10d().broadcastCoalesced(this.processGroup._h, buffers, BROADCAST_BUCKET_BYTES, 0);
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

/** Python's _find_tensors: every tensor in a (nested) output. */
function outputTensors(output: unknown): Handle[] {
  const found: Handle[] = [];
  mapTensors(output, (t: Tensor) => found.push(t._h));
  return found;
}
