// Categorical(probs | logits): integer outcomes 0..K-1 over the last dimension of the parameter.
// Samples come from torch.multinomial, as in Python, so a seeded draw is the same.
import * as torch from './torch';
import { Tensor } from './torch';
import * as constraints from './constraints';
import { Distribution } from './distribution';
import { ValueError } from '../errors';
import { logitsToProbs, probsToLogits, finfo, Size } from './utils';
import { ArgsOf, signature } from '../keywords';

export interface ProbsOrLogitsArgs {
  probs?: Tensor;
  logits?: Tensor;
  validateArgs?: boolean | null;
}
const CATEGORICAL = signature<ProbsOrLogitsArgs>()([], ['probs', 'logits', 'validateArgs']);

/** The one of probs or logits given (Python's "Either `probs` or `logits`" rule). */
export function probsOrLogits(fn: string, args: readonly unknown[]): ProbsOrLogitsArgs {
  const a = CATEGORICAL.bind(fn, args);
  if ((a.probs === undefined || a.probs === null) === (a.logits === undefined || a.logits === null)) {
    throw new ValueError('Either `probs` or `logits` must be specified, but not both.');
  }
  return a;
}

export class Categorical extends Distribution {
  _param!: Tensor;
  _numEvents!: number;

  constructor(...args: ArgsOf<typeof CATEGORICAL>) {
    super();
    const a = probsOrLogits('Categorical', args);
    if (a.probs) {
      if (a.probs.dim() < 1) throw new ValueError('`probs` parameter must be at least one-dimensional.');
      this._param = this._lazy.probs = a.probs.div(a.probs.sum(-1, { keepdim: true }));
    } else {
      const logits = a.logits!;
      if (logits.dim() < 1) throw new ValueError('`logits` parameter must be at least one-dimensional.');
      this._param = this._lazy.logits = logits.sub(logits.logsumexp(-1, { keepdim: true }));
    }
    this._numEvents = this._param.shape[this._param.dim() - 1];
    this.init(this._param.dim() > 1 ? this._param.shape.slice(0, -1) : [], [], a.validateArgs);
  }

  get argConstraints() {
    return { probs: constraints.simplex, logits: constraints.realVector };
  }
  protected _lazyNames(): string[] {
    return ['probs', 'logits'];
  }
  get hasEnumerateSupport(): boolean {
    return true;
  }
  get support(): constraints.Constraint {
    return constraints.integerInterval(0, this._numEvents - 1);
  }
  get logits(): Tensor {
    return this._lazyGet('logits', () => probsToLogits(this.probs));
  }
  get probs(): Tensor {
    return this._lazyGet('probs', () => logitsToProbs(this.logits));
  }
  get paramShape(): Size {
    return this._param.shape;
  }
  get mean(): Tensor {
    return torch.full(this._extendedShape(), NaN, { dtype: this.probs.dtype, device: this.probs.device });
  }
  get mode(): Tensor {
    return this.probs.argmax(-1);
  }
  get variance(): Tensor {
    return torch.full(this._extendedShape(), NaN, { dtype: this.probs.dtype, device: this.probs.device });
  }

  expand(batchShape: Size): Categorical {
    const n = this._newInstance();
    const paramShape = [...batchShape, this._numEvents];
    for (const k of ['probs', 'logits']) {
      if (k in this._lazy) n._param = n._lazy[k] = this._lazy[k].expand(paramShape);
    }
    n._numEvents = this._numEvents;
    return n._finishExpand(batchShape, [], this);
  }

  sample(sampleShape: Size = []): Tensor {
    const n = sampleShape.reduce((p, s) => p * s, 1);
    const probs2d = this.probs.reshape(-1, this._numEvents);
    const samples2d = torch.noGrad(() => torch.multinomial(probs2d, n, true).T);
    return samples2d.reshape(this._extendedShape(sampleShape));
  }
  logProb(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    const [v, logPmf] = torch.broadcastTensors([value.long().unsqueeze(-1), this.logits]);
    return logPmf.gather(-1, v.index('...', torch.slice(null, 1))).squeeze(-1);
  }
  entropy(): Tensor {
    const logits = torch.clamp(this.logits, { min: finfo(this.logits.dtype).min });
    return logits.mul(this.probs).sum(-1).neg();
  }
  enumerateSupport(expand = true): Tensor {
    let values = torch.arange(this._numEvents, { dtype: torch.long, device: this._param.device });
    values = values.view([-1, ...this._batchShape.map(() => 1)]);
    return expand ? values.expand([-1, ...this._batchShape]) : values;
  }
}
