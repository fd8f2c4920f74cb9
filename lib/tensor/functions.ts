// torch.<op>(...) functional forms of the core Tensor methods (the full set is generated).
import { TorchError } from '../errors';
import { Tensor, TensorOrScalar, ReduceOptions } from './tensor';
import { aten } from './aten';
import { DTypeLike } from './dtype';
import { resolverOf } from '../ops/resolve';
import { checkKeywords, given, isOptions, parse } from '../keywords';
import { norm as normOf, NormOptions } from './norm';

/** The input of a functional form must be a Tensor; anything else is a TorchError, not a TypeError. */
function input(a: unknown, op: string): Tensor {
  if (a instanceof Tensor) return a;
  throw new TorchError(`torch.${op}(): expected a Tensor as input but got ${a === null ? 'null' : typeof a}`);
}

/** Python's out=: the tensor the result is written into (resized if its shape differs). */
type Out = { out?: Tensor };

// out= sends the call to the generated resolver, which writes into it as PyTorch does; any other
// key the fast path does not take is Python's "unexpected keyword argument" error.
const general = (op: string, ...args: unknown[]): Tensor => resolverOf(op).call(args) as Tensor;
const OUT = ['out'];
/** Whether `options` asks for out=; a key neither the fast path nor out= is a TorchError. */
function beyond(op: string, options: unknown, fastKeys: readonly string[] = []): boolean {
  if (!isOptions(options)) return false;
  checkKeywords(op, options, fastKeys, OUT);
  return options.out !== undefined;
}
/** beyond() over the trailing arguments: positional dims and the options object may come in either. */
const anyBeyond = (op: string, rest: unknown[], fastKeys: readonly string[]): boolean => rest.some((o) => beyond(op, o, fastKeys));

const ALPHA = ['alpha'];
const REDUCE = ['dim', 'keepdim', 'dtype'];
const SOFTMAX = ['dim', 'dtype'];

/** Python's torch.add/sub/mul/div/pow also take a number as the input (a wrapped number; pow's Scalar base): the general path binds it. */
const numberInput = (a: unknown): boolean => typeof a === 'number' || typeof a === 'boolean';

export const add = (a: TensorOrScalar, b: TensorOrScalar, options?: { alpha?: number } & Out): Tensor =>
  numberInput(a) || beyond('add', options, ALPHA) ? general('add', ...given([a, b, options])) : input(a, 'add').add(b, options);
export const sub = (a: TensorOrScalar, b: TensorOrScalar, options?: { alpha?: number } & Out): Tensor =>
  numberInput(a) || beyond('sub', options, ALPHA) ? general('sub', ...given([a, b, options])) : input(a, 'sub').sub(b, options);
export const mul = (a: TensorOrScalar, b: TensorOrScalar, options?: Out): Tensor =>
  numberInput(a) || beyond('mul', options) ? general('mul', ...given([a, b, options])) : input(a, 'mul').mul(b);
/** torch.div(a, b, { roundingMode }): the fast path unless rounding (or out=) is asked for. */
export const div = (a: TensorOrScalar, b: TensorOrScalar, options?: { roundingMode?: 'trunc' | 'floor' | null } & Out): Tensor =>
  numberInput(a) || options?.roundingMode || beyond('div', options, ['roundingMode']) ? general('div', ...given([a, b, options])) : input(a, 'div').div(b);
export const matmul = (a: Tensor, b: Tensor, options?: Out): Tensor => (beyond('matmul', options) ? general('matmul', a, b, options) : input(a, 'matmul').matmul(b));
export const mm = (a: Tensor, b: Tensor, options?: Out): Tensor => (beyond('mm', options) ? general('mm', a, b, options) : input(a, 'mm').mm(b));
export const relu = (a: Tensor): Tensor => input(a, 'relu').relu();
export const neg = (a: Tensor, options?: Out): Tensor => (beyond('neg', options) ? general('neg', a, options) : input(a, 'neg').neg());
export const exp = (a: Tensor, options?: Out): Tensor => (beyond('exp', options) ? general('exp', a, options) : input(a, 'exp').exp());
export const log = (a: Tensor, options?: Out): Tensor => (beyond('log', options) ? general('log', a, options) : input(a, 'log').log());
export const tanh = (a: Tensor, options?: Out): Tensor => (beyond('tanh', options) ? general('tanh', a, options) : input(a, 'tanh').tanh());
export const sigmoid = (a: Tensor, options?: Out): Tensor => (beyond('sigmoid', options) ? general('sigmoid', a, options) : input(a, 'sigmoid').sigmoid());
export const sqrt = (a: Tensor, options?: Out): Tensor => (beyond('sqrt', options) ? general('sqrt', a, options) : input(a, 'sqrt').sqrt());
export const abs = (a: Tensor, options?: Out): Tensor => (beyond('abs', options) ? general('abs', a, options) : input(a, 'abs').abs());
export const pow = (a: TensorOrScalar, e: TensorOrScalar, options?: Out): Tensor =>
  numberInput(a) || beyond('pow', options) ? general('pow', ...given([a, e, options])) : input(a, 'pow').pow(e);
