// Helpers shared by the distributions (torch/distributions/utils.py).
import * as torch from './torch';
import { Tensor } from './torch';
import { ValueError } from '../errors';
import { pyFloat } from '../py-format';

export type Size = number[];
export type TensorLike = Tensor | number;

export const eulerConstant = 0.5772156649015329;

/** Tensors and numbers broadcast together; numbers take the first tensor's dtype, else the default. */
export function broadcastAll(...values: TensorLike[]): Tensor[] {
  if (!values.every((v) => v instanceof Tensor || typeof v === 'number')) {
    throw new ValueError('Input arguments must all be instances of numbers.Number, torch.Tensor or objects implementing __torch_function__.');
  }
  const first = values.find((v): v is Tensor => v instanceof Tensor);
  const options = first ? { dtype: first.dtype, device: first.device } : { dtype: torch.getDefaultDtype() };
  const tensors = values.map((v) => (v instanceof Tensor ? v : torch.tensor(v, options)));
  return torch.broadcastTensors(tensors);
}

/** _standard_normal: an empty tensor filled by normal_, as Python draws it outside tracing. */
export function standardNormal(shape: Size, like: Tensor): Tensor {
  return torch.empty(shape, { dtype: like.dtype, device: like.device }).normal_();
}

/** Sums the rightmost `dim` dimensions. */
export function sumRightmost(value: Tensor, dim: number): Tensor {
  if (dim === 0) return value;
  return value.reshape([...value.shape.slice(0, value.dim() - dim), -1]).sum(-1);
}

export function logitsToProbs(logits: Tensor, isBinary = false): Tensor {
  return isBinary ? torch.sigmoid(logits) : torch.softmax(logits, -1);
}

import { finfo } from '../tensor/type-info';
export { finfo };

export function clampProbs(probs: Tensor): Tensor {
  const eps = finfo(probs.dtype).eps;
  return probs.clamp(eps, 1 - eps);
}

export function probsToLogits(probs: Tensor, isBinary = false): Tensor {
  const p = clampProbs(probs);
  return isBinary ? torch.log(p).sub(torch.log1p(p.neg())) : torch.log(p);
}

/** Python's repr of a torch.Size. */

/** Python's '{}'.format(x) of a number or tensor: a 0-dim tensor formats as its item. */
export function pyFormat(x: unknown, isFloat = true): string {
  if (x instanceof Tensor) {
    if (x.dim() !== 0) return String(x);
    if (x.dtype === torch.bool) return x.item<boolean>() ? 'True' : 'False';
    return pyFormat(x.item<number>(), x.dtype.isFloatingPoint);
  }
  if (typeof x === 'number') return isFloat ? pyFloat(x) : String(x);
  return String(x);
}

export function sameShape(a: Size, b: Size): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** torch.broadcast_shapes */
export function broadcastShapes(...shapes: Size[]): Size {
  const n = Math.max(0, ...shapes.map((s) => s.length));
  const out: Size = new Array(n).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const j = n - s.length + i;
      if (s[i] === 1) continue;
      if (out[j] !== 1 && out[j] !== s[i]) {
        throw new torch.TorchError(`shape mismatch: objects cannot be broadcast to a single shape.  Mismatch is between arg 0 and arg 1.`);
      }
      out[j] = s[i];
    }
  }
  return out;
}
