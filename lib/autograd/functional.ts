// torch.autograd.functional: jacobian, hessian, vjp, jvp, vhp, hvp, as PyTorch 1.13's
// torch/autograd/functional.py (same checks, messages, shapes and grad-mode handling).
//
// A Python tuple of tensors is an array here: `inputs` is a Tensor or an array of Tensors, func
// receives them spread (func(...inputs)) and returns a Tensor or an array of Tensors; results are
// shaped the same way (a Tensor where Python returns one, arrays where Python returns tuples).
//
// vectorize: PyTorch batches the engine calls with its vmap prototype (autograd.grad's
// is_grads_batched, forward AD under vmap). libtorch 1.13's C++ engine has no batched grad, so
// here vectorize runs the same computation one basis vector at a time (grad's isGradsBatched
// loop; for strategy 'forward-mode', one forward-AD pass per input element): the same values
// and the same argument checks as PyTorch, without the speed-up.
import { TorchError, pyType } from '../errors';
import { bind, Rest } from '../keywords';
import { Tensor } from '../tensor/tensor';
import { zerosLike } from '../tensor/create';
import { stack } from '../tensor/functions';
import { grad } from './grad';
import { enableGrad, isGradEnabled, setGradEnabled } from './grad-mode';
import { dualLevel, makeDual, unpackDual } from './forward-ad';
import { pySize } from '../py-format';

/** A Tensor or a tuple (array) of Tensors: the inputs given to func. */
export type Inputs = Tensor | readonly Tensor[];
/** What func returns: a Tensor or a tuple (array) of Tensors. */
export type Outputs = Tensor | readonly Tensor[];
/** The function to differentiate: takes the inputs spread, as Python's func(*inputs). */
export type Func<O extends Outputs = Outputs> = (...inputs: Tensor[]) => O;

/** `T` where X is a single Tensor, `T[]` where X is a tuple (array). */
export type Like<X, T = Tensor> = X extends Tensor ? T : T[];

export type Strategy = 'reverse-mode' | 'forward-mode';

export interface JacobianOptions {
  /** compute the result in a differentiable way */
  createGraph?: boolean;
  /** raise when an output does not depend on an input instead of returning zeros */
  strict?: boolean;
  /** PyTorch batches the engine calls with vmap; here the same values, one call per row (see top) */
  vectorize?: boolean;
  /** 'reverse-mode' (default) or 'forward-mode' (needs vectorize: true, as in PyTorch) */
  strategy?: Strategy;
}

export interface HessianOptions {
  createGraph?: boolean;
  strict?: boolean;
  vectorize?: boolean;
  /** the mode of the outer Jacobian (the inner one is reverse mode) */
  outerJacobianStrategy?: Strategy;
}

export interface ProductOptions {
  /** the vector of the product (may be left out when it would have a single element) */
  v?: Inputs | null;
  createGraph?: boolean;
  strict?: boolean;
}

const JACOBIAN_ARGS = ['createGraph', 'strict', 'vectorize', 'strategy'] as const;
const HESSIAN_ARGS = ['createGraph', 'strict', 'vectorize', 'outerJacobianStrategy'] as const;
const PRODUCT_ARGS = ['v', 'createGraph', 'strict'] as const;

type Bound<O> = O & { func: Func; inputs: unknown };

// ---- helpers (functional.py's) ---------------------------------------------------------------


/** _as_tuple(inp, arg_name, fn_name): [was it a tuple, the tensors]. */
function asTuple(inp: unknown, argName: string, fnName: string): [boolean, Tensor[]] {
  const isTuple = Array.isArray(inp);
  const items: unknown[] = isTuple ? [...(inp as unknown[])] : [inp];
  items.forEach((el, i) => {
    if (el instanceof Tensor) return;
    if (isTuple) {
      throw new TorchError(
        `The ${argName} given to ${fnName} must be either a Tensor or a tuple of Tensors but the value at index ${i} has type ${pyType(el, 'tuple')}.`,
      );
    }
    throw new TorchError(`The ${argName} given to ${fnName} must be either a Tensor or a tuple of Tensors but the given ${argName} has type ${pyType(el, 'tuple')}.`);
  });
  return [isTuple, items as Tensor[]];
}

