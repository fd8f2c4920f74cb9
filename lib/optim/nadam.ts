// torch.optim.NAdam (PyTorch 1.13 math): Adam with Nesterov momentum and momentum decay.
// Python keeps mu_product in a float32 tensor; it is rounded to float32 here the same way.
import { Tensor } from '../tensor/tensor';
import { Optimizer, ParamGroup, Params, withGrads, check } from './optimizer';
import { checkAdamOptions } from './adam';
import { t, each } from './ops';
import { keep } from '../memory/scope';
import { ArgsOf, signature } from '../keywords';

export interface NAdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  momentumDecay?: number;
  foreach?: boolean | null;
}

const f32 = Math.fround;

/**
 * NAdam(params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, momentum_decay=4e-3, foreach=None)
 * The hyper-parameters come positionally in Python's order (as far as Python allows) or by name.
 */
export interface NAdamArgs extends NAdamOptions {
  params: Params;
}
const NADAM_SIG = signature<NAdamArgs>()(['params'], ['lr', 'betas', 'eps', 'weightDecay', 'momentumDecay', 'foreach']);

export class NAdam extends Optimizer {
  protected scalarTensorKeys = ['step', 'mu_product'];

  constructor(...args: ArgsOf<typeof NADAM_SIG>) {
    const { params, ...options } = NADAM_SIG.bind('NAdam', args);
    const { lr = 2e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = 0, momentumDecay = 4e-3 } = options;
    checkAdamOptions(lr, betas, eps, weightDecay);
    check(momentumDecay >= 0, `Invalid momentum_decay value: ${momentumDecay}`);
    super(params, { lr, betas: [...betas], eps, weightDecay, momentumDecay, foreach: options.foreach ?? null });
  }

  protected updateGroup(group: ParamGroup): void {
    const { params, grads } = withGrads(group);
    if (params.length === 0) return;
    const { lr, betas, eps, weightDecay, momentumDecay } = group;
    const [beta1, beta2] = betas as [number, number];
    const expAvgs: Tensor[] = [];
    const expAvgSqs: Tensor[] = [];
    const bc2s: number[] = [];
    const gradScales: number[] = [];
    const avgScales: number[] = [];
    for (const p of params) {
      const s = this.stateOf(p);
      if (s.step === undefined) {
        s.step = 0;
        s.mu_product = 1;
        s.exp_avg = keep(t.zerosLike(p));
        s.exp_avg_sq = keep(t.zerosLike(p));
      }
      const step = ++s.step;
      expAvgs.push(s.exp_avg);
      expAvgSqs.push(s.exp_avg_sq);
      bc2s.push(1 - beta2 ** step);
      const mu = beta1 * (1 - 0.5 * 0.96 ** (step * momentumDecay));
      const muNext = beta1 * (1 - 0.5 * 0.96 ** ((step + 1) * momentumDecay));
      const muProduct = (s.mu_product = f32(s.mu_product * f32(mu)));
      const muProductNext = f32(f32(muProduct * f32(mu)) * f32(muNext));
      gradScales.push((-lr * (1 - mu)) / (1 - muProduct));
      avgScales.push((-lr * muNext) / (1 - muProductNext));
    }
    const g = weightDecay !== 0 ? each.add(grads, params, weightDecay) : grads;
    each.mul_(expAvgs, beta1);
    each.add_(expAvgs, g, 1 - beta1);
    each.mul_(expAvgSqs, beta2);
    each.addcmul_(expAvgSqs, g, g, 1 - beta2);
    const denom = each.divEach(expAvgSqs, bc2s);
    each.sqrt_(denom);
    each.addScalar_(denom, eps);
    each.addcdivEach_(params, g, denom, gradScales);
    each.addcdivEach_(params, expAvgs, denom, avgScales);
  }
}
