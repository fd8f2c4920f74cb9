// Independent(base, n): reinterprets the n rightmost batch dimensions of `base` as event dimensions
// (a diagonal Normal over vectors), so logProb sums over them.
import { Tensor } from './torch';
import * as constraints from './constraints';
import { Distribution } from './distribution';
import { ValueError, NotImplementedError } from '../errors';
import { sumRightmost, Size } from './utils';
import { ArgsOf, signature } from '../keywords';

interface IndependentArgs {
  baseDistribution: Distribution;
  reinterpretedBatchNdims: number;
  validateArgs?: boolean | null;
}
const INDEPENDENT = signature<IndependentArgs>()(['baseDistribution', 'reinterpretedBatchNdims'], ['validateArgs']);

export class Independent extends Distribution {
  baseDist!: Distribution;
  reinterpretedBatchNdims!: number;

  constructor(...args: ArgsOf<typeof INDEPENDENT>) {
    super();
    const a = INDEPENDENT.bind('Independent', args);
    const base = a.baseDistribution;
    const n = a.reinterpretedBatchNdims;
    if (n > base.batchShape.length) {
      throw new ValueError(`Expected reinterpreted_batch_ndims <= len(base_distribution.batch_shape), actual ${n} vs ${base.batchShape.length}`);
    }
    const shape = [...base.batchShape, ...base.eventShape];
    const eventDim = n + base.eventShape.length;
    this.baseDist = base;
    this.reinterpretedBatchNdims = n;
    this.init(shape.slice(0, shape.length - eventDim), shape.slice(shape.length - eventDim), a.validateArgs);
  }

  get argConstraints(): Record<string, constraints.Constraint> {
    return {};
  }
  get hasRsample(): boolean {
    return this.baseDist.hasRsample;
  }
  get hasEnumerateSupport(): boolean {
    return this.reinterpretedBatchNdims > 0 ? false : this.baseDist.hasEnumerateSupport;
  }
  get support(): constraints.Constraint {
    const result = this.baseDist.support;
    return this.reinterpretedBatchNdims ? constraints.independent(result, this.reinterpretedBatchNdims) : result;
  }
  get mean(): Tensor {
    return this.baseDist.mean;
  }
  get mode(): Tensor {
    return this.baseDist.mode;
  }
  get variance(): Tensor {
    return this.baseDist.variance;
  }

  expand(batchShape: Size): Independent {
    const n = this._newInstance();
    n.baseDist = this.baseDist.expand([...batchShape, ...this._eventShape.slice(0, this.reinterpretedBatchNdims)]);
    n.reinterpretedBatchNdims = this.reinterpretedBatchNdims;
    return n._finishExpand(batchShape, this._eventShape, this);
  }

  sample(sampleShape: Size = []): Tensor {
    return this.baseDist.sample(sampleShape);
  }
  rsample(sampleShape: Size = []): Tensor {
    return this.baseDist.rsample(sampleShape);
  }
  logProb(value: Tensor): Tensor {
    return sumRightmost(this.baseDist.logProb(value), this.reinterpretedBatchNdims);
  }
  entropy(): Tensor {
    return sumRightmost(this.baseDist.entropy(), this.reinterpretedBatchNdims);
  }
  enumerateSupport(expand = true): Tensor {
    if (this.reinterpretedBatchNdims > 0) throw new NotImplementedError('Enumeration over cartesian product is not implemented');
    return this.baseDist.enumerateSupport(expand);
  }
  toString(): string {
    return `Independent(${this.baseDist}, ${this.reinterpretedBatchNdims})`;
  }
}
