// TransformedDistribution(base, transforms): samples of `base` pushed through the transforms;
// logProb pulls a value back and adds the log |det Jacobian| of each step.
import { Tensor } from './torch';
import * as constraints from './constraints';
import { Distribution } from './distribution';
import { Independent } from './independent';
import { ComposeTransform, Transform } from './transforms';
import { mulSign } from './transforms/compose';
import { ValueError } from '../errors';
import { sameShape, sumRightmost, Size } from './utils';
import * as torch from './torch';
import { pySize } from '../py-format';

export class TransformedDistribution extends Distribution {
  baseDist!: Distribution;
  transforms!: Transform[];

  constructor(baseDistribution: Distribution, transforms: Transform | Transform[], validateArgs?: boolean | null | { validateArgs?: boolean | null }) {
    super();
    const validate = validateArgs !== null && typeof validateArgs === 'object' ? validateArgs.validateArgs : validateArgs;
    if (transforms instanceof Transform) this.transforms = [transforms];
    else if (Array.isArray(transforms)) {
      if (!transforms.every((t) => t instanceof Transform)) throw new ValueError('transforms must be a Transform or a list of Transforms');
      this.transforms = transforms;
    } else throw new ValueError(`transforms must be a Transform or list, but was ${transforms}`);
    let base = baseDistribution;
    const baseShape = [...base.batchShape, ...base.eventShape];
    const baseEventDim = base.eventShape.length;
    const transform = new ComposeTransform(this.transforms);
    const domainEventDim = transform.domain.eventDim;
    if (baseShape.length < domainEventDim) {
      throw new ValueError(`base_distribution needs to have shape with size at least ${domainEventDim}, but got ${pySize(baseShape)}.`);
    }
    const shape = transform.forwardShape(baseShape);
    const expandedBaseShape = transform.inverseShape(shape);
    if (!sameShape(baseShape, expandedBaseShape)) base = base.expand(expandedBaseShape.slice(0, expandedBaseShape.length - baseEventDim));
    if (domainEventDim - baseEventDim > 0) base = new Independent(base, domainEventDim - baseEventDim);
    this.baseDist = base;
    const eventDim = transform.codomain.eventDim + Math.max(baseEventDim - domainEventDim, 0);
    const cut = shape.length - eventDim;
    this.init(shape.slice(0, cut), shape.slice(cut), validate);
  }

  get argConstraints(): Record<string, constraints.Constraint> {
    return {};
  }
  get support(): constraints.Constraint {
    if (this.transforms.length === 0) return this.baseDist.support;
    const support = this.transforms[this.transforms.length - 1].codomain;
    const extra = this._eventShape.length - support.eventDim;
    return extra > 0 ? constraints.independent(support, extra) : support;
  }
  get hasRsample(): boolean {
    return this.baseDist.hasRsample;
  }

  expand(batchShape: Size): TransformedDistribution {
    const n = this._newInstance();
    const shape = this.transforms.reduceRight((s, t) => t.inverseShape(s), [...batchShape, ...this._eventShape]);
    n.baseDist = this.baseDist.expand(shape.slice(0, shape.length - this.baseDist.eventShape.length));
    n.transforms = this.transforms;
    return n._finishExpand(batchShape, this._eventShape, this);
  }

  sample(sampleShape: Size = []): Tensor {
    return torch.noGrad(() => this.transforms.reduce((x, t) => t(x), this.baseDist.sample(sampleShape)));
  }
  rsample(sampleShape: Size = []): Tensor {
    return this.transforms.reduce((x, t) => t(x), this.baseDist.rsample(sampleShape));
  }
  logProb(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    let eventDim = this._eventShape.length;
    let logProb: Tensor | number = 0.0;
    let y = value;
    for (const t of [...this.transforms].reverse()) {
      const x = t.inv(y);
      eventDim += t.domain.eventDim - t.codomain.eventDim;
      const term = sumRightmost(t.logAbsDetJacobian(x, y), eventDim - t.domain.eventDim);
      logProb = typeof logProb === 'number' ? term.neg().add(logProb) : logProb.sub(term);
      y = x;
    }
    const base = sumRightmost(this.baseDist.logProb(y), eventDim - this.baseDist.eventShape.length);
    return typeof logProb === 'number' ? base.add(logProb) : logProb.add(base);
  }
  cdf(value: Tensor): Tensor {
    for (const t of [...this.transforms].reverse()) value = t.inv(value);
    if (this._validateArgs) this.baseDist._validateSample(value);
    return monotonizeCdf(this.transforms, this.baseDist.cdf(value));
  }
  icdf(value: Tensor): Tensor {
    return this.transforms.reduce((x, t) => t(x), this.baseDist.icdf(monotonizeCdf(this.transforms, value)));
  }
}

/** Python's _monotonize_cdf: flips a cdf where the composed transforms decrease. */
function monotonizeCdf(transforms: Transform[], value: Tensor): Tensor {
  const sign = transforms.reduce<number | Tensor>((s, t) => mulSign(s, t.sign), 1);
  if (sign === 1) return value;
  return value.sub(0.5).mul(sign).add(0.5);
}
