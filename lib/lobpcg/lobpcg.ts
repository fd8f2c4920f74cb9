// torch.lobpcg(A, k, B, X, n, iK, niter, tol, largest, method, tracker, ortho_iparams, ortho_fparams,
// ortho_bparams): the k largest (or smallest) eigenpairs of the symmetric positive definite
// generalized problem A x = lambda B x by LOBPCG, batched over leading dimensions, the random start
// drawn from the default generator as torch draws it. With A requiring grad, A is symmetrised and
// the result differentiable (B = null only), as torch's LOBPCGAutogradFunction.
import { Tensor } from '../tensor/tensor';
import { empty, randn } from '../tensor/create';
import { float32, float64 } from '../tensor/dtype';
import { AutogradFunction, FunctionCtx } from '../autograd/function';
import { AssertionError, ValueError } from '../errors';
import { pySize } from '../py-format';
import { slice } from '../tensor/indexing';
import { ArgsOf, signature } from '../keywords';
import { floatingDtypeOf } from '../linalg-lowrank/utils';
import { LOBPCG, LobpcgTracker } from './worker';
import { symeigBackward } from './symeig-backward';

export interface LobpcgArgs {
  A: Tensor;
  k?: number | null;
  B?: Tensor | null;
  X?: Tensor | null;
  n?: number | null;
  iK?: Tensor | null;
  niter?: number | null;
  tol?: number | null;
  largest?: boolean | null;
  method?: 'ortho' | 'basic' | null;
  tracker?: LobpcgTracker | null;
  /** Python's keys: ortho_i_max, ortho_j_max */
  orthoIparams?: Record<string, number> | null;
  /** Python's keys: ortho_tol, ortho_tol_drop, ortho_tol_replace */
  orthoFparams?: Record<string, number> | null;
  /** Python's key: ortho_use_drop */
  orthoBparams?: Record<string, boolean> | null;
}
const LOBPCG_SIG = signature<LobpcgArgs>()(
  ['A'],
  ['k', 'B', 'X', 'n', 'iK', 'niter', 'tol', 'largest', 'method', 'tracker', 'orthoIparams', 'orthoFparams', 'orthoBparams'],
);

const shapeText = (s: number[]): string => `torch.Size([${s.join(', ')}])`;

