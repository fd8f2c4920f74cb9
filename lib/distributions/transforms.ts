// Transforms for TransformedDistribution: invertible maps with their log |det Jacobian|. Python calls
// a transform as `t(x)`; here `t.call(x)`, and `t.inv(y)` as in Python.
import * as torch from './torch';
import { Tensor } from './torch';
import * as constraints from './constraints';
import { NotImplementedError } from '../errors';
import { broadcastShapes, finfo, Size } from './utils';
import { logsigmoid, pad } from '../nn/functional';
import { ValueError } from '../errors';

export abstract class Transform {
  bijective = false;
  /** +1 or -1 for monotone transforms (cdf of a transformed distribution). */
  get sign(): number {
    throw new NotImplementedError();
  }
  abstract get domain(): constraints.Constraint;
  abstract get codomain(): constraints.Constraint;
  abstract call(x: Tensor): Tensor;
  abstract inv(y: Tensor): Tensor;
  abstract logAbsDetJacobian(x: Tensor, y: Tensor): Tensor;
  forwardShape(shape: Size): Size {
    return shape;
  }
  inverseShape(shape: Size): Size {
    return shape;
  }
  /** Python's ==: transforms of one kind with the same parameters. */
  equals(other: Transform): boolean {
    return other === this;
  }
  toString(): string {
    return `${this.constructor.name}()`;
  }
}

/** y = exp(x) */
export class ExpTransform extends Transform {
  bijective = true;
  get sign(): number {
    return 1;
  }
  get domain(): constraints.Constraint {
    return constraints.real;
  }
  get codomain(): constraints.Constraint {
    return constraints.positive;
  }
  call(x: Tensor): Tensor {
    return x.exp();
  }
  inv(y: Tensor): Tensor {
    return y.log();
  }
  logAbsDetJacobian(x: Tensor): Tensor {
    return x;
  }
  equals(other: Transform): boolean {
    return other instanceof ExpTransform;
  }
}

/** Python's AffineTransform.__eq__ on one parameter: numbers by value, tensors elementwise. */
function sameParam(a: Tensor | number, b: Tensor | number): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  return (a instanceof Tensor ? a.eq(b) : (b as Tensor).eq(a)).all().item<boolean>();
}

/** y = loc + scale * x (elementwise, eventDim 0). */
export class AffineTransform extends Transform {
  bijective = true;
  constructor(readonly loc: Tensor | number, readonly scale: Tensor | number) {
    super();
  }
  get sign(): number {
    if (typeof this.scale === 'number') return this.scale > 0 ? 1 : this.scale < 0 ? -1 : 0;
    throw new NotImplementedError('sign of a tensor scale');
  }
  get domain(): constraints.Constraint {
    return constraints.real;
  }
  get codomain(): constraints.Constraint {
    return constraints.real;
  }
  call(x: Tensor): Tensor {
    return x.mul(this.scale).add(this.loc);
  }
  inv(y: Tensor): Tensor {
    return y.sub(this.loc).div(this.scale);
  }
  logAbsDetJacobian(x: Tensor): Tensor {
    if (typeof this.scale === 'number') return torch.fullLike(x, Math.log(Math.abs(this.scale)));
    return torch.abs(this.scale).log().expand(x.shape);
  }
  forwardShape(shape: Size): Size {
    const s = (v: Tensor | number): Size => (typeof v === 'number' ? [] : v.shape);
    return broadcastShapes(shape, s(this.loc), s(this.scale));
  }
  inverseShape(shape: Size): Size {
    return this.forwardShape(shape);
  }
  equals(other: Transform): boolean {
    return other instanceof AffineTransform && sameParam(this.loc, other.loc) && sameParam(this.scale, other.scale);
  }
}

/** y = |x|: not invertible, `inv` returns y itself (the positive branch), as Python's AbsTransform. */
export class AbsTransform extends Transform {
  get domain(): constraints.Constraint {
    return constraints.real;
  }
  get codomain(): constraints.Constraint {
    return constraints.positive;
  }
  call(x: Tensor): Tensor {
    return x.abs();
  }
  inv(y: Tensor): Tensor {
    return y;
  }
  logAbsDetJacobian(): Tensor {
    throw new NotImplementedError();
  }
  equals(other: Transform): boolean {
    return other instanceof AbsTransform;
  }
}

