// torch.utils.checkpoint: trade compute for memory. The forward runs fn without recording a graph
// and keeps only fn's inputs; backward runs fn again with grad on (same RNG and autocast state as
// the first run) and backpropagates through that fresh graph, as PyTorch 1.13's CheckpointFunction.
import { TorchError, pyTypeName, warn } from '../errors';
import { native } from '../native';
import { Tensor } from '../tensor/tensor';
import { Generator, defaultCudaGenerator, forkRng, getRngState, setRngState } from '../tensor/random';
import { AutogradFunction, FunctionCtx } from '../autograd/function';
import { backward } from '../autograd/grad';
import { enableGrad, isGradEnabled } from '../autograd/grad-mode';
import { Module } from '../nn/module';
import { keep, tidy } from '../memory/scope';
import { checkKeywords, isOptions, keysOf } from '../keywords';
import { camel } from '../ops/schema';

export interface CheckpointOptions {
  /**
   * PyTorch's default (true) is the reentrant variant. false is accepted, but our bindings have no
   * saved-tensor hooks, so it runs the same recomputation; only when no tensor input requires grad
   * does it run fn plainly (keeping its graph), so that gradients still reach fn's parameters.
   */
  useReentrant?: boolean;
  /** restore the CPU (and CUDA) random state of the forward for the recomputation (default true) */
  preserveRngState?: boolean;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFn = (...args: any[]) => any;

const CHECKPOINT_KEYS = keysOf<CheckpointOptions>()('useReentrant', 'preserveRngState');

/**
 * A trailing plain object naming one of checkpoint's keys (or its snake_case) is its options
 * (Python's keyword arguments), and may hold no other key; any other plain object is fn's argument.
 */
function isCheckpointOptions(x: unknown): x is CheckpointOptions {
  return isOptions(x) && Object.keys(x).some((k) => CHECKPOINT_KEYS.includes(camel(k)));
}

function splitOptions(rest: unknown[]): [unknown[], CheckpointOptions] {
  const last = rest[rest.length - 1];
  if (rest.length === 0 || !isCheckpointOptions(last)) return [rest, {}];
  checkKeywords('checkpoint', last, CHECKPOINT_KEYS);
  return [rest.slice(0, -1), last];
}

/** The default generator of each CUDA device that a tensor argument lives on. */
function cudaGeneratorsOf(args: unknown[]): Generator[] {
  const indices = new Set<number>();
  for (const a of args) {
    if (a instanceof Tensor && a.device.type === 'cuda') indices.add(a.device.index ?? 0);
  }
  return [...indices].map(defaultCudaGenerator);
}

/** What the forward keeps for the recomputation (Python keeps the same on its ctx). */
interface CheckpointCtx extends FunctionCtx {
  runFunction: AnyFn;
  preserveRngState: boolean;
  autocastState: number;
  fwdCpuState: Tensor | null;
  cudaGenerators: Generator[];
  fwdCudaStates: Tensor[];
  /** the arguments, with null where a tensor was (those come back from savedTensors) */
  inputs: unknown[];
  tensorIndices: number[];
}

/** Runs fn with libtorch's autocast switches as they were at the forward. */
function withAutocastState<T>(state: number, fn: () => T): T {
  const previous = native.getAutocastState();
  native.setAutocastState(state);
  try {
    return fn();
  } finally {
    native.setAutocastState(previous);
  }
}

/** A copy of the argument cut from the graph, requiring grad as the original did (detach_variable). */
function detachArgument(arg: unknown): unknown {
  if (!(arg instanceof Tensor)) return arg;
  return arg.detach().requiresGrad_(arg.requiresGrad);
}

export class CheckpointFunction extends AutogradFunction {
  static forward(fnCtx: FunctionCtx, runFunction: AnyFn, preserveRngState: boolean, ...args: unknown[]): unknown {
    if (!args.some((a) => a instanceof Tensor && a.requiresGrad)) {
      warn('None of the inputs have requires_grad=True. Gradients will be None');
    }
    const ctx = fnCtx as CheckpointCtx;
    ctx.runFunction = runFunction;
    ctx.preserveRngState = preserveRngState;
    ctx.autocastState = native.getAutocastState();
    ctx.fwdCpuState = null;
    ctx.cudaGenerators = [];
    ctx.fwdCudaStates = [];
    if (preserveRngState) {
      // kept: a tidy around this forward must not dispose what its backward needs
      ctx.fwdCpuState = keep(getRngState());
      ctx.cudaGenerators = cudaGeneratorsOf(args);
      ctx.fwdCudaStates = ctx.cudaGenerators.map((g) => keep(g.getState()));
    }
    ctx.inputs = args.map((a) => (a instanceof Tensor ? null : a));
    ctx.tensorIndices = args.flatMap((a, i) => (a instanceof Tensor ? [i] : []));
    ctx.saveForBackward(...args.filter((a): a is Tensor => a instanceof Tensor));
    // apply() runs forward with grad off: fn records no graph; its temporaries go right away
    return tidy(() => runFunction(...args));
  }

