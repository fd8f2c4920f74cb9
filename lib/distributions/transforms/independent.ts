// Transforms that reinterpret event dims: IndependentTransform (a base transform whose rightmost
// batch dims count as event dims) and ReshapeTransform (reshapes the event, unit Jacobian).
import { Tensor } from '../torch';
import * as constraints from '../constraints';
import { ValueError } from '../../errors';
import { ArgsOf, signature } from '../../keywords';
import { sameShape, sumRightmost, Size } from '../utils';
import { Transform } from './transform';
import { pySize } from '../../py-format';

interface IndependentArgs {
  baseTransform: Transform;
  reinterpretedBatchNdims: number;
  cacheSize?: number;
}
const INDEPENDENT = signature<IndependentArgs>()(['baseTransform', 'reinterpretedBatchNdims'], ['cacheSize']);

export class IndependentTransform extends Transform {
  readonly baseTransform: Transform;
  readonly reinterpretedBatchNdims: number;
  constructor(...args: ArgsOf<typeof INDEPENDENT>) {
    const a = INDEPENDENT.bind('IndependentTransform', args);
    super(a.cacheSize);
    this.baseTransform = a.baseTransform.withCache(a.cacheSize ?? 0);
    this.reinterpretedBatchNdims = a.reinterpretedBatchNdims;
  }
  withCache(cacheSize = 1): Transform {
    return this._cacheSize === cacheSize ? this : new IndependentTransform(this.baseTransform, this.reinterpretedBatchNdims, cacheSize);
  }
  get domain(): constraints.Constraint {
    return constraints.independent(this.baseTransform.domain, this.reinterpretedBatchNdims);
  }
  get codomain(): constraints.Constraint {
    return constraints.independent(this.baseTransform.codomain, this.reinterpretedBatchNdims);
  }
  get bijective(): boolean {
    return this.baseTransform.bijective;
  }
  get sign(): number | Tensor {
    return this.baseTransform.sign;
  }
  _call(x: Tensor): Tensor {
    if (x.dim() < this.domain.eventDim) throw new ValueError('Too few dimensions on input');
    return this.baseTransform(x);
  }
  _inverse(y: Tensor): Tensor {
    if (y.dim() < this.codomain.eventDim) throw new ValueError('Too few dimensions on input');
    return this.baseTransform.inv(y);
  }
  logAbsDetJacobian(x: Tensor, y: Tensor): Tensor {
    return sumRightmost(this.baseTransform.logAbsDetJacobian(x, y), this.reinterpretedBatchNdims);
  }
  forwardShape(shape: Size): Size {
    return this.baseTransform.forwardShape(shape);
  }
  inverseShape(shape: Size): Size {
    return this.baseTransform.inverseShape(shape);
  }
  toString(): string {
    return `IndependentTransform(${this.baseTransform}, ${this.reinterpretedBatchNdims})`;
  }
}

const RESHAPE = signature<{ inShape: Size; outShape: Size; cacheSize?: number }>()(['inShape', 'outShape'], ['cacheSize']);
const numel = (s: Size): number => s.reduce((a, b) => a * b, 1);

/** Swaps one event shape for another of as many elements: the rightmost inShape dims become outShape. */
export class ReshapeTransform extends Transform {
  readonly inShape: Size;
  readonly outShape: Size;
  constructor(...args: ArgsOf<typeof RESHAPE>) {
    const a = RESHAPE.bind('ReshapeTransform', args);
    if (numel(a.inShape) !== numel(a.outShape)) throw new ValueError('in_shape, out_shape have different numbers of elements');
    super(a.cacheSize);
    this.inShape = [...a.inShape];
    this.outShape = [...a.outShape];
  }
  get domain(): constraints.Constraint {
    return constraints.independent(constraints.real, this.inShape.length);
  }
  get codomain(): constraints.Constraint {
    return constraints.independent(constraints.real, this.outShape.length);
  }
  get bijective(): boolean {
    return true;
  }
  withCache(cacheSize = 1): Transform {
    return this._cacheSize === cacheSize ? this : new ReshapeTransform(this.inShape, this.outShape, cacheSize);
  }
  _call(x: Tensor): Tensor {
    return x.reshape([...x.shape.slice(0, x.dim() - this.inShape.length), ...this.outShape]);
  }
  _inverse(y: Tensor): Tensor {
    return y.reshape([...y.shape.slice(0, y.dim() - this.outShape.length), ...this.inShape]);
  }
  logAbsDetJacobian(x: Tensor): Tensor {
    return x.newZeros(x.shape.slice(0, x.dim() - this.inShape.length));
  }
  forwardShape(shape: Size): Size {
    return reshapeEvent(shape, this.inShape, this.outShape);
  }
  inverseShape(shape: Size): Size {
    return reshapeEvent(shape, this.outShape, this.inShape);
  }
}

function reshapeEvent(shape: Size, from: Size, to: Size): Size {
  if (shape.length < from.length) throw new ValueError('Too few dimensions on input');
  const cut = shape.length - from.length;
  const event = shape.slice(cut);
  if (!sameShape(event, from)) throw new ValueError(`Shape mismatch: expected ${pySize(event)} but got ${pySize(from)}`);
  return [...shape.slice(0, cut), ...to];
}
