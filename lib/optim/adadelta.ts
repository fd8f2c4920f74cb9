// torch.optim.Adadelta (PyTorch 1.13 math): rho, eps, weight decay, maximize.
import { Tensor } from '../tensor/tensor';
import { Optimizer, ParamGroup, Params, withGrads, check } from './optimizer';
import { t, each } from './ops';
import { keep } from '../memory/scope';
import { ArgsOf, signature } from '../keywords';

export interface AdadeltaOptions {
  lr?: number;
  rho?: number;
  eps?: number;
  weightDecay?: number;
  foreach?: boolean | null;
  maximize?: boolean;
}

/**
 * Adadelta(params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *, maximize=False)
 * The hyper-parameters come positionally in Python's order (as far as Python allows) or by name.
 */
export interface AdadeltaArgs extends AdadeltaOptions {
  params: Params;
}
const ADADELTA_SIG = signature<AdadeltaArgs>()(['params'], ['lr', 'rho', 'eps', 'weightDecay', 'foreach'], ['maximize']);

export class Adadelta extends Optimizer {
  protected floatDefaults = { lr: 1.0 };

  constructor(...args: ArgsOf<typeof ADADELTA_SIG>) {
    const { params, ...options } = ADADELTA_SIG.bind('Adadelta', args);
    const { lr = 1.0, rho = 0.9, eps = 1e-6, weightDecay = 0 } = options;
    check(lr >= 0, `Invalid learning rate: ${lr}`);
    check(rho >= 0 && rho <= 1, `Invalid rho value: ${rho}`);
    check(eps >= 0, `Invalid epsilon value: ${eps}`);
    check(weightDecay >= 0, `Invalid weight_decay value: ${weightDecay}`);
    super(params, { lr, rho, eps, weightDecay, maximize: options.maximize ?? false, foreach: options.foreach ?? null });
  }

  protected updateGroup(group: ParamGroup): void {
    const { params, grads } = withGrads(group);
    if (params.length === 0) return;
    const { lr, rho, eps, weightDecay, maximize } = group;
    const squareAvgs: Tensor[] = [];
    const accDeltas: Tensor[] = [];
    for (const p of params) {
      const s = this.stateOf(p);
      if (s.step === undefined) {
        s.step = 0;
        s.square_avg = keep(t.zerosLike(p));
        s.acc_delta = keep(t.zerosLike(p));
      }
      s.step += 1;
      squareAvgs.push(s.square_avg);
      accDeltas.push(s.acc_delta);
    }
    let g = maximize ? each.neg(grads) : grads;
    if (weightDecay !== 0) g = each.add(g, params, weightDecay);
    each.mul_(squareAvgs, rho);
    each.addcmul_(squareAvgs, g, g, 1 - rho);
    const std = each.addScalar(squareAvgs, eps);
    each.sqrt_(std);
    const delta = each.addScalar(accDeltas, eps);
    each.sqrt_(delta);
    each.divTensors_(delta, std);
    each.mulTensors_(delta, g);
    each.mul_(accDeltas, rho);
    each.addcmul_(accDeltas, delta, delta, 1 - rho);
    each.add_(params, delta, -lr);
  }
}
