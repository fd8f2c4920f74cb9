// torch.<op>(...) functional forms of the core Tensor methods (the full set is generated).
import { Tensor, TensorOrScalar } from './tensor';
import { aten } from './aten';
import { DTypeLike } from './dtype';

export const add = (a: Tensor, b: TensorOrScalar, options?: { alpha?: number }): Tensor => a.add(b, options);
export const sub = (a: Tensor, b: TensorOrScalar, options?: { alpha?: number }): Tensor => a.sub(b, options);
export const mul = (a: Tensor, b: TensorOrScalar): Tensor => a.mul(b);
export const div = (a: Tensor, b: TensorOrScalar): Tensor => a.div(b);
export const matmul = (a: Tensor, b: Tensor): Tensor => a.matmul(b);
export const mm = (a: Tensor, b: Tensor): Tensor => a.mm(b);
export const relu = (a: Tensor): Tensor => a.relu();
export const neg = (a: Tensor): Tensor => a.neg();
export const exp = (a: Tensor): Tensor => a.exp();
export const log = (a: Tensor): Tensor => a.log();
export const tanh = (a: Tensor): Tensor => a.tanh();
export const sigmoid = (a: Tensor): Tensor => a.sigmoid();
export const sqrt = (a: Tensor): Tensor => a.sqrt();
export const abs = (a: Tensor): Tensor => a.abs();
export const pow = (a: Tensor, e: TensorOrScalar): Tensor => a.pow(e);
export const sum = (a: Tensor, dim?: number | number[], o?: { keepdim?: boolean; dtype?: DTypeLike }): Tensor => a.sum(dim, o);
export const mean = (a: Tensor, dim?: number | number[], o?: { keepdim?: boolean; dtype?: DTypeLike }): Tensor => a.mean(dim, o);
export const argmax = (a: Tensor, dim?: number, o?: { keepdim?: boolean }): Tensor => a.argmax(dim, o);
export const eq = (a: Tensor, b: TensorOrScalar): Tensor => a.eq(b);
export const reshape = (a: Tensor, shape: number[]): Tensor => a.reshape(shape);
export const flatten = (a: Tensor, startDim = 0, endDim = -1): Tensor => a.flatten(startDim, endDim);
export const transpose = (a: Tensor, d0: number, d1: number): Tensor => a.transpose(d0, d1);
export const softmax = (a: Tensor, dim: number): Tensor => a.softmax(dim);
export const logSoftmax = (a: Tensor, dim: number): Tensor => a.logSoftmax(dim);
export const clone = (a: Tensor): Tensor => a.clone();

const catOp = aten('cat', '');
const stackOp = aten('stack', '');
/** torch.cat(tensors, dim=0) */
export const cat = (tensors: Tensor[], dim = 0): Tensor => catOp([tensors, dim]) as Tensor;
/** torch.stack(tensors, dim=0) */
export const stack = (tensors: Tensor[], dim = 0): Tensor => stackOp([tensors, dim]) as Tensor;
