// NegativeBinomial(totalCount, probs | logits): successes before totalCount failures, drawn as a
// Poisson of a Gamma rate (Python's order of draws).
import * as torch from './torch';
import { Tensor } from './torch';
import * as constraints from './constraints';
import { Distribution } from './distribution';
import { Gamma } from './gamma';
import { ValueError } from '../errors';
import { broadcastAll, logitsToProbs, probsToLogits, Size, TensorLike } from './utils';
import { logsigmoid } from '../nn/functional';
import { ArgsOf, signature } from '../keywords';

interface NegativeBinomialArgs {
  totalCount: TensorLike;
  probs?: TensorLike;
  logits?: TensorLike;
  validateArgs?: boolean | null;
}
const NEGATIVE_BINOMIAL = signature<NegativeBinomialArgs>()(['totalCount'], ['probs', 'logits', 'validateArgs']);

/** Python's greater_than_eq(0) with an int bound, which its repr shows as `0`, not `0.0`. */
class GreaterThanEqZero extends constraints.GreaterThanEq {
  constructor() {
    super(0);
  }
  toString(): string {
    return 'GreaterThanEq(lower_bound=0)';
  }
}
const nonnegativeCount = new GreaterThanEqZero();

export class NegativeBinomial extends Distribution {
  totalCount!: Tensor;
  _param!: Tensor;
  private _gammaDist?: Gamma;

  constructor(...args: ArgsOf<typeof NEGATIVE_BINOMIAL>) {
    super();
    const a = NEGATIVE_BINOMIAL.bind('NegativeBinomial', args);
    const hasProbs = a.probs !== undefined && a.probs !== null;
    if (hasProbs === (a.logits !== undefined && a.logits !== null)) {
      throw new ValueError('Either `probs` or `logits` must be specified, but not both.');
    }
    const [count, param] = broadcastAll(a.totalCount, (hasProbs ? a.probs : a.logits)!);
    this.totalCount = count.typeAs(param);
    this._param = this._lazy[hasProbs ? 'probs' : 'logits'] = param;
    this.init(param.shape, [], a.validateArgs);
  }

  get argConstraints() {
    return { totalCount: nonnegativeCount, probs: constraints.halfOpenInterval(0, 1), logits: constraints.real };
  }
  protected _lazyNames(): string[] {
    return ['probs', 'logits'];
  }
  get support(): constraints.Constraint {
    return constraints.nonnegativeInteger;
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
  get mean(): Tensor {
    return this.totalCount.mul(torch.exp(this.logits));
  }
  get mode(): Tensor {
    return this.totalCount.sub(1).mul(this.logits.exp()).floor().clamp({ min: 0 });
  }
  get variance(): Tensor {
    return this.mean.div(torch.sigmoid(this.logits.neg()));
  }
  /** Not validated: totalCount may be zero. */
  get _gamma(): Gamma {
    return (this._gammaDist ??= torch.enableGrad(() => new Gamma(this.totalCount, torch.exp(this.logits.neg()), { validateArgs: false })));
  }

  expand(batchShape: Size): NegativeBinomial {
    const n = this._newInstance();
    n.totalCount = this.totalCount.expand(batchShape);
    for (const k of ['probs', 'logits']) {
      if (k in this._lazy) n._param = n._lazy[k] = this._lazy[k].expand(batchShape);
    }
    return n._finishExpand(batchShape, [], this);
  }

  sample(sampleShape: Size = []): Tensor {
    return torch.noGrad(() => torch.poisson(this._gamma.sample(sampleShape)));
  }
  logProb(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    const logUnnormalized = this.totalCount.mul(logsigmoid(this.logits.neg())).add(value.mul(logsigmoid(this.logits)));
    const logNormalization = torch.lgamma(this.totalCount.add(value)).neg().add(torch.lgamma(value.add(1))).add(torch.lgamma(this.totalCount));
    logNormalization.indexPut_([this.totalCount.add(value).eq(0)], 0);
    return logUnnormalized.sub(logNormalization);
  }
}