/** _tuple_postprocess: undoes the tupling of results (one flag, or [outer, inner] for nested ones). */
function tuplePostprocess(res: unknown[], toUnpack: boolean | [boolean, boolean]): unknown {
  if (Array.isArray(toUnpack)) {
    let out: unknown = res;
    if (!toUnpack[1]) out = (out as unknown[][]).map((el) => el[0]);
    if (!toUnpack[0]) out = (out as unknown[])[0];
    return out;
  }
  return toUnpack ? res : res[0];
}

/** _grad_preprocess: new tensor objects for the inputs, requiring grad when needGraph. */
function gradPreprocess(inputs: Tensor[], createGraph: boolean, needGraph: boolean): Tensor[] {
  return inputs.map((inp) => (createGraph && inp.requiresGrad ? inp.viewAs(inp) : inp.detach().requiresGrad_(needGraph)));
}

type Nested = Tensor | Nested[];

/** _grad_postprocess: detaches results unless createGraph. */
function gradPostprocess<T extends Nested[]>(inputs: T, createGraph: boolean): T {
  if (inputs[0] instanceof Tensor) return (createGraph ? inputs : inputs.map((t) => (t as Tensor).detach())) as T;
  return inputs.map((inp) => gradPostprocess(inp as Nested[], createGraph)) as T;
}


/** _validate_v */
function validateV(v: Tensor[], other: Tensor[], isOtherTuple: boolean): void {
  if (other.length !== v.length) {
    if (isOtherTuple) throw new TorchError(`v is a tuple of invalid length: should be ${other.length} but got ${v.length}.`);
    throw new TorchError('The given v should contain a single Tensor.');
  }
  v.forEach((elV, idx) => {
    const elOther = other[idx];
    const a = elV.shape, b = elOther.shape;
    if (a.length !== b.length || a.some((s, d) => s !== b[d])) {
      const prepend = isOtherTuple ? `Entry ${idx} in ` : '';
      throw new TorchError(`${prepend}v has invalid size: should be ${pySize(elOther.shape)} but got ${pySize(elV.shape)}.`);
    }
  });
}

type InputType = 'outputs' | 'grad_inputs' | 'jacobian' | 'hessian';

/** _check_requires_grad: strict mode's checks. */
function checkRequiresGrad(inputs: (Tensor | null)[], inputType: InputType, strict: boolean): void {
  if (!strict) return;
  inputs.forEach((inp, i) => {
    if (inp === null) {
      throw new TorchError(`The output of the user-provided function is independent of input ${i}. This is not allowed in strict mode.`);
    }
    if (inp.requiresGrad) return;
    if (inputType === 'hessian') {
      throw new TorchError(
        `The hessian of the user-provided function with respect to input ${i} is independent of the input. This is not allowed in strict mode. ` +
          'You should ensure that your function is thrice differentiable and that the hessian depends on the inputs.',
      );
    } else if (inputType === 'jacobian') {
      throw new TorchError(
        'While computing the hessian, found that the jacobian of the user-provided function with respect to input ' +
          `${i} is independent of the input. This is not allowed in strict mode. You should ensure that your function is twice ` +
          'differentiable and that the jacobian depends on the inputs (this would be violated by a linear function for example).',
      );
    } else if (inputType === 'grad_inputs') {
      throw new TorchError(`The gradient with respect to input ${i} is independent of the inputs of the user-provided function. This is not allowed in strict mode.`);
    } else {
      throw new TorchError(
        `Output ${i} of the user-provided function does not require gradients. The outputs must be computed in a differentiable manner from the input when running in strict mode.`,
      );
    }
  });
}

