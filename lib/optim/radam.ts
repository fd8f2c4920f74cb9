// torch.optim.RAdam (PyTorch 1.13 math): Adam with the variance rectification term once rho_t > 5.
import { Tensor } from '../tensor/tensor';
import { Optimizer, ParamGroup, Params, withGrads } from './optimizer';
import { checkAdamOptions } from './adam';
import { t, each } from './ops';
import { keep } from '../memory/scope';
import { ArgsOf, signature } from '../keywords';

export interface RAdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  foreach?: boolean | null;
}

/**
 * RAdam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, foreach=None)
 * The hyper-parameters come positionally in Python's order (as far as Python allows) or by name.
 */
export interface RAdamArgs extends RAdamOptions {
  params: Params;
}
const RADAM_SIG = signature<RAdamArgs>()(['params'], ['lr', 'betas', 'eps', 'weightDecay', 'foreach']);

export class RAdam extends Optimizer {
  protected scalarTensorKeys = ['step'];

  constructor(...args: ArgsOf<typeof RADAM_SIG>) {
    const { params, ...options } = RADAM_SIG.bind('RAdam', args);
    const { lr = 1e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = 0 } = options;
    checkAdamOptions(lr, betas, eps, weightDecay);
    super(params, { lr, betas: [...betas], eps, weightDecay, foreach: options.foreach ?? null });
  }

  protected updateGroup(group: ParamGroup): void {
    const { params, grads } = withGrads(group);
    if (params.length === 0) return;
    const { lr, betas, eps, weightDecay } = group;
    const [beta1, beta2] = betas as [number, number];
    const expAvgs: Tensor[] = [];
    const expAvgSqs: Tensor[] = [];
    const steps: number[] = [];
    for (const p of params) {
      const s = this.stateOf(p);
      if (s.step === undefined) {
        s.step = 0;
        s.exp_avg = keep(t.zerosLike(p));
        s.exp_avg_sq = keep(t.zerosLike(p));
      }
      steps.push(++s.step);
      expAvgs.push(s.exp_avg);
      expAvgSqs.push(s.exp_avg_sq);
    }
    const g = weightDecay !== 0 ? each.add(grads, params, weightDecay) : grads;
    each.mul_(expAvgs, beta1);
    each.add_(expAvgs, g, 1 - beta1);
    each.mul_(expAvgSqs, beta2);
    each.addcmul_(expAvgSqs, g, g, 1 - beta2);
    // PyTorch's order of ops, so that float32 steps round as Python's do (folding the bias
    // corrections into one addcdiv saves passes but drifts by an ulp a step):
    //   bias_corrected_exp_avg = exp_avg / bias_correction1
    //   rectified: param.add_(bias_corrected_exp_avg * lr * adaptive_lr * rect, alpha=-1.0), where
    //     adaptive_lr = math.sqrt(bias_correction2) / exp_avg_sq.sqrt().add_(eps), and Python's
    //     float / tensor is tensor.reciprocal() * float
    //   otherwise:  param.add_(bias_corrected_exp_avg * lr, alpha=-1.0)
    const rhoInf = 2 / (1 - beta2) - 1;
    const bc1s: number[] = [];
    const rect: number[] = [];
    const plain: number[] = [];
    const rects: number[] = [];
    const bc2Sqrts: number[] = [];
    steps.forEach((step, i) => {
      bc1s.push(1 - beta1 ** step);
      const bc2 = 1 - beta2 ** step;
      const rhoT = rhoInf - (2 * step * beta2 ** step) / bc2;
      if (rhoT > 5) {
        rect.push(i);
        rects.push(Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT)));
        bc2Sqrts.push(Math.sqrt(bc2));
      } else {
        plain.push(i);
      }
    });
    const update = each.mul(each.divEach(expAvgs, bc1s), lr);
    if (rect.length) {
      const adaptive = each.sqrt(rect.map((i) => expAvgSqs[i]));
      each.addScalar_(adaptive, eps);
      each.reciprocal_(adaptive);
      const scaled = each.mulTensors(rect.map((i) => update[i]), each.mulEach(adaptive, bc2Sqrts));
      each.mulEach_(scaled, rects);
      each.add_(rect.map((i) => params[i]), scaled, -1);
    }
    if (plain.length) each.add_(plain.map((i) => params[i]), plain.map((i) => update[i]), -1);
  }
}
