// torch.optim.Adam (PyTorch 1.13 math, amsgrad, maximize); the update is shared with AdamW,
// which decays the weights directly instead of adding weight_decay * param to the gradient.
import { TorchError } from '../errors';
import { Tensor } from '../tensor/tensor';
import { Optimizer, ParamGroup, Params, withGrads, check } from './optimizer';
import { t, each } from './ops';
import { keep } from '../memory/scope';
import { ArgsOf, signature } from '../keywords';

export interface AdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  amsgrad?: boolean;
  maximize?: boolean;
  foreach?: boolean | null;
  capturable?: boolean;
  differentiable?: boolean;
  fused?: boolean;
}

export function checkAdamOptions(lr: number, betas: [number, number], eps: number, weightDecay: number): void {
  check(lr >= 0, `Invalid learning rate: ${lr}`);
  check(eps >= 0, `Invalid epsilon value: ${eps}`);
  check(betas[0] >= 0 && betas[0] < 1, `Invalid beta parameter at index 0: ${betas[0]}`);
  check(betas[1] >= 0 && betas[1] < 1, `Invalid beta parameter at index 1: ${betas[1]}`);
  check(weightDecay >= 0, `Invalid weight_decay value: ${weightDecay}`);
}

/**
 * Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False, *, foreach=None, maximize=False, capturable=False, differentiable=False, fused=False)
 * The hyper-parameters come positionally in Python's order (as far as Python allows) or by name.
 */
export interface AdamArgs extends AdamOptions {
  params: Params;
}
const ADAM_SIG = signature<AdamArgs>()(['params'], ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad'], ['foreach', 'maximize', 'capturable', 'differentiable', 'fused']);

export class Adam extends Optimizer {
  protected scalarTensorKeys = ['step'];

  constructor(...args: ArgsOf<typeof ADAM_SIG>) {
    const { params, ...options } = ADAM_SIG.bind('Adam', args);
    const { lr = 1e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = 0, amsgrad = false } = options;
    checkAdamOptions(lr, betas, eps, weightDecay);
    super(params, {
      lr, betas: [...betas], eps, weightDecay, amsgrad,
      maximize: options.maximize ?? false, foreach: options.foreach ?? null, capturable: options.capturable ?? false,
      differentiable: options.differentiable ?? false, fused: options.fused ?? false,
    });
    // there is no fused kernel here: on CUDA the usual update runs; elsewhere PyTorch's errors
    if (options.fused) {
      if (options.differentiable) throw new TorchError('`fused` cannot be `differentiable`');
      const cudaFloat = this.paramGroups.every((g) => g.params.every((p) => p.isCuda && p.isFloatingPoint()));
      if (!cudaFloat) throw new TorchError('FusedAdam requires all the params to be CUDA, floating point');
    }
  }

  protected updateGroup(group: ParamGroup): void {
    adamUpdate(this, group, false);
  }
}

/** Adam's update of one group; decoupled = AdamW's weight decay. */
export function adamUpdate(opt: Optimizer, group: ParamGroup, decoupled: boolean): void {
  const { params, grads } = withGrads(group);
  const n = params.length;
  if (n === 0) return;
  const { lr, betas, eps, weightDecay, amsgrad, maximize } = group;
  const [beta1, beta2] = betas as [number, number];
  const expAvgs: Tensor[] = new Array(n);
  const expAvgSqs: Tensor[] = new Array(n);
  const maxSqs: Tensor[] = amsgrad ? new Array(n) : [];
  const stepSizes: number[] = new Array(n);
  const bc2Sqrts: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const s = opt.stateOf(params[i]);
    if (s.step === undefined) {
      s.step = 0;
      s.exp_avg = keep(t.zerosLike(params[i]));
      s.exp_avg_sq = keep(t.zerosLike(params[i]));
      if (amsgrad) s.max_exp_avg_sq = keep(t.zerosLike(params[i]));
    }
    const step = ++s.step;
    expAvgs[i] = s.exp_avg;
    expAvgSqs[i] = s.exp_avg_sq;
    if (amsgrad) maxSqs[i] = s.max_exp_avg_sq;
    stepSizes[i] = -(lr / (1 - beta1 ** step));
    bc2Sqrts[i] = Math.sqrt(1 - beta2 ** step);
  }
  let g = maximize ? each.neg(grads) : grads;
  if (decoupled) each.mul_(params, 1 - lr * weightDecay);
  else if (weightDecay !== 0) g = each.add(g, params, weightDecay);
  each.mul_(expAvgs, beta1);
  each.add_(expAvgs, g, 1 - beta1);
  each.mul_(expAvgSqs, beta2);
  each.addcmul_(expAvgSqs, g, g, 1 - beta2);
  if (amsgrad) each.maximum_(maxSqs, expAvgSqs);
  // param -= step_size * m / (sqrt(v) / bc2_sqrt + eps) in PyTorch's order of ops: folding bc2_sqrt
  // into the scalars saves a pass but rounds differently, and a port should reproduce Python's bits
  const denom = each.sqrt(amsgrad ? maxSqs : expAvgSqs);
  each.divEach_(denom, bc2Sqrts);
  each.addScalar_(denom, eps);
  each.addcdivEach_(params, expAvgs, denom, stepSizes);
}
