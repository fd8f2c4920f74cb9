// The ONLY file that loads the .node addon. Everything else imports `native` from here.
import * as fs from 'fs';
import * as path from 'path';

/** Opaque native tensor handle (a napi external owning an at::Tensor). */
export type Handle = { readonly __torchNodeHandle: unique symbol };
/** A node of the autograd graph (grad_fn.cc). */
export type NodeHandle = { readonly __torchGraphNode: unique symbol };
export type Result = Handle | Handle[] | number | boolean | string | undefined | Result[];

/** A graph value as jitGraphNodes describes it. */
export interface JitGraphValue {
  name: string;
  uses: number;
  classType: boolean;
  isTensor: boolean;
  complete: boolean;
  sizes: number[] | null;
}
/** A node attribute: ints as decimal strings, tensors as handles. */
export interface JitGraphAttribute {
  kind: string;
  value: unknown;
}
export interface JitGraph {
  inputs: JitGraphValue[];
  nodes: { kind: string; scope: string; inputs: JitGraphValue[]; outputs: JitGraphValue[]; attributes: [string, JitGraphAttribute][] }[];
  outputs: JitGraphValue[];
}

export interface DtypeRow {
  name: string;
  code: number;
  itemsize: number;
  isFloatingPoint: boolean;
  isComplex: boolean;
  isSigned: boolean;
  /** the TypedArray class holding raw elements: halves as bits, complex as (re, im) pairs */
  typedArray: string;
}

export interface NativeMemory {
  liveTensors: number;
  cpuBytes: number;
  cudaBytes: number;
  handleBytes: number;
  peakHandleBytes: number;
}

type Unary = (self: Handle) => Handle;
type Binary = (self: Handle, other: Handle | number | boolean, alpha?: number) => Handle;

