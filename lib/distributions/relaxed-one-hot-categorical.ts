// RelaxedOneHotCategorical(temperature, probs | logits): exp of an ExpRelaxedCategorical, a
// reparameterisable relaxation of OneHotCategorical on the simplex (Gumbel-softmax).
import * as torch from './torch';
import { Tensor } from './torch';
import * as constraints from './constraints';
import { Distribution } from './distribution';
import { Categorical } from './categorical';
import { RelaxedDistribution } from './relaxed';
import { ExpTransform } from './transforms';
import { broadcastAll, clampProbs, Size } from './utils';
import { ArgsOf, signature } from '../keywords';

interface RelaxedCategoricalArgs {
  temperature: Tensor;
  probs?: Tensor | null;
  logits?: Tensor | null;
  validateArgs?: boolean | null;
}
const RELAXED_CATEGORICAL = signature<RelaxedCategoricalArgs>()(['temperature'], ['probs', 'logits', 'validateArgs']);

/** The log of a RelaxedOneHotCategorical sample. */
export class ExpRelaxedCategorical extends Distribution {
  temperature!: Tensor;
  _categorical!: Categorical;

  constructor(...args: ArgsOf<typeof RELAXED_CATEGORICAL>) {
    super();
    const a = RELAXED_CATEGORICAL.bind('ExpRelaxedCategorical', args);
    this._categorical = new Categorical({ probs: a.probs ?? undefined, logits: a.logits ?? undefined });
    this.temperature = a.temperature;
    this.init(this._categorical.batchShape, this._categorical.paramShape.slice(-1), a.validateArgs);
  }

  get argConstraints() {
    return { probs: constraints.simplex, logits: constraints.realVector };
  }
  /** probs and logits live in the inner Categorical, so Python's repr shows neither. */
  protected _stored(): boolean {
    return false;
  }
  get support(): constraints.Constraint {
    return constraints.realVector;
  }
  get hasRsample(): boolean {
    return true;
  }
  get paramShape(): Size {
    return this._categorical.paramShape;
  }
  get logits(): Tensor {
    return this._categorical.logits;
  }
  get probs(): Tensor {
    return this._categorical.probs;
  }

  expand(batchShape: Size): ExpRelaxedCategorical {
    const n = this._newInstance();
    n.temperature = this.temperature;
    n._categorical = this._categorical.expand(batchShape);
    return n._finishExpand(batchShape, this._eventShape, this);
  }

  rsample(sampleShape: Size = []): Tensor {
    const shape = this._extendedShape(sampleShape);
    const uniforms = clampProbs(torch.rand(shape, { dtype: this.logits.dtype, device: this.logits.device }));
    const gumbels = uniforms.log().neg().log().neg();
    const scores = this.logits.add(gumbels).div(this.temperature);
    return scores.sub(scores.logsumexp(-1, { keepdim: true }));
  }
  logProb(value: Tensor): Tensor {
    const K = this._categorical._numEvents;
    if (this._validateArgs) this._validateSample(value);
    const [logits, v] = broadcastAll(this.logits, value);
    const logScale = torch.fullLike(this.temperature, K).lgamma().sub(this.temperature.log().mul(-(K - 1)));
    let score = logits.sub(v.mul(this.temperature));
    score = score.sub(score.logsumexp(-1, { keepdim: true })).sum(-1);
    return score.add(logScale);
  }
}

export class RelaxedOneHotCategorical extends RelaxedDistribution<ExpRelaxedCategorical> {
  constructor(...args: ArgsOf<typeof RELAXED_CATEGORICAL>) {
    const a = RELAXED_CATEGORICAL.bind('RelaxedOneHotCategorical', args);
    super(new ExpRelaxedCategorical(a.temperature, a.probs, a.logits, a.validateArgs), new ExpTransform(), a.validateArgs);
  }

  get argConstraints() {
    return { probs: constraints.simplex, logits: constraints.realVector };
  }
  get support(): constraints.Constraint {
    return constraints.simplex;
  }
  expand(batchShape: Size): RelaxedOneHotCategorical {
    return super.expand(batchShape) as RelaxedOneHotCategorical;
  }
}