export const sum = (a: Tensor, dim?: number | number[] | null | (ReduceOptions & Out), o?: ReduceOptions & Out): Tensor =>
  anyBeyond('sum', [dim, o], REDUCE) ? general('sum', ...given([a, dim, o])) : input(a, 'sum').sum(dim, o);
export const mean = (a: Tensor, dim?: number | number[] | null | (ReduceOptions & Out), o?: ReduceOptions & Out): Tensor =>
  anyBeyond('mean', [dim, o], REDUCE) ? general('mean', ...given([a, dim, o])) : input(a, 'mean').mean(dim, o);
export const argmax = (a: Tensor, dim?: number | null | ({ dim?: number | null; keepdim?: boolean } & Out), o?: { keepdim?: boolean } & Out): Tensor =>
  anyBeyond('argmax', [dim, o], REDUCE) ? general('argmax', ...given([a, dim, o])) : input(a, 'argmax').argmax(dim, o);
export const eq = (a: Tensor, b: TensorOrScalar, options?: Out): Tensor => (beyond('eq', options) ? general('eq', a, b, options) : input(a, 'eq').eq(b));
export const reshape = (a: Tensor, shape: number[]): Tensor => input(a, 'reshape').reshape(shape);
export const flatten = (a: Tensor, startDim: number | { startDim?: number; endDim?: number } = 0, endDim = -1): Tensor => input(a, 'flatten').flatten(startDim, endDim);
export const transpose = (a: Tensor, d0: number, d1: number): Tensor => input(a, 'transpose').transpose(d0, d1);
export const softmax = (a: Tensor, dim: number | ({ dim: number; dtype?: DTypeLike } & Out), o?: { dtype?: DTypeLike } & Out): Tensor =>
  anyBeyond('softmax', [dim, o], SOFTMAX) ? general('softmax', ...given([a, dim, o])) : input(a, 'softmax').softmax(dim, o);
export const logSoftmax = (a: Tensor, dim: number | ({ dim: number; dtype?: DTypeLike } & Out), o?: { dtype?: DTypeLike } & Out): Tensor =>
  anyBeyond('logSoftmax', [dim, o], SOFTMAX) ? general('log_softmax', ...given([a, dim, o])) : input(a, 'logSoftmax').logSoftmax(dim, o);
export const clone = (a: Tensor, o?: { memoryFormat?: number }): Tensor => input(a, 'clone').clone(o);

/** A dim given positionally or as { dim } (Python's dim=1); 0 when the object leaves it out. */
function dimArg(fn: string, dim: number | { dim?: number }): number {
  return typeof dim === 'object' && dim !== null ? parse<{ dim?: number }>(fn, [dim], ['dim']).dim ?? 0 : dim;
}

const catOp = aten('cat', '');
const stackOp = aten('stack', '');
/** torch.cat(tensors, dim=0) */
export const cat = (tensors: Tensor[], dim: number | ({ dim?: number } & Out) = 0): Tensor =>
  beyond('cat', dim, ['dim']) ? general('cat', tensors, dim) : (catOp([tensors, dimArg('cat', dim)]) as Tensor);
/** torch.stack(tensors, dim=0) */
export const stack = (tensors: Tensor[], dim: number | ({ dim?: number } & Out) = 0): Tensor =>
  beyond('stack', dim, ['dim']) ? general('stack', tensors, dim) : (stackOp([tensors, dimArg('stack', dim)]) as Tensor);

/** torch.norm(input, p='fro', dim, keepdim, { out, dtype }): Python's wrapper over the norm ops. */
export const norm = (a: Tensor, p?: number | 'fro' | 'nuc' | null | NormOptions, dim?: number | number[] | null | NormOptions, keepdim?: boolean | NormOptions, options?: NormOptions): Tensor =>
  normOf(input(a, 'norm'), [p, dim, keepdim, options]);
/** torch.numel(input) */
export const numel = (a: Tensor): number => input(a, 'numel').numel();
/** torch.is_tensor(obj) */
export const isTensor = (obj: unknown): obj is Tensor => obj instanceof Tensor;
