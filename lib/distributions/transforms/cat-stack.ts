// CatTransform and StackTransform: a list of transforms, each applied to its own slice of `dim`
// (slices of `lengths` for cat, single indices for stack), joined back as torch.cat / torch.stack do.
import * as torch from '../torch';
import { Tensor } from '../torch';
import * as constraints from '../constraints';
import { AssertionError } from '../../errors';
import { ArgsOf, signature } from '../../keywords';
import { sumRightmost } from '../utils';
import { Transform } from './transform';

function assert(ok: boolean): void {
  if (!ok) throw new AssertionError('');
}
const dimFits = (t: Tensor, dim: number): boolean => -t.dim() <= dim && dim < t.dim();

interface CatArgs {
  tseq: Transform[];
  dim?: number;
  lengths?: number[] | null;
  cacheSize?: number;
}
const CAT = signature<CatArgs>()(['tseq'], ['dim', 'lengths', 'cacheSize']);

export class CatTransform extends Transform {
  readonly transforms: Transform[];
  readonly lengths: number[];
  readonly dim: number;
  constructor(...args: ArgsOf<typeof CAT>) {
    const a = CAT.bind('CatTransform', args);
    assert(a.tseq.every((t) => t instanceof Transform));
    super(a.cacheSize);
    this.transforms = a.cacheSize ? a.tseq.map((t) => t.withCache(a.cacheSize)) : [...a.tseq];
    this.lengths = a.lengths ? [...a.lengths] : this.transforms.map(() => 1);
    assert(this.lengths.length === this.transforms.length);
    this.dim = a.dim ?? 0;
  }
  get eventDim(): number {
    return Math.max(...this.transforms.map((t) => t.eventDim));
  }
  /** The size of `dim` this transform takes: the sum of the lengths. */
  get length(): number {
    return this.lengths.reduce((s, l) => s + l, 0);
  }
  withCache(cacheSize = 1): Transform {
    return this._cacheSize === cacheSize ? this : new CatTransform(this.transforms, this.dim, this.lengths, cacheSize);
  }
  get bijective(): boolean {
    return this.transforms.every((t) => t.bijective);
  }
  get domain(): constraints.Constraint {
    return constraints.cat(this.transforms.map((t) => t.domain), this.dim, this.lengths);
  }
  get codomain(): constraints.Constraint {
    return constraints.cat(this.transforms.map((t) => t.codomain), this.dim, this.lengths);
  }
  /** f(transform, start, length) for each slice, in order. */
  private slices<T>(f: (t: Transform, start: number, length: number) => T): T[] {
    let start = 0;
    return this.transforms.map((t, i) => {
      const r = f(t, start, this.lengths[i]);
      start += this.lengths[i];
      return r;
    });
  }
  _call(x: Tensor): Tensor {
    assert(dimFits(x, this.dim) && x.size(this.dim) === this.length);
    return torch.cat(this.slices((t, s, l) => t(x.narrow(this.dim, s, l))), this.dim);
  }
  _inverse(y: Tensor): Tensor {
    assert(dimFits(y, this.dim) && y.size(this.dim) === this.length);
    return torch.cat(this.slices((t, s, l) => t.inv(y.narrow(this.dim, s, l))), this.dim);
  }
  logAbsDetJacobian(x: Tensor, y: Tensor): Tensor {
    assert(dimFits(x, this.dim) && x.size(this.dim) === this.length);
    assert(dimFits(y, this.dim) && y.size(this.dim) === this.length);
    const eventDim = this.eventDim;
    const terms = this.slices((t, s, l) => {
      const term = t.logAbsDetJacobian(x.narrow(this.dim, s, l), y.narrow(this.dim, s, l));
      return t.eventDim < eventDim ? sumRightmost(term, eventDim - t.eventDim) : term;
    });
    // a dim left of the event concatenates; one inside it sums
    const dim = (this.dim >= 0 ? this.dim - x.dim() : this.dim) + eventDim;
    if (dim < 0) return torch.cat(terms, dim);
    return terms.slice(1).reduce((s, t) => s.add(t), terms[0].add(0));
  }
}

const STACK = signature<{ tseq: Transform[]; dim?: number; cacheSize?: number }>()(['tseq'], ['dim', 'cacheSize']);

export class StackTransform extends Transform {
  readonly transforms: Transform[];
  readonly dim: number;
  constructor(...args: ArgsOf<typeof STACK>) {
    const a = STACK.bind('StackTransform', args);
    assert(a.tseq.every((t) => t instanceof Transform));
    super(a.cacheSize);
    this.transforms = a.cacheSize ? a.tseq.map((t) => t.withCache(a.cacheSize)) : [...a.tseq];
    this.dim = a.dim ?? 0;
  }
  withCache(cacheSize = 1): Transform {
    return this._cacheSize === cacheSize ? this : new StackTransform(this.transforms, this.dim, cacheSize);
  }
  get bijective(): boolean {
    return this.transforms.every((t) => t.bijective);
  }
  get domain(): constraints.Constraint {
    return constraints.stack(this.transforms.map((t) => t.domain), this.dim);
  }
  get codomain(): constraints.Constraint {
    return constraints.stack(this.transforms.map((t) => t.codomain), this.dim);
  }
  private slice(z: Tensor): Tensor[] {
    return Array.from({ length: z.size(this.dim) }, (_, i) => z.select(this.dim, i));
  }
  private check(z: Tensor): void {
    assert(dimFits(z, this.dim) && z.size(this.dim) === this.transforms.length);
  }
  _call(x: Tensor): Tensor {
    this.check(x);
    return torch.stack(this.slice(x).map((xs, i) => this.transforms[i](xs)), this.dim);
  }
  _inverse(y: Tensor): Tensor {
    this.check(y);
    return torch.stack(this.slice(y).map((ys, i) => this.transforms[i].inv(ys)), this.dim);
  }
  logAbsDetJacobian(x: Tensor, y: Tensor): Tensor {
    this.check(x);
    this.check(y);
    const ys = this.slice(y);
    return torch.stack(this.slice(x).map((xs, i) => this.transforms[i].logAbsDetJacobian(xs, ys[i])), this.dim);
  }
}
