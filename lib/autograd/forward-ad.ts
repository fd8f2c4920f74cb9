// torch.autograd.forward_ad: forward-mode AD with dual tensors.
//   torch.autograd.forwardAd.dualLevel(() => {
//     const inp = fwAD.makeDual(x, v);
//     const { tangent } = fwAD.unpackDual(f(inp));   // J(x) v
//   });
// Levels are libtorch's (native enterDualLevel/exitDualLevel, as torch._C._enter_dual_level);
// dual tensors are aten::_make_dual and aten::_unpack_dual. As in PyTorch 1.13 a single level
// at a time is supported (nesting raises libtorch's "Nested forward mode AD is not supported").
import { TorchError } from '../errors';
import { checkKeywords } from '../keywords';
import { native } from '../native';
import { Tensor } from '../tensor/tensor';
import { aten } from '../tensor/aten';
import { thenCleanUp } from '../settle';

const makeDualAten = aten('_make_dual', '');
const unpackDualAten = aten('_unpack_dual', '');

/** Runs an op, raising libtorch's message as Python does (without the boxed call's "aten::op: "). */
function pythonMessage<R>(prefix: string, call: () => R): R {
  try {
    return call();
  } catch (e) {
    if (e instanceof TorchError && e.message.startsWith(prefix)) throw new TorchError(e.message.slice(prefix.length));
    throw e;
  }
}
const makeDualOp = (args: unknown[]): unknown => pythonMessage('aten::_make_dual: ', () => makeDualAten(args));
const unpackDualOp = (args: unknown[]): unknown => pythonMessage('aten::_unpack_dual: ', () => unpackDualAten(args));

/** Python's module global: the level the other functions use by default (-1: none entered). */
let currentLevel = -1;

export interface LevelOptions {
  /** the forward AD level (default: the current one) */
  level?: number | null;
}
const LEVEL_KEYS = ['level'];

/** The level options name, as Python's keyword-only `level`. */
function levelOf(fn: string, options: LevelOptions | undefined): number {
  checkKeywords(fn, options, LEVEL_KEYS);
  const level = options?.level;
  if (level === undefined || level === null) return currentLevel;
  if (!Number.isInteger(level)) throw new TorchError(`${fn}(): argument 'level' must be int, not ${typeof level}`);
  return level;
}

/** torch.autograd.forward_ad.enter_dual_level(): enters a new level and returns its index. */
export function enterDualLevel(): number {
  const level = native.enterDualLevel();
  if (level !== currentLevel + 1) {
    throw new TorchError('Entering a new forward AD level but the current level is not valid. Make sure you did not modified it directly.');
  }
  currentLevel = level;
  return level;
}

/** torch.autograd.forward_ad.exit_dual_level({ level }): exits the (innermost) level, dropping its tangents. */
export function exitDualLevel(options?: LevelOptions): void {
  const level = levelOf('exit_dual_level', options);
  if (level !== currentLevel) {
    throw new TorchError('Trying to exit a forward AD level that was not the last one that was created. This is not supported.');
  }
  native.exitDualLevel(level);
  currentLevel = level - 1;
}

/**
 * torch.autograd.forward_ad.make_dual(tensor, tangent, { level }): a tensor aliasing `tensor` whose
 * forward gradient at the level is `tangent`. Backward differentiable.
 */
export function makeDual(tensor: Tensor, tangent: Tensor, options?: LevelOptions): Tensor {
  const level = levelOf('make_dual', options);
  if (level < 0) {
    throw new TorchError('Trying to create a dual Tensor for forward AD but no level exists, make sure to enter_dual_level() first.');
  }
  if (!(tensor instanceof Tensor)) throw new TorchError(`make_dual(): argument 'tensor' must be Tensor, not ${typeof tensor}`);
  if (!(tangent instanceof Tensor)) throw new TorchError(`make_dual(): argument 'tangent' must be Tensor, not ${typeof tangent}`);
  if (!(tensor.dtype.isFloatingPoint || tensor.dtype.isComplex)) {
    throw new TorchError(`Expected primal to be floating point or complex, but got: ${tensor.dtype}`);
  }
  if (!(tangent.dtype.isFloatingPoint || tangent.dtype.isComplex)) {
    throw new TorchError(`Expected tangent to be floating point or complex, but got: ${tangent.dtype}`);
  }
  return makeDualOp([tensor, tangent, level]) as Tensor;
}

/** Python's UnpackedDualTensor named tuple: [primal, tangent] that also has .primal and .tangent. */
export interface UnpackedDualTensor {
  readonly 0: Tensor;
  readonly 1: Tensor | null;
  readonly primal: Tensor;
  /** null when the tensor has no tangent at the level (Python's None) */
  readonly tangent: Tensor | null;
  readonly length: 2;
  [Symbol.iterator](): Iterator<Tensor | null>;
}

function unpacked(primal: Tensor, tangent: Tensor | null): UnpackedDualTensor {
  const values = [primal, tangent];
  Object.defineProperty(values, 'primal', { value: primal, enumerable: false });
  Object.defineProperty(values, 'tangent', { value: tangent, enumerable: false });
  const repr = (): string => `UnpackedDualTensor(primal=${String(primal)}, tangent=${tangent === null ? 'None' : String(tangent)})`;
  Object.defineProperty(values, 'toString', { value: repr, enumerable: false });
  Object.defineProperty(values, Symbol.for('nodejs.util.inspect.custom'), { value: repr, enumerable: false });
  return values as unknown as UnpackedDualTensor;
}

/**
 * torch.autograd.forward_ad.unpack_dual(tensor, { level }): [primal, tangent] (also .primal and
 * .tangent); the primal is a view of tensor's value, the tangent null when it has none at the
 * level (always outside any level). Backward differentiable.
 */
export function unpackDual(tensor: Tensor, options?: LevelOptions): UnpackedDualTensor {
  const level = levelOf('unpack_dual', options);
  if (!(tensor instanceof Tensor)) throw new TorchError(`unpack_dual(): argument 'tensor' must be Tensor, not ${typeof tensor}`);
  if (level < 0) return unpacked(tensor, null);
  const [primal, tangent] = unpackDualOp([tensor, level]) as [Tensor, Tensor | null];
  return unpacked(primal, tangent ?? null);
}

/**
 * Python's `with fwAD.dual_level() as level:` runs fn(level) inside a new forward AD level and
 * exits it afterwards (also when fn throws); an async fn keeps the level until its promise
 * settles. Levels are process-wide, as in PyTorch: two dualLevel scopes may not overlap.
 */
export function dualLevel<T>(fn: (level: number) => T): T {
  if (typeof fn !== 'function') throw new TorchError('dualLevel(fn): fn must be a function');
  const level = enterDualLevel();
  return thenCleanUp(() => fn(level), () => exitDualLevel());
}
