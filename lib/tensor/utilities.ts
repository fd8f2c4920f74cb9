// torch.unique, unique_consecutive, broadcast_shapes, typename, seed: Python's module-level helpers
// around tensors. unique_consecutive is exported by name in index.ts, over the generated one.
import { TorchError } from '../errors';
import { Tensor, UniqueOptions, UniqueConsecutiveOptions, UniqueResult } from './tensor';
import { defaultGenerator, implicitGenerator } from './random';
import { manualSeedAll } from '../cuda/runtime';

/**
 * torch.broadcast_shapes(*shapes): the shape tensors of these shapes broadcast to (each an array of
 * ints or one int), with Python's errors.
 */
export function broadcastShapes(...shapes: (number | number[])[]): number[] {
  let maxLen = 0;
  for (const shape of shapes) {
    if (typeof shape === 'number') maxLen = Math.max(maxLen, 1);
    else if (Array.isArray(shape)) maxLen = Math.max(maxLen, shape.length);
  }
  const result = new Array<number>(maxLen).fill(1);
  for (const given of shapes) {
    const shape = typeof given === 'number' ? [given] : given;
    if (!Array.isArray(shape)) {
      throw new TorchError(`('Input shapes should be of type ints, a tuple of ints, or a list of ints, got ', ${String(given)})`);
    }
    for (let i = 1; i <= shape.length; i++) {
      const s = shape[shape.length - i];
      if (s < 0) throw new TorchError(`Trying to create tensor with negative dimension (${s}): (${s})`);
      if (s === 1 || s === result[maxLen - i]) continue;
      if (result[maxLen - i] !== 1) throw new TorchError('Shape mismatch: objects cannot be broadcast to a single shape');
      result[maxLen - i] = s;
    }
  }
  return result;
}

/**
 * torch.typename(obj): a tensor's legacy type ('torch.FloatTensor'); for other values Python's type
 * name of the JavaScript value (int, float, bool, str, NoneType, list) or its class name.
 */
export function typename(obj: unknown): string {
  if (obj instanceof Tensor) return obj.type();
  if (typeof obj === 'number') return Number.isInteger(obj) ? 'int' : 'float';
  if (typeof obj === 'boolean') return 'bool';
  if (typeof obj === 'string') return 'str';
  if (typeof obj === 'bigint') return 'int';
  if (obj === null || obj === undefined) return 'NoneType';
  if (Array.isArray(obj)) return 'list';
  if (typeof obj === 'function') return obj.name || 'function';
  return (obj as object).constructor?.name ?? 'object';
}

/**
 * torch.seed(): reseeds the CPU generator and the CUDA ones (a DataLoader worker's own one in a worker) from a
 * non-deterministic source and returns the seed, as Python's torch.seed() does.
 */
export function seed(): bigint {
  const s = (implicitGenerator() ?? defaultGenerator).seed();
  manualSeedAll(s); // as Python's: every CUDA device's generator gets the same seed (nothing without CUDA)
  return s;
}

function tensorInput(a: unknown, op: string): Tensor {
  if (a instanceof Tensor) return a;
  throw new TorchError(`torch.${op}(): expected a Tensor as input but got ${a === null ? 'null' : typeof a}`);
}

/**
 * torch.unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None): the unique
 * values, and as Python's tuple the inverse indices and/or counts when asked for.
 */
export function unique(input: Tensor, options?: UniqueOptions & { returnInverse?: false; returnCounts?: false }): Tensor;
export function unique(input: Tensor, options: UniqueOptions & { returnInverse: true; returnCounts: true }): [Tensor, Tensor, Tensor];
export function unique(input: Tensor, options: UniqueOptions & ({ returnInverse: true; returnCounts?: false } | { returnInverse?: false; returnCounts: true })): [Tensor, Tensor];
export function unique(input: Tensor, sorted?: boolean | UniqueOptions, returnInverse?: boolean | UniqueOptions, returnCounts?: boolean | UniqueOptions, dim?: number | null | UniqueOptions, options?: UniqueOptions): UniqueResult;
export function unique(a: Tensor, ...rest: (boolean | number | null | UniqueOptions | undefined)[]): UniqueResult {
  const t = tensorInput(a, 'unique');
  return (t.unique as (...args: unknown[]) => UniqueResult).apply(t, rest);
}

/** torch.unique_consecutive(input, return_inverse=False, return_counts=False, dim=None): runs of equal values collapsed. */
export function uniqueConsecutive(input: Tensor, options?: UniqueConsecutiveOptions & { returnInverse?: false; returnCounts?: false }): Tensor;
export function uniqueConsecutive(input: Tensor, options: UniqueConsecutiveOptions & { returnInverse: true; returnCounts: true }): [Tensor, Tensor, Tensor];
export function uniqueConsecutive(input: Tensor, options: UniqueConsecutiveOptions & ({ returnInverse: true; returnCounts?: false } | { returnInverse?: false; returnCounts: true })): [Tensor, Tensor];
export function uniqueConsecutive(input: Tensor, returnInverse?: boolean | UniqueConsecutiveOptions, returnCounts?: boolean | UniqueConsecutiveOptions, dim?: number | null | UniqueConsecutiveOptions, options?: UniqueConsecutiveOptions): UniqueResult;
export function uniqueConsecutive(a: Tensor, ...rest: (boolean | number | null | UniqueConsecutiveOptions | undefined)[]): UniqueResult {
  const t = tensorInput(a, 'uniqueConsecutive');
  return (t.uniqueConsecutive as (...args: unknown[]) => UniqueResult).apply(t, rest);
}

/** torch.get_device(input): the CUDA device index of input, -1 on the CPU (input.getDevice()). */
export function getDevice(input: Tensor): number {
  return input.getDevice();
}
