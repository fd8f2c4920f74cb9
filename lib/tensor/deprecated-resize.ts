// Tensor.resize(*sizes) / resize_as(other): Python's deprecated out-of-place resizes, which are
// autograd's Resize: a reshape that keeps the element count (else an error), gradient reshaped back.
import { TorchError, warn } from '../errors';
import { AutogradFunction, FunctionCtx } from '../autograd/function';
import { Tensor, shapeArgs } from './tensor';

class Resize extends AutogradFunction {
  static forward(ctx: FunctionCtx, input: Tensor, sizes: number[]): Tensor {
    const numel = sizes.reduce((a, b) => a * b, 1);
    if (input.numel() !== numel) {
      throw new TorchError(
        `requested resize to ${sizes.join('x')} (${numel} elements in total), but the given tensor has a size of ${input.shape.join('x')} ` +
          `(${input.numel()} elements). autograd's resize can only change the shape of a given tensor, while preserving the number of elements. `,
      );
    }
    ctx.inputSizes = input.shape;
    return input.contiguous().view(sizes);
  }
  static backward(ctx: FunctionCtx, grad: Tensor): [Tensor, null] {
    return [grad.contiguous().view(ctx.inputSizes as number[]), null];
  }
}

declare module './tensor' {
  interface Tensor {
    /** Deprecated x.resize(2, 3) (a reshape keeping the element count, with a gradient); prefer reshape. */
    resize(...sizes: (number | number[])[]): Tensor;
    /** Deprecated x.resizeAs(other): x.resize(other's shape). */
    resizeAs(other: Tensor): Tensor;
  }
}

Object.defineProperty(Tensor.prototype, 'resize', {
  value: function resize(this: Tensor, ...sizes: (number | number[])[]): Tensor {
    warn('non-inplace resize is deprecated');
    return Resize.apply(this, shapeArgs(sizes)) as Tensor;
  },
  writable: true,
  configurable: true,
});

Object.defineProperty(Tensor.prototype, 'resizeAs', {
  value: function resizeAs(this: Tensor, other: Tensor): Tensor {
    warn('non-inplace resize_as is deprecated');
    return Resize.apply(this, other.shape) as Tensor;
  },
  writable: true,
  configurable: true,
});
