// Python's arithmetic on a mix of floats and 0-dim tensors, for LBFGS and its line search, which
// keep some scalars (ys = y.dot(s), gtd, t, ro, ...) in 0-dim tensors of the parameters' dtype.
// An op with a tensor operand gives a tensor: the float operand is cast to the dtype and the result
// is rounded to it (in float32, 1e-4 * t * gtd is not the double product); comparisons with a
// tensor compare in the dtype; `float / tensor` is `tensor.reciprocal() * float`; min() and max()
// return one of their operands, keeping its type. Floats alone compute in double, as in Python.
import { DType, float32, float64 } from '../tensor/dtype';
import { tensor } from '../tensor/create';

/** The value of a 0-dim tensor (already representable in the dtype). */
export class Scalar0 {
  constructor(readonly v: number) {}
}

/** A Python float (or int), or a 0-dim tensor. */
export type Py = number | Scalar0;

export const value = (a: Py): number => (a instanceof Scalar0 ? a.v : a);

export class PyMath {
  /** Rounds a double to the dtype of the tensors (correctly, as the kernels' +, -, *, /, sqrt do). */
  readonly round: (x: number) => number;

  constructor(dtype: DType) {
    if (dtype === float64) this.round = (x) => x;
    else if (dtype === float32) this.round = Math.fround;
    else this.round = (x) => tensor(x, { dtype: float64 }).to(dtype).item() as number;
  }

  /** A 0-dim tensor of this dtype holding v (read back with .item()). */
  of(v: number): Scalar0 {
    return new Scalar0(v);
  }

  private op(a: Py, b: Py, f: (x: number, y: number) => number): Py {
    if (a instanceof Scalar0 || b instanceof Scalar0) return new Scalar0(this.round(f(this.in(a), this.in(b))));
    return f(a, b);
  }

  /** An operand of a tensor op: a float is cast to the dtype (as a wrapped number is). */
  private in(a: Py): number {
    return a instanceof Scalar0 ? a.v : this.round(a);
  }

  add(a: Py, b: Py): Py {
    return this.op(a, b, (x, y) => x + y);
  }

  sub(a: Py, b: Py): Py {
    return this.op(a, b, (x, y) => x - y);
  }

  mul(a: Py, b: Py): Py {
    return this.op(a, b, (x, y) => x * y);
  }

  div(a: Py, b: Py): Py {
    // float / tensor is tensor.__rtruediv__: reciprocal, then a multiply
    if (b instanceof Scalar0 && !(a instanceof Scalar0)) return this.mul(new Scalar0(this.round(1 / b.v)), a);
    return this.op(a, b, (x, y) => x / y);
  }

  neg(a: Py): Py {
    return a instanceof Scalar0 ? new Scalar0(-a.v) : -a;
  }

  abs(a: Py): Py {
    return a instanceof Scalar0 ? new Scalar0(Math.abs(a.v)) : Math.abs(a);
  }

  /** a ** 2 */
  square(a: Py): Py {
    return this.mul(a, a);
  }

  /** tensor.sqrt() */
  sqrt(a: Py): Py {
    return a instanceof Scalar0 ? new Scalar0(this.round(Math.sqrt(a.v))) : Math.sqrt(a);
  }

  private cmp(a: Py, b: Py): [number, number] {
    return a instanceof Scalar0 || b instanceof Scalar0 ? [this.in(a), this.in(b)] : [a, b];
  }

  lt(a: Py, b: Py): boolean {
    const [x, y] = this.cmp(a, b);
    return x < y;
  }

  le(a: Py, b: Py): boolean {
    const [x, y] = this.cmp(a, b);
    return x <= y;
  }

  gt(a: Py, b: Py): boolean {
    return this.lt(b, a);
  }

  ge(a: Py, b: Py): boolean {
    return this.le(b, a);
  }

  /** Python's min(a, b): b only if b < a. */
  min(a: Py, b: Py): Py {
    return this.lt(b, a) ? b : a;
  }

  /** Python's max(a, b): b only if b > a. */
  max(a: Py, b: Py): Py {
    return this.gt(b, a) ? b : a;
  }
}