export interface Native {
  // runtime.cc
  manualSeed(seed: number | bigint): void;
  initialSeed(): bigint;
  setNumThreads(n: number): void;
  getNumThreads(): number;
  /** OpenBLAS's thread count (0 without OpenBLAS); setNumThreads sets it too. */
  blasNumThreads(): number;
  setNumInteropThreads(n: number): void;
  getNumInteropThreads(): number;
  cudaDeviceCount(): number;
  libtorchVersion(): string;
  /** NODE_MODULE_VERSION of the Node.js headers the addon was built against. */
  nodeModuleVersion: number;
  setErrorClass(cls: new (message: string) => Error): void;
  setWarningFunction(emit: (message: string) => void): void;
  // anomaly_mode.cc: libtorch's AnomalyMode; the JS stack each graph node keeps while it is on
  /** [enabled, checkNan], after setting them when given */
  anomalyMode(enabled?: boolean, checkNan?: boolean): [boolean, boolean];
  setAnomalyStackFunction(capture: () => string): void;
  setGcFunctions(full: (() => void) | null, young: (() => void) | null): void;
  // cpu_allocator.cc
  /**
   * Returns cached CPU blocks freed more than idleMs ago (0: all; left out: the allocator's own
   * idle time) to the system; how many.
   */
  releaseCpuCache(idleMs?: number): number;
  cpuCachedBytes(): number;
  // dtypes.cc
  dtypes(): DtypeRow[];
  // tensor_handle.cc
  dispose(h: Handle): void;
  isDisposed(h: Handle): boolean;
  memory(): NativeMemory;
  // tensor_data.cc
  fromTypedArray(data: ArrayBufferView, shape: number[], dtype: number): Handle;
  // shared_buffers.cc
  fromBuffer(view: Uint8Array, shape: number[], dtype: number): Handle;
  toTypedArray(h: Handle): ArrayBufferView;
  sharedTypedArray(h: Handle): ArrayBufferView;
  // runtime.cc: ATen's global switches (torch.backends)
  backendFlag(name: string, value?: boolean | string, warnOnly?: boolean): boolean | number | string | null | [boolean, boolean];
  /** c10's default dtype for factories given none (torch.set_default_dtype) */
  setDefaultDtype(dtype: number): void;
  item(h: Handle): number | boolean | [number, number];
  shape(h: Handle): number[];
  strides(h: Handle): number[];
  dtype(h: Handle): number;
  device(h: Handle): string;
  numel(h: Handle): number;
  dim(h: Handle): number;
  /** c10::Layout code: 0 strided, 1 sparse COO, 2 CSR, 3 mkldnn, 4 CSC, 5 BSR, 6 BSC */
  layout(h: Handle): number;
  dataPtr(h: Handle): number;
  isContiguous(h: Handle): boolean;
  to(h: Handle, dtype: number | null, device: string | null, nonBlocking: boolean, copy: boolean, memoryFormat: number | null): Handle;
  // autograd.cc
  backward(tensors: Handle[], gradients: (Handle | null)[], retainGraph: boolean | null, createGraph: boolean, inputs?: Handle[]): void;
  grad(h: Handle): Handle | null;
  setGrad(h: Handle, g: Handle | null): void;
  requiresGrad(h: Handle): boolean;
  setRequiresGrad(h: Handle, on: boolean): void;
  isLeaf(h: Handle): boolean;
  retainGrad(h: Handle): void;
  // grad_fn.cc: tensor.gradFn's graph nodes
  gradFnAddress(t: Handle): number | null;
  gradFnNode(t: Handle): NodeHandle | null;
  nodeAddress(n: NodeHandle): number;
  nodeName(n: NodeHandle): string;
  nodeIsCustom(n: NodeHandle): boolean;
  nodeNextFunctions(n: NodeHandle): [NodeHandle | null, number][];
  nodeVariable(n: NodeHandle): Handle | undefined;
  nodeRegisterHook(n: NodeHandle, fn: (gradInputs: (Handle | null)[], gradOutputs: (Handle | null)[]) => (Handle | null)[] | null): void;
  nodeRegisterPrehook(n: NodeHandle, fn: (gradOutputs: (Handle | null)[]) => (Handle | null)[] | null): void;
  isGradEnabled(): boolean;
  setGradEnabled(on: boolean): void;
  // forward-mode AD levels (torch._C._enter_dual_level / _exit_dual_level)
  enterDualLevel(): number;
  exitDualLevel(level: number): void;
  // torch._C._functions.UndefinedGrad()(t)
  undefinedGrad(h: Handle): Handle;
  // Python's t.data: same storage, no autograd, a version counter of its own
  variableData(h: Handle): Handle;
  // autograd_function.cc
  fnWrap(
    name: string,
    backward: (grads: (Handle | null)[], saved: (Handle | null)[]) => (Handle | null)[],
    inputs: Handle[],
    outputs: (Handle | null)[],
    dirty: Handle[],
    nonDifferentiable: Handle[],
    saved: (Handle | null)[],
    materializeGrads: boolean,
  ): (Handle | null)[];
  registerHook(h: Handle, fn: (grad: Handle) => Handle | null | undefined): number;
  removeHook(h: Handle, id: number): void;
  autogradGrad(
    outputs: (Handle | null)[],
    inputs: (Handle | null)[],
    gradOutputs: (Handle | null)[] | null,
    retainGraph: boolean | null,
    createGraph: boolean,
    allowUnused: boolean,
  ): (Handle | null)[];
  setEngineOnHelperThread(on: boolean): void;
  getAutogradMode(): number;
  setAutogradMode(mode: number): void;
  isInference(h: Handle): boolean;
  // indexing.cc
  indexGet(h: Handle, items: unknown[]): Handle;
  indexSet(h: Handle, items: unknown[], value: Handle | number | boolean): void;
  // scopes.cc (torch.tidy): open a scope -> its depth; close it, disposing what it made except survivors
  scopeEnter(): number;
  scopeExit(depth: number, survivors: Handle[]): void;
  keepHandle(h: Handle): void;
  // storage.cc (serialization): [storage key, nbytes, storage offset, conj/neg/zero view]; whole storage bytes
  storageInfo(h: Handle): [number, number, number, boolean];
  storageBytes(h: Handle): Buffer;
  // each whole storage written into fd at its position; returns their CRC-32s
  writeStoragesSync(fd: number, items: [Handle, number][]): number[];
  writeStorages(fd: number, items: [Handle, number][]): Promise<number[]>;
  // storage.cc (torch.UntypedStorage / TypedStorage): the storage's first byte's address; a 1-D view of
  // dtype over the whole storage; resize the storage itself (bytes); a byte tensor aliasing a byte range
  storageDataPtr(h: Handle): number;
  storageView(h: Handle, dtype: number): Handle;
  storageResize(h: Handle, nbytes: number): void;
  storageSlice(h: Handle, start: number, nbytes: number): Handle;
  // storage.cc (share_memory_, is_shared, from_file): move a CPU storage into shared memory; whether it is
  // shared (CUDA, or a mapping); a byte tensor over nbytes of a file mapped into memory
  storageShareMemory(h: Handle): void;
  storageIsShared(h: Handle): boolean;
  storageFromFile(filename: string, shared: boolean, nbytes: number): Handle;
  // cuda.cc (device: an index, or undefined/-1 for the current one; seeds: -2 = every device)
  cudaIsBuilt(): boolean;
  cudaCurrentDevice(): number;
  cudaSetDevice(device: number): void;
  cudaSynchronize(device?: number): void;
  cudaGetDeviceName(device?: number): string;
  cudaMemoryStats(device?: number): { allocated: number; peakAllocated: number; reserved: number; peakReserved: number };
  cudaEmptyCache(): void;
  cudaResetPeakMemoryStats(device?: number): void;
  cudaManualSeed(seed: number | bigint, device: number): void;
  // autocast.cc (packed thread-local autocast switches; nesting counts regions, clears the cache)
  getAutocastState(): number;
  setAutocastState(state: number): void;
  autocastIncrementNesting(): number;
  autocastDecrementNesting(): number;
  clearAutocastCache(): void;
  // ops_boxed.cc
  opFind(name: string, overload: string): number;
  opOverloads(name: string): string[];
  opSchemas(): string[];
  opCall(op: number, args: unknown[], kwargs?: Record<string, unknown>): Result;
  // ops_fast.cc
  addFast: Binary;
  subFast: Binary;
  mulFast: Binary;
  divFast: Binary;
  matmulFast: (a: Handle, b: Handle) => Handle;
  mmFast: (a: Handle, b: Handle) => Handle;
  reluFast: Unary;
  negFast: Unary;
  expFast: Unary;
  logFast: Unary;
  tanhFast: Unary;
  sigmoidFast: Unary;
  sqrtFast: Unary;
  absFast: Unary;
  selectFast: (a: Handle, dim: number, index: number) => Handle;
  narrowFast: (a: Handle, dim: number, start: number, length: number) => Handle;
  unsqueezeFast: (a: Handle, dim: number) => Handle;
  squeezeFast: (a: Handle, dim?: number) => Handle;
  transposeFast: (a: Handle, dim0: number, dim1: number) => Handle;
  tFast: Unary;
  flattenFast: (a: Handle, startDim: number, endDim: number) => Handle;
  viewFast: (a: Handle, size: number[]) => Handle;
  reshapeFast: (a: Handle, shape: number[]) => Handle;
  permuteFast: (a: Handle, dims: number[]) => Handle;
  toDtypeFast: (a: Handle, dtypeCode: number) => Handle;
  // jit.cc: TorchScript modules (a module handle is opaque; its tensors are the module's own)
  jitLoad(source: string | Buffer, device: string | null): Promise<ScriptHandle>;
  jitSave(module: ScriptHandle, path: string): Promise<void>;
  jitInfo(module: ScriptHandle): ScriptModuleInfo;
  jitCall(module: ScriptHandle, method: string, args: unknown[], kwargs: Record<string, unknown>): unknown;
  jitCallAsync(module: ScriptHandle, method: string, args: unknown[], kwargs: Record<string, unknown>): Promise<unknown>;
  jitTrain(module: ScriptHandle, mode: boolean): void;
  jitSetTensor(module: ScriptHandle, name: string, tensor: Handle): void;
  jitAttr(module: ScriptHandle, name: string): unknown;
  /** a module built from spec, with the forward libtorch's tracer recorded while fn ran on the inputs */
  jitTrace(spec: object, inputs: Handle[], fn: (...inputs: Handle[]) => unknown, strict: boolean): ScriptHandle;
  jitGraph(module: ScriptHandle, method: string): string;
  /** the method's graph, submodule calls inlined: values by debug name, attributes with their kinds */
  jitGraphNodes(module: ScriptHandle, method: string): JitGraph;
  /** while tracing: enter a submodule's scope (a name) or leave it (null) */
  jitTraceScope(name: string | null): void;
  /** a frozen clone: attributes inlined as constants, frozen-graph passes run on forward and the preserved methods */
  jitFreeze(module: ScriptHandle, preservedAttrs: string[], optimizeNumerics: boolean): ScriptHandle;
  /** rewrites a frozen module's graphs in place with libtorch's inference passes */
  jitOptimizeForInference(module: ScriptHandle, otherMethods: string[]): void;
  /** false for a frozen module (freezing removes the training attribute) */
  jitHasTraining(module: ScriptHandle): boolean;
  /** [the method's TorchScript source, its constants in CONSTANTS.c0, c1, ... order] */
  jitCode(module: ScriptHandle, method: string): [string, unknown[]];
  jitInlinedGraph(module: ScriptHandle, method: string): string;
  jitSaveToBuffer(module: ScriptHandle): Promise<Buffer>;
  jitDefine(module: ScriptHandle, source: string): void;
  jitIsTracing(): boolean;
  // profiler.cc: libtorch's profiler (CPU activity), Python's _enable_profiler / _disable_profiler
  profilerStart(recordShapes: boolean, profileMemory: boolean, withStack: boolean, withFlops: boolean, withModules: boolean, cudaFallback: boolean): void;
  profilerStop(): { traceStartUs: number; events: ProfilerEventRecord[] };
  profilerEnabled(): boolean;
  profilerAddMetadataJson(key: string, json: string): void;
  // profiler.cc: libtorch's ExecutionGraphObserver (one per process)
  executionGraphObserverAdd(outputFilePath: string): boolean;
  executionGraphObserverRemove(): void;
  executionGraphObserverEnable(): void;
  executionGraphObserverDisable(): void;
  // quantized.cc: the quantized engine switch, and any operator called by name with packed weights
  /** c10::QEngine code of the current engine, after setting it to `code` when given */
  quantizedEngine(code?: number): number;
  supportedQuantizedEngines(): number[];
  /**
   * any operator by name and overload ('quantized::conv2d', 'new'), positional arguments (tensor and
   * packed-params handles, numbers, arrays); custom-class results come back as packed-params handles
   */
  quantizedCall(name: string, overload: string, args: unknown[]): unknown;
  // distributed.cc / ddp.cc: c10d stores, the gloo process group, collectives, DDP's Reducer
  /** false when the addon was built without gloo (then none of the functions below exist) */
  distributedAvailable(): boolean;
  tcpStore(host: string, port: number, worldSize: number | null, isServer: boolean, timeoutMs: number, waitWorkers: boolean, multiTenant: boolean): StoreHandle;
  tcpStorePort(store: StoreHandle): number;
  fileStore(path: string, numWorkers: number): StoreHandle;
  hashStore(): StoreHandle;
  prefixStore(prefix: string, store: StoreHandle): StoreHandle;
  /** a Store method by name: set/get/add/compareSet/deleteKey/check/numKeys/wait/setTimeout/timeout */
  storeCall(store: StoreHandle, method: string, ...args: unknown[]): unknown;
  processGroupGloo(store: StoreHandle, rank: number, size: number, timeoutMs: number): ProcessGroupHandle;
  processGroupInfo(group: ProcessGroupHandle): { rank: number; size: number; backend: string };
  processGroupSetSequenceNumber(group: ProcessGroupHandle): void;
  /** a ProcessGroup collective by name, with the C++ method's argument order */
  collective(group: ProcessGroupHandle, op: string, ...args: unknown[]): WorkHandle;
  monitoredBarrier(group: ProcessGroupHandle, timeoutMs: number | null, waitAllRanks: boolean): void;
  workWait(work: WorkHandle, timeoutMs?: number): boolean;
  workWaitAsync(work: WorkHandle): Promise<void>;
  workInfo(work: WorkHandle): { completed: boolean; success: boolean; sourceRank: number };
  workResult(work: WorkHandle): Handle[];
  /** c10d's TORCH_DISTRIBUTED_DEBUG level: 0 OFF, 1 INFO, 2 DETAIL */
  distributedDebugLevel(): number;
  setDistributedDebugLevel(level: number): void;
  setDistributedDebugLevelFromEnv(): void;
  computeBucketAssignmentBySize(tensors: Handle[], sizeLimits: number[], expectSparse: boolean[]): [number[][], number[]];
  verifyParamsAcrossProcesses(group: ProcessGroupHandle, params: Handle[]): void;
  broadcastCoalesced(group: ProcessGroupHandle, tensors: Handle[], bufferBytes: number, src: number): void;
  reducerNew(
    params: Handle[], bucketIndices: number[][], perBucketSizeLimits: number[], group: ProcessGroupHandle, expectSparse: boolean[],
    bucketBytesCap: number, findUnusedParameters: boolean, gradientAsBucketView: boolean, paramNames: string[], firstBucketBytesCap: number,
  ): ReducerHandle;
  /** a Reducer method by name: prepareForForward/prepareForBackward/rebuildBuckets/setStaticGraph/queueDelayAllReduce/registerBuiltinCommHook */
  reducerCall(reducer: ReducerHandle, method: string, ...args: unknown[]): unknown;
}

