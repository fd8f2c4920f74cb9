// The small matrix helpers torch/_linalg_utils.py gives the low-rank and LOBPCG algorithms.
import { Tensor } from '../tensor/tensor';
import { DType, float16, float32, float64 } from '../tensor/dtype';

import { sparse } from '../tensor/sparse';

/** The floating dtype the algorithms compute in: A's when floating, else float32. */
export function floatingDtypeOf(A: Tensor): DType {
  return A.dtype === float16 || A.dtype === float32 || A.dtype === float64 ? A.dtype : float32;
}

/** A @ B with A dense or sparse COO (B dense); a missing A is the identity. */
export function matmul(A: Tensor | null, B: Tensor): Tensor {
  if (A === null) return B;
  return A.isSparse ? sparse.mm(A, B) : A.matmul(B);
}

export const conjugate = (A: Tensor): Tensor => (A.isComplex() ? A.conj() : A);
export const transpose = (A: Tensor): Tensor => A.transpose(-1, -2);
export const transjugate = (A: Tensor): Tensor => conjugate(transpose(A));
