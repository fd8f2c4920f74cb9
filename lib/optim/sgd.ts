// torch.optim.SGD (PyTorch 1.13 math): momentum, dampening, nesterov, weight decay, maximize.
import { Tensor } from '../tensor/tensor';
import { Optimizer, ParamGroup, Params, required, withGrads, check } from './optimizer';
import { t, each } from './ops';
import { keep } from '../memory/scope';
import { ArgsOf, signature } from '../keywords';

export interface SGDOptions {
  lr?: number;
  momentum?: number;
  dampening?: number;
  weightDecay?: number;
  nesterov?: boolean;
  maximize?: boolean;
  foreach?: boolean | null;
  differentiable?: boolean;
}

/**
 * SGD(params, lr=required, momentum=0, dampening=0, weight_decay=0, nesterov=False, *, maximize=False, foreach=None, differentiable=False)
 * The hyper-parameters come positionally in Python's order (as far as Python allows) or by name.
 */
export interface SGDArgs extends SGDOptions {
  params: Params;
}
const SGD_SIG = signature<SGDArgs>()(['params'], ['lr', 'momentum', 'dampening', 'weightDecay', 'nesterov'], ['maximize', 'foreach', 'differentiable']);

export class SGD extends Optimizer {
  constructor(...args: ArgsOf<typeof SGD_SIG>) {
    const { params, ...options } = SGD_SIG.bind('SGD', args);
    const { lr = required, momentum = 0, dampening = 0, weightDecay = 0, nesterov = false } = options;
    if (lr !== required) check(lr >= 0, `Invalid learning rate: ${lr}`);
    check(momentum >= 0, `Invalid momentum value: ${momentum}`);
    check(weightDecay >= 0, `Invalid weight_decay value: ${weightDecay}`);
    check(!nesterov || (momentum > 0 && dampening === 0), 'Nesterov momentum requires a momentum and zero dampening');
    super(params, {
      lr, momentum, dampening, weightDecay, nesterov,
      maximize: options.maximize ?? false, foreach: options.foreach ?? null, differentiable: options.differentiable ?? false,
    });
  }

  protected updateGroup(group: ParamGroup): void {
    const { params, grads } = withGrads(group);
    if (params.length === 0) return;
    const { lr, momentum, dampening, weightDecay, nesterov, maximize } = group;
    let d = maximize ? each.neg(grads) : grads;
    if (weightDecay !== 0) d = each.add(d, params, weightDecay);
    if (momentum !== 0) {
      const bufs: Tensor[] = [];
      const old: Tensor[] = [];
      const oldGrads: Tensor[] = [];
      params.forEach((p, i) => {
        const state = this.stateOf(p);
        let buf: Tensor | undefined = state.momentum_buffer;
        if (buf === undefined || buf === null) {
          buf = state.momentum_buffer = keep(t.clone(d[i]).detach());
        } else {
          old.push(buf);
          oldGrads.push(d[i]);
        }
        bufs.push(buf);
      });
      if (old.length) {
        // mul_ then add_, as PyTorch: a fused g + momentum * buf rounds differently (drifts by 1e-7 a step)
        each.mul_(old, momentum);
        each.add_(old, oldGrads, 1 - dampening);
      }
      d = nesterov ? each.add(d, bufs, momentum) : bufs;
    } else {
      for (const p of params) this.stateOf(p).momentum_buffer = null; // as Python records it
    }
    each.add_(params, d, -lr);
  }
}