/** c10d handles (distributed.cc, ddp.cc). */
export type StoreHandle = { readonly __torchStore: unique symbol };
export type ProcessGroupHandle = { readonly __torchProcessGroup: unique symbol };
export type WorkHandle = { readonly __torchWork: unique symbol };
export type ReducerHandle = { readonly __torchReducer: unique symbol };

/** LinearPackedParamsBase / Conv{2,3}dPackedParamsBase of libtorch's quantized engines (quantized.cc). */
export type PackedParamsHandle = { readonly __torchPackedParams: unique symbol };

/** One event of libtorch's profiler result (KinetoEvent's accessors; times in microseconds). */
export interface ProfilerEventRecord {
  name: string;
  startUs: number;
  durationUs: number;
  startThreadId: number;
  endThreadId: number;
  fwdThreadId: number;
  correlationId: number;
  linkedCorrelationId: number;
  sequenceNr: number;
  scope: number;
  /** c10::DeviceType code */
  deviceType: number;
  deviceIndex: number;
  nBytes: number;
  flops: number;
  isAsync: boolean;
  cudaElapsedUs: number;
  shapes: number[][];
  dtypes: string[];
  stack: string[];
}

/** A loaded TorchScript module (jit.cc). */
export type ScriptHandle = { readonly __torchScriptModule: unique symbol };

