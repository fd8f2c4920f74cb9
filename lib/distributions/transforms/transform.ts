// The Transform base class (torch.distributions.transforms.Transform) and _InverseTransform.
// Transforms are callable, `t(x)`, as in Python (and as nn modules and vision transforms are here);
// `t.call(x)` is the same call. `t.inv` is the inverse transform (itself callable: `t.inv(y)`).
// With cacheSize 1 a transform remembers its last (x, y): calling it on that x again, or inverting
// that y, returns the remembered tensor itself, as Python's `_cached_x_y`.
import { Tensor } from '../torch';
import * as constraints from '../constraints';
import { NotImplementedError, ValueError } from '../../errors';
import { Rest, parse } from '../../keywords';
import { Size } from '../utils';
import { callableInstance } from '../../callable';

export interface CacheOptions {
  cacheSize?: number;
}
export type CacheArgs = Rest<CacheOptions, ['cacheSize']>;

/** Python's `x is y` on the cache's tensors. */
type Cached = [Tensor | null, Tensor | null];

export interface Transform {
  (x: Tensor): Tensor;
}
export abstract class Transform {
  declare _cacheSize: number;
  declare _cachedXY: Cached;
  /** The inverse, made once (Python keeps a weak reference; `t.inv.inv === t`). */
  declare _inv: Transform | null;

  /** `new T()`, `new T(1)`, `new T({ cacheSize: 1 })`. */
  constructor(...args: CacheArgs) {
    const self = callableInstance<Transform>(new.target.prototype, (t, [x]) => t.call(x));
    const { cacheSize = 0 } = parse<CacheOptions>(new.target.name, args, ['cacheSize']);
    if (cacheSize !== 0 && cacheSize !== 1) throw new ValueError('cache_size must be 0 or 1');
    self._cacheSize = cacheSize;
    self._cachedXY = [null, null];
    self._inv = null;
    return self;
  }

  get bijective(): boolean {
    return false;
  }
  abstract get domain(): constraints.Constraint;
  abstract get codomain(): constraints.Constraint;

  /** The event dim shared by domain and codomain; ValueError where they differ. */
  get eventDim(): number {
    if (this.domain.eventDim === this.codomain.eventDim) return this.domain.eventDim;
    throw new ValueError('Please use either .domain.event_dim or .codomain.event_dim');
  }

  get inv(): Transform {
    return (this._inv ??= new InverseTransform(this));
  }

  /** +1 or -1 for monotone transforms (a tensor for an AffineTransform with a tensor scale). */
  get sign(): number | Tensor {
    throw new NotImplementedError();
  }

  /** This transform with cache size 0 or 1 (itself when it already has it). */
  withCache(cacheSize = 1): Transform {
    if (this._cacheSize === cacheSize) return this;
    const Ctor = this.constructor as new (options: CacheOptions) => Transform;
    return new Ctor({ cacheSize });
  }

  /** Python's `==`: the same transform (subclasses: the same kind and parameters). */
  equals(other: unknown): boolean {
    return other === this;
  }
  /** Python's `!=`. */
  notEquals(other: unknown): boolean {
    return !this.equals(other);
  }

  /** Python's `__call__`: y = t(x), through the cache. */
  call(x: Tensor): Tensor {
    if (this._cacheSize === 0) return this._call(x);
    const [xOld, yOld] = this._cachedXY;
    if (x === xOld) return yOld!;
    const y = this._call(x);
    this._cachedXY = [x, y];
    return y;
  }
  /** x = t⁻¹(y), through the cache: the cached x itself for the y this transform produced. */
  _invCall(y: Tensor): Tensor {
    if (this._cacheSize === 0) return this._inverse(y);
    const [xOld, yOld] = this._cachedXY;
    if (y === yOld) return xOld!;
    const x = this._inverse(y);
    this._cachedXY = [x, y];
    return x;
  }
  _call(_x: Tensor): Tensor {
    throw new NotImplementedError();
  }
  _inverse(_y: Tensor): Tensor {
    throw new NotImplementedError();
  }
  /** log |dy/dx| */
  logAbsDetJacobian(_x: Tensor, _y: Tensor): Tensor {
    throw new NotImplementedError();
  }
  forwardShape(shape: Size): Size {
    return shape;
  }
  inverseShape(shape: Size): Size {
    return shape;
  }
  toString(): string {
    return `${this.constructor.name}()`;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** The inverse of a transform: Python's `_InverseTransform`, reached as `t.inv`. */
export class InverseTransform extends Transform {
  constructor(transform: Transform) {
    super(transform._cacheSize);
    this._inv = transform;
  }
  private get base(): Transform {
    return this._inv!;
  }
  get domain(): constraints.Constraint {
    return this.base.codomain;
  }
  get codomain(): constraints.Constraint {
    return this.base.domain;
  }
  get bijective(): boolean {
    return this.base.bijective;
  }
  get sign(): number | Tensor {
    return this.base.sign;
  }
  get inv(): Transform {
    return this.base;
  }
  withCache(cacheSize = 1): Transform {
    return this.base.withCache(cacheSize).inv;
  }
  equals(other: unknown): boolean {
    return other instanceof InverseTransform && this.base.equals(other.base);
  }
  call(x: Tensor): Tensor {
    return this.base._invCall(x);
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
  toString(): string {
    return `_InverseTransform(${this.base})`;
  }
}
