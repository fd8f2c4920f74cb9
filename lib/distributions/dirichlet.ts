// Dirichlet(concentration): _sample_dirichlet has no derivative in libtorch, so rsample goes through
// a custom autograd Function whose backward uses _dirichlet_grad, as Python's _Dirichlet does.
import * as torch from './torch';
import { Tensor, FunctionCtx } from './torch';
import * as constraints from './constraints';
import { ExponentialFamily } from './exp-family';
import { ValueError } from '../errors';
import { Size } from './utils';
import { ArgsOf, signature } from '../keywords';

class _Dirichlet extends torch.AutogradFunction {
  static forward(ctx: FunctionCtx, concentration: Tensor): Tensor {
    const x = torch.ops.aten._sample_dirichlet(concentration) as Tensor;
    ctx.saveForBackward(x, concentration);
    return x;
  }
  static backward(ctx: FunctionCtx, gradOutput: Tensor): Tensor {
    const [x, concentration] = ctx.savedTensors as Tensor[];
    const total = concentration.sum(-1, { keepdim: true }).expandAs(concentration);
    const grad = torch.ops.aten._dirichlet_grad(x, concentration, total) as Tensor;
    return grad.mul(gradOutput.sub(x.mul(gradOutput).sum(-1, { keepdim: true })));
  }
}

interface DirichletArgs {
  concentration: Tensor;
  validateArgs?: boolean | null;
}
const DIRICHLET = signature<DirichletArgs>()(['concentration'], ['validateArgs']);

export class Dirichlet extends ExponentialFamily {
  concentration!: Tensor;

  constructor(...args: ArgsOf<typeof DIRICHLET>) {
    super();
    const a = DIRICHLET.bind('Dirichlet', args);
    const c = a.concentration;
    if (c.dim() < 1) throw new ValueError('`concentration` parameter must be at least one-dimensional.');
    this.concentration = c;
    this.init(c.shape.slice(0, -1), c.shape.slice(-1), a.validateArgs);
  }

  get argConstraints() {
    return { concentration: constraints.independent(constraints.positive, 1) };
  }
  get support(): constraints.Constraint {
    return constraints.simplex;
  }
  get hasRsample(): boolean {
    return true;
  }
  get mean(): Tensor {
    return this.concentration.div(this.concentration.sum(-1, { keepdim: true }));
  }
  get mode(): Tensor {
    const cm1 = this.concentration.sub(1).clamp({ min: 0 });
    const mode = cm1.div(cm1.sum(-1, { keepdim: true }));
    const mask = this.concentration.lt(1).all(-1);
    const k = cm1.shape[cm1.dim() - 1];
    return mode.indexPut_([mask], torch.oneHot(mode.index(mask).argmax(-1), k).to(mode));
  }
  get variance(): Tensor {
    const c0 = this.concentration.sum(-1, { keepdim: true });
    return this.concentration.mul(c0.sub(this.concentration)).div(c0.pow(2).mul(c0.add(1)));
  }

  expand(batchShape: Size): Dirichlet {
    const n = this._newInstance();
    n.concentration = this.concentration.expand([...batchShape, ...this._eventShape]);
    return n._finishExpand(batchShape, this._eventShape, this);
  }

  rsample(sampleShape: Size = []): Tensor {
    return _Dirichlet.apply(this.concentration.expand(this._extendedShape(sampleShape)));
  }
  logProb(value: Tensor): Tensor {
    if (this._validateArgs) this._validateSample(value);
    const c = this.concentration;
    return torch.log(value).mul(c.sub(1.0)).sum(-1).add(torch.lgamma(c.sum(-1))).sub(torch.lgamma(c).sum(-1));
  }
  entropy(): Tensor {
    const c = this.concentration;
    const k = c.size(-1);
    const a0 = c.sum(-1);
    return torch.lgamma(c).sum(-1).sub(torch.lgamma(a0)).sub(a0.neg().add(k).mul(torch.digamma(a0)))
      .sub(c.sub(1.0).mul(torch.digamma(c)).sum(-1));
  }
  get _naturalParams(): Tensor[] {
    return [this.concentration];
  }
  _logNormalizer(x: Tensor): Tensor {
    return x.lgamma().sum(-1).sub(torch.lgamma(x.sum(-1)));
  }
}
