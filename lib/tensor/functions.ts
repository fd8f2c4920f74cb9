// torch.<op>(...) functional forms of the core Tensor methods (the full set is generated).
import { TorchError } from '../errors';
import { Tensor, TensorOrScalar, ReduceOptions } from './tensor';
import { aten } from './aten';
import { DTypeLike } from './dtype';
import { resolverOf } from '../ops/resolve';
import { parse } from '../keywords';

/** The input of a functional form must be a Tensor; anything else is a TorchError, not a TypeError. */
function input(a: unknown, op: string): Tensor {
  if (a instanceof Tensor) return a;
  throw new TorchError(`torch.${op}(): expected a Tensor as input but got ${a === null ? 'null' : typeof a}`);
}

export const add = (a: Tensor, b: TensorOrScalar, options?: { alpha?: number }): Tensor => input(a, 'add').add(b, options);
export const sub = (a: Tensor, b: TensorOrScalar, options?: { alpha?: number }): Tensor => input(a, 'sub').sub(b, options);
export const mul = (a: Tensor, b: TensorOrScalar): Tensor => input(a, 'mul').mul(b);
/** torch.div(a, b, { roundingMode }): the fast path unless rounding is asked for. */
export const div = (a: Tensor, b: TensorOrScalar, options?: { roundingMode?: 'trunc' | 'floor' | null }): Tensor =>
  options?.roundingMode ? (resolverOf('div').call([input(a, 'div'), b, options]) as Tensor) : input(a, 'div').div(b);
export const matmul = (a: Tensor, b: Tensor): Tensor => input(a, 'matmul').matmul(b);
export const mm = (a: Tensor, b: Tensor): Tensor => input(a, 'mm').mm(b);
export const relu = (a: Tensor): Tensor => input(a, 'relu').relu();
export const neg = (a: Tensor): Tensor => input(a, 'neg').neg();
export const exp = (a: Tensor): Tensor => input(a, 'exp').exp();
export const log = (a: Tensor): Tensor => input(a, 'log').log();
export const tanh = (a: Tensor): Tensor => input(a, 'tanh').tanh();
export const sigmoid = (a: Tensor): Tensor => input(a, 'sigmoid').sigmoid();
export const sqrt = (a: Tensor): Tensor => input(a, 'sqrt').sqrt();
export const abs = (a: Tensor): Tensor => input(a, 'abs').abs();
export const pow = (a: Tensor, e: TensorOrScalar): Tensor => input(a, 'pow').pow(e);
export const sum = (a: Tensor, dim?: number | number[] | null | ReduceOptions, o?: ReduceOptions): Tensor => input(a, 'sum').sum(dim, o);
export const mean = (a: Tensor, dim?: number | number[] | null | ReduceOptions, o?: ReduceOptions): Tensor => input(a, 'mean').mean(dim, o);
export const argmax = (a: Tensor, dim?: number | null | { dim?: number | null; keepdim?: boolean }, o?: { keepdim?: boolean }): Tensor => input(a, 'argmax').argmax(dim, o);
export const eq = (a: Tensor, b: TensorOrScalar): Tensor => input(a, 'eq').eq(b);
export const reshape = (a: Tensor, shape: number[]): Tensor => input(a, 'reshape').reshape(shape);
export const flatten = (a: Tensor, startDim: number | { startDim?: number; endDim?: number } = 0, endDim = -1): Tensor => input(a, 'flatten').flatten(startDim, endDim);
export const transpose = (a: Tensor, d0: number, d1: number): Tensor => input(a, 'transpose').transpose(d0, d1);
export const softmax = (a: Tensor, dim: number | { dim: number; dtype?: DTypeLike }, o?: { dtype?: DTypeLike }): Tensor => input(a, 'softmax').softmax(dim, o);
export const logSoftmax = (a: Tensor, dim: number | { dim: number; dtype?: DTypeLike }, o?: { dtype?: DTypeLike }): Tensor => input(a, 'logSoftmax').logSoftmax(dim, o);
export const clone = (a: Tensor, o?: { memoryFormat?: number }): Tensor => input(a, 'clone').clone(o);

/** A dim given positionally or as { dim } (Python's dim=1); 0 when the object leaves it out. */
function dimArg(fn: string, dim: number | { dim?: number }): number {
  return typeof dim === 'object' && dim !== null ? parse<{ dim?: number }>(fn, [dim], ['dim']).dim ?? 0 : dim;
}

const catOp = aten('cat', '');
const stackOp = aten('stack', '');
/** torch.cat(tensors, dim=0) */
export const cat = (tensors: Tensor[], dim: number | { dim?: number } = 0): Tensor => catOp([tensors, dimArg('cat', dim)]) as Tensor;
/** torch.stack(tensors, dim=0) */
export const stack = (tensors: Tensor[], dim: number | { dim?: number } = 0): Tensor => stackOp([tensors, dimArg('stack', dim)]) as Tensor;
