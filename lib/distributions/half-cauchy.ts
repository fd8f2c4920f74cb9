// HalfCauchy(scale): |X| for X ~ Cauchy(0, scale) (the folding: half-distribution.ts).
import * as torch from './torch';
import { Tensor } from './torch';
import { HalfDistribution } from './half-distribution';
import { Cauchy } from './cauchy';
import { Size, TensorLike } from './utils';
import { ArgsOf, signature } from '../keywords';

interface HalfCauchyArgs {
  scale: TensorLike;
  validateArgs?: boolean | null;
}
const HALF_CAUCHY = signature<HalfCauchyArgs>()(['scale'], ['validateArgs']);

export class HalfCauchy extends HalfDistribution<Cauchy> {
  constructor(...args: ArgsOf<typeof HALF_CAUCHY>) {
    const a = HALF_CAUCHY.bind('HalfCauchy', args);
    super(new Cauchy(0, a.scale, { validateArgs: false }), a.validateArgs);
  }

  get mean(): Tensor {
    return torch.full(this._extendedShape(), Infinity, { dtype: this.scale.dtype, device: this.scale.device });
  }
  get variance(): Tensor {
    return this.baseDist.variance;
  }
  expand(batchShape: Size): HalfCauchy {
    return super.expand(batchShape) as HalfCauchy;
  }
  protected _logProbValue(value: Tensor): Tensor {
    return value.to({ dtype: this.scale.dtype, device: this.scale.device });
  }
}
