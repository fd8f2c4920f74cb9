// Binomial(totalCount, probs | logits): drawn by torch.binomial; logProb in logits for stability.
import * as torch from './torch';
import { Tensor } from './torch';
import * as constraints from './constraints';
import { Distribution } from './distribution';
import { ValueError, NotImplementedError } from '../errors';
import { broadcastAll, logitsToProbs, probsToLogits, Size, TensorLike } from './utils';
import { ArgsOf, signature } from '../keywords';

interface BinomialArgs {
  totalCount?: TensorLike;
  probs?: TensorLike;
  logits?: TensorLike;
  validateArgs?: boolean | null;
}
const BINOMIAL = signature<BinomialArgs>()([], ['totalCount', 'probs', 'logits', 'validateArgs']);

/** (max(x, 0) + x - min(x, 0)) / 2 with Python's gradient at 0 (one half). */
const clampByZero = (x: Tensor): Tensor => x.clamp({ min: 0 }).add(x).sub(x.clamp({ max: 0 })).div(2);

export class Binomial extends Distribution {
  totalCount!: Tensor;
  _param!: Tensor;

  constructor(...args: ArgsOf<typeof BINOMIAL>) {
    super();
    const a = BINOMIAL.bind('Binomial', args);
    const hasProbs = a.probs !== undefined && a.probs !== null;
    if (hasProbs === (a.logits !== undefined && a.logits !== null)) {
      throw new ValueError('Either `probs` or `logits` must be specified, but not both.');
    }
    const [count, param] = broadcastAll(a.totalCount ?? 1, (hasProbs ? a.probs : a.logits)!);
    this.totalCount = count.typeAs(param);
    this._param = this._lazy[hasProbs ? 'probs' : 'logits'] = param;
    this.init(param.shape, [], a.validateArgs);
  }

  get argConstraints() {
    return { totalCount: constraints.nonnegativeInteger, probs: constraints.unitInterval, logits: constraints.real };
  }
  protected _lazyNames(): string[] {
    return ['probs', 'logits'];
  }
  get hasEnumerateSupport(): boolean {
    return true;
  }
  get support(): constraints.Constraint {
    return constraints.integerInterval(0, this.totalCount);
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
    return this.totalCount.mul(this.probs);
  }
  get mode(): Tensor {
    return this.totalCount.add(1).mul(this.probs).floor().clamp({ max: this.totalCount });
  }
  get variance(): Tensor {
    return this.totalCount.mul(this.probs).mul(this.probs.neg().add(1));
  }

  expand(batchShape: Size): Binomial {
    const n = this._newInstance();
    n.totalCount = this.totalCount.expand(batchShape);
    for (const k of ['probs', 'logits']) {
      if (k in this._lazy) n._param = n._lazy[k] = this._lazy[k].expand(batchShape);
    }
    return n._finishExpand(batchShape, [], this);
  }

  sample(sampleShape: Size = []): Tensor {
    const shape = this._extendedShape(sampleShape);
    return torch.noGrad(() => torch.binomial(this.totalCount.expand(shape), this.probs.expand(shape)));
  }
  logProb(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    const n = this.totalCount;
    const logFactorialN = torch.lgamma(n.add(1));
    const logFactorialK = torch.lgamma(value.add(1));
    const logFactorialNmk = torch.lgamma(n.sub(value).add(1));
    const normalize = n.mul(clampByZero(this.logits))
      .add(n.mul(torch.log1p(torch.exp(torch.abs(this.logits).neg()))))
      .sub(logFactorialN);
    return value.mul(this.logits).sub(logFactorialK).sub(logFactorialNmk).sub(normalize);
  }
  entropy(): Tensor {
    this._homogeneousCount('entropy');
    const logProb = this.logProb(this.enumerateSupport(false));
    return torch.exp(logProb).mul(logProb).sum(0).neg();
  }
  enumerateSupport(expand = true): Tensor {
    const total = this._homogeneousCount('enumerate_support');
    let values = torch.arange(1 + total, { dtype: this._param.dtype, device: this._param.device });
    values = values.view([-1, ...this._batchShape.map(() => 1)]);
    return expand ? values.expand([-1, ...this._batchShape]) : values;
  }
  private _homogeneousCount(fn: string): number {
    const total = Math.trunc(this.totalCount.max().item<number>());
    if (this.totalCount.min().item<number>() !== total) throw new NotImplementedError(`Inhomogeneous total count not supported by \`${fn}\`.`);
    return total;
  }
}