/** _autograd_grad: autograd.grad that skips outputs that are null or do not require grad. */
function autogradGrad(
  outputs: (Tensor | null)[],
  inputs: Tensor[],
  gradOutputs: (Tensor | null)[] | null = null,
  createGraph = false,
  retainGraph: boolean | null = null,
  isGradsBatched = false,
): (Tensor | null)[] {
  const gos = gradOutputs ?? outputs.map(() => null);
  const newOutputs: Tensor[] = [];
  const newGradOutputs: (Tensor | null)[] = [];
  outputs.forEach((out, i) => {
    if (out !== null && out.requiresGrad) {
      newOutputs.push(out);
      newGradOutputs.push(gos[i]);
    }
  });
  if (newOutputs.length === 0) return inputs.map(() => null);
  return grad(newOutputs, inputs, newGradOutputs, { allowUnused: true, createGraph, retainGraph, isGradsBatched });
}

type Stage = 'back' | 'back_trick' | 'double_back' | 'double_back_trick';

/** _fill_in_zeros: zeros for missing gradients, or strict mode's errors. */
function fillInZeros(grads: (Tensor | null)[], refs: Tensor[], strict: boolean, createGraph: boolean, stage: Stage): Tensor[] {
  return grads.map((g, i) => {
    if (g === null) {
      if (strict) {
        if (stage === 'back') {
          throw new TorchError(`The output of the user-provided function is independent of input ${i}. This is not allowed in strict mode.`);
        } else if (stage === 'back_trick') {
          throw new TorchError(
            `The gradient with respect to the input is independent of entry ${i} in the grad_outputs when using the double backward trick to compute forward mode gradients. This is not allowed in strict mode.`,
          );
        } else if (stage === 'double_back') {
          throw new TorchError(`The jacobian of the user-provided function is independent of input ${i}. This is not allowed in strict mode.`);
        } else {
          throw new TorchError(
            `The hessian of the user-provided function is independent of entry ${i} in the grad_jacobian. This is not allowed in strict mode as it prevents from using the double backward trick to replace forward mode AD.`,
          );
        }
      }
      return zerosLike(refs[i]);
    }
    if (strict && createGraph && !g.requiresGrad) {
      if (!stage.includes('double')) {
        throw new TorchError(`The jacobian of the user-provided function is independent of input ${i}. This is not allowed in strict mode when create_graph=True.`);
      }
      throw new TorchError(`The hessian of the user-provided function is independent of input ${i}. This is not allowed in strict mode when create_graph=True.`);
    }
    return g;
  });
}

/** _construct_standard_basis_for: the N x N identity (N = sum of numels) split by columns per tensor. */
function standardBasisFor(tensors: Tensor[], numels: number[]): Tensor[] {
  const total = numels.reduce((a, b) => a + b, 0);
  const chunks = tensors.map((t, i) => t.newZeros([total, numels[i]]));
  let diagStart = 0;
  chunks.forEach((chunk, i) => {
    chunk.diagonal(diagStart).fill_(1);
    diagStart -= numels[i];
  });
  return chunks;
}

// ---- vjp / jvp -------------------------------------------------------------------------------

/**
 * torch.autograd.functional.vjp(func, inputs, v?, createGraph?, strict?): [func(...inputs), v^T J].
 * v may be left out when func returns a single one-element Tensor.
 */
export function vjp<O extends Outputs, I extends Inputs>(func: Func<O>, inputs: I, ...rest: Rest<ProductOptions, typeof PRODUCT_ARGS>): [Like<O>, Like<I>] {
  const a = bind<Bound<ProductOptions>>('vjp', [func, inputs, ...rest], ['func', 'inputs'], PRODUCT_ARGS);
  const createGraph = a.createGraph ?? false;
  const strict = a.strict ?? false;
  const [ins, isInputsTuple, outs, isOutputsTuple, v] = enableGrad(() => {
    const [isInputsTuple, raw] = asTuple(a.inputs, 'inputs', 'vjp');
    const ins = gradPreprocess(raw, createGraph, true);
    const [isOutputsTuple, outs] = asTuple(a.func(...ins), 'outputs of the user-provided function', 'vjp');
    checkRequiresGrad(outs, 'outputs', strict);
    let v: Tensor[] | null = null;
    if (a.v != null) {
      v = gradPreprocess(asTuple(a.v, 'v', 'vjp')[1], createGraph, false);
      validateV(v, outs, isOutputsTuple);
    } else if (outs.length !== 1 || outs[0].numel() !== 1) {
      throw new TorchError('The vector v can only be None if the user-provided function returns a single Tensor with a single element.');
    }
    return [ins, isInputsTuple, outs, isOutputsTuple, v] as const;
  });
  const result = setGradEnabled(createGraph ? true : isGradEnabled(), () => {
    const gradRes = autogradGrad(outs, ins, v, createGraph);
    return fillInZeros(gradRes, ins, strict, createGraph, 'back');
  });
  return [
    tuplePostprocess(gradPostprocess(outs, createGraph), isOutputsTuple),
    tuplePostprocess(gradPostprocess(result, createGraph), isInputsTuple),
  ] as [Like<O>, Like<I>];
}

