// Bernoulli(probs | logits): 0/1 outcomes; logProb as -BCE-with-logits, as Python scores it.
import * as torch from './torch';
import { Tensor } from './torch';
import * as constraints from './constraints';
import { ExponentialFamily } from './exp-family';
import { ValueError } from '../errors';
import { broadcastAll, logitsToProbs, probsToLogits, Size, TensorLike } from './utils';
import { ArgsOf, signature } from '../keywords';

interface BernoulliArgs {
  probs?: TensorLike;
  logits?: TensorLike;
  validateArgs?: boolean | null;
}
const BERNOULLI = signature<BernoulliArgs>()([], ['probs', 'logits', 'validateArgs']);

export class Bernoulli extends ExponentialFamily {
  _param!: Tensor;

  constructor(...args: ArgsOf<typeof BERNOULLI>) {
    super();
    const a = BERNOULLI.bind('Bernoulli', args);
    const given = a.probs ?? a.logits;
    if ((a.probs === undefined || a.probs === null) === (a.logits === undefined || a.logits === null)) {
      throw new ValueError('Either `probs` or `logits` must be specified, but not both.');
    }
    const [p] = broadcastAll(given!);
    this._param = this._lazy[a.probs !== undefined && a.probs !== null ? 'probs' : 'logits'] = p;
    this.init(typeof given === 'number' ? [] : p.shape, [], a.validateArgs);
  }

  get argConstraints() {
    return { probs: constraints.unitInterval, logits: constraints.real };
  }
  protected _lazyNames(): string[] {
    return ['probs', 'logits'];
  }
  get support(): constraints.Constraint {
    return constraints.boolean;
  }
  get hasEnumerateSupport(): boolean {
    return true;
  }
  get _meanCarrierMeasure(): number {
    return 0;
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
    return this.probs;
  }
  get mode(): Tensor {
    const mode = this.probs.ge(0.5).to(this.probs);
    return mode.indexPut_([this.probs.eq(0.5)], NaN);
  }
  get variance(): Tensor {
    return this.probs.mul(this.probs.neg().add(1));
  }

  expand(batchShape: Size): Bernoulli {
    const n = this._newInstance();
    for (const k of ['probs', 'logits']) {
      if (k in this._lazy) n._param = n._lazy[k] = this._lazy[k].expand(batchShape);
    }
    return n._finishExpand(batchShape, [], this);
  }

  sample(sampleShape: Size = []): Tensor {
    const shape = this._extendedShape(sampleShape);
    return torch.noGrad(() => torch.bernoulli(this.probs.expand(shape)));
  }
  logProb(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    const [logits, v] = broadcastAll(this.logits, value);
    return torch.binaryCrossEntropyWithLogits(logits, v, { reduction: 'none' }).neg();
  }
  entropy(): Tensor {
    return torch.binaryCrossEntropyWithLogits(this.logits, this.probs, { reduction: 'none' });
  }
  enumerateSupport(expand = true): Tensor {
    let values = torch.arange(2, { dtype: this._param.dtype, device: this._param.device });
    values = values.view([-1, ...this._batchShape.map(() => 1)]);
    return expand ? values.expand([-1, ...this._batchShape]) : values;
  }
  get _naturalParams(): Tensor[] {
    return [torch.log(this.probs.div(this.probs.neg().add(1)))];
  }
  _logNormalizer(x: Tensor): Tensor {
    return torch.log(torch.exp(x).add(1));
  }
}
