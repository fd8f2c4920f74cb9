// Chi2(df): exactly Gamma(0.5 * df, 0.5).
import { Tensor } from './torch';
import * as constraints from './constraints';
import { Gamma } from './gamma';
import { Size, TensorLike } from './utils';
import { ArgsOf, signature } from '../keywords';

interface Chi2Args {
  df: TensorLike;
  validateArgs?: boolean | null;
}
const CHI2 = signature<Chi2Args>()(['df'], ['validateArgs']);

export class Chi2 extends Gamma {
  constructor(...args: ArgsOf<typeof CHI2>) {
    const a = CHI2.bind('Chi2', args);
    super(typeof a.df === 'number' ? 0.5 * a.df : a.df.mul(0.5), 0.5, a.validateArgs);
  }

  // df is computed from the concentration, so Python's repr shows none: `Chi2()`. (Typed as
  // Gamma's, which TypeScript requires of an override; only the keys are ever iterated.)
  get argConstraints(): Gamma['argConstraints'] {
    return { df: constraints.positive } as unknown as Gamma['argConstraints'];
  }
  get df(): Tensor {
    return this.concentration.mul(2);
  }
  expand(batchShape: Size): Chi2 {
    return super.expand(batchShape) as unknown as Chi2;
  }
}
