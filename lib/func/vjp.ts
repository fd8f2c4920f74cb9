// torch.func.vjp: fn's output and a function pulling cotangents back to fn's inputs
// (vector-Jacobian products); jacrev maps that function over a basis.
//   const [out, vjpFn] = torch.func.vjp(f, x);  const [dx] = vjpFn(torch.onesLike(out));
import { TorchError, pyType } from '../errors';
import { checkKeywords } from '../keywords';
import { Tensor } from '../tensor/tensor';
import { enableGrad, isGradEnabled } from '../autograd/grad-mode';
import { pushGrad, withLayer } from './layers';
import { autogradGradOrZeros, createDifferentiable, undoCreateDifferentiable, wrapAllTensors } from './differentiable';
import { sliceArgnums, type Argnums } from './argnums';
import { specPprint, specsEqual, treeFlatten, treeUnflatten } from './pytree';

export interface VjpFnOptions {
  /** keep the graph for another call (default true) */
  retainGraph?: boolean;
  /** make the result differentiable (default: whether grad mode is on) */
  createGraph?: boolean | null;
}
const VJP_FN_KEYS = ['retainGraph', 'createGraph'];

/** The pullback vjp returns: cotangents shaped like fn's output -> gradients shaped like the primals. */
export type VjpFn = (cotangents: unknown, options?: VjpFnOptions) => any; // eslint-disable-line @typescript-eslint/no-explicit-any

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Fn = (...args: any[]) => unknown;

/** functorch's assert_non_empty_tensor_output. */
export function checkTensorOutputs(flat: readonly unknown[], api: string): void {
  if (flat.length < 1 || (flat.length === 1 && (flat[0] === null || flat[0] === undefined))) {
    throw new TorchError(`${api}: Expected f to be a function that has non-empty output (got output = ${flat.length ? '[None]' : '[]'})`);
  }
  for (const o of flat) {
    if (!(o instanceof Tensor)) throw new TorchError(`${api}: expected f(*primals) to return only tensors, got unsupported type ${pyType(o)}`);
  }
}

/** Python's _vjp_with_argnums: vjp with respect to all primals (argnums null) or the selected ones. */
export function vjpWithArgnums(fn: Fn, primals: unknown[], argnums: Argnums | null, hasAux: boolean): unknown[] {
  return withLayer('grad', pushGrad, (level) =>
    enableGrad(() => {
      const wrapped = wrapAllTensors(primals, level) as unknown[];
      let diffPrimals: unknown;
      if (argnums === null) {
        diffPrimals = wrapped;
      } else {
        diffPrimals = sliceArgnums(wrapped, argnums, false);
      }
      createDifferentiable(diffPrimals);
      let primalsOut = fn(...wrapped);
      let aux: unknown;
      if (hasAux) {
        if (!(Array.isArray(primalsOut) && primalsOut.length === 2)) {
          throw new TorchError('vjp(f, *primals): output of function f should be a tuple: (output, aux) if has_aux is True');
        }
        [primalsOut, aux] = primalsOut;
        aux = undoCreateDifferentiable(aux, level);
      }
      const [flatOut, outSpec] = treeFlatten(primalsOut);
      checkTensorOutputs(flatOut, 'vjp(f, *primals)');
      const [flatDiff, primalsSpec] = treeFlatten(diffPrimals);
      const results = undoCreateDifferentiable(primalsOut, level);
      for (const o of flatOut as Tensor[]) {
        if (!(o.dtype.isFloatingPoint || o.dtype.isComplex)) {
          throw new TorchError(`vjp(f, ...): All outputs of f must be floating-point or complex Tensors, got Tensor with dtype ${o.dtype}`);
        }
      }
      // runs after the level is gone: its wrappers then behave as plain tensors of an ordinary graph
      const vjpFn: VjpFn = (cotangents, options) => {
        checkKeywords('vjp_fn', options, VJP_FN_KEYS);
        const retainGraph = options?.retainGraph ?? true;
        const createGraph = options?.createGraph ?? isGradEnabled();
        const [flatCot, cotSpec] = treeFlatten(cotangents);
        if (!specsEqual(outSpec, cotSpec)) {
          throw new TorchError(
            'Expected pytree structure of cotangents to be the same as pytree structure of outputs to the function. ' +
              `cotangents: ${specPprint(cotSpec)}, primal output: ${specPprint(outSpec)}`,
          );
        }
        const grads = autogradGradOrZeros(flatOut as Tensor[], flatDiff as Tensor[], flatCot as Tensor[], retainGraph, createGraph);
        return treeUnflatten(grads, primalsSpec);
      };
      return hasAux ? [results, vjpFn, aux] : [results, vjpFn];
    }),
  );
}

export interface VjpOptions {
  /** fn returns [output, aux]; vjp then returns [output, vjpFn, aux] */
  hasAux?: boolean;
}

/**
 * torch.func.vjp(fn, ...primals, { hasAux }): [fn(...primals), vjpFn] where vjpFn(cotangents)
 * returns the gradients of fn's output against the cotangents, one per primal (an array).
 * A trailing plain object is vjp's options, as Python's keyword has_aux.
 */
export function vjp(fn: Fn, ...primalsAndOptions: unknown[]): any[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  let primals = primalsAndOptions;
  let hasAux = false;
  const last = primals[primals.length - 1];
  if (primals.length > 0 && last !== null && typeof last === 'object' && !Array.isArray(last) && !(last instanceof Tensor) && 'hasAux' in last) {
    checkKeywords('vjp', last, ['hasAux']);
    hasAux = Boolean((last as VjpOptions).hasAux);
    primals = primals.slice(0, -1);
  }
  return vjpWithArgnums(fn, primals, null, hasAux);
}
