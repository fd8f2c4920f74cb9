// Transforms onto the simplex: SoftmaxTransform (not bijective) and StickBreakingTransform.
import * as torch from '../torch';
import { Tensor } from '../torch';
import * as constraints from '../constraints';
import { ValueError } from '../../errors';
import { logsigmoid, pad } from '../../nn/functional';
import { finfo, Size } from '../utils';
import { clippedSigmoid } from './elementwise';
import { Transform } from './transform';

function atLeastOneDim(shape: Size): void {
  if (shape.length < 1) throw new ValueError('Too few dimensions on input');
}

/** exp(x), normalised over the last dim; `inv` is log (one of the preimages). */
export class SoftmaxTransform extends Transform {
  get domain(): constraints.Constraint {
    return constraints.realVector;
  }
  get codomain(): constraints.Constraint {
    return constraints.simplex;
  }
  equals(other: unknown): boolean {
    return other instanceof SoftmaxTransform;
  }
  _call(x: Tensor): Tensor {
    const probs = x.sub(x.max(-1, true).values).exp();
    return probs.div(probs.sum(-1, { keepdim: true }));
  }
  _inverse(y: Tensor): Tensor {
    return y.log();
  }
  forwardShape(shape: Size): Size {
    atLeastOneDim(shape);
    return shape;
  }
  inverseShape(shape: Size): Size {
    atLeastOneDim(shape);
    return shape;
  }
}

/** Unconstrained vectors of K - 1 to the K-simplex by stick breaking (iterated sigmoids). */
export class StickBreakingTransform extends Transform {
  get domain(): constraints.Constraint {
    return constraints.realVector;
  }
  get codomain(): constraints.Constraint {
    return constraints.simplex;
  }
  get bijective(): boolean {
    return true;
  }
  equals(other: unknown): boolean {
    return other instanceof StickBreakingTransform;
  }
  private static offset(x: Tensor): Tensor {
    const k = x.shape[x.dim() - 1];
    return x.newOnes([k]).cumsum(-1).neg().add(k + 1);
  }
  _call(x: Tensor): Tensor {
    const z = clippedSigmoid(x.sub(StickBreakingTransform.offset(x).log()));
    const zCumprod = z.neg().add(1).cumprod(-1);
    return pad(z, [0, 1], { value: 1 }).mul(pad(zCumprod, [1, 0], { value: 1 }));
  }
  _inverse(y: Tensor): Tensor {
    const yCrop = y.index('...', torch.slice(null, -1));
    const k = yCrop.shape[yCrop.dim() - 1];
    const offset = y.newOnes([k]).cumsum(-1).neg().add(y.shape[y.dim() - 1]);
    // clamped: 1 - cumsum may fall to 0 or below when y[-1] ~ 0
    const sf = torch.clamp(yCrop.cumsum(-1).neg().add(1), { min: finfo(y.dtype).tiny });
    return yCrop.log().sub(sf.log()).add(offset.log());
  }
  logAbsDetJacobian(x: Tensor, y: Tensor): Tensor {
    const shifted = x.sub(StickBreakingTransform.offset(x).log());
    // 1 - sigmoid(x) = exp(-x) * sigmoid(x)
    return shifted.neg().add(logsigmoid(shifted)).add(y.index('...', torch.slice(null, -1)).log()).sum(-1);
  }
  forwardShape(shape: Size): Size {
    atLeastOneDim(shape);
    return [...shape.slice(0, -1), shape[shape.length - 1] + 1];
  }
  inverseShape(shape: Size): Size {
    atLeastOneDim(shape);
    return [...shape.slice(0, -1), shape[shape.length - 1] - 1];
  }
}
