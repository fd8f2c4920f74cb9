// torch.optim.Adamax (PyTorch 1.13 math): Adam with the infinity norm, exp_inf = max(beta2 * exp_inf, |g| + eps).
import { Tensor } from '../tensor/tensor';
import { Optimizer, ParamGroup, Params, withGrads } from './optimizer';
import { checkAdamOptions } from './adam';
import { t, each } from './ops';
import { keep } from '../memory/scope';
import { ArgsOf, signature } from '../keywords';

export interface AdamaxOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  foreach?: boolean | null;
  maximize?: boolean;
}

/**
 * Adamax(params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, foreach=None, *, maximize=False)
 * The hyper-parameters come positionally in Python's order (as far as Python allows) or by name.
 */
export interface AdamaxArgs extends AdamaxOptions {
  params: Params;
}
const ADAMAX_SIG = signature<AdamaxArgs>()(['params'], ['lr', 'betas', 'eps', 'weightDecay', 'foreach'], ['maximize']);

export class Adamax extends Optimizer {
  protected scalarTensorKeys = ['step'];

  constructor(...args: ArgsOf<typeof ADAMAX_SIG>) {
    const { params, ...options } = ADAMAX_SIG.bind('Adamax', args);
    const { lr = 2e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = 0 } = options;
    checkAdamOptions(lr, betas, eps, weightDecay);
    super(params, { lr, betas: [...betas], eps, weightDecay, foreach: options.foreach ?? null, maximize: options.maximize ?? false });
  }

  protected updateGroup(group: ParamGroup): void {
    const { params, grads } = withGrads(group);
    if (params.length === 0) return;
    const { lr, betas, eps, weightDecay, maximize } = group;
    const [beta1, beta2] = betas as [number, number];
    const expAvgs: Tensor[] = [];
    const expInfs: Tensor[] = [];
    const clrs: number[] = [];
    for (const p of params) {
      const s = this.stateOf(p);
      if (s.step === undefined) {
        s.step = 0;
        s.exp_avg = keep(t.zerosLike(p));
        s.exp_inf = keep(t.zerosLike(p));
      }
      const step = ++s.step;
      expAvgs.push(s.exp_avg);
      expInfs.push(s.exp_inf);
      clrs.push(-(lr / (1 - beta1 ** step)));
    }
    let g = maximize ? each.neg(grads) : grads;
    if (weightDecay !== 0) g = each.add(g, params, weightDecay);
    each.mul_(expAvgs, beta1);
    each.add_(expAvgs, g, 1 - beta1);
    each.mul_(expInfs, beta2);
    const bound = each.abs(g);
    each.addScalar_(bound, eps);
    each.maximum_(expInfs, bound);
    each.addcdivEach_(params, expAvgs, expInfs, clrs);
  }
}
