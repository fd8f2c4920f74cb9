// torch.optim.LBFGS (PyTorch 1.13 algorithm): limited-memory BFGS over all parameters as one flat
// vector, with an optional strong-Wolfe line search; step(closure) re-evaluates the loss.
// Scalars that Python keeps in 0-dim tensors of the parameters' dtype (t, ys, ro, al, H_diag, gtd)
// are computed with PyMath, rounding as Python does, and stored as JS numbers.
import '../ops/generated/methods';
import { TorchError } from '../errors';
import { Tensor } from '../tensor/tensor';
import { cat } from '../tensor/functions';
import { noGrad, enableGrad } from '../autograd/grad-mode';
import { Optimizer, ParamGroup, Params, ParamState, Closure } from './optimizer';
import { t as op } from './ops';
import { strongWolfe } from './strong-wolfe';
import { Py, PyMath, value } from './py-scalar';
import { ArgsOf, signature } from '../keywords';

export interface LBFGSOptions {
  lr?: number;
  maxIter?: number;
  maxEval?: number | null;
  toleranceGrad?: number;
  toleranceChange?: number;
  historySize?: number;
  lineSearchFn?: 'strong_wolfe' | null;
}

const num = (x: Tensor | number): number => (typeof x === 'number' ? x : (x.item() as number));

/**
 * LBFGS(params, lr=1, max_iter=20, max_eval=None, tolerance_grad=1e-7, tolerance_change=1e-9, history_size=100, line_search_fn=None)
 * The hyper-parameters come positionally in Python's order (as far as Python allows) or by name.
 */
export interface LBFGSArgs extends LBFGSOptions {
  params: Params;
}
const LBFGS_SIG = signature<LBFGSArgs>()(['params'], ['lr', 'maxIter', 'maxEval', 'toleranceGrad', 'toleranceChange', 'historySize', 'lineSearchFn']);

export class LBFGS extends Optimizer {
  private readonly params: Tensor[];

  constructor(...args: ArgsOf<typeof LBFGS_SIG>) {
    const { params, ...options } = LBFGS_SIG.bind('LBFGS', args);
    const { lr = 1, maxIter = 20, toleranceGrad = 1e-7, toleranceChange = 1e-9, historySize = 100 } = options;
    const maxEval = options.maxEval ?? Math.floor((maxIter * 5) / 4);
    super(params, { lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearchFn: options.lineSearchFn ?? null });
    if (this.paramGroups.length !== 1) throw new TorchError("LBFGS doesn't support per-parameter options (parameter groups)");
    this.params = this.paramGroups[0].params;
  }

  protected updateGroup(_group: ParamGroup): void {
    throw new TorchError('LBFGS needs a closure: call step(closure)');
  }

  private gatherFlatGrad(): Tensor {
    return cat(this.params.map((p) => p.grad?.view(-1) ?? op.zerosLike(p).view(-1)), 0);
  }

  /** params += stepSize * update (update is one flat vector over all parameters) */
  private addGrad(stepSize: number, update: Tensor): void {
    let offset = 0;
    for (const p of this.params) {
      const n = p.numel();
      op.add_(p, update.narrow(0, offset, n).viewAs(p), stepSize);
      offset += n;
    }
  }

  private cloneParams(): Tensor[] {
    return this.params.map((p) => p.clone());
  }

  private setParams(data: Tensor[]): void {
    this.params.forEach((p, i) => p.copy_(data[i]));
  }

  private directionalEvaluate(closure: Closure, x: Tensor[], t: number, d: Tensor): [number, Tensor] {
    this.addGrad(t, d);
    const loss = num(enableGrad(closure));
    const flatGrad = this.gatherFlatGrad();
    this.setParams(x);
    return [loss, flatGrad];
  }

  /** One LBFGS step (up to maxIter iterations); returns what the first call of closure returned. */
  step(): undefined;
  step<T extends Tensor | number>(closure: Closure<T>): T;
  step<T extends Tensor | number>(closure?: Closure<T>): T | undefined;
  step<T extends Tensor | number>(closure?: Closure<T>): T | undefined {
    if (!closure) throw new TorchError('LBFGS.step() requires a closure that reevaluates the model and returns the loss');
    return noGrad(() => this.lbfgsStep(closure));
  }

