// The update kernels of the optimizers: direct handles to libtorch overloads (the fastest call
// path) for in-place per-tensor ops and the _foreach_* ops that apply one op to a whole list of
// tensors in one native call. Results of in-place ops are ignored; the tensors are updated.
import { aten } from '../tensor/aten';
import type { Tensor } from '../tensor/tensor';

const h = {
  clone: aten('clone', ''),
  zerosLike: aten('zeros_like', ''),
  fullLike: aten('full_like', ''),
  neg: aten('neg', ''),
  add: aten('add', 'Tensor'),
  add_: aten('add_', 'Tensor'),
  mul_: aten('mul_', 'Scalar'),
  addcmul: aten('addcmul', ''),
  addcmul_: aten('addcmul_', ''),
  addcdiv_: aten('addcdiv_', ''),
  maximumOut: aten('maximum', 'out'),
  addOut: aten('add', 'out'),
  div: aten('div', 'Scalar'),
  div_: aten('div_', 'Scalar'),
  mul: aten('mul', 'Scalar'),
  mulT: aten('mul', 'Tensor'),
  mulT_: aten('mul_', 'Tensor'),
  fill_: aten('fill_', 'Scalar'),
  sub: aten('sub', 'Tensor'),
  sqrt: aten('sqrt', ''),
  reciprocal_: aten('reciprocal_', ''),
  sign: aten('sign', ''),
  gt: aten('gt', 'Scalar'),
  lt: aten('lt', 'Scalar'),
  eq: aten('eq', 'Scalar'),
  maskedFill_: aten('masked_fill_', 'Scalar'),
  clamp_: aten('clamp_', ''),
  copy_: aten('copy_', ''),
  viewAsReal: aten('view_as_real', ''),
  fAdd: aten('_foreach_add', 'List'),
  fAdd_: aten('_foreach_add_', 'List'),
  fAddScalar_: aten('_foreach_add_', 'Scalar'),
  fNeg: aten('_foreach_neg', ''),
  fMul_: aten('_foreach_mul_', 'Scalar'),
  fAddcmul_: aten('_foreach_addcmul_', 'Scalar'),
  fAddcmul: aten('_foreach_addcmul', 'Scalar'),
  fAddcdiv_: aten('_foreach_addcdiv_', 'Scalar'),
  fSqrt: aten('_foreach_sqrt', ''),
  fSqrt_: aten('_foreach_sqrt_', ''),
  fDivScalar_: aten('_foreach_div_', 'Scalar'),
  fDivTensors_: aten('_foreach_div_', 'List'),
  fMulTensors_: aten('_foreach_mul_', 'List'),
  fMaximum_: aten('_foreach_maximum_', 'List'),
  fAbs: aten('_foreach_abs', ''),
  fAddScalar: aten('_foreach_add', 'Scalar'),
  fDiv: aten('_foreach_div', 'Scalar'),
  fSub: aten('_foreach_sub', 'List'),
  fMul: aten('_foreach_mul', 'Scalar'),
  fMulTensors: aten('_foreach_mul', 'List'),
  fReciprocal_: aten('_foreach_reciprocal_', ''),
};

const alphaKw = (alpha: number) => (alpha === 1 ? undefined : { alpha });

/** Per-tensor ops (out-of-place unless the name ends in _). */
export const t = {
  clone: (x: Tensor) => h.clone([x]) as Tensor,
  zerosLike: (x: Tensor) => h.zerosLike([x]) as Tensor,
  fullLike: (x: Tensor, v: number) => h.fullLike([x, v]) as Tensor,
  neg: (x: Tensor) => h.neg([x]) as Tensor,
  add: (x: Tensor, y: Tensor, alpha = 1) => h.add([x, y], alphaKw(alpha)) as Tensor,
  add_: (x: Tensor, y: Tensor, alpha = 1) => void h.add_([x, y], alphaKw(alpha)),
  mul_: (x: Tensor, s: number) => void h.mul_([x, s]),
  addcmul: (x: Tensor, a: Tensor, b: Tensor, value: number) => h.addcmul([x, a, b], { value }) as Tensor,
  addcmul_: (x: Tensor, a: Tensor, b: Tensor, value: number) => void h.addcmul_([x, a, b], { value }),
  addcdiv_: (x: Tensor, a: Tensor, b: Tensor, value: number) => void h.addcdiv_([x, a, b], { value }),
  div: (x: Tensor, s: number) => h.div([x, s]) as Tensor,
  div_: (x: Tensor, s: number) => void h.div_([x, s]),
  mul: (x: Tensor, s: number) => h.mul([x, s]) as Tensor,
  /** x * y, elementwise */
  mulT: (x: Tensor, y: Tensor) => h.mulT([x, y]) as Tensor,
  /** x *= y, elementwise */
  mulT_: (x: Tensor, y: Tensor) => void h.mulT_([x, y]),
  fill_: (x: Tensor, v: number) => void h.fill_([x, v]),
  sub: (x: Tensor, y: Tensor) => h.sub([x, y]) as Tensor,
  sqrt: (x: Tensor) => h.sqrt([x]) as Tensor,
  reciprocal_: (x: Tensor) => void h.reciprocal_([x]),
  sign: (x: Tensor) => h.sign([x]) as Tensor,
  gt: (x: Tensor, s: number) => h.gt([x, s]) as Tensor,
  lt: (x: Tensor, s: number) => h.lt([x, s]) as Tensor,
  eq: (x: Tensor, s: number) => h.eq([x, s]) as Tensor,
  /** x[mask] = value, in place (Python's x[mask] = value with a bool mask) */
  maskedFill_: (x: Tensor, mask: Tensor, value: number) => void h.maskedFill_([x, mask, value]),
  clamp_: (x: Tensor, min: number, max: number) => void h.clamp_([x, min, max]),
  copy_: (x: Tensor, src: Tensor) => void h.copy_([x, src]),
  viewAsReal: (x: Tensor) => h.viewAsReal([x]) as Tensor,
  /** x = max(x, y) elementwise, in place */
  maximum_: (x: Tensor, y: Tensor) => void h.maximumOut([x, y], { out: x }),
};