/**
 * torch.autograd.functional.jvp(func, inputs, v?, createGraph?, strict?): [func(...inputs), J v],
 * computed, as PyTorch 1.13 does, with the double-backward trick.
 */
export function jvp<O extends Outputs, I extends Inputs>(func: Func<O>, inputs: I, ...rest: Rest<ProductOptions, typeof PRODUCT_ARGS>): [Like<O>, Like<O>] {
  const a = bind<Bound<ProductOptions>>('jvp', [func, inputs, ...rest], ['func', 'inputs'], PRODUCT_ARGS);
  const createGraph = a.createGraph ?? false;
  const strict = a.strict ?? false;
  const [outs, isOutputsTuple, v, gradOutputs, gradInputs] = enableGrad(() => {
    const [isInputsTuple, raw] = asTuple(a.inputs, 'inputs', 'jvp');
    const ins = gradPreprocess(raw, createGraph, true);
    let v: Tensor[] | null = null;
    if (a.v != null) {
      v = gradPreprocess(asTuple(a.v, 'v', 'jvp')[1], createGraph, false);
      validateV(v, ins, isInputsTuple);
    } else if (ins.length !== 1 || ins[0].numel() !== 1) {
      throw new TorchError('The vector v can only be None if the input to the user-provided function is a single Tensor with a single element.');
    }
    const [isOutputsTuple, outs] = asTuple(a.func(...ins), 'outputs of the user-provided function', 'jvp');
    checkRequiresGrad(outs, 'outputs', strict);
    // the backward is linear in grad_outputs: their value does not matter (only no inf or nan)
    const gradOutputs = outs.map((out) => zerosLike(out, { requiresGrad: true }));
    const gradInputs = autogradGrad(outs, ins, gradOutputs, true);
    checkRequiresGrad(gradInputs, 'grad_inputs', strict);
    return [outs, isOutputsTuple, v, gradOutputs, gradInputs] as const;
  });
  const trick = (): Tensor[] => fillInZeros(autogradGrad(gradInputs, gradOutputs, v, createGraph), outs, strict, createGraph, 'back_trick');
  const result = createGraph ? enableGrad(trick) : trick();
  return [
    tuplePostprocess(gradPostprocess(outs, createGraph), isOutputsTuple),
    tuplePostprocess(gradPostprocess(result, createGraph), isOutputsTuple),
  ] as [Like<O>, Like<O>];
}

// ---- jacobian / hessian ----------------------------------------------------------------------