  private lbfgsStep<T extends Tensor | number>(closure: Closure<T>): T {
    const group = this.paramGroups[0];
    const { lr, maxIter, maxEval, toleranceGrad, toleranceChange, lineSearchFn, historySize } = group;
    // LBFGS has only global state; like Python it lives in the state of the first parameter
    const state: ParamState = this.stateOf(this.params[0]);
    const m = new PyMath(this.params[0].dtype);
    const item = (x: Tensor) => m.of(x.item() as number);
    state.func_evals ??= 0;
    state.n_iter ??= 0;

    const origLoss = enableGrad(closure);
    let loss = num(origLoss);
    let currentEvals = 1;
    state.func_evals += 1;
    let flatGrad = this.gatherFlatGrad();
    let optCond = m.le(item(flatGrad.abs().max()), toleranceGrad);
    if (optCond) return origLoss;

    let d: Tensor = state.d;
    let t: Py = state.t;
    let oldDirs: Tensor[] = state.old_dirs;
    let oldStps: Tensor[] = state.old_stps;
    let ro: number[] = state.ro;
    let hDiag: Py = state.H_diag;
    let prevFlatGrad: Tensor | undefined = state.prev_flat_grad ?? undefined;
    let prevLoss: number = state.prev_loss;

    let nIter = 0;
    while (nIter < maxIter) {
      nIter += 1;
      state.n_iter += 1;

      // descent direction
      if (state.n_iter === 1) {
        d = flatGrad.neg();
        oldDirs = [];
        oldStps = [];
        ro = [];
        hDiag = 1;
      } else {
        const y = flatGrad.sub(prevFlatGrad!);
        const s = d.mul(value(t));
        const ys = item(y.dot(s));
        if (m.gt(ys, 1e-10)) {
          if (oldDirs.length === historySize) {
            oldDirs.shift();
            oldStps.shift();
            ro.shift();
          }
          oldDirs.push(y);
          oldStps.push(s);
          ro.push(value(m.div(1, ys)));
          hDiag = m.div(ys, item(y.dot(y)));
        }
        const numOld = oldDirs.length;
        if (!state.al) state.al = new Array(historySize).fill(null);
        const al: (number | null)[] = state.al;
        const q = flatGrad.neg();
        for (let i = numOld - 1; i >= 0; i--) {
          al[i] = value(m.mul(item(oldStps[i].dot(q)), m.of(ro[i])));
          op.add_(q, oldDirs[i], -al[i]!);
        }
        const r = q.mul(value(hDiag));
        d = r;
        for (let i = 0; i < numOld; i++) {
          const beI = m.mul(item(oldDirs[i].dot(r)), m.of(ro[i]));
          op.add_(r, oldStps[i], value(m.sub(m.of(al[i]!), beI)));
        }
      }
      if (prevFlatGrad === undefined) prevFlatGrad = flatGrad.clone();
      else prevFlatGrad.copy_(flatGrad);
      prevLoss = loss;

      // step length
      t = state.n_iter === 1 ? m.mul(m.min(1, m.div(1, item(flatGrad.abs().sum()))), lr) : lr;
      const gtd = item(flatGrad.dot(d));
      if (m.gt(gtd, -toleranceChange)) break;

      let lsFuncEvals = 0;
      if (lineSearchFn !== null && lineSearchFn !== undefined) {
        if (lineSearchFn !== 'strong_wolfe') throw new TorchError("only 'strong_wolfe' is supported");
        const xInit = this.cloneParams();
        const obj = (x: Tensor[], step: number, dir: Tensor) => this.directionalEvaluate(closure, x, step, dir);
        [loss, flatGrad, t, lsFuncEvals] = strongWolfe(m, obj, xInit, t, d, loss, flatGrad, gtd);
        this.addGrad(value(t), d);
        optCond = m.le(item(flatGrad.abs().max()), toleranceGrad);
      } else {
        this.addGrad(value(t), d);
        if (nIter !== maxIter) {
          loss = num(enableGrad(closure));
          flatGrad = this.gatherFlatGrad();
          optCond = m.le(item(flatGrad.abs().max()), toleranceGrad);
          lsFuncEvals = 1;
        }
      }
      currentEvals += lsFuncEvals;
      state.func_evals += lsFuncEvals;

      if (nIter === maxIter) break;
      if (currentEvals >= maxEval) break;
      if (optCond) break;
      if (m.le(item(d.mul(value(t)).abs().max()), toleranceChange)) break;
      if (Math.abs(loss - prevLoss) < toleranceChange) break;
    }

    state.d = d;
    state.t = value(t);
    state.old_dirs = oldDirs;
    state.old_stps = oldStps;
    state.ro = ro;
    state.H_diag = value(hDiag);
    state.prev_flat_grad = prevFlatGrad;
    state.prev_loss = prevLoss;
    return origLoss;
  }

  /** Python's 0-dim tensors (t, H_diag, ro, al) become numbers when a state dict is loaded. */
  protected importValue(param: Tensor, key: string, value: unknown): unknown {
    if ((key === 't' || key === 'H_diag' || key === 'prev_loss') && value instanceof Tensor) return value.item();
    if ((key === 'ro' || key === 'al') && Array.isArray(value)) return value.map((v) => (v instanceof Tensor ? v.item() : v));
    return super.importValue(param, key, value);
  }
}
