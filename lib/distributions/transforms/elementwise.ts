// Elementwise transforms: exp, power, sigmoid, softplus, tanh, abs and affine maps.
import * as torch from '../torch';
import { Tensor } from '../torch';
import * as constraints from '../constraints';
import { ArgsOf, signature } from '../../keywords';
import { broadcastAll, broadcastShapes, finfo, Size } from '../utils';
import { Transform } from './transform';

const LOG2 = Math.log(2);

/**
 * An increasing bijection: bijective, sign +1. One without parameters equals any transform of its
 * class (Python's __eq__ there is an isinstance check); those with parameters compare them.
 */
abstract class IncreasingBijection extends Transform {
  get bijective(): boolean {
    return true;
  }
  get sign(): number {
    return 1;
  }
  equals(other: unknown): boolean {
    return other instanceof (this.constructor as abstract new (...args: never[]) => Transform);
  }
}

/** y = exp(x) */
export class ExpTransform extends IncreasingBijection {
  get domain(): constraints.Constraint {
    return constraints.real;
  }
  get codomain(): constraints.Constraint {
    return constraints.positive;
  }
  _call(x: Tensor): Tensor {
    return x.exp();
  }
  _inverse(y: Tensor): Tensor {
    return y.log();
  }
  logAbsDetJacobian(x: Tensor): Tensor {
    return x;
  }
}

const POWER = signature<{ exponent: Tensor | number; cacheSize?: number }>()(['exponent'], ['cacheSize']);

/** y = x ** exponent (positive to positive). */
export class PowerTransform extends IncreasingBijection {
  readonly exponent: Tensor;
  constructor(...args: ArgsOf<typeof POWER>) {
    const a = POWER.bind('PowerTransform', args);
    super(a.cacheSize);
    [this.exponent] = broadcastAll(a.exponent);
  }
  get domain(): constraints.Constraint {
    return constraints.positive;
  }
  get codomain(): constraints.Constraint {
    return constraints.positive;
  }
  withCache(cacheSize = 1): Transform {
    return this._cacheSize === cacheSize ? this : new PowerTransform(this.exponent, cacheSize);
  }
  equals(other: unknown): boolean {
    return other instanceof PowerTransform && this.exponent.eq(other.exponent).all().item<boolean>();
  }
  _call(x: Tensor): Tensor {
    return x.pow(this.exponent);
  }
  _inverse(y: Tensor): Tensor {
    return y.pow(this.exponent.reciprocal());
  }
  logAbsDetJacobian(x: Tensor, y: Tensor): Tensor {
    return this.exponent.mul(y).div(x).abs().log();
  }
  forwardShape(shape: Size): Size {
    return broadcastShapes(shape, this.exponent.shape);
  }
  inverseShape(shape: Size): Size {
    return broadcastShapes(shape, this.exponent.shape);
  }
}

/** sigmoid kept inside [tiny, 1 - eps], so that its logit stays finite. */
export function clippedSigmoid(x: Tensor): Tensor {
  const { tiny, eps } = finfo(x.dtype);
  return torch.clamp(torch.sigmoid(x), tiny, 1 - eps);
}

/** y = sigmoid(x), x = logit(y). */
export class SigmoidTransform extends IncreasingBijection {
  get domain(): constraints.Constraint {
    return constraints.real;
  }
  get codomain(): constraints.Constraint {
    return constraints.unitInterval;
  }
  _call(x: Tensor): Tensor {
    return clippedSigmoid(x);
  }
  _inverse(y: Tensor): Tensor {
    const { tiny, eps } = finfo(y.dtype);
    const c = y.clamp(tiny, 1 - eps);
    return c.log().sub(c.neg().log1p());
  }
  logAbsDetJacobian(x: Tensor): Tensor {
    return torch.softplus(x.neg()).neg().sub(torch.softplus(x));
  }
}

/** y = softplus(x) = log(1 + exp(x)) (linear above 20). */
export class SoftplusTransform extends IncreasingBijection {
  get domain(): constraints.Constraint {
    return constraints.real;
  }
  get codomain(): constraints.Constraint {
    return constraints.positive;
  }
  _call(x: Tensor): Tensor {
    return torch.softplus(x);
  }
  _inverse(y: Tensor): Tensor {
    return y.neg().expm1().neg().log().add(y);
  }
  logAbsDetJacobian(x: Tensor): Tensor {
    return torch.softplus(x.neg()).neg();
  }
}

