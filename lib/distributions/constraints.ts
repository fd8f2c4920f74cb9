// torch.distributions.constraints: the regions a parameter or a value must lie in. check() gives a
// bool tensor over the batch shape; the reprs are Python's, since they appear in error messages.
import * as torch from './torch';
import { Tensor } from './torch';
import { AssertionError, ValueError } from '../errors';
import { finfo, pyFormat } from './utils';

type Bound = number | Tensor;

export abstract class Constraint {
  isDiscrete = false;
  eventDim = 0;
  abstract check(value: Tensor): Tensor;
  /** The class name without Python's leading underscore, e.g. `Real()`. */
  toString(): string {
    return `${this.constructor.name}()`;
  }
}

type DependentOptions = { isDiscrete?: boolean; eventDim?: number };

/**
 * A constraint that cannot be checked (it depends on other parameters): skipped by validation.
 * Callable as Python's: `constraints.dependent({ isDiscrete: false, eventDim: 0 })` is a new one
 * with those attributes (the ones not given kept).
 */
export interface Dependent {
  (options?: DependentOptions): Dependent;
}
export class Dependent extends Constraint {
  constructor(readonly options: DependentOptions = {}) {
    super();
    if (options.isDiscrete !== undefined) this.isDiscrete = options.isDiscrete;
    if (options.eventDim !== undefined) this.eventDim = options.eventDim;
    const self = ((o: DependentOptions = {}) => new Dependent({ ...self.options, ...o })) as Dependent;
    delete (self as { name?: unknown }).name;
    delete (self as { length?: unknown }).length;
    Object.setPrototypeOf(self, new.target.prototype);
    return Object.assign(self, this);
  }
  check(): Tensor {
    throw new ValueError('Cannot determine validity of dependent constraint');
  }
}

export const isDependent = (c: Constraint): boolean => c instanceof Dependent;

export class IndependentConstraint extends Constraint {
  constructor(readonly baseConstraint: Constraint, readonly reinterpretedBatchNdims: number) {
    super();
    this.isDiscrete = baseConstraint.isDiscrete;
    this.eventDim = baseConstraint.eventDim + reinterpretedBatchNdims;
  }
  check(value: Tensor): Tensor {
    const result = this.baseConstraint.check(value);
    const n = this.reinterpretedBatchNdims;
    if (result.dim() < n) throw new ValueError(`Expected value.dim() >= ${this.baseConstraint.eventDim + n} but got ${value.dim()}`);
    return result.reshape([...result.shape.slice(0, result.dim() - n), -1]).all(-1);
  }
  toString(): string {
    return `IndependentConstraint(${this.baseConstraint}, ${this.reinterpretedBatchNdims})`;
  }
}

export class Boolean extends Constraint {
  isDiscrete = true;
  check(value: Tensor): Tensor {
    return value.eq(0).logicalOr(value.eq(1));
  }
}

export class OneHot extends Constraint {
  isDiscrete = true;
  eventDim = 1;
  check(value: Tensor): Tensor {
    const isBoolean = value.eq(0).logicalOr(value.eq(1));
    return isBoolean.all(-1).logicalAnd(value.sum(-1).eq(1));
  }
}

const isInteger = (value: Tensor): Tensor => torch.remainder(value, 1).eq(0);
const ge = (value: Tensor, b: Bound): Tensor => (b instanceof Tensor ? b.le(value) : value.ge(b));
const le = (value: Tensor, b: Bound): Tensor => (b instanceof Tensor ? b.ge(value) : value.le(b));

export class IntegerInterval extends Constraint {
  isDiscrete = true;
  constructor(readonly lowerBound: Bound, readonly upperBound: Bound) {
    super();
  }
  check(value: Tensor): Tensor {
    return isInteger(value).logicalAnd(ge(value, this.lowerBound)).logicalAnd(le(value, this.upperBound));
  }
  toString(): string {
    return `IntegerInterval(lower_bound=${pyFormat(this.lowerBound, false)}, upper_bound=${pyFormat(this.upperBound, false)})`;
  }
}

export class IntegerLessThan extends Constraint {
  isDiscrete = true;
  constructor(readonly upperBound: Bound) {
    super();
  }
  check(value: Tensor): Tensor {
    return isInteger(value).logicalAnd(le(value, this.upperBound));
  }
  toString(): string {
    return `IntegerLessThan(upper_bound=${pyFormat(this.upperBound, false)})`;
  }
}