/** _jacfwd: the Jacobian with forward-mode AD, one dual pass per input element. */
function jacfwd(func: Func, inputs: unknown, strict: boolean, vectorize: boolean): unknown {
  if (strict) {
    throw new TorchError(
      'torch.autograd.functional.jacobian: `strict=True` and `strategy="forward-mode"` are not supported together (yet). ' +
        'Please either set `strict=False` or `strategy="reverse-mode"`.',
    );
  }
  const [isInputsTuple, ins] = asTuple(inputs, 'inputs', 'jacobian');
  if (!vectorize) {
    throw new TorchError('Computing Jacobian using forward-AD or forward-over-reverse Hessian isonly implemented for `vectorize=True`.');
  }
  const inputNumels = ins.map((t) => t.numel());
  const tangents = standardBasisFor(ins, inputNumels);
  const total = inputNumels.reduce((x, y) => x + y, 0);
  let isOutputsTuple = false;
  let primals: Tensor[] = [];
  const columns: Tensor[][] = []; // columns[k][i]: J_i e_k
  for (let k = 0; k < total; k++) {
    dualLevel(() => {
      const duals = ins.map((inp, i) => makeDual(inp, tangents[i].select(0, k).viewAs(inp)));
      const [isTuple, outs] = asTuple(func(...duals), 'outputs', 'None');
      isOutputsTuple = isTuple;
      const jv: Tensor[] = [];
      primals = [];
      for (const out of outs) {
        const { primal, tangent } = unpackDual(out);
        primals.push(primal);
        jv.push(tangent ?? zerosLike(primal));
      }
      columns.push(jv);
    });
  }
  const perOutput = primals.map((_, i) => stack(columns.map((c) => c[i]), 0));
  const jac = perOutput.map((j, i) =>
    j.split(inputNumels, 0).map((part, k) => {
      const dims = [...Array(part.dim()).keys()];
      return part.permute([...dims.slice(1), 0]).reshape([...primals[i].shape, ...ins[k].shape]);
    }),
  );
  return tuplePostprocess(jac, [isOutputsTuple, isInputsTuple]);
}

/**
 * torch.autograd.functional.jacobian(func, inputs, createGraph?, strict?, vectorize?, strategy?):
 * the Jacobian of func at inputs: a Tensor of shape output.shape + input.shape for one input and
 * one output; an array over the inputs (or outputs) when either is a tuple; result[i][j] (output
 * i, input j) when both are.
 */
export function jacobian<O extends Outputs, I extends Inputs>(func: Func<O>, inputs: I, ...rest: Rest<JacobianOptions, typeof JACOBIAN_ARGS>): Like<O, Like<I>> {
  const a = bind<Bound<JacobianOptions>>('jacobian', [func, inputs, ...rest], ['func', 'inputs'], JACOBIAN_ARGS);
  const createGraph = a.createGraph ?? false;
  const strict = a.strict ?? false;
  const vectorize = a.vectorize ?? false;
  const strategy = a.strategy ?? 'reverse-mode';
  if (strategy !== 'forward-mode' && strategy !== 'reverse-mode') {
    throw new TorchError(
      'Expected strategy to be either "forward-mode" or "reverse-mode". Hint: If your function has more outputs than inputs, ' +
        '"forward-mode" tends to be more performant. Otherwise, prefer to use "reverse-mode".',
    );
  }
  if (strategy === 'forward-mode') {
    if (createGraph) {
      throw new TorchError(
        'torch.autograd.functional.jacobian: `create_graph=True` and `strategy="forward-mode"` are not supported together (yet). ' +
          'Please either set `create_graph=False` or `strategy="reverse-mode"`.',
      );
    }
    return jacfwd(a.func, a.inputs, strict, vectorize) as Like<O, Like<I>>;
  }
  return enableGrad(() => {
    const [isInputsTuple, raw] = asTuple(a.inputs, 'inputs', 'jacobian');
    const ins = gradPreprocess(raw, createGraph, true);
    const [isOutputsTuple, outs] = asTuple(a.func(...ins), 'outputs of the user-provided function', 'jacobian');
    checkRequiresGrad(outs, 'outputs', strict);

    if (vectorize) {
      if (strict) {
        throw new TorchError(
          'torch.autograd.functional.jacobian: `strict=True` and `vectorized=True` are not supported together. ' +
            'Please either set `strict=False` or `vectorize=False`.',
        );
      }
      const outputNumels = outs.map((o) => o.numel());
      const total = outputNumels.reduce((x, y) => x + y, 0);
      const gradOutputs = standardBasisFor(outs, outputNumels);
      const flat = outs.map((o) => o.reshape(-1));
      const vj = autogradGrad(flat, ins, gradOutputs, createGraph, null, true).map(
        (el, i) => el ?? zerosLike(ins[i]).expand([total, ...ins[i].shape]),
      );
      // per input, split by output; then outputs outer, inputs inner
      const byInput = vj.map((jac, i) => jac.split(outputNumels, 0).map((part, j) => part.view([...outs[j].shape, ...ins[i].shape])));
      const byOutput = outs.map((_, j) => byInput.map((row) => row[j]));
      return tuplePostprocess(gradPostprocess(byOutput, createGraph), [isOutputsTuple, isInputsTuple]) as Like<O, Like<I>>;
    }

    const jac: Tensor[][] = [];
    outs.forEach((out, i) => {
      const jacI: Tensor[][] = ins.map(() => []);
      const flat = out.reshape(-1);
      const n = out.numel();
      for (let j = 0; j < n; j++) {
        const vj = autogradGrad([flat.select(0, j)], ins, null, createGraph, true);
        vj.forEach((vjEl, elIdx) => {
          if (vjEl !== null) {
            if (strict && createGraph && !vjEl.requiresGrad) {
              // sic: PyTorch 1.13 names the output's index here
              throw new TorchError(`The jacobian of the user-provided function is independent of input ${i}. This is not allowed in strict mode when create_graph=True.`);
            }
            jacI[elIdx].push(vjEl);
          } else {
            if (strict) {
              throw new TorchError(`Output ${i} of the user-provided function is independent of input ${elIdx}. This is not allowed in strict mode.`);
            }
            jacI[elIdx].push(zerosLike(ins[elIdx]));
          }
        });
      }
      jac.push(jacI.map((rows, elIdx) => stack(rows, 0).view([...out.shape, ...ins[elIdx].shape])));
    });
    return tuplePostprocess(gradPostprocess(jac, createGraph), [isOutputsTuple, isInputsTuple]) as Like<O, Like<I>>;
  });
}

