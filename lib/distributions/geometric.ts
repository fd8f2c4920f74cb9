// Geometric(probs | logits): failures before the first success, drawn as floor(log(U) / log1p(-p)).
import * as torch from './torch';
import { Tensor } from './torch';
import * as constraints from './constraints';
import { Distribution } from './distribution';
import { ValueError } from '../errors';
import { broadcastAll, finfo, logitsToProbs, probsToLogits, pyFormat, Size, TensorLike } from './utils';
import { pyTuple } from '../py-format';
import { contiguousFormat } from '../tensor/memory-format';
import { ArgsOf, signature } from '../keywords';

interface GeometricArgs {
  probs?: TensorLike;
  logits?: TensorLike;
  validateArgs?: boolean | null;
}
const GEOMETRIC = signature<GeometricArgs>()([], ['probs', 'logits', 'validateArgs']);

export class Geometric extends Distribution {
  constructor(...args: ArgsOf<typeof GEOMETRIC>) {
    super();
    const a = GEOMETRIC.bind('Geometric', args);
    const hasProbs = a.probs !== undefined && a.probs !== null;
    if (hasProbs === (a.logits !== undefined && a.logits !== null)) {
      throw new ValueError('Either `probs` or `logits` must be specified, but not both.');
    }
    const given = (hasProbs ? a.probs : a.logits)!;
    const [p] = broadcastAll(given);
    this._lazy[hasProbs ? 'probs' : 'logits'] = p;
    this.init(typeof given === 'number' ? [] : p.shape, [], a.validateArgs);
    if (this._validateArgs && hasProbs) {
      // beyond unit_interval: a success must be possible
      const valid = p.gt(0);
      if (!valid.all().item<boolean>()) {
        throw new ValueError(
          `Expected parameter probs (${p.constructor.name} of shape ${pyTuple(p.shape)}) of distribution ${this} ` +
            `to be positive but found invalid values:\n${pyFormat(p.detach().index(valid.logicalNot()))}`,
        );
      }
    }
  }

  get argConstraints() {
    return { probs: constraints.unitInterval, logits: constraints.real };
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
  get mean(): Tensor {
    return this.probs.reciprocal().sub(1);
  }
  get mode(): Tensor {
    return torch.zerosLike(this.probs);
  }
  get variance(): Tensor {
    return this.probs.reciprocal().sub(1).div(this.probs);
  }

  expand(batchShape: Size): Geometric {
    const n = this._newInstance();
    for (const k of ['probs', 'logits']) if (k in this._lazy) n._lazy[k] = this._lazy[k].expand(batchShape);
    return n._finishExpand(batchShape, [], this);
  }

  sample(sampleShape: Size = []): Tensor {
    const shape = this._extendedShape(sampleShape);
    const tiny = finfo(this.probs.dtype).tiny;
    return torch.noGrad(() => {
      const u = this.probs.newEmpty(shape).uniform_(tiny, 1);
      return u.log().div(this.probs.neg().log1p()).floor();
    });
  }
  logProb(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    const [v, p] = broadcastAll(value, this.probs);
    const probs = p.clone({ memoryFormat: contiguousFormat });
    probs.indexPut_([probs.eq(1).logicalAnd(v.eq(0))], 0);
    return v.mul(probs.neg().log1p()).add(this.probs.log());
  }
  entropy(): Tensor {
    return torch.binaryCrossEntropyWithLogits(this.logits, this.probs, { reduction: 'none' }).div(this.probs);
  }
}