export class IntegerGreaterThan extends Constraint {
  isDiscrete = true;
  constructor(readonly lowerBound: Bound) {
    super();
  }
  check(value: Tensor): Tensor {
    return isInteger(value).logicalAnd(ge(value, this.lowerBound));
  }
  toString(): string {
    return `IntegerGreaterThan(lower_bound=${pyFormat(this.lowerBound, false)})`;
  }
}

export class Real extends Constraint {
  check(value: Tensor): Tensor {
    return value.eq(value); // false for NaNs
  }
}

export class GreaterThan extends Constraint {
  constructor(readonly lowerBound: Bound) {
    super();
  }
  check(value: Tensor): Tensor {
    return this.lowerBound instanceof Tensor ? this.lowerBound.lt(value) : value.gt(this.lowerBound);
  }
  toString(): string {
    return `GreaterThan(lower_bound=${pyFormat(this.lowerBound)})`;
  }
}

export class GreaterThanEq extends Constraint {
  constructor(readonly lowerBound: Bound) {
    super();
  }
  check(value: Tensor): Tensor {
    return ge(value, this.lowerBound);
  }
  toString(): string {
    return `GreaterThanEq(lower_bound=${pyFormat(this.lowerBound)})`;
  }
}

export class LessThan extends Constraint {
  constructor(readonly upperBound: Bound) {
    super();
  }
  check(value: Tensor): Tensor {
    return this.upperBound instanceof Tensor ? this.upperBound.gt(value) : value.lt(this.upperBound);
  }
  toString(): string {
    return `LessThan(upper_bound=${pyFormat(this.upperBound)})`;
  }
}

export class Interval extends Constraint {
  constructor(readonly lowerBound: Bound, readonly upperBound: Bound) {
    super();
  }
  check(value: Tensor): Tensor {
    return ge(value, this.lowerBound).logicalAnd(le(value, this.upperBound));
  }
  toString(): string {
    return `Interval(lower_bound=${pyFormat(this.lowerBound)}, upper_bound=${pyFormat(this.upperBound)})`;
  }
}

export class HalfOpenInterval extends Constraint {
  constructor(readonly lowerBound: Bound, readonly upperBound: Bound) {
    super();
  }
  check(value: Tensor): Tensor {
    const below = this.upperBound instanceof Tensor ? this.upperBound.gt(value) : value.lt(this.upperBound);
    return ge(value, this.lowerBound).logicalAnd(below);
  }
  toString(): string {
    return `HalfOpenInterval(lower_bound=${pyFormat(this.lowerBound)}, upper_bound=${pyFormat(this.upperBound)})`;
  }
}

export class Simplex extends Constraint {
  eventDim = 1;
  check(value: Tensor): Tensor {
    return value.ge(0).all(-1).logicalAnd(value.sum(-1).sub(1).abs().lt(1e-6));
  }
}

export class Multinomial extends Constraint {
  isDiscrete = true;
  eventDim = 1;
  constructor(readonly upperBound: Bound) {
    super();
  }
  check(x: Tensor): Tensor {
    return x.ge(0).all(-1).logicalAnd(le(x.sum(-1), this.upperBound));
  }
}

const trilCheck = (value: Tensor): Tensor => value.tril().eq(value).view([...value.shape.slice(0, -2), -1]).min(-1).values;

export class LowerTriangular extends Constraint {
  eventDim = 2;
  check(value: Tensor): Tensor {
    return trilCheck(value);
  }
}

export class LowerCholesky extends Constraint {
  eventDim = 2;
  check(value: Tensor): Tensor {
    const positiveDiagonal = value.diagonal({ dim1: -2, dim2: -1 }).gt(0).min(-1).values;
    return trilCheck(value).logicalAnd(positiveDiagonal);
  }
}

/** Lower Cholesky factors whose rows have unit norm: Cholesky factors of correlation matrices. */
export class CorrCholesky extends Constraint {
  eventDim = 2;
  check(value: Tensor): Tensor {
    const tol = finfo(value.dtype).eps * value.size(-1) * 10; // Python's fudge factor 10
    const rowNorm = torch.linalg.norm(value.detach(), { dim: -1 });
    const unitRowNorm = rowNorm.sub(1).abs().le(tol).all(-1);
    return new LowerCholesky().check(value).logicalAnd(unitRowNorm);
  }
}

export class Square extends Constraint {
  eventDim = 2;
  check(value: Tensor): Tensor {
    const n = value.dim();
    return torch.full(value.shape.slice(0, -2), value.shape[n - 2] === value.shape[n - 1], { dtype: torch.bool, device: value.device });
  }
}

