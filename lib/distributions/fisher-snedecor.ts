// FisherSnedecor(df1, df2): the ratio X1 / X2 of Gamma(df/2, df) draws (first X1, then X2).
import * as torch from './torch';
import { Tensor } from './torch';
import * as constraints from './constraints';
import { Distribution } from './distribution';
import { Gamma } from './gamma';
import { broadcastAll, finfo, Size, TensorLike } from './utils';
import { contiguousFormat } from '../tensor/memory-format';
import { ArgsOf, signature } from '../keywords';

interface FisherSnedecorArgs {
  df1: TensorLike;
  df2: TensorLike;
  validateArgs?: boolean | null;
}
const FISHER_SNEDECOR = signature<FisherSnedecorArgs>()(['df1', 'df2'], ['validateArgs']);

export class FisherSnedecor extends Distribution {
  df1!: Tensor;
  df2!: Tensor;
  _gamma1!: Gamma;
  _gamma2!: Gamma;

  constructor(...args: ArgsOf<typeof FISHER_SNEDECOR>) {
    super();
    const a = FISHER_SNEDECOR.bind('FisherSnedecor', args);
    [this.df1, this.df2] = broadcastAll(a.df1, a.df2);
    this._gamma1 = new Gamma(this.df1.mul(0.5), this.df1);
    this._gamma2 = new Gamma(this.df2.mul(0.5), this.df2);
    const scalar = typeof a.df1 === 'number' && typeof a.df2 === 'number';
    this.init(scalar ? [] : this.df1.shape, [], a.validateArgs);
  }

  get argConstraints() {
    return { df1: constraints.positive, df2: constraints.positive };
  }
  get support(): constraints.Constraint {
    return constraints.positive;
  }
  get hasRsample(): boolean {
    return true;
  }
  get mean(): Tensor {
    const df2 = this.df2.clone({ memoryFormat: contiguousFormat });
    df2.indexPut_([df2.le(2)], NaN);
    return df2.div(df2.sub(2));
  }
  get mode(): Tensor {
    const mode = this.df1.sub(2).div(this.df1).mul(this.df2).div(this.df2.add(2));
    return mode.indexPut_([this.df1.le(2)], NaN);
  }
  get variance(): Tensor {
    const df2 = this.df2.clone({ memoryFormat: contiguousFormat });
    df2.indexPut_([df2.le(4)], NaN);
    return df2.pow(2).mul(2).mul(this.df1.add(df2).sub(2)).div(this.df1.mul(df2.sub(2).pow(2)).mul(df2.sub(4)));
  }

  expand(batchShape: Size): FisherSnedecor {
    const n = this._newInstance();
    n.df1 = this.df1.expand(batchShape);
    n.df2 = this.df2.expand(batchShape);
    n._gamma1 = this._gamma1.expand(batchShape);
    n._gamma2 = this._gamma2.expand(batchShape);
    return n._finishExpand(batchShape, [], this);
  }

  /** X1 ~ Gamma(df1 / 2, df1), X2 ~ Gamma(df2 / 2, df2): X1 / X2 ~ F(df1, df2). */
  rsample(sampleShape: Size = []): Tensor {
    const shape = this._extendedShape(sampleShape);
    const x1 = this._gamma1.rsample(sampleShape).view(shape);
    const x2 = this._gamma2.rsample(sampleShape).view(shape);
    const tiny = finfo(x2.dtype).tiny;
    x2.clamp_({ min: tiny });
    const y = x1.div(x2);
    return y.clamp_({ min: tiny });
  }
  logProb(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    const ct1 = this.df1.mul(0.5);
    const ct2 = this.df2.mul(0.5);
    const ct3 = this.df1.div(this.df2);
    const t1 = ct1.add(ct2).lgamma().sub(ct1.lgamma()).sub(ct2.lgamma());
    const t2 = ct1.mul(ct3.log()).add(ct1.sub(1).mul(torch.log(value)));
    const t3 = ct1.add(ct2).mul(torch.log1p(ct3.mul(value)));
    return t1.add(t2).sub(t3);
  }
}
