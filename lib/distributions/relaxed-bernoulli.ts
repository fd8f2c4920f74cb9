// RelaxedBernoulli(temperature, probs | logits): the sigmoid of a LogitRelaxedBernoulli, a
// reparameterisable relaxation of Bernoulli with values in (0, 1) (Concrete / Gumbel-softmax).
import * as torch from './torch';
import { Tensor } from './torch';
import * as constraints from './constraints';
import { Distribution } from './distribution';
import { RelaxedDistribution } from './relaxed';
import { SigmoidTransform } from './transforms';
import { ValueError } from '../errors';
import { broadcastAll, clampProbs, logitsToProbs, probsToLogits, Size, TensorLike } from './utils';
import { ArgsOf, signature } from '../keywords';

interface RelaxedBernoulliArgs {
  temperature: Tensor;
  probs?: TensorLike | null;
  logits?: TensorLike | null;
  validateArgs?: boolean | null;
}
const RELAXED_BERNOULLI = signature<RelaxedBernoulliArgs>()(['temperature'], ['probs', 'logits', 'validateArgs']);

/** The logit of a RelaxedBernoulli sample: real values. (rsample works, yet Python leaves has_rsample False.) */
export class LogitRelaxedBernoulli extends Distribution {
  temperature!: Tensor;
  _param!: Tensor;

  constructor(...args: ArgsOf<typeof RELAXED_BERNOULLI>) {
    super();
    const a = RELAXED_BERNOULLI.bind('LogitRelaxedBernoulli', args);
    this.temperature = a.temperature;
    const hasProbs = a.probs !== undefined && a.probs !== null;
    if (hasProbs === (a.logits !== undefined && a.logits !== null)) {
      throw new ValueError('Either `probs` or `logits` must be specified, but not both.');
    }
    const given = (hasProbs ? a.probs : a.logits)!;
    [this._param] = broadcastAll(given);
    this._lazy[hasProbs ? 'probs' : 'logits'] = this._param;
    this.init(typeof given === 'number' ? [] : this._param.shape, [], a.validateArgs);
  }

  get argConstraints() {
    return { probs: constraints.unitInterval, logits: constraints.real };
  }
  protected _lazyNames(): string[] {
    return ['probs', 'logits'];
  }
  get support(): constraints.Constraint {
    return constraints.real;
  }
  get logits(): Tensor {
    return this._lazyGet('logits', () => probsToLogits(this.probs, true));
  }
  get probs(): Tensor {
    return this._lazyGet('probs', () => logitsToProbs(this.logits, true));
  }
  get paramShape(): Size {
    return this._param.shape;
  }

  expand(batchShape: Size): LogitRelaxedBernoulli {
    const n = this._newInstance();
    n.temperature = this.temperature;
    for (const k of ['probs', 'logits']) {
      if (k in this._lazy) n._param = n._lazy[k] = this._lazy[k].expand(batchShape);
    }
    return n._finishExpand(batchShape, [], this);
  }

  rsample(sampleShape: Size = []): Tensor {
    const shape = this._extendedShape(sampleShape);
    const probs = clampProbs(this.probs.expand(shape));
    const uniforms = clampProbs(torch.rand(shape, { dtype: probs.dtype, device: probs.device }));
    return uniforms.log().sub(uniforms.neg().log1p()).add(probs.log()).sub(probs.neg().log1p()).div(this.temperature);
  }
  logProb(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    const [logits, v] = broadcastAll(this.logits, value);
    const diff = logits.sub(v.mul(this.temperature));
    return this.temperature.log().add(diff).sub(diff.exp().log1p().mul(2));
  }
}

export class RelaxedBernoulli extends RelaxedDistribution<LogitRelaxedBernoulli> {
  constructor(...args: ArgsOf<typeof RELAXED_BERNOULLI>) {
    const a = RELAXED_BERNOULLI.bind('RelaxedBernoulli', args);
    super(new LogitRelaxedBernoulli(a.temperature, a.probs, a.logits), new SigmoidTransform(), a.validateArgs);
  }

  get argConstraints() {
    return { probs: constraints.unitInterval, logits: constraints.real };
  }
  get support(): constraints.Constraint {
    return constraints.unitInterval;
  }
  expand(batchShape: Size): RelaxedBernoulli {
    return super.expand(batchShape) as RelaxedBernoulli;
  }
}
