// ComposeTransform: transforms applied in a chain (each part does its own caching), and
// identityTransform, the empty chain.
import * as torch from '../torch';
import { Tensor } from '../torch';
import * as constraints from '../constraints';
import { ArgsOf, signature } from '../../keywords';
import { sumRightmost, Size } from '../utils';
import { Transform } from './transform';

/** Python's `sign * p.sign` over ints and tensors. */
export function mulSign(a: number | Tensor, b: number | Tensor): number | Tensor {
  if (typeof a === 'number' && typeof b === 'number') return a * b;
  return a instanceof Tensor ? a.mul(b) : (b as Tensor).mul(a);
}

const COMPOSE = signature<{ parts: Transform[]; cacheSize?: number }>()(['parts'], ['cacheSize']);

export class ComposeTransform extends Transform {
  readonly parts: Transform[];
  constructor(...args: ArgsOf<typeof COMPOSE>) {
    const a = COMPOSE.bind('ComposeTransform', args);
    super(a.cacheSize);
    this.parts = a.cacheSize ? a.parts.map((p) => p.withCache(a.cacheSize)) : a.parts;
  }
  /** The first part's domain, made Independent over the most event dims any part needs. */
  get domain(): constraints.Constraint {
    if (this.parts.length === 0) return constraints.real;
    const domain = this.parts[0].domain;
    let eventDim = this.parts[this.parts.length - 1].codomain.eventDim;
    for (const part of [...this.parts].reverse()) {
      eventDim = Math.max(eventDim + part.domain.eventDim - part.codomain.eventDim, part.domain.eventDim);
    }
    return eventDim > domain.eventDim ? constraints.independent(domain, eventDim - domain.eventDim) : domain;
  }
  get codomain(): constraints.Constraint {
    if (this.parts.length === 0) return constraints.real;
    const codomain = this.parts[this.parts.length - 1].codomain;
    let eventDim = this.parts[0].domain.eventDim;
    for (const part of this.parts) {
      eventDim = Math.max(eventDim + part.codomain.eventDim - part.domain.eventDim, part.codomain.eventDim);
    }
    return eventDim > codomain.eventDim ? constraints.independent(codomain, eventDim - codomain.eventDim) : codomain;
  }
  get bijective(): boolean {
    return this.parts.every((p) => p.bijective);
  }
  get sign(): number | Tensor {
    return this.parts.reduce<number | Tensor>((s, p) => mulSign(s, p.sign), 1);
  }
  /** The parts' inverses in reverse order, made once; its inverse is this transform. */
  get inv(): Transform {
    if (!this._inv) {
      const inv = new ComposeTransform([...this.parts].reverse().map((p) => p.inv));
      inv._inv = this;
      this._inv = inv;
    }
    return this._inv;
  }
  withCache(cacheSize = 1): Transform {
    return this._cacheSize === cacheSize ? this : new ComposeTransform(this.parts, cacheSize);
  }
  equals(other: unknown): boolean {
    if (!(other instanceof ComposeTransform) || other.parts.length !== this.parts.length) return false;
    return this.parts.every((p, i) => p === other.parts[i] || p.equals(other.parts[i]));
  }
  call(x: Tensor): Tensor {
    return this.parts.reduce((v, part) => part(v), x);
  }
  logAbsDetJacobian(x: Tensor, y: Tensor): Tensor {
    if (this.parts.length === 0) return torch.zerosLike(x);
    // the intermediates: free where the parts cache
    const xs = [x];
    for (const part of this.parts.slice(0, -1)) xs.push(part(xs[xs.length - 1]));
    xs.push(y);
    let eventDim = this.domain.eventDim;
    let total: Tensor | null = null;
    this.parts.forEach((part, i) => {
      const term = sumRightmost(part.logAbsDetJacobian(xs[i], xs[i + 1]), eventDim - part.domain.eventDim);
      total = total === null ? term : total.add(term);
      eventDim += part.codomain.eventDim - part.domain.eventDim;
    });
    return total!;
  }
  forwardShape(shape: Size): Size {
    return this.parts.reduce((s, p) => p.forwardShape(s), shape);
  }
  inverseShape(shape: Size): Size {
    return this.parts.reduceRight((s, p) => p.inverseShape(s), shape);
  }
  toString(): string {
    return `ComposeTransform(\n    ${this.parts.map(String).join(',\n    ')}\n)`;
  }
}

/** The identity: Python's `identity_transform`, an empty ComposeTransform. */
export const identityTransform = new ComposeTransform([]);
