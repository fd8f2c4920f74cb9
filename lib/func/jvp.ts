// torch.func.jvp: fn's output and its directional derivative along `tangents` (Jacobian-vector
// product) by forward-mode AD; jacfwd maps it over a basis.
//   const [out, jvpOut] = torch.func.jvp(f, [x], [v]);
import { TorchError, pyType } from '../errors';
import { checkKeywords } from '../keywords';
import { Tensor } from '../tensor/tensor';
import * as torch from '../nn/functional/torch';
import { enterDualLevel, exitDualLevel, makeDual, unpackDual } from '../autograd/forward-ad';
import { pushJvp, withFwdGrad, withLayer } from './layers';
import { undoCreateDifferentiable, wrapAllTensors } from './differentiable';
import { replaceArgs, sliceArgnums, type Argnums } from './argnums';
import { checkTensorOutputs } from './vjp';
import { specRepr, specsEqual, treeFlatten, treeUnflatten } from './pytree';

const JVP_STR = 'jvp(f, primals, tangents)';

export interface JvpOptions {
  /** raise when an output does not depend on the inputs (default false: zero tangent) */
  strict?: boolean;
  /** fn returns [output, aux]; jvp then returns [output, jvpOut, aux] */
  hasAux?: boolean;
}
const JVP_KEYS = ['strict', 'hasAux'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Fn = (...args: any[]) => unknown;

/** Nested jvps share one forward-AD level (only the outermost enters it), as functorch's JVP_NESTING. */
let jvpNesting = 0;

function checkTensorList(flat: readonly unknown[], argname: string): void {
  if (flat.length === 0) throw new TorchError(`${JVP_STR}: Expected ${argname} to contain at least one Tensor.`);
  for (const x of flat) {
    if (!(x instanceof Tensor)) throw new TorchError(`${JVP_STR}: Expected ${argname} to only contain Tensors, got ${pyType(x)}`);
  }
}

function unpackTangent(dual: unknown, strict: boolean): [Tensor, Tensor] {
  if (!(dual instanceof Tensor)) throw new TorchError(`${JVP_STR}: expected f(*args) to return only tensors, got unsupported type ${pyType(dual)}`);
  const { primal, tangent } = unpackDual(dual);
  if (tangent === null) {
    if (strict) {
      throw new TorchError(
        'jvp(f, primals, tangents, strict=True): The output of f is independent of the inputs. This is not allowed with strict=True.',
      );
    }
    return [primal, torch.zerosLike(primal)];
  }
  return [primal, tangent];
}

/** Runs fn inside the forward-AD level: entered here for the outermost jvp, shared by nested ones. */
function inDualLevel<T>(fn: () => T): T {
  jvpNesting++;
  const outermost = jvpNesting === 1;
  try {
    if (outermost) enterDualLevel();
    try {
      return fn();
    } finally {
      if (outermost) exitDualLevel();
    }
  } finally {
    jvpNesting--;
  }
}

/** Python's _jvp_with_argnums: jvp along all primals (argnums null) or the selected ones. */
export function jvpWithArgnums(fn: Fn, primals: unknown, tangents: unknown, argnums: Argnums | null, strict: boolean, hasAux: boolean): unknown[] {
  if (!Array.isArray(primals)) {
    throw new TorchError(`${JVP_STR}: Expected primals to be a tuple. E.g. it should be valid to call f(*primals).`);
  }
  const diffArgs = argnums === null ? primals : sliceArgnums(primals, argnums);
  const [flatPrimals, primalsSpec] = treeFlatten(diffArgs);
  const [flatTangents, tangentsSpec] = treeFlatten(tangents);
  if (!specsEqual(primalsSpec, tangentsSpec)) {
    throw new TorchError(
      `${JVP_STR}: Expected primals and tangents to have the same python structure. For example, if primals is a tuple of 3 ` +
        `tensors, tangents also must be. Got primals with structure ${specRepr(primalsSpec)} and tangents with structure ${specRepr(tangentsSpec)}`,
    );
  }
  checkTensorList(flatPrimals, 'primals');
  checkTensorList(flatTangents, 'tangents');
  return withLayer('jvp', pushJvp, (level) =>
    inDualLevel(() =>
      withFwdGrad(() => {
        const flatDuals = flatPrimals.map((p, i) => makeDual(p as Tensor, flatTangents[i] as Tensor));
        let duals = treeUnflatten(flatDuals, primalsSpec) as unknown[];
        if (argnums !== null) {
          const wrapped = wrapAllTensors(primals, level) as unknown[];
          duals = replaceArgs(wrapped, typeof argnums === 'number' ? [duals[0]] : duals, argnums);
        }
        let resultDuals = fn(...duals);
        let aux: unknown;
        if (hasAux) {
          if (!(Array.isArray(resultDuals) && resultDuals.length === 2)) {
            throw new TorchError(`${JVP_STR}: output of function f should be a tuple: (output, aux) if has_aux is True`);
          }
          [resultDuals, aux] = resultDuals;
          aux = undoCreateDifferentiable(aux, level);
        }
        const [flatResults, spec] = treeFlatten(resultDuals);
        checkTensorOutputs(flatResults, JVP_STR);
        const pairs = flatResults.map((d) => unpackTangent(d, strict));
        const primalsOut = pairs.map(([p]) => undoCreateDifferentiable(p, level));
        const tangentsOut = pairs.map(([, t]) => undoCreateDifferentiable(t, level));
        const out = [treeUnflatten(primalsOut, spec), treeUnflatten(tangentsOut, spec)];
        return hasAux ? [...out, aux] : out;
      }),
    ),
  );
}

/**
 * torch.func.jvp(fn, primals, tangents, { strict, hasAux }): [fn(...primals), its derivative along
 * tangents] ([..., aux] with hasAux). primals is an array of arguments, tangents shaped like it.
 */
export function jvp(fn: Fn, primals: unknown[], tangents: unknown[], options: JvpOptions = {}): any[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  checkKeywords('jvp', options, JVP_KEYS);
  return jvpWithArgnums(fn, primals, tangents, null, options.strict ?? false, options.hasAux ?? false);
}