/** The worker runs (one per batch matrix); returns the k eigenvalues and eigenvectors. */
function lobpcgImpl(a: LobpcgArgs): [Tensor, Tensor] {
  const { A } = a;
  const B = a.B ?? null;
  const X = a.X ?? null;
  if (A.shape[A.dim() - 2] !== A.shape[A.dim() - 1]) throw new AssertionError(pySize(A.shape));
  if (B !== null && B.shape.join() !== A.shape.join()) throw new AssertionError(`(${shapeText(A.shape)}, ${shapeText(B.shape)})`);
  const dtype = floatingDtypeOf(A);
  const device = A.device;
  const tol = a.tol ?? (dtype === float64 ? 2.23e-16 : dtype === float32 ? 1.2e-7 : NaN) ** 0.5;
  const m = A.shape[A.dim() - 1];
  const k = a.k ?? (X === null ? 1 : X.shape[X.dim() - 1]);
  const n = X === null ? a.n ?? k : X.shape[X.dim() - 1];
  if (m < 3 * n) {
    throw new ValueError(`LPBPCG algorithm is not applicable when the number of A rows (=${m}) is smaller than 3 x the number of requested eigenpairs (=${n})`);
  }
  const method = a.method ?? 'ortho';
  const iparams: Record<string, number> = { m, n, k, niter: a.niter ?? 1000 };
  const fparams: Record<string, number> = { tol };
  const bparams: Record<string, boolean> = { largest: a.largest ?? true };
  if (method === 'ortho') {
    Object.assign(iparams, a.orthoIparams ?? {});
    Object.assign(fparams, a.orthoFparams ?? {});
    Object.assign(bparams, a.orthoBparams ?? {});
    iparams.ortho_i_max ??= 3;
    iparams.ortho_j_max ??= 3;
    fparams.ortho_tol ??= tol;
    fparams.ortho_tol_drop ??= tol;
    fparams.ortho_tol_replace ??= tol;
    bparams.ortho_use_drop ??= false;
  }
  const iK = a.iK ?? null;
  const tracker = a.tracker ?? null;
  const checkX = (x: Tensor): void => {
    if (x.dim() !== 2 || x.shape[0] !== m || x.shape[1] !== n) throw new AssertionError(`(${shapeText(x.shape)}, (${m}, ${n}))`);
  };
  if (A.dim() > 2) {
    const batch = A.shape.slice(0, -2);
    const N = batch.reduce((p, q) => p * q, 1);
    const bA = A.reshape([N, m, m]);
    const bB = B && B.reshape([N, m, m]);
    const bX = X && X.reshape([N, ...X.shape.slice(-2)]);
    const bE = empty([N, k], { dtype, device });
    const bXret = empty([N, m, k], { dtype, device });
    for (let i = 0; i < N; i++) {
      const Xi = bX ? bX.select(0, i) : randn([m, n], { dtype, device });
      checkX(Xi);
      iparams.batch_index = i;
      const worker = new LOBPCG(bA.select(0, i), bB && bB.select(0, i), Xi, iK, iparams, fparams, bparams, method, tracker);
      worker.run();
      bE.select(0, i).copy_(worker.E.index(slice(null, k)));
      bXret.select(0, i).copy_(worker.X.index(':', slice(null, k)));
    }
    return [bE.reshape([...batch, k]), bXret.reshape([...batch, m, k])];
  }
  const X0 = X ?? randn([m, n], { dtype, device });
  checkX(X0);
  const worker = new LOBPCG(A, B, X0, iK, iparams, fparams, bparams, method, tracker);
  worker.run();
  return [worker.E.index(slice(null, k)), worker.X.index(':', slice(null, k))];
}

class LOBPCGAutogradFunction extends AutogradFunction {
  static forward(ctx: FunctionCtx, A: Tensor, B: Tensor | null, rest: LobpcgArgs): [Tensor, Tensor] {
    const a = A.isSparse ? A : A.contiguous();
    const b = B === null || B.isSparse ? B : B.contiguous();
    const [D, U] = lobpcgImpl({ ...rest, A: a, B: b });
    ctx.saveForBackward(a, b, D, U);
    ctx.largest = rest.largest ?? null;
    return [D, U];
  }
  static backward(ctx: FunctionCtx, DGrad: Tensor, UGrad: Tensor): [Tensor | null, null, null] {
    const [A, B, D, U] = ctx.savedTensors as [Tensor, Tensor | null, Tensor, Tensor];
    if (A.isSparse || (B !== null && B.isSparse && ctx.needsInputGrad[1])) {
      throw new ValueError('lobpcg.backward does not support sparse input yet.Note that lobpcg.forward does though.');
    }
    if (A.isComplex() || (B !== null && B.isComplex())) {
      throw new ValueError('lobpcg.backward does not support complex input yet.Note that lobpcg.forward does though.');
    }
    if (B !== null) throw new ValueError('lobpcg.backward does not support backward with B != I yet.');
    const largest = (ctx.largest as boolean | null) ?? true;
    return [symeigBackward(DGrad, UGrad, A, D, U, largest), null, null];
  }
}

/** torch.lobpcg: [E, X], the k eigenvalues (largest first unless largest is false) and their eigenvectors. */
export function lobpcg(...args: ArgsOf<typeof LOBPCG_SIG>): [Tensor, Tensor] {
  const a = LOBPCG_SIG.bind('lobpcg', args);
  const B = a.B ?? null;
  if (a.A.requiresGrad || (B !== null && B.requiresGrad)) {
    const Asym = a.A.add(a.A.mT).div(2);
    const Bsym = B === null ? null : B.add(B.mT).div(2);
    return LOBPCGAutogradFunction.apply(Asym, Bsym, a);
  }
  return lobpcgImpl(a);
}
