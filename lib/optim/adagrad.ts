// torch.optim.Adagrad (PyTorch 1.13 math): lr decay, initial accumulator, weight decay, maximize.
import { Tensor } from '../tensor/tensor';
import { Optimizer, ParamGroup, Params, withGrads, check } from './optimizer';
import { t, each } from './ops';
import { keep } from '../memory/scope';
import { ArgsOf, signature } from '../keywords';

export interface AdagradOptions {
  lr?: number;
  lrDecay?: number;
  weightDecay?: number;
  initialAccumulatorValue?: number;
  eps?: number;
  foreach?: boolean | null;
  maximize?: boolean;
}

/**
 * Adagrad(params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10, foreach=None, *, maximize=False)
 * The hyper-parameters come positionally in Python's order (as far as Python allows) or by name.
 */
export interface AdagradArgs extends AdagradOptions {
  params: Params;
}
const ADAGRAD_SIG = signature<AdagradArgs>()(['params'], ['lr', 'lrDecay', 'weightDecay', 'initialAccumulatorValue', 'eps', 'foreach'], ['maximize']);

export class Adagrad extends Optimizer {
  protected scalarTensorKeys = ['step'];

  constructor(...args: ArgsOf<typeof ADAGRAD_SIG>) {
    const { params, ...options } = ADAGRAD_SIG.bind('Adagrad', args);
    const { lr = 1e-2, lrDecay = 0, weightDecay = 0, initialAccumulatorValue = 0, eps = 1e-10 } = options;
    check(lr >= 0, `Invalid learning rate: ${lr}`);
    check(lrDecay >= 0, `Invalid lr_decay value: ${lrDecay}`);
    check(weightDecay >= 0, `Invalid weight_decay value: ${weightDecay}`);
    check(initialAccumulatorValue >= 0, `Invalid initial_accumulator_value value: ${initialAccumulatorValue}`);
    check(eps >= 0, `Invalid epsilon value: ${eps}`);
    super(params, {
      lr, lrDecay, eps, weightDecay, initialAccumulatorValue,
      foreach: options.foreach ?? null, maximize: options.maximize ?? false,
    });
    // Adagrad creates its state up front (the accumulators start at initial_accumulator_value)
    for (const group of this.paramGroups) for (const p of group.params) this.initState(p, group);
  }

  private initState(p: Tensor, group: ParamGroup): void {
    const s = this.stateOf(p);
    s.step = 0;
    s.sum = keep(t.fullLike(p, group.initialAccumulatorValue));
  }

  protected updateGroup(group: ParamGroup): void {
    const { params, grads } = withGrads(group);
    if (params.length === 0) return;
    const { lr, lrDecay, eps, weightDecay, maximize } = group;
    const sums: Tensor[] = [];
    const clrs: number[] = [];
    for (const p of params) {
      const s = this.stateOf(p);
      if (s.sum === undefined) this.initState(p, group);
      const step = ++s.step;
      sums.push(s.sum);
      clrs.push(-(lr / (1 + (step - 1) * lrDecay)));
    }
    let g = maximize ? each.neg(grads) : grads;
    if (weightDecay !== 0) g = each.add(g, params, weightDecay);
    each.addcmul_(sums, g, g, 1);
    const std = each.sqrt(sums);
    each.addScalar_(std, eps);
    each.addcdivEach_(params, g, std, clrs);
  }
}