/** y = x ** exponent (elementwise, positive to positive). */
export class PowerTransform extends Transform {
  bijective = true;
  readonly exponent: Tensor;
  constructor(exponent: Tensor | number) {
    super();
    this.exponent = exponent instanceof Tensor ? exponent : torch.tensor(exponent, { dtype: torch.getDefaultDtype() });
  }
  get sign(): number {
    return 1;
  }
  get domain(): constraints.Constraint {
    return constraints.positive;
  }
  get codomain(): constraints.Constraint {
    return constraints.positive;
  }
  call(x: Tensor): Tensor {
    return x.pow(this.exponent);
  }
  inv(y: Tensor): Tensor {
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
  equals(other: Transform): boolean {
    return other instanceof PowerTransform && other.exponent.eq(this.exponent).all().item<boolean>();
  }
}

/** The inverse of a bijective transform (Python's `t.inv` property, `_InverseTransform`). */
export class InverseTransform extends Transform {
  bijective = true;
  constructor(readonly base: Transform) {
    super();
  }
  get sign(): number {
    return this.base.sign;
  }
  get domain(): constraints.Constraint {
    return this.base.codomain;
  }
  get codomain(): constraints.Constraint {
    return this.base.domain;
  }
  call(x: Tensor): Tensor {
    return this.base.inv(x);
  }
  inv(y: Tensor): Tensor {
    return this.base.call(y);
  }
  logAbsDetJacobian(x: Tensor, y: Tensor): Tensor {
    return this.base.logAbsDetJacobian(y, x).neg();
  }
  forwardShape(shape: Size): Size {
    return this.base.inverseShape(shape);
  }
  inverseShape(shape: Size): Size {
    return this.base.forwardShape(shape);
  }
  equals(other: Transform): boolean {
    return other instanceof InverseTransform && this.base.equals(other.base);
  }
  toString(): string {
    return `_InverseTransform()`;
  }
}

/** Python's Transform.sign, where an AffineTransform with a tensor scale gives `scale.sign()`. */
const signOf = (t: Transform): Tensor | number => (t instanceof AffineTransform && t.scale instanceof Tensor ? t.scale.sign() : t.sign);

/** Python's TransformedDistribution._monotonize_cdf: flips a cdf where the composed transforms decrease. */
export function monotonizeCdf(transforms: Transform[], value: Tensor): Tensor {
  let sign = 1 as Tensor | number;
  for (const t of transforms) {
    const s = signOf(t);
    sign = sign instanceof Tensor ? sign.mul(s) : s instanceof Tensor ? s.mul(sign) : sign * s;
  }
  if (sign === 1) return value;
  return value.sub(0.5).mul(sign).add(0.5);
}


/** sigmoid kept inside [tiny, 1 - eps], so that its logit stays finite. */
function clippedSigmoid(x: Tensor): Tensor {
  const { tiny, eps } = finfo(x.dtype);
  return torch.clamp(torch.sigmoid(x), tiny, 1 - eps);
}

/** y = sigmoid(x), x = logit(y). */
export class SigmoidTransform extends Transform {
  bijective = true;
  get sign(): number {
    return 1;
  }
  get domain(): constraints.Constraint {
    return constraints.real;
  }
  get codomain(): constraints.Constraint {
    return constraints.unitInterval;
  }
  call(x: Tensor): Tensor {
    return clippedSigmoid(x);
  }
  inv(y: Tensor): Tensor {
    const { tiny, eps } = finfo(y.dtype);
    const c = y.clamp(tiny, 1 - eps);
    return c.log().sub(c.neg().log1p());
  }
  logAbsDetJacobian(x: Tensor): Tensor {
    return torch.softplus(x.neg()).neg().sub(torch.softplus(x));
  }
  equals(other: Transform): boolean {
    return other instanceof SigmoidTransform;
  }
}

/** Unconstrained vectors of K - 1 to the K-simplex by stick breaking (iterated sigmoids). */
export class StickBreakingTransform extends Transform {
  bijective = true;
  get domain(): constraints.Constraint {
    return constraints.realVector;
  }
  get codomain(): constraints.Constraint {
    return constraints.simplex;
  }
  private static offset(x: Tensor): Tensor {
    const k = x.shape[x.dim() - 1];
    return x.newOnes([k]).cumsum(-1).neg().add(k + 1);
  }
  call(x: Tensor): Tensor {
    const z = clippedSigmoid(x.sub(StickBreakingTransform.offset(x).log()));
    const zCumprod = z.neg().add(1).cumprod(-1);
    return pad(z, [0, 1], { value: 1 }).mul(pad(zCumprod, [1, 0], { value: 1 }));
  }
  inv(y: Tensor): Tensor {
    const yCrop = y.index('...', torch.slice(null, -1));
    const k = yCrop.shape[yCrop.dim() - 1];
    const offset = y.newOnes([k]).cumsum(-1).neg().add(y.shape[y.dim() - 1]);
    // clamped: 1 - cumsum may fall to 0 or below when y[-1] ~ 0
    const sf = torch.clamp(yCrop.cumsum(-1).neg().add(1), { min: finfo(y.dtype).tiny });
    return yCrop.log().sub(sf.log()).add(offset.log());
  }
  logAbsDetJacobian(x: Tensor, y: Tensor): Tensor {
    const shifted = x.sub(StickBreakingTransform.offset(x).log());
    // 1 - sigmoid(x) = exp(-x) * sigmoid(x)
    return shifted.neg().add(logsigmoid(shifted)).add(y.index('...', torch.slice(null, -1)).log()).sum(-1);
  }
  forwardShape(shape: Size): Size {
    if (shape.length < 1) throw new ValueError('Too few dimensions on input');
    return [...shape.slice(0, -1), shape[shape.length - 1] + 1];
  }
  inverseShape(shape: Size): Size {
    if (shape.length < 1) throw new ValueError('Too few dimensions on input');
    return [...shape.slice(0, -1), shape[shape.length - 1] - 1];
  }
  equals(other: Transform): boolean {
    return other instanceof StickBreakingTransform;
  }
}
