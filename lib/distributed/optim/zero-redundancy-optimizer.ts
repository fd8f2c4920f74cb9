// torch.distributed.optim.ZeroRedundancyOptimizer (torch/distributed/optim/zero_redundancy_optimizer.py,
// PyTorch 1.13): every rank keeps the optimizer state of its own shard of the parameters only.
// step() runs the local optimizer on that shard, then each rank broadcasts the parameters it owns.
// The partition (largest parameters first, each to the least loaded rank), the broadcasts and the
// consolidation of the state (torch.save bytes through two broadcasts per rank) are Python's, in
// Python's order, so Node and Python ranks can share one ZeRO optimizer. It is a Joinable: inside
// a Join, a rank out of inputs keeps stepping (and broadcasting) its shard.
import { TorchError, PyTypeError, ValueError, NotImplementedError, pyType, warn } from '../../errors';
import { bind, given, isOptions, parse, Rest } from '../../keywords';
import { Optimizer, ParamGroup, ParamGroupSpec, Params, ParamState, OptimizerStateDict, Closure } from '../../optim/optimizer';
import { loadSync } from '../../serialization/load';
import { saveSync } from '../../serialization/save';
import { empty, tensor, zeros } from '../../tensor/create';
import { int64, uint8 } from '../../tensor/dtype';
import type { Device } from '../../tensor/device';
import { Tensor } from '../../tensor/tensor';
import { broadcast } from '../collectives';
import { defaultGroup, getGlobalRank, getRank, getWorldSize } from '../groups';
import type { ProcessGroup } from '../process-group';
import type { Work } from '../work';
import { Join, JoinHook, disabledJoinConfig } from '../algorithms/join';
import type { Joinable, JoinConfig } from '../algorithms/join';

/** A local optimizer class (optim.SGD, optim.Adam, ...): built as Python does, `cls(paramGroups, defaults)`. */
export type OptimizerClass = new (...args: any[]) => Optimizer;

/** ZeroRedundancyOptimizer's own parameters; any other option is a default for the local optimizer. */
export interface ZeroRedundancyOptimizerArgs {
  params: Params;
  optimizerClass: OptimizerClass;
  processGroup?: ProcessGroup | null;
  parametersAsBucketView?: boolean;
  overlapWithDdp?: boolean;
}
const REQUIRED = ['params', 'optimizerClass'] as const;
const OPTIONAL = ['processGroup', 'parametersAsBucketView', 'overlapWithDdp'] as const;
const OWN = new Set<string>([...REQUIRED, ...OPTIONAL]);

/** The local optimizer's defaults (lr, betas, ...), in a trailing options object beside ZeRO's own. */
type Defaults = Record<string, unknown>;
type ZeroCall =
  | [Params, OptimizerClass, (Partial<ZeroRedundancyOptimizerArgs> & Defaults)?]
  | [Params, OptimizerClass, ProcessGroup | null | undefined, (Defaults & { parametersAsBucketView?: boolean; overlapWithDdp?: boolean })?]
  | [Params, OptimizerClass, ProcessGroup | null | undefined, boolean, (Defaults & { overlapWithDdp?: boolean })?]
  | [Params, OptimizerClass, ProcessGroup | null | undefined, boolean, boolean, Defaults?]
  | [ZeroRedundancyOptimizerArgs & Defaults];

/** Python's torch.typename: a tensor's type string, otherwise the class name. */
function typename(x: unknown): string {
  return x instanceof Tensor ? x.type() : pyType(x).slice(8, -2);
}

