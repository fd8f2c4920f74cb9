// Transforms for TransformedDistribution: invertible maps with their log |det Jacobian|. Python calls
// a transform as `t(x)`; here `t.call(x)`, and `t.inv(y)` as in Python.
import * as torch from './torch';
import { Tensor } from './torch';
import * as constraints from './constraints';
import { NotImplementedError } from '../errors';
import { broadcastShapes, Size } from './utils';

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
    return other instanceof AffineTransform && other.loc === this.loc && other.scale === this.scale;
  }
}
