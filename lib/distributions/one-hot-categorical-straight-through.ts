// OneHotCategoricalStraightThrough: a OneHotCategorical whose rsample passes gradients straight
// through the one-hot draw to probs (Bengio et al., 2013): the value is the sample, the gradient
// that of probs.
import { Tensor } from './torch';
import { OneHotCategorical } from './one-hot-categorical';
import { Size } from './utils';

export class OneHotCategoricalStraightThrough extends OneHotCategorical {
  get hasRsample(): boolean {
    return true;
  }
  expand(batchShape: Size): OneHotCategoricalStraightThrough {
    return super.expand(batchShape) as OneHotCategoricalStraightThrough;
  }
  rsample(sampleShape: Size = []): Tensor {
    const samples = this.sample(sampleShape);
    const probs = this._categorical.probs;
    return samples.add(probs.sub(probs.detach()));
  }
}
