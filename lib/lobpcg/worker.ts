// The LOBPCG iteration of torch/_lobpcg.py (class LOBPCG): Knyazev's locally optimal block
// preconditioned conjugate gradient for the k extreme eigenpairs of A x = lambda B x, in the 'basic'
// form or the 'ortho' form (Stathopoulos and Wu's robust orthogonalisation of the search basis).
// The state (iparams, fparams, bparams, ivars, fvars, bvars, tvars) keeps Python's keys, since a
// tracker callback reads it.
import { Tensor } from '../tensor/tensor';
import { eye, zeros } from '../tensor/create';
import { norm } from '../tensor/functions';
import { diagEmbed, linalgCholesky, linalgSolveTriangular } from '../ops/generated/functions';
import { slice } from '../tensor/indexing';
import { AssertionError, ValueError } from '../errors';
import { matmul, transpose } from '../linalg-lowrank/utils';
import { basis, qform, symeig } from './forms';

export type LobpcgTracker = (worker: LOBPCG) => void;

/** Columns a..b of a matrix, clamped as Python's slices are. */
const cols = (t: Tensor, a: number, b?: number): Tensor => t.index(':', slice(a, b ?? null));
/** Assigns into columns start.. of a matrix (Python's t[:, start:start + k] = v). */
const setCols = (t: Tensor, start: number, v: Tensor): void => {
  if (v.shape[1] > 0) t.narrow(1, start, v.shape[1]).copy_(v);
};
const num = (t: Tensor): number => t.item<number>();
/** The Frobenius norm, as torch.norm(x) with no other argument. */
const fro = (t: Tensor): Tensor => norm(t);

export class LOBPCG {
  A: Tensor | null;
  B: Tensor | null;
  iK: Tensor | null;
  iparams: Record<string, number>;
  fparams: Record<string, number>;
  bparams: Record<string, boolean>;
  method: string;
  tracker: LobpcgTracker | null;
  X: Tensor;
  E: Tensor;
  R: Tensor;
  S: Tensor;
  tvars: Record<string, Tensor> = {};
  ivars: Record<string, number> = { istep: 0 };
  fvars: Record<string, number> = { _: 0.0 };
  bvars: Record<string, boolean> = { _: false };

  constructor(
    A: Tensor | null,
    B: Tensor | null,
    X: Tensor,
    iK: Tensor | null,
    iparams: Record<string, number>,
    fparams: Record<string, number>,
    bparams: Record<string, boolean>,
    method: string,
    tracker: LobpcgTracker | null,
  ) {
    this.A = A;
    this.B = B;
    this.iK = iK;
    this.iparams = iparams;
    this.fparams = fparams;
    this.bparams = bparams;
    this.method = method;
    this.tracker = tracker;
    const { m, n } = iparams;
    const like = { dtype: X.dtype, device: X.device };
    this.X = X;
    this.E = zeros([n], like);
    this.R = zeros([m, n], like);
    this.S = zeros([m, 3 * n], like);
  }

  /** One step: the norms for the convergence test on the first, then a basic or ortho update. */
  update(): void {
    if (this.ivars.istep === 0) {
      const xNorm = num(fro(this.X));
      const ixNorm = xNorm ** -1;
      this.fvars.X_norm = xNorm;
      this.fvars.A_norm = num(fro(matmul(this.A, this.X))) * ixNorm;
      this.fvars.B_norm = num(fro(matmul(this.B, this.X))) * ixNorm;
      this.ivars.iterations_left = this.iparams.niter;
      this.ivars.converged_count = 0;
      this.ivars.converged_end = 0;
    }
    if (this.method === 'ortho') this._updateOrtho();
    else this._updateBasic();
    this.ivars.iterations_left -= 1;
    this.ivars.istep += 1;
  }

  updateResidual(): void {
    this.R = matmul(this.A, this.X).sub(matmul(this.B, this.X).mul(this.E));
  }

  /** How many leading eigenpairs have a relative residual below tol (never fewer than before). */
  updateConvergedCount(): number {
    const prev = this.ivars.converged_count;
    const { tol } = this.fparams;
    const { A_norm: aNorm, B_norm: bNorm } = this.fvars;
    const { E, X, R } = this;
    const scale = norm(X, 2, [0]).mul(E.index(slice(0, X.shape[1])).mul(bNorm).add(aNorm));
    const rerr = norm(R, 2, [0]).mul(scale.pow(-1));
    const converged = rerr.lt(tol).tolist() as boolean[];
    let count = 0;
    while (count < converged.length && converged[count]) count++;
    if (count < prev) throw new AssertionError(`the number of converged eigenpairs (was ${prev}, got ${count}) cannot decrease`);
    this.ivars.converged_count = count;
    this.tvars.rerr = rerr;
    return count;
  }

