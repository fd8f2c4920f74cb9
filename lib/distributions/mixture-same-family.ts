// MixtureSameFamily(mixture, component): a Categorical over the rightmost batch dimension of one
// component distribution; samples gather the chosen component's draw (Python's draw order).
import * as torch from './torch';
import { Tensor } from './torch';
import * as constraints from './constraints';
import { Distribution } from './distribution';
import { Categorical } from './categorical';
import { ValueError } from '../errors';
import { Size } from './utils';
import { pySize } from '../py-format';
import { ArgsOf, signature } from '../keywords';

interface MixtureSameFamilyArgs {
  mixtureDistribution: Categorical;
  componentDistribution: Distribution;
  validateArgs?: boolean | null;
}
const MIXTURE = signature<MixtureSameFamilyArgs>()(['mixtureDistribution', 'componentDistribution'], ['validateArgs']);

const numel = (s: Size): number => s.reduce((p, v) => p * v, 1);

export class MixtureSameFamily extends Distribution {
  _mixtureDistribution!: Categorical;
  _componentDistribution!: Distribution;
  _numComponent!: number;
  _eventNdims!: number;

  constructor(...args: ArgsOf<typeof MIXTURE>) {
    super();
    const a = MIXTURE.bind('MixtureSameFamily', args);
    this._mixtureDistribution = a.mixtureDistribution;
    this._componentDistribution = a.componentDistribution;
    if (!(a.mixtureDistribution instanceof Categorical)) {
      throw new ValueError(' The Mixture distribution needs to be an  instance of torch.distribtutions.Categorical');
    }
    if (!(a.componentDistribution instanceof Distribution)) {
      throw new ValueError('The Component distribution need to be an instance of torch.distributions.Distribution');
    }
    const mdbs = a.mixtureDistribution.batchShape;
    const cdbs = a.componentDistribution.batchShape.slice(0, -1);
    for (let i = mdbs.length - 1, j = cdbs.length - 1; i >= 0 && j >= 0; i--, j--) {
      if (mdbs[i] !== 1 && cdbs[j] !== 1 && mdbs[i] !== cdbs[j]) {
        throw new ValueError(`\`mixture_distribution.batch_shape\` (${pySize(mdbs)}) is not compatible with \`component_distribution.batch_shape\`(${pySize(cdbs)})`);
      }
    }
    const logitsShape = a.mixtureDistribution.logits.shape;
    const km = logitsShape[logitsShape.length - 1];
    const componentBatch = a.componentDistribution.batchShape;
    const kc = componentBatch[componentBatch.length - 1];
    if (km !== kc) {
      throw new ValueError(`\`mixture_distribution component\` (${km}) does not equal \`component_distribution.batch_shape[-1]\` (${kc})`);
    }
    this._numComponent = km;
    const eventShape = a.componentDistribution.eventShape;
    this._eventNdims = eventShape.length;
    this.init(cdbs, eventShape, a.validateArgs);
  }

  get argConstraints(): Record<string, constraints.Constraint> {
    return {};
  }
  get support(): constraints.Constraint {
    return this._componentDistribution.support;
  }
  get mixtureDistribution(): Categorical {
    return this._mixtureDistribution;
  }
  get componentDistribution(): Distribution {
    return this._componentDistribution;
  }
  get mean(): Tensor {
    const probs = this._padMixtureDimensions(this._mixtureDistribution.probs);
    return torch.sum(probs.mul(this._componentDistribution.mean), -1 - this._eventNdims);
  }
  /** The law of total variance: E[Var(Y|X)] + Var(E[Y|X]). */
  get variance(): Tensor {
    const probs = this._padMixtureDimensions(this._mixtureDistribution.probs);
    const meanCondVar = torch.sum(probs.mul(this._componentDistribution.variance), -1 - this._eventNdims);
    const varCondMean = torch.sum(probs.mul(this._componentDistribution.mean.sub(this._pad(this.mean)).pow(2.0)), -1 - this._eventNdims);
    return meanCondVar.add(varCondMean);
  }

  expand(batchShape: Size): MixtureSameFamily {
    const n = this._newInstance();
    n._componentDistribution = this._componentDistribution.expand([...batchShape, this._numComponent]);
    n._mixtureDistribution = this._mixtureDistribution.expand(batchShape);
    n._numComponent = this._numComponent;
    n._eventNdims = this._eventNdims;
    return n._finishExpand(batchShape, n._componentDistribution.eventShape, this);
  }

  cdf(x: Tensor): Tensor {
    const cdfX = this._componentDistribution.cdf(this._pad(x));
    return torch.sum(cdfX.mul(this._mixtureDistribution.probs), -1);
  }
  logProb(x: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(x);
    const logProbX = this._componentDistribution.logProb(this._pad(x)); // [S, B, k]
    const logMixProb = torch.logSoftmax(this._mixtureDistribution.logits, -1); // [B, k]
    return torch.logsumexp(logProbX.add(logMixProb), -1); // [S, B]
  }
  sample(sampleShape: Size = []): Tensor {
    return torch.noGrad(() => {
      const gatherDim = sampleShape.length + this._batchShape.length;
      const es = this._eventShape;
      const mixSample = this._mixtureDistribution.sample(sampleShape); // [n, B]
      const mixShape = mixSample.shape;
      const compSamples = this._componentDistribution.sample(sampleShape); // [n, B, k, E]
      // gather along the k dimension
      const index = mixSample.reshape([...mixShape, ...new Array(es.length + 1).fill(1)]).repeat([...new Array(mixShape.length).fill(1), 1, ...es]);
      return torch.gather(compSamples, gatherDim, index).squeeze(gatherDim);
    });
  }

  _pad(x: Tensor): Tensor {
    return x.unsqueeze(-1 - this._eventNdims);
  }
  /** Python counts batch elements here (batch_shape.numel()), not dimensions: kept for equal results. */
  _padMixtureDimensions(x: Tensor): Tensor {
    const distBatch = numel(this._batchShape);
    const catBatch = numel(this._mixtureDistribution.batchShape);
    const padNdims = catBatch === 1 ? 0 : distBatch - catBatch;
    const xs = x.shape;
    return x.reshape([...xs.slice(0, -1), ...new Array(padNdims).fill(1), xs[xs.length - 1], ...new Array(this._eventNdims).fill(1)]);
  }

  toString(): string {
    return `MixtureSameFamily(\n  ${this._mixtureDistribution},\n  ${this._componentDistribution})`;
  }
}
