// torch.optim.AdamW (PyTorch 1.13): Adam with decoupled weight decay, param *= 1 - lr * weight_decay.
import { Optimizer, ParamGroup, Params } from './optimizer';
import { AdamOptions, adamUpdate, checkAdamOptions } from './adam';
import { ArgsOf, signature } from '../keywords';

export type AdamWOptions = Omit<AdamOptions, 'differentiable' | 'fused'>;

/**
 * AdamW(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False, *, maximize=False, foreach=None, capturable=False)
 * The hyper-parameters come positionally in Python's order (as far as Python allows) or by name.
 */
export interface AdamWArgs extends AdamWOptions {
  params: Params;
}
const ADAMW_SIG = signature<AdamWArgs>()(['params'], ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad'], ['maximize', 'foreach', 'capturable']);

export class AdamW extends Optimizer {
  protected scalarTensorKeys = ['step'];

  constructor(...args: ArgsOf<typeof ADAMW_SIG>) {
    const { params, ...options } = ADAMW_SIG.bind('AdamW', args);
    const { lr = 1e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = 1e-2, amsgrad = false } = options;
    checkAdamOptions(lr, betas, eps, weightDecay);
    super(params, {
      lr, betas: [...betas], eps, weightDecay, amsgrad,
      foreach: options.foreach ?? null, maximize: options.maximize ?? false, capturable: options.capturable ?? false,
    });
  }

  protected updateGroup(group: ParamGroup): void {
    adamUpdate(this, group, true);
  }
}
