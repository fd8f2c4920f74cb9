// torch.optim.ASGD (PyTorch 1.13 math): averaged SGD. Python keeps step, eta and mu in float32
// 0-dim tensors and reads them back with .item(), so they are rounded to float32 here the same way.
import { Tensor } from '../tensor/tensor';
import { Optimizer, ParamGroup, Params, withGrads, check } from './optimizer';
import { pyNumber } from '../py-format';
import { t, each } from './ops';
import { keep } from '../memory/scope';
import { ArgsOf, signature } from '../keywords';

export interface ASGDOptions {
  lr?: number;
  lambd?: number;
  alpha?: number;
  t0?: number;
  weightDecay?: number;
  foreach?: boolean | null;
  maximize?: boolean;
}

const f32 = Math.fround;

/**
 * ASGD(params, lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0, foreach=None, maximize=False)
 * The hyper-parameters come positionally in Python's order (as far as Python allows) or by name.
 */
export interface ASGDArgs extends ASGDOptions {
  params: Params;
}
const ASGD_SIG = signature<ASGDArgs>()(['params'], ['lr', 'lambd', 'alpha', 't0', 'weightDecay', 'foreach', 'maximize']);

export class ASGD extends Optimizer {
  protected scalarTensorKeys = ['step', 'eta', 'mu'];
  protected floatDefaults = { t0: 1e6 };

  constructor(...args: ArgsOf<typeof ASGD_SIG>) {
    const { params, ...options } = ASGD_SIG.bind('ASGD', args);
    const { lr = 1e-2, lambd = 1e-4, alpha = 0.75, t0 = 1e6, weightDecay = 0 } = options;
    check(lr >= 0, `Invalid learning rate: ${pyNumber(lr)}`);
    check(weightDecay >= 0, `Invalid weight_decay value: ${pyNumber(weightDecay)}`);
    super(params, { lr, lambd, alpha, t0, weightDecay, foreach: options.foreach ?? null, maximize: options.maximize ?? false });
  }

  protected updateGroup(group: ParamGroup): void {
    const { params, grads } = withGrads(group);
    const n = params.length;
    if (n === 0) return;
    const { lr, lambd, alpha, t0, weightDecay, maximize } = group;
    const axs: Tensor[] = new Array(n);
    const decays: number[] = new Array(n);
    const alphas: number[] = new Array(n);
    const mus: number[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const s = this.stateOf(params[i]);
      if (s.step === undefined) {
        s.step = 0;
        s.eta = f32(lr);
        s.mu = 1;
        s.ax = keep(t.zerosLike(params[i]));
      }
      const step = (s.step = f32(s.step + 1));
      axs[i] = s.ax;
      decays[i] = 1 - lambd * s.eta;
      alphas[i] = -s.eta;
      mus[i] = s.mu;
      s.eta = f32(lr / Math.pow(1 + lambd * lr * step, alpha));
      s.mu = f32(1 / Math.max(1, step - t0));
    }
    const real = (xs: Tensor[]) => xs.map((x) => (x.dtype.isComplex ? t.viewAsReal(x) : x));
    const ps = real(params);
    let g = real(maximize ? each.neg(grads) : grads);
    if (weightDecay !== 0) g = each.add(g, ps, weightDecay);
    each.mulEach_(ps, decays);
    each.addEach_(ps, g, alphas);
    // averaging: ax += (param - ax) * mu, or ax = param while mu is 1 (until step t0)
    const averaged = axs.flatMap((ax, i) => (mus[i] !== 1 ? [i] : []));
    if (averaged.length) {
      const ax = real(averaged.map((i) => axs[i]));
      const diff = each.sub(averaged.map((i) => ps[i]), ax);
      each.add_(ax, each.mulEach(diff, averaged.map((i) => mus[i])));
    }
    axs.forEach((ax, i) => {
      if (mus[i] === 1) t.copy_(ax, params[i]);
    });
  }
}