/** Python's _verify_and_init_params: the parameter list (or groups) as a list, and every parameter. */
function verifyParams(params: unknown): { list: (Tensor | ParamGroupSpec)[]; all: Tensor[] } {
  if (params instanceof Tensor) throw new PyTypeError(`\`params\` argument should be an iterable of Tensors, but got ${typename(params)}`);
  if (params === null || params === undefined || typeof (params as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    throw new PyTypeError(`\`params\` argument should be an iterable of Tensors or dicts, but got ${typename(params)}`);
  }
  const list = [...(params as Iterable<Tensor | ParamGroupSpec>)];
  if (list.length === 0) throw new ValueError('ZeroRedundancyOptimizer got an empty parameter list');
  const allTensors = list.every((p) => p instanceof Tensor);
  const allDicts = list.every((p) => isOptions(p));
  if (!allTensors && !allDicts) throw new PyTypeError('`params` argument should be an iterable of Tensors or dicts');
  if (allTensors) return { list, all: list as Tensor[] };
  const all: Tensor[] = [];
  // a group's params as a list: Python extends _all_params from it, then the Optimizer reads it again
  const groups = (list as ParamGroupSpec[]).map((g) => {
    if (!('params' in g)) throw new ValueError("Each parameter group passed-in via `params` must have a 'params' key mapping to the parameters in the group");
    const ps = g.params instanceof Tensor ? [g.params] : [...g.params];
    all.push(...ps);
    return { ...g, params: ps };
  });
  return { list: groups, all };
}

/** Python's _verify_same_dense_param_type. */
function verifySameDenseType(all: Tensor[]): void {
  const first = typename(all[0]);
  if (all[0].isSparse) throw new ValueError(`ZeroRedundancyOptimizer only supports using the same dense type for all parameters but got ${first}`);
  for (const p of all.slice(1)) {
    const other = typename(p);
    if (other !== first) throw new ValueError(`ZeroRedundancyOptimizer only supports using the same dense type for all parameters but got both ${first} and ${other}`);
  }
}

/** Python's _sync_param_groups: every option but params, from src's groups onto dst's. */
function syncParamGroups(src: ParamGroup[], dst: ParamGroup[]): void {
  if (src.length !== dst.length) throw new TorchError('Mismatch between number of source and destination parameter groups');
  src.forEach((s, i) => {
    for (const key of Object.keys(s)) if (key !== 'params') dst[i][key] = s[key];
  });
}

/** Python's _broadcast_object: src sends obj's torch.save bytes (a length, then the bytes); the others load them. */
function broadcastObject(obj: unknown, src: number, group: ProcessGroup): unknown {
  if (getRank() === src) {
    const data = saveSync(obj);
    broadcast(tensor([data.length], { dtype: int64 }), src, { group });
    broadcast(tensor(new Uint8Array(data), { dtype: uint8 }), src, { group });
    return obj;
  }
  const length = zeros([1], { dtype: int64 });
  broadcast(length, src, { group });
  const data = empty([Number(length.item())], { dtype: uint8 });
  broadcast(data, src, { group });
  return loadSync(data.toTypedArray() as Uint8Array);
}

/** A state dict's state, keyed by index: a Map, or an object (an empty dict loads as one). */
function stateEntries(state: OptimizerStateDict['state']): [number, ParamState][] {
  return state instanceof Map ? [...state].map(([k, v]) => [Number(k), v]) : Object.entries(state ?? {}).map(([k, v]) => [Number(k), v]);
}

/** Python's _ZeROJoinHook: a joined rank still steps, so its shard's parameters are still broadcast. */
class ZeROJoinHook extends JoinHook {
  constructor(private readonly zero: ZeroRedundancyOptimizer) {
    super();
  }
  mainHook(): void {
    this.zero.step();
  }
}

export class ZeroRedundancyOptimizer extends Optimizer implements Joinable {
  /** This rank's optimizer, over its shard of each param group. */
  optim!: Optimizer;
  processGroup!: ProcessGroup;
  worldSize!: number;
  /** This process's rank in processGroup. */
  rank!: number;
  /** This process's rank in the default group. */
  globalRank!: number;
  parametersAsBucketView!: boolean;
  /** Python's _buckets[device][rank]: a rank's parameters on one device, flattened into one tensor. */
  private buckets: Tensor[][] = [];
  /** The local state dicts consolidateStateDict gathered here, by rank. */
  private allStateDicts: { state: OptimizerStateDict['state']; param_groups: Record<string, unknown>[] }[] = [];
  private allParams!: Tensor[];
  private isTrainableMask!: boolean[];
  private partitionCache: ParamGroup[][] = [];
  private initialized = false;
  /** set by the Join this optimizer last took part in */
  _joinConfig: JoinConfig = disabledJoinConfig();

  /**
   * ZeroRedundancyOptimizer(params, optimizerClass, processGroup = null, parametersAsBucketView = false,
   * overlapWithDdp = false, ...defaults): the other options (lr, betas, ...) go to optimizerClass.
   */
  constructor(...args: ZeroCall) {
    const all = [...args] as unknown[];
    const last = all.length > 0 ? all[all.length - 1] : undefined;
    const defaults: Defaults = {};
    if (isOptions(last)) {
      const own: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(last)) (OWN.has(k) ? own : defaults)[k] = v;
      all[all.length - 1] = own;
    }
    const a = bind<ZeroRedundancyOptimizerArgs>('ZeroRedundancyOptimizer', all, REQUIRED, OPTIONAL);
    const { list, all: allParams } = verifyParams(a.params);
    verifySameDenseType(allParams);
    super(list as Params, defaults);
    this.allParams = allParams;
    this.isTrainableMask = this.trainableMask();
    if (a.overlapWithDdp) {
      throw new NotImplementedError('ZeroRedundancyOptimizer(overlapWithDdp=true) is not supported: it needs a DDP communication hook written in JS');
    }
    this.processGroup = a.processGroup ?? defaultGroup();
    this.worldSize = getWorldSize(this.processGroup);
    this.rank = getRank(this.processGroup);
    this.globalRank = getGlobalRank(this.processGroup, this.rank);
    if (typeof a.optimizerClass !== 'function') throw new PyTypeError(`'${typename(a.optimizerClass)}' object is not callable`);
    this.initLocalOptimizer(a.optimizerClass, defaults);
    this.parametersAsBucketView = a.parametersAsBucketView ?? false;
    this.buildParamBuckets();
    this.initialized = true;
  }

  /** Python's _init_local_optimizer: optimizerClass over this rank's groups, whose options ZeRO's groups then show. */
  private initLocalOptimizer(cls: OptimizerClass, defaults: Defaults): void {
    this.optim = new cls(this._partitionParameters()[this.rank], defaults);
    syncParamGroups(this.optim.paramGroups, this.paramGroups);
    // repr prints an integral float default (Adadelta's lr=1.0) as the local optimizer does
    this.floatDefaults = (this.optim as unknown as { floatDefaults: Record<string, number> }).floatDefaults;
  }

  /** Adds a group on every rank (all must call it): the new parameters are partitioned, this rank's go to the local optimizer. */
  addParamGroup(spec: ParamGroupSpec): void {
    super.addParamGroup(spec);
    if (!this.initialized) return;
    this.partitionCache = [];
    const groups = this._partitionParameters()[this.rank];
    if (groups.length === this.optim.paramGroups.length + 1) this.optim.addParamGroup(groups[groups.length - 1]);
    if (this.parametersAsBucketView) this.buildParamBuckets();
  }

  /**
   * Python's _partition_parameters(): per rank, its share of each param group. Within a group the
   * parameters go largest first (stable order among equals), each to the rank with the fewest
   * elements so far, counting earlier groups too.
   */
  _partitionParameters(): ParamGroup[][] {
    if (this.partitionCache.length > 0) return this.partitionCache;
    const partition: ParamGroup[][] = Array.from({ length: this.worldSize }, () => []);
    const sizes = new Array<number>(this.worldSize).fill(0);
    for (const group of this.paramGroups) {
      const perRank: Tensor[][] = Array.from({ length: this.worldSize }, () => []);
      const sorted = [...group.params].sort((x, y) => y.numel() - x.numel());
      for (const p of sorted) {
        const rank = sizes.indexOf(Math.min(...sizes));
        perRank[rank].push(p);
        sizes[rank] += p.numel();
      }
      perRank.forEach((params, rank) => partition[rank].push({ ...group, params }));
    }
    return (this.partitionCache = partition);
  }

  /** The rank that owns each parameter. */
  private paramToRank(): Map<Tensor, number> {
    const owner = new Map<Tensor, number>();
    this._partitionParameters().forEach((groups, rank) => groups.forEach((g) => g.params.forEach((p) => owner.set(p, rank))));
    return owner;
  }

  /** The parameters in the order of the global state dict's indices. */
  private indexToParam(): Tensor[] {
    return this.paramGroups.flatMap((g) => g.params);
  }

  private trainableMask(): boolean[] {
    return this.allParams.map((p) => p.requiresGrad);
  }

  /**
   * Python's _build_param_buckets (parametersAsBucketView): per device and rank, one tensor holding
   * that rank's trainable parameters, which become views of it; frozen ones get their own copy.
   */
  private buildParamBuckets(): void {
    if (!this.parametersAsBucketView) return;
    const byDevice = new Map<string, { device: Device; perRank: Tensor[][] }>();
    this._partitionParameters().forEach((groups, rank) => {
      for (const g of groups) {
        for (const p of g.params) {
          const key = String(p.device);
          if (!byDevice.has(key)) byDevice.set(key, { device: p.device, perRank: Array.from({ length: this.worldSize }, () => []) });
          byDevice.get(key)!.perRank[rank].push(p);
        }
      }
    });
    this.buckets = [...byDevice.values()].map(({ device, perRank }) =>
      perRank.map((params) => {
        const trainable = params.filter((p) => p.requiresGrad);
        for (const p of params) if (!p.requiresGrad) p.data = p.data.detach().clone();
        const size = trainable.reduce((n, p) => n + p.numel(), 0);
        // Python's dummy bucket for a rank without parameters here: one float32 zero
        if (size === 0) return zeros([1], { device });
        const bucket = empty([size], { dtype: params[params.length - 1].dtype, device });
        let offset = 0;
        for (const p of trainable) {
          const slot = bucket.narrow(0, offset, p.numel());
          slot.copy_(p.data.flatten());
          p.data = slot.view(p.shape);
          offset += p.numel();
        }
        return bucket;
      }),
    );
  }

  /** Python's _sync_params: every rank's parameters (or buckets) broadcast from it, rank by rank, then waited on. */
  private syncParams(): void {
    const handles: Work[] = [];
    const group = this.processGroup;
    for (let rank = 0; rank < this.worldSize; rank++) {
      const src = getGlobalRank(group, rank);
      const tensors = this.parametersAsBucketView
        ? this.buckets.map((perRank) => perRank[rank])
        : this._partitionParameters()[rank].flatMap((g) => g.params.map((p) => p.detach()));
      for (const t of tensors) handles.push(broadcast(t, src, { group, asyncOp: true })!);
    }
    for (const h of handles) h.wait();
  }

  /** The local optimizer's step on this rank's shard, then every rank's updated parameters broadcast. */
  step(): undefined;
  step<T extends Tensor | number>(closure: Closure<T>): T;
  step<T extends Tensor | number>(closure?: Closure<T>): T | undefined;
  step<T extends Tensor | number>(closure?: Closure<T>): T | undefined {
    Join.notifyJoinContext(this);
    const mask = this.trainableMask();
    if (mask.some((m, i) => m !== this.isTrainableMask[i])) {
      warn('ZeroRedundancyOptimizer detected that the trainable parameters changed; rebuilding the parameter buckets if enabled');
      this.buildParamBuckets();
      this.isTrainableMask = mask;
    }
    syncParamGroups(this.paramGroups, this.optim.paramGroups);
    const loss = this.optim.step(closure);
    syncParamGroups(this.optim.paramGroups, this.paramGroups);
    this.syncParams();
    return loss;
  }

  /** Joinable.joinHook (it takes no keywords): a joined rank keeps stepping its shard. */
  joinHook(): JoinHook {
    return new ZeROJoinHook(this);
  }

  get joinDevice(): Device {
    return this.allParams[0].device;
  }

  get joinProcessGroup(): ProcessGroup {
    return this.processGroup;
  }

  /** Never called: step() runs the local optimizer instead. */
  protected updateGroup(): void {
    throw new TorchError('ZeroRedundancyOptimizer updates parameters through its local optimizer');
  }

  /** consolidate_state_dict(to=0): gathers every rank's local state dict on rank `to` (every rank must call it), for stateDict(). */
  consolidateStateDict(...rest: Rest<{ to?: number }, ['to']>): void {
    const to = parse<{ to?: number }>('consolidate_state_dict', given(rest), ['to']).to ?? 0;
    syncParamGroups(this.paramGroups, this.optim.paramGroups);
    const messenger = tensor([0], { dtype: uint8 });
    this.allStateDicts = [];
    for (let rank = 0; rank < this.worldSize; rank++) {
      const src = getGlobalRank(this.processGroup, rank);
      if (this.rank === to) {
        const local = rank === this.rank ? this.optim.stateDict() : broadcastObject(messenger, src, this.processGroup);
        this.allStateDicts.push(local as (typeof this.allStateDicts)[number]);
      } else if (rank === this.rank) {
        broadcastObject(this.optim.stateDict(), this.globalRank, this.processGroup);
      } else if (rank !== to) {
        broadcastObject(messenger, src, this.processGroup);
      }
    }
  }

  /** The whole optimizer's state dict (Python's layout and indices), from the last consolidateStateDict to this rank. */
  stateDict(): { state: Map<number, ParamState>; param_groups: Record<string, unknown>[] } {
    if (this.allStateDicts.length === 0) {
      throw new TorchError(
        `Optimizer state has not been consolidated on this rank. Please call \`consolidate_state_dict(to=${this.rank})\` on all ranks beforehand if you meant to save the global state.`,
      );
    }
    const stateDict = super.stateDict();
    const index = new Map(this.indexToParam().map((p, i) => [p, i]));
    this.allStateDicts.forEach((local, rank) => {
      const globalGroups = this._partitionParameters()[rank];
      if (local.param_groups.length !== globalGroups.length) throw new TorchError('Mismatch between number of local and global parameter groups');
      const localState = new Map(stateEntries(local.state));
      local.param_groups.forEach((g, i) => {
        const localIndices = (g.params as unknown[]).map(Number);
        localIndices.forEach((li, j) => {
          if (localState.has(li)) stateDict.state.set(index.get(globalGroups[i].params[j])!, localState.get(li)!);
        });
      });
    });
    stateDict.state = new Map([...stateDict.state].sort(([x], [y]) => x - y));
    return stateDict;
  }

  /**
   * Loads a state dict from stateDict() (here or Python's): this rank's parameters' state goes to the
   * local optimizer; as in Python, the other entries of the given dict are set to null.
   */
  loadStateDict(stateDict: OptimizerStateDict): void {
    const params = this.indexToParam();
    const owner = this.paramToRank();
    const mine = new Map<Tensor, ParamState>();
    const kept: [number, ParamState][] = [];
    for (const [index, value] of stateEntries(stateDict.state)) {
      const param = params[index];
      if (owner.get(param) !== this.rank) {
        if (stateDict.state instanceof Map) stateDict.state.set(index, null as unknown as ParamState);
        else (stateDict.state as Record<string, ParamState | null>)[index] = null;
      } else {
        mine.set(param, value);
        kept.push([index, value]);
      }
    }
    this.loadLocalState(mine);
    super.loadStateDict({ state: new Map(kept), param_groups: stateDict.param_groups });
    syncParamGroups(this.paramGroups, this.optim.paramGroups);
  }

  /** Sets the local optimizer's state of some parameters (the others kept), through its own loadStateDict's conversions. */
  private loadLocalState(states: Map<Tensor, ParamState>): void {
    if (states.size === 0) return;
    const local = this.optim.stateDict();
    this.optim.paramGroups.flatMap((g) => g.params).forEach((p, i) => {
      const s = states.get(p);
      if (s !== undefined) local.state.set(i, s);
    });
    this.optim.loadStateDict(local);
  }
}
