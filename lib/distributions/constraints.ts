// torch.distributions.constraints: the regions a parameter or a value must lie in. check() gives a
// bool tensor over the batch shape; the reprs are Python's, since they appear in error messages.
import * as torch from './torch';
import { Tensor } from './torch';
import { ValueError } from '../errors';
import { pyFormat } from './utils';

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

/** A constraint that cannot be checked (it depends on other parameters): skipped by validation. */
export class Dependent extends Constraint {
  constructor(readonly options: { isDiscrete?: boolean; eventDim?: number } = {}) {
    super();
    if (options.isDiscrete !== undefined) this.isDiscrete = options.isDiscrete;
    if (options.eventDim !== undefined) this.eventDim = options.eventDim;
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
export const square = new Square();
export const symmetric = new Symmetric();
export const positiveSemidefinite = new PositiveSemidefinite();
export const positiveDefinite = new PositiveDefinite();
