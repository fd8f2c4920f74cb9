// The transforms' use of libtorch's functorch stack (native/functorch.cc): each transform pushes a
// layer, runs its body and pops the layer in a finally, so a throw inside the user's function leaves
// the stack as it found it. Wrapped tensors (batched, grad-tracking) get their own handles, which
// the transforms dispose as soon as their unwrapped results exist.
import { native } from '../native';
import { TorchError } from '../errors';
import { Tensor } from '../tensor/tensor';

export type Randomness = 'error' | 'different' | 'same';
type Kind = 'vmap' | 'grad' | 'jvp';

/** Runs body(level) inside a new layer pushed by push(); the layer is popped afterwards, also on a throw. */
export function withLayer<T>(kind: Kind, push: () => number, body: (level: number) => T): T {
  const level = push();
  try {
    const result = body(level);
    if (result instanceof Promise) {
      throw new TorchError(`torch.func.${kind}: the function must be synchronous (it returned a Promise)`);
    }
    return result;
  } finally {
    native.functorchDecrementNesting(kind);
  }
}

export const pushVmap = (batchSize: number, randomness: Randomness) => (): number => native.functorchVmapIncrementNesting(batchSize, randomness);
export const pushGrad = (): number => native.functorchGradIncrementNesting();
export const pushJvp = (): number => native.functorchJvpIncrementNesting();

export function addBatchDim(t: Tensor, dim: number, level: number): Tensor {
  return new Tensor(native.functorchAddBatchDim(t._h, dim, level));
}

export function removeBatchDim(t: Tensor, level: number, batchSize: number, outDim: number): Tensor {
  return new Tensor(native.functorchRemoveBatchDim(t._h, level, batchSize, outDim));
}

export function wrapForGrad(t: Tensor, level: number): Tensor {
  return new Tensor(native.functorchWrapForGrad(t._h, level));
}

/** The value under t's wrapper of that level; t itself when it has none. */
export function unwrapForGrad(t: Tensor, level: number): Tensor {
  const h = native.functorchUnwrapForGrad(t._h, level);
  return h === null ? t : new Tensor(h);
}

/** True for a tensor wrapped (batched or grad-tracking) at exactly this level. */
export function isWrappedAt(t: Tensor, level: number): boolean {
  return !t.isDisposed && native.functorchMaybeGetLevel(t._h) === level;
}

/** Runs fn with Tensor.requiresGrad_() allowed inside a grad transform (the transform marks its own inputs). */
export function withInplaceRequiresGrad<T>(fn: () => T): T {
  const before = native.functorchInplaceRequiresGradAllowed();
  native.functorchInplaceRequiresGradAllowed(true);
  try {
    return fn();
  } finally {
    native.functorchInplaceRequiresGradAllowed(before);
  }
}

/** Runs fn with forward-mode AD switched on. */
export function withFwdGrad<T>(fn: () => T): T {
  const before = native.functorchFwdGradEnabled();
  native.functorchFwdGradEnabled(true);
  try {
    return fn();
  } finally {
    native.functorchFwdGradEnabled(before);
  }
}

/** Disposes the wrappers of this level among `tensors` (after their values were taken out); call it before the layer is popped. */
export function disposeWrappersAt(tensors: readonly unknown[], level: number): void {
  for (const t of tensors) {
    if (t instanceof Tensor && isWrappedAt(t, level)) t.dispose();
  }
}
