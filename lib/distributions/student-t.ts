// StudentT(df, loc = 0, scale = 1): loc + scale * X / sqrt(Z / df), X ~ Normal(0, 1), Z ~ Chi2(df),
// drawn in Python's order (the normal first, then the chi-square).
import * as torch from './torch';
import { Tensor } from './torch';
import * as constraints from './constraints';
import { Distribution } from './distribution';
import { Chi2 } from './chi2';
import { contiguousFormat } from '../tensor/memory-format';
import { broadcastAll, standardNormal, Size, TensorLike } from './utils';
import { ArgsOf, signature } from '../keywords';

interface StudentTArgs {
  df: TensorLike;
  loc?: TensorLike;
  scale?: TensorLike;
  validateArgs?: boolean | null;
}
const STUDENT_T = signature<StudentTArgs>()(['df'], ['loc', 'scale', 'validateArgs']);
const LGAMMA_HALF = 0.5 * Math.log(Math.PI); // lgamma(0.5)

export class StudentT extends Distribution {
  df!: Tensor;
  loc!: Tensor;
  scale!: Tensor;
  _chi2!: Chi2;

  constructor(...args: ArgsOf<typeof STUDENT_T>) {
    super();
    const a = STUDENT_T.bind('StudentT', args);
    [this.df, this.loc, this.scale] = broadcastAll(a.df, a.loc ?? 0.0, a.scale ?? 1.0);
    this._chi2 = new Chi2(this.df);
    this.init(this.df.shape, [], a.validateArgs);
  }

  get argConstraints() {
    return { df: constraints.positive, loc: constraints.real, scale: constraints.positive };
  }
  get support(): constraints.Constraint {
    return constraints.real;
  }
  get hasRsample(): boolean {
    return true;
  }
  get mean(): Tensor {
    const m = this.loc.clone({ memoryFormat: contiguousFormat });
    return m.indexPut_([this.df.le(1)], NaN);
  }
  get mode(): Tensor {
    return this.loc;
  }
  get variance(): Tensor {
    const m = this.df.clone({ memoryFormat: contiguousFormat });
    const big = this.df.gt(2);
    const df = this.df.index(big);
    m.indexPut_([big], this.scale.index(big).pow(2).mul(df).div(df.sub(2)));
    m.indexPut_([this.df.le(2).logicalAnd(this.df.gt(1))], Infinity);
    return m.indexPut_([this.df.le(1)], NaN);
  }

  expand(batchShape: Size): StudentT {
    const n = this._newInstance();
    n.df = this.df.expand(batchShape);
    n.loc = this.loc.expand(batchShape);
    n.scale = this.scale.expand(batchShape);
    n._chi2 = this._chi2.expand(batchShape);
    return n._finishExpand(batchShape, [], this);
  }

  rsample(sampleShape: Size = []): Tensor {
    const x = standardNormal(this._extendedShape(sampleShape), this.df);
    const z = this._chi2.rsample(sampleShape);
    const y = x.mul(torch.rsqrt(z.div(this.df)));
    return this.loc.add(this.scale.mul(y));
  }
  logProb(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    const y = value.sub(this.loc).div(this.scale);
    const z = this.scale.log()
      .add(this.df.log().mul(0.5))
      .add(0.5 * Math.log(Math.PI))
      .add(torch.lgamma(this.df.mul(0.5)))
      .sub(torch.lgamma(this.df.add(1).mul(0.5)));
    return this.df.add(1).mul(-0.5).mul(torch.log1p(y.pow(2).div(this.df))).sub(z);
  }
  entropy(): Tensor {
    const lbeta = torch.lgamma(this.df.mul(0.5)).add(LGAMMA_HALF).sub(torch.lgamma(this.df.add(1).mul(0.5)));
    return this.scale.log()
      .add(this.df.add(1).mul(0.5).mul(torch.digamma(this.df.add(1).mul(0.5)).sub(torch.digamma(this.df.mul(0.5)))))
      .add(this.df.log().mul(0.5))
      .add(lbeta);
  }
}