/** y = tanh(x). Its inverse atanh is not clamped at ±1: use cacheSize 1 to score its own samples. */
export class TanhTransform extends IncreasingBijection {
  get domain(): constraints.Constraint {
    return constraints.real;
  }
  get codomain(): constraints.Constraint {
    return TANH_CODOMAIN;
  }
  _call(x: Tensor): Tensor {
    return x.tanh();
  }
  _inverse(y: Tensor): Tensor {
    return torch.atanh(y);
  }
  logAbsDetJacobian(x: Tensor): Tensor {
    // 2 (log 2 - x - softplus(-2x)): stable for large |x|
    return x.neg().add(LOG2).sub(torch.softplus(x.mul(-2))).mul(2);
  }
}
const TANH_CODOMAIN = constraints.interval(-1.0, 1.0);

/** y = |x|: not invertible; `inv` gives y itself (the positive branch). */
export class AbsTransform extends Transform {
  get domain(): constraints.Constraint {
    return constraints.real;
  }
  get codomain(): constraints.Constraint {
    return constraints.positive;
  }
  equals(other: unknown): boolean {
    return other instanceof AbsTransform;
  }
  _call(x: Tensor): Tensor {
    return x.abs();
  }
  _inverse(y: Tensor): Tensor {
    return y;
  }
}

/** Python's AffineTransform.__eq__ on one parameter: numbers by value, tensors elementwise. */
function sameParam(a: Tensor | number, b: Tensor | number): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  return (a instanceof Tensor ? a.eq(b) : (b as Tensor).eq(a)).all().item<boolean>();
}

interface AffineArgs {
  loc: Tensor | number;
  scale: Tensor | number;
  eventDim?: number;
  cacheSize?: number;
}
const AFFINE = signature<AffineArgs>()(['loc', 'scale'], ['eventDim', 'cacheSize']);

/** y = loc + scale * x, over events of `eventDim` dims. */
export class AffineTransform extends Transform {
  readonly loc: Tensor | number;
  readonly scale: Tensor | number;
  readonly _eventDim: number;
  constructor(...args: ArgsOf<typeof AFFINE>) {
    const a = AFFINE.bind('AffineTransform', args);
    super(a.cacheSize);
    this.loc = a.loc;
    this.scale = a.scale;
    this._eventDim = a.eventDim ?? 0;
  }
  get eventDim(): number {
    return this._eventDim;
  }
  get domain(): constraints.Constraint {
    return this._eventDim === 0 ? constraints.real : constraints.independent(constraints.real, this._eventDim);
  }
  get codomain(): constraints.Constraint {
    return this.domain;
  }
  get bijective(): boolean {
    return true;
  }
  get sign(): number | Tensor {
    if (typeof this.scale === 'number') return this.scale > 0 ? 1 : this.scale < 0 ? -1 : 0;
    return this.scale.sign();
  }
  withCache(cacheSize = 1): Transform {
    return this._cacheSize === cacheSize ? this : new AffineTransform(this.loc, this.scale, this._eventDim, cacheSize);
  }
  equals(other: unknown): boolean {
    return other instanceof AffineTransform && sameParam(this.loc, other.loc) && sameParam(this.scale, other.scale);
  }
  _call(x: Tensor): Tensor {
    return x.mul(this.scale).add(this.loc);
  }
  _inverse(y: Tensor): Tensor {
    return y.sub(this.loc).div(this.scale);
  }
  logAbsDetJacobian(x: Tensor): Tensor {
    let shape = x.shape;
    let result = typeof this.scale === 'number' ? torch.fullLike(x, Math.log(Math.abs(this.scale))) : torch.abs(this.scale).log();
    if (this._eventDim) {
      result = result.view([...result.shape.slice(0, -this._eventDim), -1]).sum(-1);
      shape = shape.slice(0, -this._eventDim);
    }
    return result.expand(shape);
  }
  forwardShape(shape: Size): Size {
    const s = (v: Tensor | number): Size => (typeof v === 'number' ? [] : v.shape);
    return broadcastShapes(shape, s(this.loc), s(this.scale));
  }
  inverseShape(shape: Size): Size {
    return this.forwardShape(shape);
  }
}
