// What RelaxedBernoulli and RelaxedOneHotCategorical share: a transform (sigmoid, exp) of a relaxed
// base that holds the temperature, probs and logits, so Python's repr shows none of them.
import { Tensor } from './torch';
import { Distribution } from './distribution';
import { TransformedDistribution } from './transformed-distribution';

/** LogitRelaxedBernoulli, ExpRelaxedCategorical */
type RelaxedBase = Distribution & { readonly temperature: Tensor; readonly probs: Tensor; readonly logits: Tensor };

export abstract class RelaxedDistribution<B extends RelaxedBase> extends TransformedDistribution {
  declare baseDist: B;

  /** probs and logits live in the base, so Python's repr shows neither: `RelaxedBernoulli()`. */
  protected _stored(): boolean {
    return false;
  }
  get hasRsample(): boolean {
    return true;
  }
  get temperature(): Tensor {
    return this.baseDist.temperature;
  }
  get logits(): Tensor {
    return this.baseDist.logits;
  }
  get probs(): Tensor {
    return this.baseDist.probs;
  }
}
