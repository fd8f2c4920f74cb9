// ContinuousBernoulli(probs | logits, lims): a density on [0, 1] proportional to p^x (1 - p)^(1 - x);
// near p = 1/2 (inside `lims`) its moments and normalizer switch to Taylor expansions, as in Python.
import * as torch from './torch';
import { Tensor } from './torch';
import * as constraints from './constraints';
import { ExponentialFamily } from './exp-family';
import { ValueError } from '../errors';
import { broadcastAll, clampProbs, logitsToProbs, probsToLogits, Size, TensorLike } from './utils';
import { ArgsOf, signature } from '../keywords';

interface ContinuousBernoulliArgs {
  probs?: TensorLike | null;
  logits?: TensorLike | null;
  lims?: [number, number];
  validateArgs?: boolean | null;
}
const CONTINUOUS_BERNOULLI = signature<ContinuousBernoulliArgs>()([], ['probs', 'logits', 'lims', 'validateArgs']);

export class ContinuousBernoulli extends ExponentialFamily {
  _param!: Tensor;
  _lims!: [number, number];

  constructor(...args: ArgsOf<typeof CONTINUOUS_BERNOULLI>) {
    super();
    const a = CONTINUOUS_BERNOULLI.bind('ContinuousBernoulli', args);
    const hasProbs = a.probs !== undefined && a.probs !== null;
    if (hasProbs === (a.logits !== undefined && a.logits !== null)) {
      throw new ValueError('Either `probs` or `logits` must be specified, but not both.');
    }
    const given = (hasProbs ? a.probs : a.logits)!;
    let [p] = broadcastAll(given);
    if (hasProbs) {
      // checked before clamping (only when validateArgs is given), since clamped probs always pass
      if (a.validateArgs !== undefined && a.validateArgs !== null && !constraints.unitInterval.check(p).all().item<boolean>()) {
        throw new ValueError('The parameter probs has invalid values');
      }
      p = clampProbs(p);
    }
    this._param = this._lazy[hasProbs ? 'probs' : 'logits'] = p;
    this._lims = a.lims ?? [0.499, 0.501];
    this.init(typeof given === 'number' ? [] : p.shape, [], a.validateArgs);
  }

  get argConstraints() {
    return { probs: constraints.unitInterval, logits: constraints.real };
  }
  protected _lazyNames(): string[] {
    return ['probs', 'logits'];
  }
  get support(): constraints.Constraint {
    return constraints.unitInterval;
  }
  get hasRsample(): boolean {
    return true;
  }
  get _meanCarrierMeasure(): number {
    return 0;
  }
  get logits(): Tensor {
    return this._lazyGet('logits', () => probsToLogits(this.probs, true));
  }
  get probs(): Tensor {
    return this._lazyGet('probs', () => clampProbs(logitsToProbs(this.logits, true)));
  }
  get paramShape(): Size {
    return this._param.shape;
  }

  expand(batchShape: Size): ContinuousBernoulli {
    const n = this._newInstance();
    n._lims = this._lims;
    for (const k of ['probs', 'logits']) {
      if (k in this._lazy) n._param = n._lazy[k] = this._lazy[k].expand(batchShape);
    }
    return n._finishExpand(batchShape, [], this);
  }