export class Symmetric extends Square {
  check(value: Tensor): Tensor {
    const square = super.check(value);
    if (!square.all().item<boolean>()) return square;
    return torch.isclose(value, value.mT, { atol: 1e-6 }).all(-2).all(-1);
  }
}

export class PositiveSemidefinite extends Symmetric {
  check(value: Tensor): Tensor {
    const sym = super.check(value);
    if (!sym.all().item<boolean>()) return sym;
    return torch.linalg.eigvalsh(value).ge(0).all(-1);
  }
}

export class PositiveDefinite extends Symmetric {
  check(value: Tensor): Tensor {
    const sym = super.check(value);
    if (!sym.all().item<boolean>()) return sym;
    return torch.linalg.choleskyEx(value).info.eq(0);
  }
}

const checkDim = (value: Tensor, dim: number): void => {
  if (!(-value.dim() <= dim && dim < value.dim())) throw new AssertionError('');
};

/** Constraints for consecutive slices of `dim` (of `lengths`, 1 each by default), as torch.cat joins them. */
export class Cat extends Constraint {
  readonly cseq: Constraint[];
  readonly lengths: number[];
  constructor(cseq: Constraint[], readonly dim = 0, lengths: number[] | null = null) {
    super();
    this.cseq = [...cseq];
    this.lengths = lengths ? [...lengths] : this.cseq.map(() => 1);
    if (this.lengths.length !== this.cseq.length) throw new AssertionError('');
    this.isDiscrete = this.cseq.some((c) => c.isDiscrete);
    this.eventDim = Math.max(...this.cseq.map((c) => c.eventDim));
  }
  check(value: Tensor): Tensor {
    checkDim(value, this.dim);
    let start = 0;
    const checks = this.cseq.map((c, i) => {
      const v = value.narrow(this.dim, start, this.lengths[i]);
      start += this.lengths[i];
      return c.check(v);
    });
    return torch.cat(checks, this.dim);
  }
}

/** One constraint per index of `dim`, as torch.stack joins them. */
export class Stack extends Constraint {
  readonly cseq: Constraint[];
  constructor(cseq: Constraint[], readonly dim = 0) {
    super();
    this.cseq = [...cseq];
    this.isDiscrete = this.cseq.some((c) => c.isDiscrete);
    const d = Math.max(...this.cseq.map((c) => c.eventDim));
    this.eventDim = dim + d < 0 ? d + 1 : d;
  }
  check(value: Tensor): Tensor {
    checkDim(value, this.dim);
    const n = value.size(this.dim);
    return torch.stack(this.cseq.slice(0, n).map((c, i) => c.check(value.select(this.dim, i))), this.dim);
  }
}

// Python's public names (snake_case ones in camelCase).
export const dependent = new Dependent();
export const independent = (base: Constraint, reinterpretedBatchNdims: number): Constraint => new IndependentConstraint(base, reinterpretedBatchNdims);
export const boolean = new Boolean();
export const oneHot = new OneHot();
export const nonnegativeInteger = new IntegerGreaterThan(0);
export const positiveInteger = new IntegerGreaterThan(1);
export const integerInterval = (lower: Bound, upper: Bound): Constraint => new IntegerInterval(lower, upper);
export const real = new Real();
export const realVector = independent(real, 1);
export const positive = new GreaterThan(0);
export const nonnegative = new GreaterThanEq(0);
export const greaterThan = (lower: Bound): Constraint => new GreaterThan(lower);
export const greaterThanEq = (lower: Bound): Constraint => new GreaterThanEq(lower);
export const lessThan = (upper: Bound): Constraint => new LessThan(upper);
export const multinomial = (upper: Bound): Constraint => new Multinomial(upper);
export const unitInterval = new Interval(0, 1);
export const interval = (lower: Bound, upper: Bound): Constraint => new Interval(lower, upper);
export const halfOpenInterval = (lower: Bound, upper: Bound): Constraint => new HalfOpenInterval(lower, upper);
export const simplex = new Simplex();
export const lowerTriangular = new LowerTriangular();
export const lowerCholesky = new LowerCholesky();
export const corrCholesky = new CorrCholesky();
export const square = new Square();
export const symmetric = new Symmetric();
export const positiveSemidefinite = new PositiveSemidefinite();
export const positiveDefinite = new PositiveDefinite();
export const cat = (cseq: Constraint[], dim = 0, lengths: number[] | null = null): Constraint => new Cat(cseq, dim, lengths);
export const stack = (cseq: Constraint[], dim = 0): Constraint => new Stack(cseq, dim);
