// ExponentialFamily: entropy (and the generic KL in kl.ts) from the natural parameters and the log
// normalizer, by autograd: the gradient of the log normalizer is the mean of the sufficient statistics.
import * as torch from './torch';
import { Tensor } from './torch';
import { Distribution } from './distribution';
import { NotImplementedError } from '../errors';

export abstract class ExponentialFamily extends Distribution {
  get _naturalParams(): Tensor[] {
    throw new NotImplementedError();
  }
  _logNormalizer(...naturalParams: Tensor[]): Tensor {
    void naturalParams;
    throw new NotImplementedError();
  }
  get _meanCarrierMeasure(): number {
    throw new NotImplementedError();
  }

  entropy(): Tensor {
    const carrier = this._meanCarrierMeasure;
    const nparams = this._naturalParams.map((p) => p.detach().requiresGrad_());
    return torch.enableGrad(() => {
      const lgNormal = this._logNormalizer(...nparams);
      const gradients = torch.grad([lgNormal.sum()], nparams, { createGraph: true }) as Tensor[];
      let result = lgNormal.sub(carrier);
      nparams.forEach((np, i) => {
        result = result.sub(np.mul(gradients[i]).reshape([...this._batchShape, -1]).sum(-1));
      });
      return result;
    });
  }
}
