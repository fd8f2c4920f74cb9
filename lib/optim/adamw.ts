// torch.optim.AdamW (PyTorch 1.13): Adam with decoupled weight decay, param *= 1 - lr * weight_decay.
import { Optimizer, ParamGroup, Params } from './optimizer';
import { AdamOptions, adamUpdate, checkAdamOptions } from './adam';
import { checkKeywords, keysOf } from '../keywords';

export type AdamWOptions = Omit<AdamOptions, 'differentiable' | 'fused'>;

const ADAMW_KEYS = keysOf<AdamWOptions>()('lr', 'betas', 'eps', 'weightDecay', 'amsgrad', 'maximize', 'foreach', 'capturable');

export class AdamW extends Optimizer {
  protected scalarTensorKeys = ['step'];

  constructor(params: Params, options: AdamWOptions = {}) {
    checkKeywords('AdamW', options, ADAMW_KEYS);
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