/**
 * torch.autograd.functional.hessian(func, inputs, createGraph?, strict?, vectorize?,
 * outerJacobianStrategy?): the Hessian of a scalar func: input.shape + input.shape for one input,
 * result[i][j] for a tuple of inputs.
 */
export function hessian<I extends Inputs>(func: Func<Tensor>, inputs: I, ...rest: Rest<HessianOptions, typeof HESSIAN_ARGS>): Like<I, Like<I>> {
  const a = bind<Bound<HessianOptions>>('hessian', [func, inputs, ...rest], ['func', 'inputs'], HESSIAN_ARGS);
  const createGraph = a.createGraph ?? false;
  const strict = a.strict ?? false;
  const vectorize = a.vectorize ?? false;
  const outer = a.outerJacobianStrategy ?? 'reverse-mode';
  const [isInputsTuple, ins] = asTuple(a.inputs, 'inputs', 'hessian');
  if (outer !== 'forward-mode' && outer !== 'reverse-mode') throw new TorchError('Expected strategy to be either "forward-mode" or "reverse-mode".');

  const ensureSingleOutputFunction = (...inp: Tensor[]): Tensor => {
    const out: unknown = a.func(...inp);
    const [isOutTuple, tOut] = asTuple(out, 'outputs of the user-provided function', 'hessian');
    checkRequiresGrad(tOut, 'outputs', strict);
    if (isOutTuple || !(out instanceof Tensor)) throw new TorchError('The function given to hessian should return a single Tensor');
    if (out.numel() !== 1) throw new TorchError('The Tensor returned by the function given to hessian should contain a single element');
    return out.squeeze();
  };
  const jacFunc = (...inp: Tensor[]): Tensor[] => {
    const args = outer === 'forward-mode' ? inp.map((t) => t.requiresGrad_(true)) : inp;
    const jac = jacobian(ensureSingleOutputFunction, args, { createGraph: true });
    checkRequiresGrad(jac, 'jacobian', strict);
    return jac;
  };
  const res = jacobian(jacFunc, ins, { createGraph, strict, vectorize, strategy: outer }) as unknown as Tensor[][];
  return tuplePostprocess(res, [isInputsTuple, isInputsTuple]) as Like<I, Like<I>>;
}

// ---- vhp / hvp -------------------------------------------------------------------------------