  static backward(fnCtx: FunctionCtx, ...grads: (Tensor | null)[]): (Tensor | null)[] {
    // the recomputed graph's tensors go as soon as it is done, not when the GC gets to their handles
    return tidy(() => recomputeAndBackward(fnCtx as CheckpointCtx, grads));
  }
}

/** CheckpointFunction's backward: fn again, with grad, then backward through it to fn's inputs. */
function recomputeAndBackward(ctx: CheckpointCtx, grads: (Tensor | null)[]): (Tensor | null)[] {
  const inputs = [...ctx.inputs];
  const saved = ctx.savedTensors;
  ctx.tensorIndices.forEach((at, i) => (inputs[at] = saved[i]));

  let detached: unknown[] = [];
  const devices = ctx.cudaGenerators.map((g) => g.device.index ?? 0);
  const outputs = forkRng({ devices, enabled: ctx.preserveRngState }, () => {
    if (ctx.preserveRngState) {
      setRngState(ctx.fwdCpuState!);
      ctx.cudaGenerators.forEach((g, i) => g.setState(ctx.fwdCudaStates[i]));
    }
    detached = inputs.map(detachArgument);
    return enableGrad(() => withAutocastState(ctx.autocastState, () => ctx.runFunction(...detached)));
  });

  const outs: unknown[] = Array.isArray(outputs) ? outputs : [outputs];
  const withGrad: Tensor[] = [];
  const gradsWithGrad: Tensor[] = [];
  outs.forEach((out, i) => {
    if (out instanceof Tensor && out.requiresGrad && grads[i] != null) {
      withGrad.push(out);
      gradsWithGrad.push(grads[i]!);
    }
  });
  if (withGrad.length === 0) throw new TorchError('none of output has requires_grad=True, this checkpoint() is not necessary');
  backward(withGrad, gradsWithGrad);
  return [null, null, ...detached.map((d) => (d instanceof Tensor ? d.grad : null))];
}

/**
 * torch.utils.checkpoint.checkpoint(fn, ...args, { useReentrant, preserveRngState }): fn(...args),
 * without keeping fn's intermediate tensors for backward; backward recomputes them. Returns what fn
 * returns (a tensor or an array whose tensors are connected to the graph). Tensors that fn makes
 * and does not return are disposed when each run of fn ends (as Python frees them on return); one
 * that fn stores elsewhere must be passed to torch.keep.
 */
export function checkpoint<F extends AnyFn>(fn: F, ...rest: [...Parameters<F>] | [...Parameters<F>, CheckpointOptions]): ReturnType<F> {
  if (typeof fn !== 'function') throw new TorchError('checkpoint expects a function (or module) to run as its first argument');
  const [args, options] = splitOptions(rest);
  const preserve = options.preserveRngState ?? true;
  const useReentrant = options.useReentrant ?? true;
  if (!useReentrant && isGradEnabled() && !args.some((a) => a instanceof Tensor && a.requiresGrad)) {
    // gradients may still be due to fn's parameters: keep fn's graph (no memory saved here)
    return fn(...args);
  }
  return CheckpointFunction.apply(fn, preserve, ...args) as ReturnType<F>;
}

/** One function running functions[start..end] in order. */
function runSegment(functions: AnyFn[], start: number, end: number): (input: unknown) => unknown {
  return (input) => {
    for (let j = start; j <= end; j++) input = functions[j](input);
    return input;
  };
}

/**
 * torch.utils.checkpoint.checkpoint_sequential(functions, segments, input, options): runs the
 * modules/functions in `segments` chunks, checkpointing every chunk but the last.
 */
export function checkpointSequential(
  functions: Module | AnyFn[] | Iterable<AnyFn>,
  segments: number,
  input: Tensor,
  options: CheckpointOptions = {},
): Tensor {
  checkKeywords('checkpointSequential', options, CHECKPOINT_KEYS);
  if (!Number.isInteger(segments) || segments < 1) throw new TorchError(`segments must be a positive integer, got ${segments}`);
  const list: AnyFn[] = functions instanceof Module ? ([...functions.children()] as unknown as AnyFn[]) : [...(functions as Iterable<AnyFn>)];
  const segmentSize = Math.floor(list.length / segments);
  let end = -1;
  let x: unknown = input;
  for (let start = 0; start < segmentSize * (segments - 1); start += segmentSize) {
    end = start + segmentSize - 1;
    x = checkpoint(runSegment(list, start, end), x, { ...options });
  }
  return runSegment(list, end + 1, list.length - 1)(x) as Tensor;
}

/**
 * torch.utils.checkpoint.detach_variable(inputs): each tensor of the array detached, requiring grad
 * as it did; other values as they are. Python's tuple is an array here.
 */
export function detachVariable(inputs: readonly unknown[]): unknown[] {
  if (!Array.isArray(inputs)) {
    throw new TorchError(`('Only tuple of tensors is supported. Got Unsupported input type: ', '${pyTypeName(inputs, 'tuple')}')`);
  }
  return inputs.map(detachArgument);
}

/** torch.utils.checkpoint.check_backward_validity(inputs): warns when no tensor among them requires grad. */
export function checkBackwardValidity(inputs: Iterable<unknown>): void {
  if (![...inputs].some((a) => a instanceof Tensor && a.requiresGrad)) {
    warn('None of the inputs have requires_grad=True. Gradients will be None');
  }
}

/**
 * torch.utils.checkpoint.get_device_states(...args): the CUDA devices the tensor arguments live on
 * (ascending, as Python's set of small ints iterates) and each one's RNG state; empty on the CPU.
 */
export function getDeviceStates(...args: unknown[]): [number[], Tensor[]] {
  const devices = cudaGeneratorsOf(args)
    .map((g) => g.device.index ?? 0)
    .sort((a, b) => a - b);
  return [devices, devices.map((d) => defaultCudaGenerator(d).getState())];
}

/** torch.utils.checkpoint.set_device_states(devices, states): restores each CUDA device's RNG state. */
export function setDeviceStates(devices: readonly number[], states: readonly Tensor[]): void {
  const n = Math.min(devices.length, states.length);
  for (let i = 0; i < n; i++) defaultCudaGenerator(devices[i]).setState(states[i]);
}
