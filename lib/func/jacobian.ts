// torch.func.jacrev, jacfwd and hessian: whole Jacobians by vmapping vjp (reverse mode) or jvp
// (forward mode) over the standard basis, shaped output.shape + input.shape per (output, input).
//   torch.func.jacrev(f)(x); torch.func.jacfwd(f, [0, 1])(x, y); torch.func.hessian(f)(x)
import { signature, type ArgsOf } from '../keywords';
import { Tensor } from '../tensor/tensor';
import '../ops/generated/methods'; // the Tensor methods used here (newZeros, diagonal, movedim, unflatten)
import type { Randomness } from './layers';
import { vmap } from './vmap';
import { vjpWithArgnums, type VjpFn } from './vjp';
import { jvpWithArgnums } from './jvp';
import { sliceArgnums, type Argnums } from './argnums';
import { treeFlatten, treeUnflatten } from './pytree';
import { keepName } from './names';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Fn = (...args: any[]) => any;

/** Python's _construct_standard_basis_for: per tensor, rows of the identity over all their elements together. */
function standardBasis(tensors: Tensor[], numels: number[]): Tensor[] {
  const total = numels.reduce((a, b) => a + b, 0);
  let start = 0;
  return tensors.map((t, i) => {
    const chunk = t.newZeros([total, numels[i]]);
    chunk.diagonal(-start).fill_(1);
    start += numels[i];
    return chunk.view([total, ...t.shape]);
  });
}

interface JacrevArgs {
  func: Fn;
  argnums?: Argnums;
  hasAux?: boolean;
}
const JACREV = signature<JacrevArgs>()(['func'], ['argnums'], ['hasAux']);

/**
 * torch.func.jacrev(fn, argnums = 0, { hasAux }): the Jacobian of fn with respect to argument(s)
 * argnums by reverse-mode AD, nested as fn's outputs, then (for an array argnums) the arguments.
 */
export function jacrev(...args: ArgsOf<typeof JACREV>): Fn {
  const { func, argnums = 0, hasAux = false } = JACREV.bind('jacrev', args);
  return keepName((...primals: unknown[]) => {
    const vjpOut = vjpWithArgnums(func, primals, argnums, hasAux);
    const [output, vjpFn, aux] = vjpOut as [unknown, VjpFn, unknown];
    const [flatOutput, outputSpec] = treeFlatten(output) as [Tensor[], ReturnType<typeof treeFlatten>[1]];
    const numels = flatOutput.map((o) => o.numel());
    const basis = treeUnflatten(standardBasis(flatOutput, numels), outputSpec);
    const results = vmap((cotangents: unknown) => vjpFn(cotangents))(basis);
    const [flatPrimals, primalsSpec] = treeFlatten(sliceArgnums(primals, argnums));
    const [flatResults] = treeFlatten(results) as [Tensor[], unknown];
    // per input, the rows of each output; then regrouped per output
    const perInput = flatResults.map((r, j) =>
      r.split(numels, 0).map((part, k) => part.view([...flatOutput[k].shape, ...(flatPrimals[j] as Tensor).shape])),
    );
    const perOutput = flatOutput.map((_, k) => {
      const ins = treeUnflatten(perInput.map((parts) => parts[k]), primalsSpec) as unknown[];
      return typeof argnums === 'number' ? ins[0] : ins;
    });
    const jac = treeUnflatten(perOutput, outputSpec);
    return hasAux ? [jac, aux] : jac;
  }, func);
}

/** Python's safe_unflatten: the last dim unflattened to shape (a 0-d input drops it). */
function unflattenLast(t: Tensor, shape: number[]): Tensor {
  return shape.length === 0 ? t.squeeze(-1) : t.unflatten(-1, shape);
}

interface JacfwdArgs {
  func: Fn;
  argnums?: Argnums;
  hasAux?: boolean;
  randomness?: Randomness;
}
const JACFWD = signature<JacfwdArgs>()(['func'], ['argnums', 'hasAux'], ['randomness']);

/**
 * torch.func.jacfwd(fn, argnums = 0, hasAux = false, { randomness }): the Jacobian by forward-mode
 * AD, laid out as jacrev's.
 */
export function jacfwd(...args: ArgsOf<typeof JACFWD>): Fn {
  const { func, argnums = 0, hasAux = false, randomness = 'error' } = JACFWD.bind('jacfwd', args);
  return keepName((...primalArgs: unknown[]) => {
    const primals = sliceArgnums(primalArgs, argnums);
    const [flatPrimals, primalsSpec] = treeFlatten(primals) as [Tensor[], ReturnType<typeof treeFlatten>[1]];
    const numels = flatPrimals.map((p) => p.numel());
    const basis = treeUnflatten(standardBasis(flatPrimals, numels), primalsSpec);
    const pushJvp = (tangents: unknown): unknown => {
      const out = jvpWithArgnums(func, primalArgs, tangents, argnums, false, hasAux);
      return hasAux ? [out[1], out[2]] : out[1];
    };
    let results = vmap(pushJvp, { randomness })(basis);
    let aux: unknown;
    if (hasAux) {
      [results, aux] = results as [unknown, unknown];
      const [flatAux, auxSpec] = treeFlatten(aux);
      aux = treeUnflatten((flatAux as Tensor[]).map((a) => a.select(0, 0)), auxSpec);
    }
    const [jacOuts, spec] = treeFlatten(results) as [Tensor[], ReturnType<typeof treeFlatten>[1]];
    const perOutput = jacOuts.map((jacOut) => {
      const parts = jacOut.movedim(0, -1).split(numels, -1);
      const ins = treeUnflatten(parts.map((part, j) => unflattenLast(part, flatPrimals[j].shape)), primalsSpec) as unknown[];
      return typeof argnums === 'number' ? ins[0] : ins;
    });
    const jac = treeUnflatten(perOutput, spec);
    return hasAux ? [jac, aux] : jac;
  }, func);
}

/** torch.func.hessian(fn, argnums = 0): jacfwd(jacrev(fn, argnums), argnums). */
export function hessian(func: Fn, argnums: Argnums = 0): Fn {
  return jacfwd(jacrev(func, argnums), argnums);
}