  _outsideUnstableRegion(): Tensor {
    return torch.max(torch.le(this.probs, this._lims[0]), torch.gt(this.probs, this._lims[1]));
  }
  _cutProbs(): Tensor {
    return torch.where(this._outsideUnstableRegion(), this.probs, torch.onesLike(this.probs).mul(this._lims[0]));
  }
  /** The log normalizing constant as a function of probs. */
  _contBernLogNorm(): Tensor {
    const cut = this._cutProbs();
    const belowHalf = torch.where(torch.le(cut, 0.5), cut, torch.zerosLike(cut));
    const aboveHalf = torch.where(torch.ge(cut, 0.5), cut, torch.onesLike(cut));
    const logNorm = torch.log(torch.abs(torch.log1p(cut.neg()).sub(torch.log(cut)))).sub(
      torch.where(torch.le(cut, 0.5), torch.log1p(belowHalf.mul(-2.0)), torch.log(aboveHalf.mul(2.0).sub(1.0))),
    );
    const x = torch.pow(this.probs.sub(0.5), 2);
    const taylor = x.mul(104.0 / 45.0).add(4.0 / 3.0).mul(x).add(Math.log(2.0));
    return torch.where(this._outsideUnstableRegion(), logNorm, taylor);
  }
  get mean(): Tensor {
    const cut = this._cutProbs();
    const mus = cut.div(cut.mul(2.0).sub(1.0)).add(torch.log1p(cut.neg()).sub(torch.log(cut)).reciprocal());
    const x = this.probs.sub(0.5);
    const taylor = torch.pow(x, 2).mul(16.0 / 45.0).add(1.0 / 3.0).mul(x).add(0.5);
    return torch.where(this._outsideUnstableRegion(), mus, taylor);
  }
  get stddev(): Tensor {
    return torch.sqrt(this.variance);
  }
  get variance(): Tensor {
    const cut = this._cutProbs();
    const vars = cut.mul(cut.sub(1.0)).div(torch.pow(cut.mul(-2.0).add(1.0), 2))
      .add(torch.pow(torch.log1p(cut.neg()).sub(torch.log(cut)), 2).reciprocal());
    const x = torch.pow(this.probs.sub(0.5), 2);
    const taylor = x.mul(128 / 945.0).neg().add(1.0 / 15.0).mul(x).neg().add(1.0 / 12.0);
    return torch.where(this._outsideUnstableRegion(), vars, taylor);
  }

  sample(sampleShape: Size = []): Tensor {
    const u = torch.rand(this._extendedShape(sampleShape), { dtype: this.probs.dtype, device: this.probs.device });
    return torch.noGrad(() => this.icdf(u));
  }
  rsample(sampleShape: Size = []): Tensor {
    const u = torch.rand(this._extendedShape(sampleShape), { dtype: this.probs.dtype, device: this.probs.device });
    return this.icdf(u);
  }
  logProb(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    const [logits, v] = broadcastAll(this.logits, value);
    return torch.binaryCrossEntropyWithLogits(logits, v, { reduction: 'none' }).neg().add(this._contBernLogNorm());
  }
  cdf(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    const cut = this._cutProbs();
    const cdfs = torch.pow(cut, value).mul(torch.pow(cut.neg().add(1.0), value.neg().add(1.0))).add(cut).sub(1.0).div(cut.mul(2.0).sub(1.0));
    const unbounded = torch.where(this._outsideUnstableRegion(), cdfs, value);
    return torch.where(torch.le(value, 0.0), torch.zerosLike(value), torch.where(torch.ge(value, 1.0), torch.onesLike(value), unbounded));
  }
  icdf(value: Tensor): Tensor {
    const cut = this._cutProbs();
    const inside = torch.log1p(cut.neg().add(value.mul(cut.mul(2.0).sub(1.0)))).sub(torch.log1p(cut.neg()))
      .div(torch.log(cut).sub(torch.log1p(cut.neg())));
    return torch.where(this._outsideUnstableRegion(), inside, value);
  }
  entropy(): Tensor {
    const logProbs0 = torch.log1p(this.probs.neg());
    const logProbs1 = torch.log(this.probs);
    return this.mean.mul(logProbs0.sub(logProbs1)).sub(this._contBernLogNorm()).sub(logProbs0);
  }
  get _naturalParams(): Tensor[] {
    return [this.logits];
  }
  /** The log normalizing constant as a function of the natural parameter. */
  _logNormalizer(x: Tensor): Tensor {
    const outside = torch.max(torch.le(x, this._lims[0] - 0.5), torch.gt(x, this._lims[1] - 0.5));
    const cut = torch.where(outside, x, torch.onesLike(x).mul(this._lims[0] - 0.5));
    const logNorm = torch.log(torch.abs(torch.exp(cut).sub(1.0))).sub(torch.log(torch.abs(cut)));
    const taylor = x.mul(0.5).add(torch.pow(x, 2).div(24.0)).sub(torch.pow(x, 4).div(2880.0));
    return torch.where(outside, logNorm, taylor);
  }
}
