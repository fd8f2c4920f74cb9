// torch.func.grad and grad_and_value: the gradient of a scalar function with respect to some of its
// arguments, as a function that composes with vmap and with itself (grad(grad(f)), per-sample grads).
//   const dloss = torch.func.grad(loss);                 // loss(params, x, y) -> scalar
//   torch.func.vmap(dloss, [null, 0, 0])(params, xs, ys) // per-sample gradients
import { TorchError, pyType } from '../errors';
import { parse, type Rest } from '../keywords';
import { Tensor } from '../tensor/tensor';
import { enableGrad } from '../autograd/grad-mode';
import { disposeWrappersAt, pushGrad, withLayer } from './layers';
import { autogradGradOrZeros, createDifferentiable, undoCreateDifferentiable, wrapAllTensors } from './differentiable';
import { sliceArgnums, type Argnums } from './argnums';
import { keepName } from './names';
import { treeFlatten, treeUnflatten } from './pytree';

export interface GradOptions {
  /** the argument(s) to differentiate: an index or an array of them (default 0) */
  argnums?: Argnums;
  /** fn returns [output, aux]; aux comes back beside the gradient */
  hasAux?: boolean;
}
const POSITIONAL = ['argnums', 'hasAux'] as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Fn = (...args: any[]) => unknown;

/** One grad level around fn: [gradient (shaped like the argnums' arguments), output, aux]. */
function gradAndValueAt(fn: Fn, args: unknown[], argnums: Argnums, hasAux: boolean): [unknown, Tensor, unknown] {
  return withLayer('grad', pushGrad, (level) =>
    enableGrad(() => {
      const wrappedArgs = wrapAllTensors(args, level) as unknown[];
      try {
        const diffArgs = sliceArgnums(wrappedArgs, argnums, false);
        createDifferentiable(diffArgs);
        let output = fn(...wrappedArgs);
        let aux: unknown;
        if (hasAux) {
          if (!(Array.isArray(output) && output.length === 2)) {
            throw new TorchError('grad_and_value(f)(*args): output of function f should be a tuple: (output, aux) if has_aux is True');
          }
          [output, aux] = output;
        }
        if (!(output instanceof Tensor)) throw new TorchError(`grad_and_value(f)(*args): Expected f(*args) to return a Tensor, got ${pyType(output)}`);
        if (output.dim() !== 0) {
          throw new TorchError(
            `grad_and_value(f)(*args): Expected f(*args) to return a scalar Tensor, got tensor with ${output.dim()} dims. ` +
              'Maybe you wanted to use the vjp or jacrev APIs instead?',
          );
        }
        const [flatDiffArgs, spec] = treeFlatten(diffArgs);
        const flatGrads = autogradGradOrZeros([output], flatDiffArgs as Tensor[], null, false, true);
        const gradInput = undoCreateDifferentiable(treeUnflatten(flatGrads, spec), level);
        const value = undoCreateDifferentiable(output, level) as Tensor;
        const auxOut = hasAux ? undoCreateDifferentiable(aux, level) : undefined;
        disposeWrappersAt([...flatGrads, output], level);
        return [gradInput, value, auxOut];
      } finally {
        disposeWrappersAt(treeFlatten(wrappedArgs)[0], level);
      }
    }),
  );
}

function parseGrad(name: string, rest: readonly unknown[]): { argnums: Argnums; hasAux: boolean } {
  const o = parse<GradOptions>(name, rest, POSITIONAL);
  return { argnums: o.argnums ?? 0, hasAux: o.hasAux ?? false };
}

/**
 * torch.func.grad_and_value(fn, argnums = 0, hasAux = false): a function returning [gradient, value]
 * ([gradient, [value, aux]] with hasAux).
 */
export function gradAndValue(fn: Fn, ...rest: Rest<GradOptions, typeof POSITIONAL>): (...args: any[]) => any; // eslint-disable-line @typescript-eslint/no-explicit-any
export function gradAndValue(fn: Fn, ...rest: unknown[]): Fn {
  const { argnums, hasAux } = parseGrad('grad_and_value', rest);
  return keepName((...args: unknown[]) => {
    const [g, value, aux] = gradAndValueAt(fn, args, argnums, hasAux);
    return hasAux ? [g, [value, aux]] : [g, value];
  }, fn);
}

/**
 * torch.func.grad(fn, argnums = 0, hasAux = false): a function returning the gradient of fn (a
 * scalar) with respect to argument argnums ([gradient, aux] with hasAux). An array argnums gives
 * an array of gradients; a pytree argument (array or object of tensors) a gradient of that shape.
 */
export function grad(fn: Fn, ...rest: Rest<GradOptions, typeof POSITIONAL>): (...args: any[]) => any; // eslint-disable-line @typescript-eslint/no-explicit-any
export function grad(fn: Fn, ...rest: unknown[]): Fn {
  const { argnums, hasAux } = parseGrad('grad', rest);
  return keepName((...args: unknown[]) => {
    const [g, , aux] = gradAndValueAt(fn, args, argnums, hasAux);
    return hasAux ? [g, aux] : g;
  }, fn);
}
