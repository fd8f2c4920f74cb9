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
