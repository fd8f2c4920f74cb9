// CumulativeDistributionTransform: y = distribution.cdf(x), onto the unit interval (copulas).
import { Tensor } from '../torch';
import * as constraints from '../constraints';
import type { Distribution } from '../distribution';
import { ArgsOf, signature } from '../../keywords';
import { Transform } from './transform';

const CDF = signature<{ distribution: Distribution; cacheSize?: number }>()(['distribution'], ['cacheSize']);

export class CumulativeDistributionTransform extends Transform {
  readonly distribution: Distribution;
  constructor(...args: ArgsOf<typeof CDF>) {
    const a = CDF.bind('CumulativeDistributionTransform', args);
    super(a.cacheSize);
    this.distribution = a.distribution;
  }
  get domain(): constraints.Constraint {
    return this.distribution.support;
  }
  get codomain(): constraints.Constraint {
    return constraints.unitInterval;
  }
  get bijective(): boolean {
    return true;
  }
  get sign(): number {
    return 1;
  }
  withCache(cacheSize = 1): Transform {
    return this._cacheSize === cacheSize ? this : new CumulativeDistributionTransform(this.distribution, cacheSize);
  }
  _call(x: Tensor): Tensor {
    return this.distribution.cdf(x);
  }
  _inverse(y: Tensor): Tensor {
    return this.distribution.icdf(y);
  }
  /** dy/dx is the density. */
  logAbsDetJacobian(x: Tensor): Tensor {
    return this.distribution.logProb(x);
  }
}
