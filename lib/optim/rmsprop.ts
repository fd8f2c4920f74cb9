// torch.optim.RMSprop (PyTorch 1.13 math): centered, momentum, weight decay, maximize.
import { Tensor } from '../tensor/tensor';
import { Optimizer, ParamGroup, Params, withGrads, check } from './optimizer';
import { t, each } from './ops';
import { keep } from '../memory/scope';
import { ArgsOf, signature } from '../keywords';

export interface RMSpropOptions {
  lr?: number;
  alpha?: number;
  eps?: number;
  weightDecay?: number;
  momentum?: number;
  centered?: boolean;
  foreach?: boolean | null;
  maximize?: boolean;
  differentiable?: boolean;
}

/**
 * RMSprop(params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False, foreach=None, maximize=False, differentiable=False)
 * The hyper-parameters come positionally in Python's order (as far as Python allows) or by name.
 */
export interface RMSpropArgs extends RMSpropOptions {
  params: Params;
}
const RMSPROP_SIG = signature<RMSpropArgs>()(['params'], ['lr', 'alpha', 'eps', 'weightDecay', 'momentum', 'centered', 'foreach', 'maximize', 'differentiable']);

export class RMSprop extends Optimizer {
  constructor(...args: ArgsOf<typeof RMSPROP_SIG>) {
    const { params, ...options } = RMSPROP_SIG.bind('RMSprop', args);
    const { lr = 1e-2, alpha = 0.99, eps = 1e-8, weightDecay = 0, momentum = 0, centered = false } = options;
    check(lr >= 0, `Invalid learning rate: ${lr}`);
    check(eps >= 0, `Invalid epsilon value: ${eps}`);
    check(momentum >= 0, `Invalid momentum value: ${momentum}`);
    check(weightDecay >= 0, `Invalid weight_decay value: ${weightDecay}`);
    check(alpha >= 0, `Invalid alpha value: ${alpha}`);
    super(params, {
      lr, momentum, alpha, eps, centered, weightDecay,
      foreach: options.foreach ?? null, maximize: options.maximize ?? false, differentiable: options.differentiable ?? false,
    });
  }

  protected updateGroup(group: ParamGroup): void {
    const { params, grads } = withGrads(group);
    if (params.length === 0) return;
    const { lr, alpha, eps, weightDecay, momentum, centered, maximize } = group;
    const squareAvgs: Tensor[] = [];
    const gradAvgs: Tensor[] = [];
    const bufs: Tensor[] = [];
    for (const p of params) {
      const s = this.stateOf(p);
      if (s.step === undefined) {
        s.step = 0;
        s.square_avg = keep(t.zerosLike(p));
        if (momentum > 0) s.momentum_buffer = keep(t.zerosLike(p));
        if (centered) s.grad_avg = keep(t.zerosLike(p));
      }
      s.step += 1;
      squareAvgs.push(s.square_avg);
      if (momentum > 0) bufs.push(s.momentum_buffer);
      if (centered) gradAvgs.push(s.grad_avg);
    }
    let g = maximize ? each.neg(grads) : grads;
    if (weightDecay !== 0) g = each.add(g, params, weightDecay);
    each.mul_(squareAvgs, alpha);
    each.addcmul_(squareAvgs, g, g, 1 - alpha);
    let avg: Tensor[];
    if (centered) {
      each.mul_(gradAvgs, alpha);
      each.add_(gradAvgs, g, 1 - alpha);
      avg = each.addcmul(squareAvgs, gradAvgs, gradAvgs, -1);
      each.sqrt_(avg);
    } else {
      avg = each.sqrt(squareAvgs);
    }
    each.addScalar_(avg, eps);
    if (momentum > 0) {
      each.mul_(bufs, momentum);
      each.addcdiv_(bufs, g, avg, 1);
      each.add_(params, bufs, -lr);
    } else {
      each.addcdiv_(params, g, avg, -lr);
    }
  }
}