/** One TorchScript module's own members, as jitInfo gives them. */
export interface ScriptModuleInfo {
  /** the scripted class's name (Python's original_name) */
  name: string;
  training: boolean;
  parameters: [string, Handle][];
  buffers: [string, Handle][];
  children: [string, ScriptHandle][];
  /** [name, [[parameter name, its TorchScript type], ...]] of each method (forward and the exported ones) */
  methods: [string, [string, string][]][];
  /** the attributes that are not parameters, buffers or modules */
  attributes: string[];
}

const ADDON = 'build/Release/torch_node.node';

function packageRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(__dirname, '..');
    dir = parent;
  }
  return dir;
}

function load(): Native {
  const file = path.join(packageRoot(), ADDON);
  if (!fs.existsSync(file)) {
    throw new Error(
      `torch-node: the native addon ${file} is missing. Build it with \`npm run build\` ` +
        '(needs libtorch: run scripts/setup.sh as root on Debian, or see README.md).',
    );
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const addon = require(file) as Native;
  // Tensor handles use V8 directly (native/external_box.h), so the addon runs only on the Node ABI
  // it was built for.
  if (String(addon.nodeModuleVersion) !== process.versions.modules) {
    throw new Error(
      `torch-node: the native addon ${file} was built for another Node.js (ABI ${addon.nodeModuleVersion}, ` +
        `this is ${process.versions.modules}, Node ${process.version}). Rebuild it with \`npm run build\`.`,
    );
  }
  return addon;
}

export const native: Native = load();

// functorch.cc (torch.func): libtorch's functorch interpreter stack, batched and grad-tracking tensors
// (merged into Native above; Python's torch._C._functorch)
export interface Native {
  /** pushes a vmap layer -> its level */
  functorchVmapIncrementNesting(batchSize: number, randomness: string): number;
  /** pushes a grad (reverse-mode) layer -> its level */
  functorchGradIncrementNesting(): number;
  /** pushes a jvp (forward-mode) layer -> its level */
  functorchJvpIncrementNesting(): number;
  /** pops the innermost layer, which must be of that kind -> its level */
  functorchDecrementNesting(kind: 'vmap' | 'grad' | 'jvp'): number;
  /** how many transforms are active */
  functorchDepth(): number;
  /** the innermost transform's level (null: none) */
  functorchCurrentLevel(): number | null;
  functorchAddBatchDim(h: Handle, dim: number, level: number): Handle;
  functorchRemoveBatchDim(h: Handle, level: number, batchSize: number, outDim: number): Handle;
  functorchIsBatchedTensor(h: Handle): boolean;
  /** a BatchedTensor's batch dim, -1 for other tensors */
  functorchMaybeGetBdim(h: Handle): number;
  functorchWrapForGrad(h: Handle, level: number): Handle;
  /** the value under a wrapper of that level; null when h is no such wrapper */
  functorchUnwrapForGrad(h: Handle, level: number): Handle | null;
  functorchIsGradTrackingTensor(h: Handle): boolean;
  /** a wrapper's level, -2 for a dead wrapper, -1 for a plain tensor */
  functorchMaybeGetLevel(h: Handle): number;
  functorchGetUnwrapped(h: Handle): Handle;
  /** the switch after setting it when given */
  functorchInplaceRequiresGradAllowed(on?: boolean): boolean;
  functorchFwdGradEnabled(on?: boolean): boolean;
  /** [fallback enabled, fallback warning enabled] after setting them when given */
  functorchVmapFallback(enabled?: boolean, warn?: boolean): [boolean, boolean];
  /** whether the functorch transforms are bypassed on this thread (Python's _DisableFuncTorch), after setting it when given */
  functorchDisabled(on?: boolean): boolean;
}
