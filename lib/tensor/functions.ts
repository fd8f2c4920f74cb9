// torch.<op>(...) functional forms of the core Tensor methods (the full set is generated).
import { TorchError } from '../errors';
import { Tensor, TensorOrScalar, ReduceOptions } from './tensor';
import { aten } from './aten';
import { DTypeLike } from './dtype';
import { resolverOf } from '../ops/resolve';
import { given, isOptions, parse } from '../keywords';

/** The input of a functional form must be a Tensor; anything else is a TorchError, not a TypeError. */
function input(a: unknown, op: string): Tensor {
  if (a instanceof Tensor) return a;
  throw new TorchError(`torch.${op}(): expected a Tensor as input but got ${a === null ? 'null' : typeof a}`);
}

/** Python's out=: the tensor the result is written into (resized if its shape differs). */
type Out = { out?: Tensor };

// Options the fast path does not take (out=, or a misspelt key) send the call to the generated
// resolver, which writes out= as PyTorch does and names a bad key.
const general = (op: string, ...args: unknown[]): Tensor => resolverOf(op).call(args) as Tensor;
function beyond(options: unknown, fastKeys: readonly string[] = []): boolean {
  return isOptions(options) && Object.keys(options).some((k) => !fastKeys.includes(k));
}
/** Whether any trailing argument is an options object with keys the fast path does not take. */
const anyBeyond = (rest: unknown[], fastKeys: readonly string[]): boolean => rest.some((o) => beyond(o, fastKeys));

const ALPHA = ['alpha'];
const REDUCE = ['dim', 'keepdim', 'dtype'];
const SOFTMAX = ['dim', 'dtype'];

export const add = (a: Tensor, b: TensorOrScalar, options?: { alpha?: number } & Out): Tensor =>
  beyond(options, ALPHA) ? general('add', a, b, options) : input(a, 'add').add(b, options);
export const sub = (a: Tensor, b: TensorOrScalar, options?: { alpha?: number } & Out): Tensor =>
  beyond(options, ALPHA) ? general('sub', a, b, options) : input(a, 'sub').sub(b, options);
export const mul = (a: Tensor, b: TensorOrScalar, options?: Out): Tensor => (options ? general('mul', a, b, options) : input(a, 'mul').mul(b));
/** torch.div(a, b, { roundingMode }): the fast path unless rounding (or out=) is asked for. */
export const div = (a: Tensor, b: TensorOrScalar, options?: { roundingMode?: 'trunc' | 'floor' | null } & Out): Tensor =>
  options?.roundingMode || beyond(options, ['roundingMode']) ? general('div', a, b, options) : input(a, 'div').div(b);
export const matmul = (a: Tensor, b: Tensor, options?: Out): Tensor => (options ? general('matmul', a, b, options) : input(a, 'matmul').matmul(b));
export const mm = (a: Tensor, b: Tensor, options?: Out): Tensor => (options ? general('mm', a, b, options) : input(a, 'mm').mm(b));
export const relu = (a: Tensor): Tensor => input(a, 'relu').relu();
export const neg = (a: Tensor, options?: Out): Tensor => (options ? general('neg', a, options) : input(a, 'neg').neg());
export const exp = (a: Tensor, options?: Out): Tensor => (options ? general('exp', a, options) : input(a, 'exp').exp());
export const log = (a: Tensor, options?: Out): Tensor => (options ? general('log', a, options) : input(a, 'log').log());
export const tanh = (a: Tensor, options?: Out): Tensor => (options ? general('tanh', a, options) : input(a, 'tanh').tanh());
export const sigmoid = (a: Tensor, options?: Out): Tensor => (options ? general('sigmoid', a, options) : input(a, 'sigmoid').sigmoid());
export const sqrt = (a: Tensor, options?: Out): Tensor => (options ? general('sqrt', a, options) : input(a, 'sqrt').sqrt());
export const abs = (a: Tensor, options?: Out): Tensor => (options ? general('abs', a, options) : input(a, 'abs').abs());
export const pow = (a: Tensor, e: TensorOrScalar, options?: Out): Tensor => (options ? general('pow', a, e, options) : input(a, 'pow').pow(e));
export const sum = (a: Tensor, dim?: number | number[] | null | (ReduceOptions & Out), o?: ReduceOptions & Out): Tensor =>
  anyBeyond([dim, o], REDUCE) ? general('sum', ...given([a, dim, o])) : input(a, 'sum').sum(dim, o);
export const mean = (a: Tensor, dim?: number | number[] | null | (ReduceOptions & Out), o?: ReduceOptions & Out): Tensor =>
  anyBeyond([dim, o], REDUCE) ? general('mean', ...given([a, dim, o])) : input(a, 'mean').mean(dim, o);
export const argmax = (a: Tensor, dim?: number | null | ({ dim?: number | null; keepdim?: boolean } & Out), o?: { keepdim?: boolean } & Out): Tensor =>
  anyBeyond([dim, o], REDUCE) ? general('argmax', ...given([a, dim, o])) : input(a, 'argmax').argmax(dim, o);
export const eq = (a: Tensor, b: TensorOrScalar, options?: Out): Tensor => (options ? general('eq', a, b, options) : input(a, 'eq').eq(b));
export const reshape = (a: Tensor, shape: number[]): Tensor => input(a, 'reshape').reshape(shape);
export const flatten = (a: Tensor, startDim: number | { startDim?: number; endDim?: number } = 0, endDim = -1): Tensor => input(a, 'flatten').flatten(startDim, endDim);
export const transpose = (a: Tensor, d0: number, d1: number): Tensor => input(a, 'transpose').transpose(d0, d1);
export const softmax = (a: Tensor, dim: number | ({ dim: number; dtype?: DTypeLike } & Out), o?: { dtype?: DTypeLike } & Out): Tensor =>
  anyBeyond([dim, o], SOFTMAX) ? general('softmax', ...given([a, dim, o])) : input(a, 'softmax').softmax(dim, o);
export const logSoftmax = (a: Tensor, dim: number | ({ dim: number; dtype?: DTypeLike } & Out), o?: { dtype?: DTypeLike } & Out): Tensor =>
  anyBeyond([dim, o], SOFTMAX) ? general('log_softmax', ...given([a, dim, o])) : input(a, 'logSoftmax').logSoftmax(dim, o);
export const clone = (a: Tensor, o?: { memoryFormat?: number }): Tensor => input(a, 'clone').clone(o);

/** A dim given positionally or as { dim } (Python's dim=1); 0 when the object leaves it out. */
function dimArg(fn: string, dim: number | { dim?: number }): number {
  return typeof dim === 'object' && dim !== null ? parse<{ dim?: number }>(fn, [dim], ['dim']).dim ?? 0 : dim;
}

const catOp = aten('cat', '');
const stackOp = aten('stack', '');
/** torch.cat(tensors, dim=0) */
export const cat = (tensors: Tensor[], dim: number | ({ dim?: number } & Out) = 0): Tensor =>
  beyond(dim, ['dim']) ? general('cat', tensors, dim) : (catOp([tensors, dimArg('cat', dim)]) as Tensor);
/** torch.stack(tensors, dim=0) */
export const stack = (tensors: Tensor[], dim: number | ({ dim?: number } & Out) = 0): Tensor =>
  beyond(dim, ['dim']) ? general('stack', tensors, dim) : (stackOp([tensors, dimArg('stack', dim)]) as Tensor);