/** The common start of vhp and hvp: checked inputs, v, the scalar output and its gradient. */
function hessianProductStart(name: 'vhp' | 'hvp', a: Bound<ProductOptions>, createGraph: boolean, strict: boolean) {
  const [isInputsTuple, raw] = asTuple(a.inputs, 'inputs', name);
  const ins = gradPreprocess(raw, createGraph, true);
  let v: Tensor[] | null = null;
  if (a.v != null) {
    v = gradPreprocess(asTuple(a.v, 'v', name)[1], createGraph, false);
    validateV(v, ins, isInputsTuple);
  } else if (ins.length !== 1 || ins[0].numel() !== 1) {
    throw new TorchError('The vector v can only be None if the input to the user-provided function is a single Tensor with a single element.');
  }
  const [isOutputsTuple, outs] = asTuple(a.func(...ins), 'outputs of the user-provided function', name);
  checkRequiresGrad(outs, 'outputs', strict);
  if (isOutputsTuple || !(outs[0] instanceof Tensor)) throw new TorchError(`The function given to ${name} should return a single Tensor`);
  if (outs[0].numel() !== 1) throw new TorchError(`The Tensor returned by the function given to ${name} should contain a single element`);
  const jac = autogradGrad(outs, ins, null, true);
  checkRequiresGrad(jac, 'jacobian', strict);
  return { ins, isInputsTuple, v, outs, isOutputsTuple, jac };
}

/**
 * torch.autograd.functional.vhp(func, inputs, v?, createGraph?, strict?): [func(...inputs), v^T H]
 * for a scalar func.
 */
export function vhp<I extends Inputs>(func: Func<Tensor>, inputs: I, ...rest: Rest<ProductOptions, typeof PRODUCT_ARGS>): [Tensor, Like<I>] {
  const a = bind<Bound<ProductOptions>>('vhp', [func, inputs, ...rest], ['func', 'inputs'], PRODUCT_ARGS);
  const createGraph = a.createGraph ?? false;
  const strict = a.strict ?? false;
  const s = enableGrad(() => hessianProductStart('vhp', a, createGraph, strict));
  const result = setGradEnabled(createGraph ? true : isGradEnabled(), () => {
    const gradRes = autogradGrad(s.jac, s.ins, s.v, createGraph);
    return fillInZeros(gradRes, s.ins, strict, createGraph, 'double_back');
  });
  return [
    tuplePostprocess(gradPostprocess(s.outs, createGraph), s.isOutputsTuple) as Tensor,
    tuplePostprocess(gradPostprocess(result, createGraph), s.isInputsTuple) as Like<I>,
  ];
}

/**
 * torch.autograd.functional.hvp(func, inputs, v?, createGraph?, strict?): [func(...inputs), H v]
 * for a scalar func, with the double-backward trick (slower than vhp, equal for twice
 * continuously differentiable functions).
 */
export function hvp<I extends Inputs>(func: Func<Tensor>, inputs: I, ...rest: Rest<ProductOptions, typeof PRODUCT_ARGS>): [Tensor, Like<I>] {
  const a = bind<Bound<ProductOptions>>('hvp', [func, inputs, ...rest], ['func', 'inputs'], PRODUCT_ARGS);
  const createGraph = a.createGraph ?? false;
  const strict = a.strict ?? false;
  const s = enableGrad(() => {
    const start = hessianProductStart('hvp', a, createGraph, strict);
    const gradJac = start.ins.map((inp) => zerosLike(inp, { requiresGrad: true }));
    const doubleBack = autogradGrad(start.jac, start.ins, gradJac, true);
    checkRequiresGrad(start.jac, 'hessian', strict);
    return { ...start, gradJac, doubleBack };
  });
  const result = setGradEnabled(createGraph ? true : isGradEnabled(), () => {
    const gradRes = autogradGrad(s.doubleBack, s.gradJac, s.v, createGraph);
    return fillInZeros(gradRes, s.ins, strict, createGraph, 'double_back_trick');
  });
  return [
    tuplePostprocess(gradPostprocess(s.outs, createGraph), s.isOutputsTuple) as Tensor,
    tuplePostprocess(gradPostprocess(result, createGraph), s.isInputsTuple) as Like<I>,
  ];
}
