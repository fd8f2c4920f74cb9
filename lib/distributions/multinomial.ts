// Multinomial(totalCount, probs | logits): counts of totalCount Categorical draws over the last
// dimension; sampled as Python does (totalCount Categorical samples, then scatter_add_).
import * as torch from './torch';
import { Tensor } from './torch';
import * as constraints from './constraints';
import { Distribution } from './distribution';
import { Categorical } from './categorical';
import { Binomial } from './binomial';
import { NotImplementedError } from '../errors';
import { broadcastAll, Size } from './utils';
import { contiguousFormat } from '../tensor/memory-format';
import { ArgsOf, signature } from '../keywords';

interface MultinomialArgs {
  totalCount?: number;
  probs?: Tensor | null;
  logits?: Tensor | null;
  validateArgs?: boolean | null;
}
const MULTINOMIAL = signature<MultinomialArgs>()([], ['totalCount', 'probs', 'logits', 'validateArgs']);

export class Multinomial extends Distribution {
  totalCount!: number;
  _categorical!: Categorical;
  _binomial!: Binomial;

  constructor(...args: ArgsOf<typeof MULTINOMIAL>) {
    super();
    const a = MULTINOMIAL.bind('Multinomial', args);
    const totalCount = a.totalCount ?? 1;
    if (!Number.isInteger(totalCount)) throw new NotImplementedError('inhomogeneous total_count is not supported');
    this.totalCount = totalCount;
    this._categorical = new Categorical({ probs: a.probs ?? undefined, logits: a.logits ?? undefined });
    this._binomial = new Binomial({ totalCount, probs: this.probs });
    this.init(this._categorical.batchShape, this._categorical.paramShape.slice(-1), a.validateArgs);
  }

  get argConstraints() {
    return { probs: constraints.simplex, logits: constraints.realVector };
  }
  get support(): constraints.Constraint {
    return constraints.multinomial(this.totalCount);
  }
  get logits(): Tensor {
    return this._categorical.logits;
  }
  get probs(): Tensor {
    return this._categorical.probs;
  }
  get paramShape(): Size {
    return this._categorical.paramShape;
  }
  get mean(): Tensor {
    return this.probs.mul(this.totalCount);
  }
  get variance(): Tensor {
    return this.probs.mul(this.totalCount).mul(this.probs.neg().add(1));
  }

  expand(batchShape: Size): Multinomial {
    const n = this._newInstance();
    n.totalCount = this.totalCount;
    n._categorical = this._categorical.expand(batchShape);
    return n._finishExpand(batchShape, this._eventShape, this);
  }

  sample(sampleShape: Size = []): Tensor {
    let samples = this._categorical.sample([this.totalCount, ...sampleShape]);
    // (totalCount, sample, batch) -> (sample, batch, totalCount)
    const order = [...Array(samples.dim()).keys()];
    order.push(order.shift()!);
    samples = samples.permute(order);
    const counts = samples.newZeros(this._extendedShape(sampleShape));
    counts.scatterAdd_(-1, samples, torch.onesLike(samples));
    return counts.typeAs(this.probs);
  }
  entropy(): Tensor {
    const n = torch.tensor(this.totalCount);
    const term1 = n.mul(this._categorical.entropy()).sub(torch.lgamma(n.add(1)));
    const support = this._binomial.enumerateSupport(false).index(torch.slice(1, null));
    const binomialProbs = torch.exp(this._binomial.logProb(support));
    const weights = torch.lgamma(support.add(1));
    return term1.add(binomialProbs.mul(weights).sum([0, -1]));
  }
  logProb(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    const [l, v] = broadcastAll(this.logits, value);
    const logits = l.clone({ memoryFormat: contiguousFormat });
    const logFactorialN = torch.lgamma(v.sum(-1).add(1));
    const logFactorialXs = torch.lgamma(v.add(1)).sum(-1);
    logits.indexPut_([v.eq(0).logicalAnd(logits.eq(-Infinity))], 0);
    const logPowers = logits.mul(v).sum(-1);
    return logFactorialN.sub(logFactorialXs).add(logPowers);
  }
}