  stopIteration(): boolean {
    return this.bvars.force_stop === true || this.ivars.iterations_left === 0 || this.ivars.converged_count >= this.iparams.k;
  }

  run(): void {
    this.update();
    this.tracker?.(this);
    while (!this.stopIteration()) {
      this.update();
      this.tracker?.(this);
    }
  }

  private _updateBasic(): void {
    let ns = this.ivars.converged_end;
    let nc = this.ivars.converged_count;
    const { n } = this.iparams;
    const { largest } = this.bparams;
    let np: number;
    if (this.ivars.istep === 0) {
      const Ri = this._getRayleighRitzTransform(this.X);
      const M = qform(qform(this.A, this.X), Ri);
      const [E, Z] = symeig(M, largest);
      this.X.copy_(this.X.matmul(Ri.matmul(Z)));
      this.E.copy_(E);
      np = 0;
      this.updateResidual();
      nc = this.updateConvergedCount();
      setCols(this.S, 0, this.X);
      const W = matmul(this.iK, this.R);
      ns = this.ivars.converged_end = n + np + W.shape[1];
      setCols(this.S, n + np, W);
    } else {
      const S_ = cols(this.S, nc, ns);
      const Ri = this._getRayleighRitzTransform(S_);
      const M = qform(qform(this.A, S_), Ri);
      const [E_, Z] = symeig(M, largest);
      setCols(this.X, nc, S_.matmul(Ri.matmul(cols(Z, 0, n - nc))));
      this.E.narrow(0, nc, n - nc).copy_(E_.narrow(0, 0, n - nc));
      const P = S_.matmul(Ri.matmul(cols(Z, n, 2 * n - nc)));
      np = P.shape[1];
      this.updateResidual();
      nc = this.updateConvergedCount();
      setCols(this.S, 0, this.X);
      setCols(this.S, n, P);
      const W = matmul(this.iK, cols(this.R, nc));
      ns = this.ivars.converged_end = n + np + W.shape[1];
      setCols(this.S, n + np, W);
    }
  }

  private _updateOrtho(): void {
    let ns = this.ivars.converged_end;
    let nc = this.ivars.converged_count;
    const { n } = this.iparams;
    const { largest } = this.bparams;
    let np: number;
    if (this.ivars.istep === 0) {
      const Ri = this._getRayleighRitzTransform(this.X);
      const M = qform(qform(this.A, this.X), Ri);
      const [, Z] = symeig(M, largest);
      // (E stays zero in this first step, as in torch)
      this.X = this.X.matmul(Ri.matmul(Z));
      this.updateResidual();
      np = 0;
      nc = this.updateConvergedCount();
      setCols(this.S, 0, this.X);
      const W = this._getOrtho(this.R, this.X);
      ns = this.ivars.converged_end = n + np + W.shape[1];
      setCols(this.S, n + np, W);
    } else {
      const S_ = cols(this.S, nc, ns);
      const [E_, Z] = symeig(qform(this.A, S_), largest);
      setCols(this.X, nc, S_.matmul(cols(Z, 0, n - nc)));
      this.E.narrow(0, nc, n - nc).copy_(E_.narrow(0, 0, n - nc));
      const P = S_.matmul(cols(Z, n - nc).matmul(basis(transpose(Z.index(slice(null, n - nc), slice(n - nc, null))))));
      np = P.shape[1];
      this.updateResidual();
      nc = this.updateConvergedCount();
      setCols(this.S, 0, this.X);
      setCols(this.S, n, P);
      const W = this._getOrtho(cols(this.R, nc), cols(this.S, 0, n + np));
      ns = this.ivars.converged_end = n + np + W.shape[1];
      setCols(this.S, n + np, W);
    }
  }

  /** Ri with Ri^T (S^T B S) Ri = I, from a Cholesky factor of the diagonally scaled S^T B S. */
  private _getRayleighRitzTransform(S: Tensor): Tensor {
    const SBS = qform(this.B, S);
    const dRow = SBS.diagonal({ offset: 0, dim1: -2, dim2: -1 }).pow(-0.5);
    const dCol = dRow.reshape(dRow.shape[0], 1);
    const R = linalgCholesky(SBS.mul(dRow).mul(dCol), { upper: true });
    return linalgSolveTriangular(R, diagEmbed(dRow), { upper: true, left: false });
  }

