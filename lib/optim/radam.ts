// torch.optim.RAdam (PyTorch 1.13 math): Adam with the variance rectification term once rho_t > 5.
import { Tensor } from '../tensor/tensor';
import { Optimizer, ParamGroup, Params, withGrads } from './optimizer';
import { checkAdamOptions } from './adam';
import { t, each } from './ops';
import { keep } from '../memory/scope';
import { checkKeywords, keysOf } from '../keywords';

export interface RAdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  foreach?: boolean | null;
}

const RADAM_KEYS = keysOf<RAdamOptions>()('lr', 'betas', 'eps', 'weightDecay', 'foreach');

export class RAdam extends Optimizer {
  protected scalarTensorKeys = ['step'];

  constructor(params: Params, options: RAdamOptions = {}) {
    checkKeywords('RAdam', options, RADAM_KEYS);
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
    const rhoInf = 2 / (1 - beta2) - 1;
    const rectParams: Tensor[] = [];
    const rectAvgs: Tensor[] = [];
    const rectSqs: Tensor[] = [];
    const rectScales: number[] = [];
    params.forEach((p, i) => {
      const step = steps[i];
      const bc1 = 1 - beta1 ** step;
      const bc2 = 1 - beta2 ** step;
      const rhoT = rhoInf - (2 * step * beta2 ** step) / bc2;
      if (rhoT > 5) {
        // param -= lr * (exp_avg / bc1) * sqrt(bc2) / (sqrt(exp_avg_sq) + eps) * rect, folded into one addcdiv
        const rect = Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
        rectParams.push(p);
        rectAvgs.push(expAvgs[i]);
        rectSqs.push(expAvgSqs[i]);
        rectScales.push((-lr * rect * Math.sqrt(bc2)) / bc1);
      } else {
        t.add_(p, expAvgs[i], -lr / bc1);
      }
    });
    if (rectParams.length) {
      const denom = each.sqrt(rectSqs);
      each.addScalar_(denom, eps);
      each.addcdivEach_(rectParams, rectAvgs, denom, rectScales);
    }
  }
}
