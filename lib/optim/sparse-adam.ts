// torch.optim.SparseAdam (PyTorch 1.13 math): Adam's update applied only where the sparse gradient
// has entries (e.g. the rows of an Embedding(sparse=True) a batch looked up); the moments of the
// other rows are left as they are. Steps are Python's op for op, so float32 results are bit-identical.
import { Tensor } from '../tensor/tensor';
import { zerosLike } from '../tensor/create';
import { aten } from '../tensor/aten';
import { TorchError } from '../errors';
import { Optimizer, ParamGroup, ParamGroupSpec, Params, check } from './optimizer';
import { pyNumber } from '../py-format';
import { keep } from '../memory/scope';
import { ArgsOf, signature } from '../keywords';

export interface SparseAdamOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  maximize?: boolean;
}

/** SparseAdam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, maximize=False), positionally or by name. */
export interface SparseAdamArgs extends SparseAdamOptions {
  params: Params;
}
const SPARSE_ADAM_SIG = signature<SparseAdamArgs>()(['params'], ['lr', 'betas', 'eps', 'maximize']);

const sparseFrom = aten('sparse_coo_tensor', 'indices_size');

export class SparseAdam extends Optimizer {
  constructor(...args: ArgsOf<typeof SPARSE_ADAM_SIG>) {
    const { params, ...options } = SPARSE_ADAM_SIG.bind('SparseAdam', args);
    const { lr = 1e-3, betas = [0.9, 0.999], eps = 1e-8, maximize = false } = options;
    // Python's defaults and checks are floats: a JS 0 prints as Python's 0.0
    check(0.0 < lr, `Invalid learning rate: ${pyNumber(lr, true)}`);
    check(0.0 < eps, `Invalid epsilon value: ${pyNumber(eps, true)}`);
    check(betas[0] >= 0 && betas[0] < 1, `Invalid beta parameter at index 0: ${pyNumber(betas[0], true)}`);
    check(betas[1] >= 0 && betas[1] < 1, `Invalid beta parameter at index 1: ${pyNumber(betas[1], true)}`);
    const list = params instanceof Tensor ? params : [...(params as Iterable<Tensor | ParamGroupSpec>)];
    if (!(list instanceof Tensor)) {
      const sparse: string[] = [];
      list.forEach((p, i) => {
        if (p instanceof Tensor) {
          if (p.isSparse) sparse.push(String(i));
        } else if (p && typeof p === 'object') {
          const inner = p.params instanceof Tensor ? [p.params] : [...(p.params ?? [])];
          inner.forEach((q, j) => {
            if (q.isSparse) sparse.push(`[${i}, ${j}]`);
          });
        }
      });
      if (sparse.length) throw new TorchError(`Sparse params at indices [${sparse.join(', ')}]: SparseAdam requires dense parameter tensors`);
    }
    super(list as Params, { lr, betas: [...betas], eps, maximize });
  }

  protected updateGroup(group: ParamGroup): void {
    const { lr, eps, maximize } = group;
    const [beta1, beta2] = group.betas as [number, number];
    for (const p of group.params) {
      const g = p.grad;
      if (g === null) continue;
      if (!g.isSparse) throw new TorchError('SparseAdam does not support dense gradients, please consider Adam instead');
      const s = this.stateOf(p);
      if (s.step === undefined) {
        s.step = 0;
        s.exp_avg = keep(zerosLike(p));
        s.exp_avg_sq = keep(zerosLike(p));
      }
      const step = ++s.step;
      const expAvg = s.exp_avg as Tensor;
      const expAvgSq = s.exp_avg_sq as Tensor;

      const grad = (maximize ? g.neg() : g).coalesce(); // the update is non-linear so indices must be unique
      const indices = grad._indices();
      const values = grad._values();
      const size = grad.shape;
      const makeSparse = (v: Tensor): Tensor | null => (indices.dim() === 0 || v.dim() === 0 ? null : (sparseFrom([indices, v, size]) as Tensor));
      const addSparse = (target: Tensor, v: Tensor) => {
        const sp = makeSparse(v);
        if (sp !== null) target.add_(sp);
      };

      const oldExpAvg = expAvg.sparseMask(grad)._values();
      const expAvgUpdate = values.sub(oldExpAvg).mul_(1 - beta1);
      addSparse(expAvg, expAvgUpdate);
      const oldExpAvgSq = expAvgSq.sparseMask(grad)._values();
      const expAvgSqUpdate = values.pow(2).sub_(oldExpAvgSq).mul_(1 - beta2);
      addSparse(expAvgSq, expAvgSqUpdate);
      // dense addition again is intended, avoiding another sparse_mask
      const numer = expAvgUpdate.add_(oldExpAvg);
      expAvgSqUpdate.add_(oldExpAvgSq);
      const denom = expAvgSqUpdate.sqrt_().add_(eps);
      const biasCorrection1 = 1 - beta1 ** step;
      const biasCorrection2 = 1 - beta2 ** step;
      const stepSize = (lr * Math.sqrt(biasCorrection2)) / biasCorrection1;
      addSparse(p, numer.div_(denom).mul(-stepSize));
    }
  }
}