  /** SVQB: B-orthonormal columns spanning U's, small eigen-directions dropped or lifted to tau. */
  private _getSvqb(U: Tensor, drop: boolean, tau: number): Tensor {
    if (U.numel() === 0) return U;
    let UBU = qform(this.B, U);
    let d = UBU.diagonal({ offset: 0, dim1: -2, dim2: -1 });
    let nz = d.abs().ne(0.0).nonzero().squeeze(1);
    if (nz.shape[0] < d.shape[0]) {
      U = U.indexSelect(1, nz);
      if (U.numel() === 0) return U;
      UBU = qform(this.B, U);
      d = UBU.diagonal({ offset: 0, dim1: -2, dim2: -1 });
      nz = d.abs().ne(0.0).nonzero().squeeze(1);
      if (nz.shape[0] !== d.shape[0]) throw new AssertionError('');
    }
    let dCol = d.pow(-0.5).reshape(d.shape[0], 1);
    const DUBUD = UBU.mul(dCol).mul(transpose(dCol));
    let [E, Z] = symeig(DUBUD);
    const t = tau * num(E.abs().max());
    if (drop) {
      const keep = E.gt(t).nonzero().squeeze(1);
      E = E.indexSelect(0, keep);
      Z = Z.indexSelect(1, keep);
      dCol = dCol.indexSelect(0, keep);
    } else {
      E.indexPut_([E.lt(t).nonzero().squeeze(1)], t);
    }
    return U.mul(transpose(dCol)).matmul(Z.mul(E.pow(-0.5)));
  }

  /** U made B-orthonormal and B-orthogonal to V, by repeated SVQB (Stathopoulos and Wu, 2002). */
  private _getOrtho(U: Tensor, V: Tensor): Tensor {
    const { m } = this.iparams;
    const tauOrtho = this.fparams.ortho_tol;
    const tauDrop = this.fparams.ortho_tol_drop;
    const tauReplace = this.fparams.ortho_tol_replace;
    const iMax = this.iparams.ortho_i_max;
    const jMax = this.iparams.ortho_j_max;
    const useDrop = this.bparams.ortho_use_drop;
    for (const key of Object.keys(this.fvars)) if (key.startsWith('ortho_') && key.endsWith('_rerr')) delete this.fvars[key];
    delete this.ivars.ortho_i;
    delete this.ivars.ortho_j;
    const BVNorm = fro(matmul(this.B, V));
    let BU = matmul(this.B, U);
    let VBU = transpose(V).matmul(BU);
    let i = 0;
    let j = 0;
    // i and j end as Python's loop variables do: at the break, else at the last value
    for (let ii = 0; ii < iMax; ii++) {
      i = ii;
      U = U.sub(V.matmul(VBU));
      let drop = false;
      let tauSvqb = tauDrop;
      for (let jj = 0; jj < jMax; jj++) {
        j = jj;
        if (useDrop) {
          U = this._getSvqb(U, drop, tauSvqb);
          drop = true;
          tauSvqb = tauReplace;
        } else {
          U = this._getSvqb(U, false, tauReplace);
        }
        if (U.numel() === 0) {
          this.ivars.ortho_i = i;
          this.ivars.ortho_j = j;
          return U;
        }
        BU = matmul(this.B, U);
        const UBU = transpose(U).matmul(BU);
        const UNorm = fro(U);
        const BUNorm = fro(BU);
        const R = UBU.sub(eye(UBU.shape[1], { device: UBU.device, dtype: UBU.dtype }));
        const rerr = num(fro(R)) * num(BUNorm.mul(UNorm)) ** -1;
        this.fvars[`ortho_UBUmI_rerr[${i}, ${j}]`] = rerr;
        if (rerr < tauOrtho) break;
      }
      VBU = transpose(V).matmul(BU);
      const rerr = num(fro(VBU)) * num(BVNorm.mul(fro(U))) ** -1;
      this.fvars[`ortho_VBU_rerr[${i}]`] = rerr;
      if (rerr < tauOrtho) break;
      if (m < U.shape[1] + V.shape[1]) {
        throw new ValueError(
          `Overdetermined shape of U: #B-cols(=${this.B!.shape[1]}) >= #U-cols(=${U.shape[1]}) + #V-cols(=${V.shape[1]}) must hold`,
        );
      }
    }
    this.ivars.ortho_i = i;
    this.ivars.ortho_j = j;
    return U;
  }
}
