// torch.optim.Rprop (PyTorch 1.13 math): resilient backpropagation, a per-element step size grown
// by etaplus while the gradient keeps its sign and shrunk by etaminus when it flips.
import { Tensor } from '../tensor/tensor';
import { Optimizer, ParamGroup, Params, withGrads, check } from './optimizer';
import { pyNumber } from '../py-format';
import { t, each } from './ops';
import { keep } from '../memory/scope';
import { ArgsOf, signature } from '../keywords';

export interface RpropOptions {
  lr?: number;
  etas?: [number, number];
  stepSizes?: [number, number];
  foreach?: boolean | null;
  maximize?: boolean;
}

/**
 * Rprop(params, lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50), foreach=None, maximize=False)
 * The hyper-parameters come positionally in Python's order (as far as Python allows) or by name.
 */
export interface RpropArgs extends RpropOptions {
  params: Params;
}
const RPROP_SIG = signature<RpropArgs>()(['params'], ['lr', 'etas', 'stepSizes', 'foreach', 'maximize']);

export class Rprop extends Optimizer {
  constructor(...args: ArgsOf<typeof RPROP_SIG>) {
    const { params, ...options } = RPROP_SIG.bind('Rprop', args);
    const { lr = 1e-2, etas = [0.5, 1.2], stepSizes = [1e-6, 50] } = options;
    check(lr >= 0, `Invalid learning rate: ${pyNumber(lr)}`);
    check(0 < etas[0] && etas[0] < 1 && 1 < etas[1], `Invalid eta values: ${pyNumber(etas[0])}, ${pyNumber(etas[1])}`);
    super(params, { lr, etas: [...etas], stepSizes: [...stepSizes], foreach: options.foreach ?? null, maximize: options.maximize ?? false });
  }

  protected updateGroup(group: ParamGroup): void {
    const { params, grads } = withGrads(group);
    if (params.length === 0) return;
    const [etaminus, etaplus] = group.etas as [number, number];
    const [stepSizeMin, stepSizeMax] = group.stepSizes as [number, number];
    const real = (x: Tensor) => (x.dtype.isComplex ? t.viewAsReal(x) : x);
    const prevs: Tensor[] = [];
    const stepSizes: Tensor[] = [];
    params.forEach((p, i) => {
      const s = this.stateOf(p);
      if (s.step === undefined) {
        s.step = 0;
        s.prev = keep(t.zerosLike(p));
        // grad.new().resize_as_(grad).fill_(lr); complex parameters are pairs of real numbers,
        // filled with complex(lr, lr)
        s.step_size = keep(t.zerosLike(grads[i]));
        t.fill_(real(s.step_size), group.lr);
      }
      prevs.push(s.prev);
      stepSizes.push(s.step_size);
      s.step += 1;
    });
    const gs = group.maximize ? each.neg(grads) : grads;
    params.forEach((p, i) => {
      const param = real(p);
      const prev = real(prevs[i]);
      const stepSize = real(stepSizes[i]);
      const grad = real(gs[i]);
      // Python's sign[sign.gt(0)] = etaplus; sign[sign.lt(0)] = etaminus; sign[sign.eq(0)] = 1
      const sign = t.sign(t.mulT(grad, prev));
      t.maskedFill_(sign, t.gt(sign, 0), etaplus);
      t.maskedFill_(sign, t.lt(sign, 0), etaminus);
      t.maskedFill_(sign, t.eq(sign, 0), 1);
      t.mulT_(stepSize, sign);
      t.clamp_(stepSize, stepSizeMin, stepSizeMax);
      // where the gradient changed sign, no step and no memory of it
      const g = t.clone(grad);
      t.maskedFill_(g, t.eq(sign, etaminus), 0);
      t.addcmul_(param, t.sign(g), stepSize, -1);
      t.copy_(prev, g);
    });
  }
}
