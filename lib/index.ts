// torch-node: `import * as torch from 'torch-node'`.
export { TorchError, PyTypeError, ValueError, IndexError, AssertionError, NotImplementedError } from './errors';
export type { GradFn, BackwardOptions, ToOptions, NestedList, Scalar } from './tensor/tensor';
export * from './tensor/dtype';
export * from './tensor/memory-format';
export { Device, device } from './tensor/device';
export type { DeviceLike } from './tensor/device';
export * from './tensor/create';
export * from './tensor/legacy';
export { setDefaultTensorType } from './tensor/default-tensor-type';
export type { TensorData } from './tensor/nested';
export { finfo, iinfo } from './tensor/type-info';
export type { FInfo, IInfo } from './tensor/type-info';
export { __version__, version } from './tensor/version';
import './tensor/new-tensor';
export { defaultGenerator, getRngState, setRngState } from './tensor/random';
export * as random from './tensor/random-module';
export * from './tensor/functions';
// uniqueConsecutive by name: Python's tuple-returning wrapper over the generated op of that name
export { unique, uniqueConsecutive, broadcastShapes, typename, seed, getDevice } from './tensor/utilities';
export { lu } from './tensor/lu';
export { range } from './tensor/deprecated-range';
import './tensor/elementwise-callbacks';
export * from './build-flags';
export type { UniqueOptions, UniqueConsecutiveOptions, UniqueResult } from './tensor/tensor';
// every other public aten op: generated torch.<op> functions, Tensor methods, linalg/fft/special
export * from './ops/generated/functions';
export * from './ops/generated/namespaces';
import './ops/generated/methods';
// torch.fft with its handwritten factories (fftfreq, rfftfreq): shadows the generated namespace's name
export { fft } from './fft';
export { svdLowrank } from './linalg-lowrank/svd-lowrank';
export { pcaLowrank } from './linalg-lowrank/pca-lowrank';
export * as quasirandom from './quasirandom';
export { lobpcg } from './lobpcg/lobpcg';
import './tensor/complex-casts';
import './tensor/legacy-new';
import './tensor/deprecated-resize';
import './tensor/shared-memory';
export { sparseCompressedTensor, sparseCsrTensor, sparseCscTensor, sparseBsrTensor, sparseBscTensor } from './tensor/sparse-compressed';
export { inf, nan, pi, e } from './tensor/math-constants';
export { setDeterministicDebugMode, getDeterministicDebugMode } from './tensor/deterministic-debug-mode';
export { ops } from './ops/aten-namespace';
export type { AtenOp } from './ops/aten-namespace';
export { sparseCooTensor, spmm } from './tensor/sparse';
export { sparse } from './tensor/sparse-extras';
export { Layout, strided, sparseCoo, sparseCsr, sparseCsc, sparseBsr, sparseBsc } from './tensor/layout';
// Python's type objects by their torch names: x.dtype instanceof torch.dtype, as isinstance(x.dtype, torch.dtype)
export { DType as dtype } from './tensor/dtype';
export { Layout as layout } from './tensor/layout';
export { QScheme as qscheme } from './ao';
export { setPrintoptions, getPrintoptions } from './tensor/format';
export type { PrintOptions, SetPrintOptions, PrintProfile } from './tensor/format';
export { tidy, scope, keep } from './memory/scope';
export { noGrad, enableGrad, inferenceMode, isGradEnabled, isInferenceModeEnabled, setGradEnabled } from './autograd/grad-mode';
export * as autograd from './autograd';
export { slice, Slice } from './tensor/indexing';
export type { IndexItem } from './tensor/indexing';
export { manualSeed, initialSeed, setNumThreads, getNumThreads, setNumInteropThreads, getNumInteropThreads, libtorchVersion, cuda, memory, setFlushDenormal, setWarnAlways, isWarnAlwaysEnabled } from './runtime';
export { isAnomalyEnabled, isAnomalyCheckNanEnabled, setAnomalyEnabled } from './autograd/anomaly-mode';
export type { MemoryInfo } from './runtime';
export { autocast, isAutocastEnabled, isAutocastCpuEnabled, isAutocastCacheEnabled, getAutocastDtype, clearAutocastCache } from './amp';
export * from './amp/autocast-switches';
export * as amp from './amp';
export * as backends from './backends';
export { useDeterministicAlgorithms, areDeterministicAlgorithmsEnabled, isDeterministicAlgorithmsWarnOnlyEnabled, setFloat32MatmulPrecision, getFloat32MatmulPrecision } from './backends';
export * as data from './data';
export { save, saveSync, load, loadSync, safetensors, ScriptObject } from './serialization';
export type { LoadOptions, SaveOptions, MapLocation, WritableTarget } from './serialization';
export * as utils from './utils';
export * as optim from './optim';
export * as nn from './nn';
export * as distributions from './distributions';
export * as jit from './jit';
export * as hub from './hub';
export * as testing from './testing';
export * as profiler from './profiler';
export * as ao from './ao';
export * as distributed from './distributed';
export * as multiprocessing from './multiprocessing';
// torch.quantization (torch.ao.quantization) and the qschemes torch.* names
export { quantization, QScheme, perTensorAffine, perChannelAffine, perTensorSymmetric, perChannelSymmetric, perChannelAffineFloatQparams } from './ao';
// torch.UntypedStorage / TypedStorage / FloatStorage..., torch.isStorage, x.storage() (lib/tensor/storage)
export * from './tensor/storage';
// Tensor and torch names 1.13 keeps for old code (removed linalg functions that raise, backend flags, names)
import './tensor/legacy-methods';
export { eig, solve, lstsq, matrixRank } from './tensor/legacy-methods';
export * as func from './func';
export { vmap } from './func';
