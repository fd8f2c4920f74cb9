// OneHotCategorical(probs | logits): a Categorical whose outcomes are one-hot vectors (event shape [K]).
import * as torch from './torch';
import { Tensor } from './torch';
import * as constraints from './constraints';
import { Distribution, DistributionOptions } from './distribution';
import { Categorical, ProbsOrLogitsArgs, probsOrLogits } from './categorical';
import { Size } from './utils';

export class OneHotCategorical extends Distribution {
  _categorical!: Categorical;

  constructor(probs?: Tensor | ProbsOrLogitsArgs | null, logits?: Tensor | DistributionOptions | null, validateArgs?: boolean | null | DistributionOptions);
  constructor(...args: unknown[]) {
    super();
    const a = probsOrLogits('OneHotCategorical', args);
    this._categorical = new Categorical({ probs: a.probs, logits: a.logits });
    this.init(this._categorical.batchShape, this._categorical.paramShape.slice(-1), a.validateArgs);
  }

  get argConstraints() {
    return { probs: constraints.simplex, logits: constraints.realVector };
  }
  protected _lazyNames(): string[] {
    return ['probs', 'logits'];
  }
  /** probs and logits live in the inner Categorical, so Python's repr shows neither. */
  protected _stored(): boolean {
    return false;
  }
  get support(): constraints.Constraint {
    return constraints.oneHot;
  }
  get hasEnumerateSupport(): boolean {
    return true;
  }
  get _param(): Tensor {
    return this._categorical._param;
  }
  get probs(): Tensor {
    return this._categorical.probs;
  }
  get logits(): Tensor {
    return this._categorical.logits;
  }
  get mean(): Tensor {
    return this._categorical.probs;
  }
  get mode(): Tensor {
    const probs = this._categorical.probs;
    return torch.oneHot(probs.argmax(-1), probs.shape[probs.dim() - 1]).to(probs);
  }
  get variance(): Tensor {
    const p = this._categorical.probs;
    return p.mul(p.neg().add(1));
  }
  get paramShape(): Size {
    return this._categorical.paramShape;
  }

  expand(batchShape: Size): OneHotCategorical {
    const n = this._newInstance();
    n._categorical = this._categorical.expand(batchShape);
    return n._finishExpand(batchShape, this._eventShape, this);
  }

  sample(sampleShape: Size = []): Tensor {
    const probs = this._categorical.probs;
    const indices = this._categorical.sample(sampleShape);
    return torch.oneHot(indices, this._categorical._numEvents).to(probs);
  }
  logProb(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    return this._categorical.logProb(value.max(-1).indices);
  }
  entropy(): Tensor {
    return this._categorical.entropy();
  }
  enumerateSupport(expand = true): Tensor {
    const n = this._eventShape[0];
    let values = torch.eye(n, { dtype: this._param.dtype, device: this._param.device });
    values = values.view([n, ...this._batchShape.map(() => 1), n]);
    return expand ? values.expand([n, ...this._batchShape, n]) : values;
  }
}