/** One native call per op for a whole list of tensors. */
export const each = {
  add: (xs: Tensor[], ys: Tensor[], alpha = 1) => h.fAdd([xs, ys], alphaKw(alpha)) as Tensor[],
  add_: (xs: Tensor[], ys: Tensor[], alpha = 1) => void h.fAdd_([xs, ys], alphaKw(alpha)),
  addScalar: (xs: Tensor[], s: number) => h.fAddScalar([xs, s]) as Tensor[],
  addScalar_: (xs: Tensor[], s: number) => void h.fAddScalar_([xs, s]),
  addScalarEach_(xs: Tensor[], values: number[]): void {
    if (allSame(values)) h.fAddScalar_([xs, values[0]]);
    else xs.forEach((x, i) => h.fAddScalar_([[x], values[i]]));
  },
  neg: (xs: Tensor[]) => h.fNeg([xs]) as Tensor[],
  abs: (xs: Tensor[]) => h.fAbs([xs]) as Tensor[],
  mul_: (xs: Tensor[], s: number) => void h.fMul_([xs, s]),
  mulTensors_: (xs: Tensor[], ys: Tensor[]) => void h.fMulTensors_([xs, ys]),
  addcmul: (xs: Tensor[], as: Tensor[], bs: Tensor[], value: number) => h.fAddcmul([xs, as, bs, value]) as Tensor[],
  addcmul_: (xs: Tensor[], as: Tensor[], bs: Tensor[], value: number) => void h.fAddcmul_([xs, as, bs, value]),
  addcdiv_: (xs: Tensor[], as: Tensor[], bs: Tensor[], value: number) => void h.fAddcdiv_([xs, as, bs, value]),
  /** per-tensor values: one foreach call when they are all equal (the native path takes no Scalar lists) */
  addcdivEach_(xs: Tensor[], as: Tensor[], bs: Tensor[], values: number[]): void {
    if (allSame(values)) h.fAddcdiv_([xs, as, bs, values[0]]);
    else xs.forEach((x, i) => t.addcdiv_(x, as[i], bs[i], values[i]));
  },
  sqrt: (xs: Tensor[]) => h.fSqrt([xs]) as Tensor[],
  sqrt_: (xs: Tensor[]) => void h.fSqrt_([xs]),
  div: (xs: Tensor[], s: number) => h.fDiv([xs, s]) as Tensor[],
  sub: (xs: Tensor[], ys: Tensor[]) => h.fSub([xs, ys]) as Tensor[],
  mul: (xs: Tensor[], s: number) => h.fMul([xs, s]) as Tensor[],
  mulEach(xs: Tensor[], values: number[]): Tensor[] {
    return allSame(values) ? (h.fMul([xs, values[0]]) as Tensor[]) : xs.map((x, i) => t.mul(x, values[i]));
  },
  mulEach_(xs: Tensor[], values: number[]): void {
    if (allSame(values)) h.fMul_([xs, values[0]]);
    else xs.forEach((x, i) => t.mul_(x, values[i]));
  },
  /** xs[i] * ys[i], elementwise */
  mulTensors: (xs: Tensor[], ys: Tensor[]) => h.fMulTensors([xs, ys]) as Tensor[],
  /** xs[i] += alphas[i] * ys[i] */
  addEach_(xs: Tensor[], ys: Tensor[], alphas: number[]): void {
    if (allSame(alphas)) h.fAdd_([xs, ys], alphaKw(alphas[0]));
    else xs.forEach((x, i) => t.add_(x, ys[i], alphas[i]));
  },
  reciprocal_: (xs: Tensor[]) => void h.fReciprocal_([xs]),
  divEach(xs: Tensor[], values: number[]): Tensor[] {
    return allSame(values) ? (h.fDiv([xs, values[0]]) as Tensor[]) : xs.map((x, i) => t.div(x, values[i]));
  },
  div_: (xs: Tensor[], s: number) => void h.fDivScalar_([xs, s]),
  divEach_(xs: Tensor[], values: number[]): void {
    if (allSame(values)) h.fDivScalar_([xs, values[0]]);
    else xs.forEach((x, i) => t.div_(x, values[i]));
  },
  divTensors_: (xs: Tensor[], ys: Tensor[]) => void h.fDivTensors_([xs, ys]),
  maximum_: (xs: Tensor[], ys: Tensor[]) => void h.fMaximum_([xs, ys]),
};

/** True when every number of the list is the same (one scalar op instead of a per-tensor list). */
export function allSame(values: number[]): boolean {
  for (let i = 1; i < values.length; i++) if (values[i] !== values[0]) return false;
  return true;
}
