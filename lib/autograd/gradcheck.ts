// torch.autograd.gradcheck / gradgradcheck: analytical gradients (backward mode, and forward mode
// with checkForwardAd) against finite differences, as PyTorch 1.13's torch/autograd/gradcheck.py:
// the same algorithm (slow mode: full Jacobians; fastMode: one random projection u, v of each),
// the same checks in the same order, the same GradcheckError messages, and the same use of the
// global random generator (gradgradcheck's random gradOutputs, checkBatchedGrad's randn_like), so
// seeded runs stay in step with Python.
//
// Differences, all for lack of libtorch 1.13 features in torch-node: no sparse or MKLDNN tensors,
// complex inputs are rejected (complex outputs are checked as Python does, by their real and
// imaginary parts), and checkBatchedGrad / checkBatchedForwardGrad compare against torch-node's
// batched gradients, which loop over the batch instead of using vmap.
import { TorchError, warn } from '../errors';
import { checkKeywords, keysOf } from '../keywords';
import { native } from '../native';
import { Tensor } from '../tensor/tensor';
import { Generator } from '../tensor/random';
import { rand, zeros, zerosLike, randnLike } from '../tensor/create';
import { stack } from '../tensor/functions';
import { allclose, promoteTypes, real, imag, repeatInterleave, rsub } from '../ops/generated/functions';
import { slice } from '../tensor/indexing';
import { float64 } from '../tensor/dtype';
import { pyFloat, pySize } from '../py-format';
import { grad } from './grad';
import { dualLevel, makeDual, unpackDual } from './forward-ad';

/** Raised by gradcheck and gradgradcheck (Python's GradcheckError, a RuntimeError). */
export class GradcheckError extends TorchError {
  constructor(message: string) {
    super(message);
    this.name = 'GradcheckError';
  }
}

export interface GradcheckOptions {
  /** perturbation for finite differences (default 1e-6) */
  eps?: number;
  /** absolute tolerance (default 1e-5) */
  atol?: number;
  /** relative tolerance (default 1e-3) */
  rtol?: number;
  /** false: return false instead of raising GradcheckError */
  raiseException?: boolean;
  /** sparse tensors are not supported: true is accepted and changes nothing */
  checkSparseNnz?: boolean;
  /** tolerance for nondeterminism of backward (default 0) */
  nondetTol?: number;
  /** check that undefined output grads are supported and treated as zeros (default true) */
  checkUndefinedGrad?: boolean;
  /** check the dtypes of the gradients (default false) */
  checkGradDtypes?: boolean;
  /** check batched gradients (here: autograd.grad's isGradsBatched, a loop) against single ones */
  checkBatchedGrad?: boolean;
  /** the same for forward-mode gradients (needs checkForwardAd) */
  checkBatchedForwardGrad?: boolean;
  /** check forward-mode AD gradients against the numerical ones (default false) */
  checkForwardAd?: boolean;
  /** check backward-mode AD gradients (default true) */
  checkBackwardAd?: boolean;
  /** project the Jacobians on random vectors instead of computing them whole (default false) */
  fastMode?: boolean;
}

export interface GradgradcheckOptions {
  eps?: number;
  atol?: number;
  rtol?: number;
  /** with gradOutputs left out: make the random ones non-contiguous */
  genNonContigGradOutputs?: boolean;
  raiseException?: boolean;
  nondetTol?: number;
  checkUndefinedGrad?: boolean;
  checkGradDtypes?: boolean;
  checkBatchedGrad?: boolean;
  /** check forward-over-reverse gradients (default false) */
  checkFwdOverRev?: boolean;
  /** check reverse-over-reverse gradients (default true) */
  checkRevOverRev?: boolean;
  fastMode?: boolean;
}

const GRADCHECK_KEYS = keysOf<GradcheckOptions>()(
  'eps', 'atol', 'rtol', 'raiseException', 'checkSparseNnz', 'nondetTol', 'checkUndefinedGrad', 'checkGradDtypes',
  'checkBatchedGrad', 'checkBatchedForwardGrad', 'checkForwardAd', 'checkBackwardAd', 'fastMode',
);
const GRADGRADCHECK_KEYS = keysOf<GradgradcheckOptions>()(
  'eps', 'atol', 'rtol', 'genNonContigGradOutputs', 'raiseException', 'nondetTol', 'checkUndefinedGrad', 'checkGradDtypes',
  'checkBatchedGrad', 'checkFwdOverRev', 'checkRevOverRev', 'fastMode',
);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFn = (...args: any[]) => unknown;
type Fn = (...args: unknown[]) => unknown;

// ---- helpers ---------------------------------------------------------------------------------

const isTensor = (x: unknown): x is Tensor => x instanceof Tensor;
const isFloatOrComplex = (x: unknown): x is Tensor => isTensor(x) && (x.dtype.isFloatingPoint || x.dtype.isComplex);
const sameShape = (a: Tensor, b: Tensor): boolean => a.shape.length === b.shape.length && a.shape.every((s, d) => s === b.shape[d]);
/** Python's assert: an AssertionError, never turned into false by raiseException: false */
function assert(cond: boolean, message = ''): asserts cond {
  if (!cond) throw new TorchError(message);
}

/** Python's type(x).__name__ */
function pyTypeName(x: unknown): string {
  return x === null || x === undefined ? 'NoneType'
    : typeof x === 'number' ? (Number.isInteger(x) ? 'int' : 'float')
    : typeof x === 'string' ? 'str'
    : typeof x === 'boolean' ? 'bool'
    : Array.isArray(x) ? 'tuple'
    : ((x as object).constructor?.name ?? 'object');
}

/** gradcheck's _as_tuple: an array is the tuple, anything else is wrapped. */
function asTuple(x: unknown): unknown[] {
  return Array.isArray(x) ? [...x] : [x];
}

/** Python's o.requires_grad on each output (AttributeError for non-tensors). */
function requiresGrad(o: unknown): boolean {
  if (!isTensor(o)) throw new TorchError(`'${pyTypeName(o)}' object has no attribute 'requires_grad'`);
  return o.requiresGrad;
}

function differentiableOutputs(x: unknown): Tensor[] {
  return asTuple(x).filter(requiresGrad) as Tensor[];
}

function* iterTensors(x: unknown, onlyRequiringGrad = false): Generator_<Tensor> {
  if (isTensor(x)) {
    if (x.requiresGrad || !onlyRequiringGrad) yield x;
  } else if (Array.isArray(x)) {
    for (const el of x) yield* iterTensors(el, onlyRequiringGrad);
  }
}
type Generator_<T> = globalThis.Generator<T, void, unknown>;

/** Every multi-index of `shape` in row-major order (itertools.product of the ranges). */
function* indices(shape: readonly number[]): Generator_<number[]> {
  const n = shape.reduce((a, b) => a * b, 1);
  const idx = shape.map(() => 0);
  for (let k = 0; k < n; k++) {
    yield [...idx];
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
}

/** x[idx]: a view of one element. */
function element(x: Tensor, idx: number[]): Tensor {
  let e = x;
  for (const i of idx) e = e.select(0, i);
  return e;
}

/** Python's t.data: same storage, no autograd, a version counter of its own. */
function dataOf(t: Tensor): Tensor {
  return new Tensor(native.variableData(t._h));
}

function allocateJacobiansWithInputs(inputs: unknown[], numelOutput: number): Tensor[] {
  const out: Tensor[] = [];
  for (const t of inputs) if (isFloatOrComplex(t) && t.requiresGrad) out.push(t.newZeros([t.numel(), numelOutput]));
  return out;
}

function allocateJacobiansWithOutputs(outputs: unknown[], numelInput: number): Tensor[] {
  const out: Tensor[] = [];
  for (const t of outputs) if (isFloatOrComplex(t)) out.push(t.newZeros([numelInput, t.numel()]));
  return out;
}

function allcloseWithTypePromotion(a: Tensor, b: Tensor, rtol: number, atol: number): boolean {
  const promoted = promoteTypes(a.dtype, b.dtype);
  return allclose(a.to(promoted), b.to(promoted), rtol, atol);
}

// ---- numerical Jacobians ---------------------------------------------------------------------

function checkOutputsSameDtypeAndShape(a: Tensor, b: Tensor, eps: number, idx: number[] | null): void {
  // sic: PyTorch 1.13's message has a literal "{idx}" (its on_index is not an f-string)
  const onIndex = idx !== null ? 'on index {idx} ' : '';
  assert(
    sameShape(a, b),
    `Expected \`func\` to return outputs with the same shape when inputs are perturbed ${onIndex}by ${pyFloat(eps)}, but got: shapes ${pySize(a.shape)} and ${pySize(b.shape)}.`,
  );
  assert(
    a.dtype === b.dtype,
    `Expected \`func\` to return outputs with the same dtype when inputs are perturbed ${onIndex}by ${pyFloat(eps)}, but got: dtypes ${a.dtype} and ${b.dtype}.`,
  );
}

/** Central differences: perturbs `entry` in place by ±v and returns (f(x+v) - f(x-v)) / (2 normV), flat. */
function computeNumericalGradient(fn: () => Tensor[], entry: Tensor, v: number | Tensor, normV: number, checks: (a: Tensor, b: Tensor) => void): Tensor[] {
  const orig = entry.clone();
  entry.copy_(orig.sub(v));
  const outa = fn();
  entry.copy_(orig.add(v));
  const outb = fn();
  entry.copy_(orig);
  return outa.map((a, i) => {
    const b = outb[i];
    checks(a, b);
    return b.sub(a).div(2 * normV).detach().reshape(-1);
  });
}

/** fn at the (possibly perturbed in place) inputs, each output cloned. */
function withPreparedInputs(fn: Fn, inputs: unknown[]): () => Tensor[] {
  return () => asTuple(fn(...inputs)).map((a) => (a as Tensor).clone());
}

/** The numerical Jacobians of every output with respect to one input: [numel(input), numel(output)] each. */
function numericalJacobianWrtInput(fn: Fn, inputIdx: number, inputs: unknown[], outputs: unknown[], eps: number, input: Tensor): Tensor[] {
  const cols = new Map<number, Tensor[]>();
  assert(input.requiresGrad);
  const x = dataOf(input);
  let d = 0;
  for (const idx of indices(x.shape)) {
    const wrapped = withPreparedInputs(fn, inputs);
    const entry = element(x, idx);
    cols.set(d++, computeNumericalGradient(wrapped, entry, eps, eps, (a, b) => checkOutputsSameDtypeAndShape(a, b, eps, idx)));
  }
  // _combine_jacobian_cols (which pairs the float outputs with the columns by position, as 1.13 does)
  const jacobians = allocateJacobiansWithOutputs(outputs, input.numel());
  jacobians.forEach((jac, i) => {
    for (const [k, v] of cols) jac.select(0, k).copy_(v[i]);
  });
  return jacobians;
}

/** _get_numerical_jacobian: [input][output] Jacobians for the inputs that require grad. */
function numericalJacobian(fn: Fn, inputs: unknown[], outputs: unknown[] | null, eps = 1e-3, isForwardAd = false): Tensor[][] {
  const outs = outputs ?? asTuple(fn(...inputs));
  if (!isForwardAd && outs.some((o) => isTensor(o) && o.dtype.isComplex)) {
    throw new TorchError('Expected output to be non-complex. get_numerical_jacobian no longer supports functions that return complex outputs.');
  }
  const inpIndices = inputs.flatMap((a, i) => (isTensor(a) && a.requiresGrad ? [i] : []));
  const targets = [...iterTensors(inputs, true)];
  const jacobians: Tensor[][] = [];
  for (let i = 0; i < Math.min(targets.length, inpIndices.length); i++) {
    jacobians.push(numericalJacobianWrtInput(fn, inpIndices[i], inputs, outs, eps, targets[i]));
  }
  return jacobians;
}

// ---- analytical Jacobians --------------------------------------------------------------------

const FAILED_NONDET_MSG = `\n
NOTE: If your op relies on non-deterministic operations i.e., it is listed here:
https://pytorch.org/docs/stable/generated/torch.use_deterministic_algorithms.html
this failure might be expected.

If you are adding a new operator, please file an issue and then use one of the
workarounds. The workaround depends on how your test invokes gradcheck/gradgradcheck.
If the test
- manually invokes gradcheck/gradgradcheck, then call gradcheck/gradgradcheck
  with \`nondet_tol=<tol>\` as a keyword argument.
- is OpInfo-based (e.g., in test_ops_gradients.py), then modify the OpInfo for the test
  to have \`gradcheck_nondet_tol=<tol>\`.
- is a Module test (e.g., in common_nn.py), then modify the corresponding
  module_test entry to have \`gradcheck_nondet_tol=<tol>\`
`;

type VjpFn = (gradOutput: Tensor) => (Tensor | null)[];

/** Row j of each input's Jacobian: vjp with the j-th basis vector. */
function analyticalJacobianRows(vjpFn: VjpFn, sampleOutput: Tensor): (Tensor | null)[][] {
  const base = zerosLike(sampleOutput);
  const flat = base.view(-1);
  const rows: (Tensor | null)[][] = [];
  for (let j = 0; j < flat.numel(); j++) {
    flat.zero_();
    flat.select(0, j).fill_(1);
    vjpFn(base).forEach((dx, i) => {
      if (j === 0) rows.push([]);
      rows[i].push(dx === null ? null : dx.clone());
    });
  }
  return rows;
}

function analyticalVjpsWrtOutput(vjpFn: VjpFn, sampleOutput: Tensor, v: Tensor): (Tensor | null)[][] {
  return vjpFn(v.reshape(sampleOutput.shape)).map((g) => [g === null ? null : g.clone()]);
}

function stackAndCheckTensors(lists: (Tensor | null)[][], inputs: unknown[], numelOutputs: number): [Tensor[], boolean, boolean] {
  const outJacobians = allocateJacobiansWithInputs(inputs, numelOutputs);
  const diffInputs = [...iterTensors(inputs, true)];
  let correctSizes = true;
  let correctTypes = true;
  lists.forEach((list, i) => {
    const inp = diffInputs[i];
    const outJac = outJacobians[i];
    list.forEach((t, j) => {
      if (t !== null && !sameShape(t, inp)) correctSizes = false;
      else if (t !== null && t.dtype !== inp.dtype) correctTypes = false;
      const column = outJac.select(1, j);
      if (t === null) column.zero_();
      else {
        assert(column.numel() === t.numel());
        column.copy_(t.reshape(-1));
      }
    });
  });
  return [outJacobians, correctSizes, correctTypes];
}

function jacobiansEqual(j1: Tensor[], j2: Tensor[], atol: number): boolean {
  for (let i = 0; i < Math.min(j1.length, j2.length); i++) {
    if (j1[i].numel() !== 0 && Number(j1[i].sub(j2[i]).abs().max()) > atol) return false;
  }
  return true;
}

/** The analytical Jacobians of one output (twice, to check reentrancy), with the size and dtype checks. */
function checkAnalyticalJacobianAttributes(inputs: unknown[], output: Tensor, nondetTol: number, checkGradDtypes: boolean, fastMode = false, v?: Tensor): Tensor[] {
  const diffInputs = [...iterTensors(inputs, true)];
  const vjpFn: VjpFn = (g) => grad(output, diffInputs, g, { retainGraph: true, allowUnused: true });
  const vjps1 = fastMode ? analyticalVjpsWrtOutput(vjpFn, output.clone(), v!) : analyticalJacobianRows(vjpFn, output.clone());
  const vjps2 = fastMode ? analyticalVjpsWrtOutput(vjpFn, output.clone(), v!) : analyticalJacobianRows(vjpFn, output.clone());
  const numel = fastMode ? 1 : output.numel();
  // sic: PyTorch 1.13 unpacks (jacobians, sizes_ok, types_ok) as (jacobians, types_ok, sizes_ok)
  const [jacobians1, typesOk, sizesOk] = stackAndCheckTensors(vjps1, inputs, numel);
  const [jacobians2] = stackAndCheckTensors(vjps2, inputs, numel);
  const reentrant = jacobiansEqual(jacobians1, jacobians2, nondetTol);
  if (!typesOk && checkGradDtypes) throw new GradcheckError('Gradient has dtype mismatch');
  if (!sizesOk) throw new GradcheckError('Analytical gradient has incorrect size');
  if (!reentrant) {
    throw new GradcheckError(
      'Backward is not reentrant, i.e., running backward with same input and grad_output multiple times gives different values, ' +
        `although analytical gradient matches numerical gradient.The tolerance for nondeterminism was ${pyFloat(nondetTol)}.` +
        FAILED_NONDET_MSG,
    );
  }
  return jacobians1;
}

/**
 * Forward-mode Jacobians [input][output] of `fn` (rows: input elements), or with `allU` one
 * projection J u per input and output.
 */
function analyticalJacobianForwardAd(fn: Fn, inputs: unknown[], outputs: unknown[], checkGradDtypes = false, allU?: Tensor[]): Tensor[][] {
  const tensorInputs = inputs.filter((i): i is Tensor => isTensor(i) && i.requiresGrad);
  if (tensorInputs.some((i) => i.dtype.isComplex)) throw new TorchError('Expected inputs to be non-complex for _get_analytical_jacobian_forward_ad.');
  const jacobians = tensorInputs.map((i) => allocateJacobiansWithOutputs(outputs, allU ? 1 : i.numel()));
  dualLevel(() => {
    const fwGrads: Tensor[] = [];
    const dualInputs = inputs.map((inp) => {
      if (isTensor(inp) && inp.requiresGrad) {
        const dual = makeDual(inp.detach(), zerosLike(inp));
        // a differentiable view's tangent may not be the one given to makeDual: read it back
        fwGrads.push(unpackDual(dual).tangent!);
        return dual;
      }
      return inp;
    });
    const record = (store: (o: number, res: Tensor | null) => void): void => {
      const dualOutputs = asTuple(fn(...dualInputs)).filter(isFloatOrComplex);
      dualOutputs.forEach((dO, o) => {
        const { primal, tangent } = unpackDual(dO);
        if (checkGradDtypes && tangent !== null && primal.dtype.isComplex !== tangent.dtype.isComplex) {
          throw new GradcheckError('Forward AD gradient has dtype mismatch.');
        }
        store(o, tangent);
      });
    };
    if (allU) {
      fwGrads.forEach((fwGrad, i) => {
        fwGrad.copy_(allU[i].viewAs(fwGrad));
        record((o, res) => {
          jacobians[i][o] = jacobians[i][o].squeeze(0);
          if (res === null) jacobians[i][o].zero_();
          else jacobians[i][o].copy_(res.reshape(-1));
        });
        fwGrad.zero_();
      });
    } else {
      fwGrads.forEach((fwGrad, i) => {
        let lin = 0;
        for (const idx of indices(fwGrad.shape)) {
          element(fwGrad, idx).fill_(1);
          const row = lin++;
          record((o, res) => {
            if (res === null) jacobians[i][o].select(0, row).zero_();
            else jacobians[i][o].select(0, row).copy_(res.reshape(-1));
          });
          element(fwGrad, idx).fill_(0);
        }
      });
    }
  });
  return jacobians;
}

function notAllcloseMsg(analytical: Tensor, numerical: Tensor, outputIdx: number, inputIdx: number, complexIndices: number[] | null, testImag = false, isForwardAd = false): string {
  const outIsComplex = !isForwardAd && complexIndices !== null && complexIndices.length > 0 && complexIndices.includes(outputIdx);
  const inpIsComplex = isForwardAd && complexIndices !== null && complexIndices.length > 0 && complexIndices.includes(inputIdx);
  const part = testImag ? 'imaginary' : 'real';
  const element_ = isForwardAd ? 'inputs' : 'outputs';
  const prefix = !(outIsComplex || inpIsComplex) ? '' : `While considering the ${part} part of complex ${element_} only, `;
  const mode = isForwardAd ? 'computed with forward mode ' : '';
  return `${prefix}Jacobian ${mode}mismatch for output ${outputIdx} with respect to input ${inputIdx},\nnumerical:${String(numerical)}\nanalytical:${String(analytical)}\n`;
}

// ---- slow and fast mode ----------------------------------------------------------------------

interface ModeArgs {
  eps: number;
  rtol: number;
  atol: number;
  checkGradDtypes: boolean;
  nondetTol: number;
  useForwardAd?: boolean;
  complexIndices?: number[] | null;
  testImag?: boolean;
}
type GradcheckFn = (func: Fn, funcOut: unknown, inputs: unknown[], outputs: Tensor[], a: ModeArgs) => boolean;

function checkNoDifferentiableOutputs(func: Fn, inputs: unknown[], funcOut: unknown[], eps: number): boolean {
  for (const perInput of numericalJacobian(func, inputs, funcOut, eps)) {
    for (const jac of perInput) {
      if (Number(jac.ne(0).sum()) > 0) throw new GradcheckError('Numerical gradient for function expected to be zero');
    }
  }
  return true;
}

const slowGradcheck: GradcheckFn = (func, funcOutRaw, inputs, outputs, a) => {
  const funcOut = asTuple(funcOutRaw);
  if (outputs.length === 0) return checkNoDifferentiableOutputs(func, inputs, funcOut, a.eps);
  const perInput = numericalJacobian(func, inputs, funcOut, a.eps, a.useForwardAd ?? false);
  // transpose to [output][input], then keep the outputs that require grad (zip, as 1.13)
  const transposed: Tensor[][] = perInput.length === 0 ? [] : perInput[0].map((_, o) => perInput.map((row) => row[o]));
  const numerical: Tensor[][] = [];
  for (let k = 0; k < Math.min(funcOut.length, transposed.length); k++) if (requiresGrad(funcOut[k])) numerical.push(transposed[k]);
  const complexIndices = a.complexIndices ?? null;
  if (a.useForwardAd) {
    const analytical = analyticalJacobianForwardAd(func, inputs, funcOut, a.checkGradDtypes);
    numerical.forEach((nPerOut, i) => {
      nPerOut.forEach((n, j) => {
        const an = analytical[j][i];
        if (!allcloseWithTypePromotion(an, n, a.rtol, a.atol)) {
          throw new GradcheckError(notAllcloseMsg(an, n, i, j, complexIndices, a.testImag, true));
        }
      });
    });
  } else {
    outputs.forEach((o, i) => {
      const analytical = checkAnalyticalJacobianAttributes(inputs, o, a.nondetTol, a.checkGradDtypes);
      // Python's IndexError when a non-float output comes before a differentiable one (numerical[i])
      if (i >= numerical.length) throw new TorchError('list index out of range');
      for (let j = 0; j < Math.min(analytical.length, numerical[i].length); j++) {
        const an = analytical[j];
        const n = numerical[i][j];
        if (!allcloseWithTypePromotion(an, n, a.rtol, a.atol)) throw new GradcheckError(notAllcloseMsg(an, n, i, j, complexIndices, a.testImag));
      }
    });
  }
  return true;
};

/** _vec_from_tensor: a random unit vector with x's numel and dtype (real with downcastComplex). */
function vecFromTensor(x: Tensor, generator: Generator): Tensor {
  const vec = rand([x.numel()], { generator }).to(x.dtype);
  return vec.div_(vec.norm());
}

function makeVectors(inpTensors: Tensor[], outputs: Tensor[], useForwardAd: boolean): [Tensor[] | null, Tensor[]] {
  const g = new Generator();
  const allU = inpTensors.map((inp) => vecFromTensor(inp, g));
  const allV = useForwardAd ? null : outputs.map((out) => vecFromTensor(out, g));
  return [allV, allU];
}

function adjustedAtol(atol: number, u: Tensor, v: Tensor | null): number {
  const sumU = Number(u.sum());
  const sumV = v === null ? 1 : Number(v.sum());
  return atol * sumU * sumV;
}

/** J u for each output by central differences along u (scaled by eps). */
function numericalJvpWrtInput(fn: Fn, inputIdx: number, inputs: unknown[], u: Tensor, eps: number): Tensor[] {
  const input = inputs[inputIdx] as Tensor;
  const toPerturb = dataOf(input);
  const wrapped = withPreparedInputs(fn, inputs);
  const delta = u.reshape(toPerturb.shape).mul(eps);
  return computeNumericalGradient(wrapped, toPerturb, delta, eps, (a, b) => checkOutputsSameDtypeAndShape(a, b, eps, null));
}

function numericalVJu(fn: Fn, inputs: unknown[], inpIndices: number[], funcOut: unknown, allU: Tensor[], allV: Tensor[] | null, eps: number): Tensor[][] {
  const out = asTuple(funcOut);
  return inpIndices.map((inpIdx, i) => {
    const allJu = numericalJvpWrtInput(fn, inpIdx, inputs, allU[i], eps);
    assert(allJu.length === out.length);
    const filtered = allJu.filter((_, k) => isFloatOrComplex(out[k]));
    if (allV === null) return filtered;
    // zip(all_v, filtered_Ju): _dot_with_type_promotion(v, Ju) = (v * Ju).sum()
    return allV.slice(0, filtered.length).map((v, k) => v.mul(filtered[k]).sum());
  });
}

function analyticalVJuBackwardMode(inputs: unknown[], outputs: Tensor[], nondetTol: number, checkGradDtypes: boolean, allV: Tensor[], allU: Tensor[]): Tensor[][] {
  return outputs.map((output, k) => {
    const allVJ = checkAnalyticalJacobianAttributes(inputs, output, nondetTol, checkGradDtypes, true, allV[k]);
    return allVJ.map((vJ, i) => vJ.t().squeeze(0).dot(allU[i]));
  });
}

const FAST_FAIL_SLOW_OK_MSG = `
Fast gradcheck failed but element-wise differences are small. This means that the
test might've passed in slow_mode!

If you are adding a new operator, please file an issue and then use one of the
workarounds. The workaround depends on how your test invokes gradcheck/gradgradcheck:

If the test
- manually invokes gradcheck/gradgradcheck, then call gradcheck/gradgradcheck
  with \`fast_mode=False\` as a keyword argument.
- is OpInfo-based (e.g., in test_ops_gradients.py), then modify the OpInfo for the test
  to have \`gradcheck_fast_mode=False\`
- is a Module test (e.g., in common_nn.py), then modify the corresponding
  module_test entry to have \`gradcheck_fast_mode=False\`
`.trim();

function runSlowModeAndGetError(func: Fn, inputs: unknown[], outputs: Tensor[], inputIdx: number, outputIdx: number, rtol: number, atol: number, isForwardAd: boolean): string {
  const slowNumerical = numericalJacobian(func, inputs, outputs, 1e-3, isForwardAd)[inputIdx][outputIdx];
  let slowAnalytical: Tensor;
  if (isForwardAd) {
    const newFn: Fn = (inp) => {
      const newInputs = [...inputs];
      newInputs[inputIdx] = inp;
      return asTuple(func(...newInputs))[outputIdx];
    };
    slowAnalytical = analyticalJacobianForwardAd(newFn, [inputs[inputIdx]], [outputs[outputIdx]])[0][0];
  } else {
    slowAnalytical = checkAnalyticalJacobianAttributes(inputs, outputs[outputIdx], Infinity, false)[inputIdx];
  }
  const maxDiff = slowNumerical.sub(slowAnalytical).abs().max();
  const ok = allclose(slowAnalytical, slowNumerical, rtol, atol);
  let msg =
    '\nThe above quantities relating the numerical and analytical jacobians are computed \n' +
    'in fast mode. See: https://github.com/pytorch/pytorch/issues/53876 for more background \n' +
    'about fast mode. Below, we recompute numerical and analytical jacobians in slow mode:\n\n' +
    `Numerical:\n ${String(slowNumerical)}\n` +
    `Analytical:\n${String(slowAnalytical)}\n\n` +
    `The max per-element difference (slow mode) is: ${pyFloat(Number(maxDiff))}.\n`;
  if (ok) msg += FAST_FAIL_SLOW_OK_MSG;
  return msg;
}

const fastGradcheck: GradcheckFn = (func, funcOut, inputs, outputs, a) => {
  const inpIdx = inputs.flatMap((t, i) => (isTensor(t) && t.requiresGrad ? [i] : []));
  const inpTensors = inpIdx.map((i) => inputs[i] as Tensor);
  const useForwardAd = a.useForwardAd ?? false;
  const [allV, allU] = makeVectors(inpTensors, outputs, useForwardAd);
  const numerical = numericalVJu(func, inputs, inpIdx, funcOut, allU, allV, a.eps);
  let analytical: Tensor[][];
  if (useForwardAd) {
    analytical = analyticalJacobianForwardAd(func, inputs, asTuple(funcOut), a.checkGradDtypes, allU);
  } else {
    if (outputs.length === 0) {
      inpIdx.forEach((idx, i) => {
        for (const jvp of numericalJvpWrtInput(func, idx, inputs, allU[i], a.eps)) {
          if (jvp.numel() === 0) continue;
          if (Number(jvp.abs().max()) > a.nondetTol) throw new GradcheckError('Numerical gradient for function expected to be zero');
        }
      });
    }
    analytical = analyticalVJuBackwardMode(inputs, outputs, a.nondetTol, a.checkGradDtypes, allV!, allU);
  }
  numerical.forEach((forInput, i) => {
    forInput.forEach((n, j) => {
      const an = useForwardAd ? analytical[i][j] : analytical[j][i];
      const atol = adjustedAtol(a.atol, allU[i], allV ? allV[j] : null);
      if (!allcloseWithTypePromotion(an, n, a.rtol, atol)) {
        const slow = runSlowModeAndGetError(func, inputs, outputs, i, j, a.rtol, a.atol, useForwardAd);
        throw new GradcheckError(notAllcloseMsg(an, n, j, i, a.complexIndices ?? null, a.testImag, useForwardAd) + slow);
      }
    });
  });
  return true;
};

// ---- the extra checks ------------------------------------------------------------------------

const FAILED_BATCHED_GRAD_MSG = `
gradcheck or gradgradcheck failed while testing batched gradient computation.
This could have been invoked in a number of ways (via a test that calls
gradcheck/gradgradcheck directly or via an autogenerated test).

If you are adding a new operator, please file an issue and then use one of the
workarounds. The workaround depends on how your test invokes gradcheck/gradgradcheck.
If the test
- manually invokes gradcheck/gradgradcheck, then call gradcheck/gradgradcheck
  with \`check_batched_grad=False\` as a keyword argument.
- is OpInfo-based (e.g., in test_ops_gradients.py), then modify the OpInfo for the test
  to have \`check_batched_grad=False\` and/or \`check_batched_gradgrad=False\`.

If you're modifying an existing operator that supports batched grad computation,
or wish to make a new operator work with batched grad computation, please read
the following.

To compute batched grads (e.g., jacobians, hessians), we vmap over the backward
computation. The most common failure case is if there is a 'vmap-incompatible
operation' in the backward pass. Please see
NOTE: [How to write vmap-compatible backward formulas]
in the codebase for an explanation of how to fix this.
`.trim();

const FAILED_BATCHED_GRAD_MSG_FWD_AD = `
gradcheck failed while testing batched gradient computation with forward-mode AD.
This test is enabled automatically when both \`check_batched_grad=True\`
and \`check_forward_ad=True\`, but can be disabled in the following ways
dependong on how the test was invoked (via a test that calls gradcheck
directly or via an autogenerated test).

If you are adding a new operator, please file an issue and then use one of the
workarounds. The workaround depends on how your test invokes gradcheck/gradgradcheck.
If the test
- manually invokes gradcheck/gradgradcheck, then call gradcheck/gradgradcheck
  with \`check_batched_forward_grad=False\` as a keyword argument.
- is OpInfo-based (e.g., in test_ops_gradients.py), then modify the OpInfo for the test
  to have \`check_batched_forward_grad=False\`
`;

function failedBatchedGradMsg(outputIdx: number, inputIdx: number, res: Tensor, exp: Tensor, isForwardAd = false): string {
  return `
For output ${outputIdx} and input ${inputIdx}:

${isForwardAd ? FAILED_BATCHED_GRAD_MSG_FWD_AD : FAILED_BATCHED_GRAD_MSG}

Got:
${String(res)}

Expected:
${String(exp)}
`.trim();
}

const zerosExpanded = (like: Tensor, shape: number[]): Tensor => zeros([], { dtype: like.dtype, device: like.device }).expand(shape);

function testBatchedGradForwardAd(func: Fn, inputs: unknown[]): boolean {
  inputs.forEach((current, inputIdx) => {
    if (!(isTensor(current) && current.requiresGrad)) return;
    const jvp = (tangent: Tensor): Tensor[] =>
      dualLevel(() => {
        const dual = makeDual(current.detach(), tangent);
        const withDual = inputs.map((inp, idx) => (idx === inputIdx ? dual : isTensor(inp) ? inp.detach() : inp));
        const ret: Tensor[] = [];
        for (const out of asTuple(func(...withDual))) {
          if (out === null || out === undefined) continue;
          const { primal, tangent: t } = unpackDual(out as Tensor);
          ret.push(t !== null ? t : zerosExpanded(primal, primal.shape));
        }
        return ret;
      });
    if (!isFloatOrComplex(current)) return;
    const tangents = [randnLike(current), randnLike(current)];
    const per = tangents.map(jvp);
    const expected = per[0].map((_, k) => stack(per.map((p) => p[k]), 0));
    // PyTorch vmaps jvp over the stacked tangents; torch-node has no vmap: the same jvp per tangent
    const batched = stack(tangents, 0);
    const rows = [0, 1].map((b) => jvp(batched.select(0, b)));
    const result = rows[0].map((_, k) => stack(rows.map((r) => r[k]), 0));
    result.forEach((res, k) => {
      if (allclose(res, expected[k])) return;
      throw new GradcheckError(failedBatchedGradMsg(k, k, res, expected[k], true));
    });
  });
  return true;
}

function testBatchedGrad(inputs: unknown[], output: Tensor, outputIdx: number): boolean {
  const diffInputs = [...iterTensors(inputs, true)];
  const fill = (results: (Tensor | null)[], batch?: number): Tensor[] =>
    results.map((g, i) => g ?? zerosExpanded(diffInputs[i], batch === undefined ? diffInputs[i].shape : [batch, ...diffInputs[i].shape]));
  const vjp = (v: Tensor): Tensor[] => fill(grad(output, diffInputs, v, { retainGraph: true, allowUnused: true }));
  const gradOutputs = [randnLike(output), randnLike(output)];
  const per = gradOutputs.map(vjp);
  const expected = per[0].map((_, k) => stack(per.map((p) => p[k]), 0));
  let result: Tensor[];
  try {
    result = fill(grad(output, diffInputs, stack(gradOutputs, 0), { retainGraph: true, allowUnused: true, isGradsBatched: true }), 2);
  } catch (e) {
    if (!(e instanceof TorchError)) throw e;
    throw new GradcheckError(`While computing batched gradients, got: ${e.message}\n\n${FAILED_BATCHED_GRAD_MSG}`);
  }
  result.forEach((res, inputIdx) => {
    if (allclose(res, expected[inputIdx])) return;
    throw new GradcheckError(failedBatchedGradMsg(outputIdx, inputIdx, res, expected[inputIdx]));
  });
  return true;
}

function testBackwardMulByGradOutput(outputs: Tensor[], inputs: unknown[]): boolean {
  const diffInputs = [...iterTensors(inputs, true)];
  if (diffInputs.length === 0) throw new GradcheckError('no Tensors requiring grad found in input');
  const gradsInput = grad(outputs, diffInputs, outputs.map((o) => zerosLike(o)), { allowUnused: true });
  gradsInput.forEach((gi, k) => {
    const di = diffInputs[k];
    if (gi === null) return;
    if (!gi.eq(0).all().item()) throw new GradcheckError('backward not multiplied by grad_output');
    if (gi.dtype !== di.dtype || String(gi.device) !== String(di.device)) throw new GradcheckError('grad is incorrect type');
    if (!sameShape(gi, di)) throw new GradcheckError('grad is incorrect size');
  });
  return true;
}

function testUndefinedForwardMode(func: Fn, outputs: Tensor[], inputs: unknown[]): boolean {
  const inpTensors = inputs.filter((t): t is Tensor => isTensor(t) && t.requiresGrad);
  const [, allU] = makeVectors(inpTensors, outputs, true);
  dualLevel(() => {
    const fwGrads: Tensor[] = [];
    const tensorIndices = new Set<number>();
    const dualInputs = inputs.map((inp, i) => {
      if (isTensor(inp) && inp.requiresGrad) {
        const dual = makeDual(inp.detach(), zerosLike(inp));
        fwGrads.push(unpackDual(dual).tangent!);
        tensorIndices.add(i);
        return dual;
      }
      return inp;
    });
    fwGrads.forEach((fwGrad, i) => fwGrad.copy_(allU[i].viewAs(fwGrad)));
    inputs.forEach((inp, idx) => {
      if (!tensorIndices.has(idx)) return;
      const t = inp as Tensor;
      const saved = dualInputs[idx];
      dualInputs[idx] = makeDual(t.detach(), zerosLike(t));
      const outs1 = asTuple(func(...dualInputs)).filter(isFloatOrComplex);
      dualInputs[idx] = t.detach();
      const outs2 = asTuple(func(...dualInputs)).filter(isFloatOrComplex);
      dualInputs[idx] = saved;
      for (let o = 0; o < Math.min(outs1.length, outs2.length); o++) {
        const res1 = unpackDual(outs1[o]).tangent;
        const res2 = unpackDual(outs2[o]).tangent;
        if (res1 !== null && res2 !== null && !allclose(res1, res2)) {
          // Python raises GradcheckError with several arguments: its str is the tuple's repr
          throw new GradcheckError(
            `('Mismatch in tangent values for output with index: ', ${o}, ' when input: ', ${String(t)}, ' has an undefined tangent value. ', ' Got: ', ${String(res1)}, ' but expected: ', ${String(res2)})`,
          );
        }
      }
    });
  });
  return true;
}

function testUndefinedBackwardMode(func: Fn, outputs: Tensor[], inputs: unknown[]): boolean {
  const diffInputs = [...iterTensors(inputs, true)];
  if (diffInputs.length === 0) throw new GradcheckError('no Tensors requiring grad found in input');
  const warnBcBreaking = (): void =>
    warn(
      'Backwards compatibility: New undefined gradient support checking feature is enabled by default, but it may break ' +
        'existing callers of this function. If this is true for you, you can call this function with ' +
        '"check_undefined_grad=False" to disable the feature',
    );
  const checkUndefinedGradSupport = (toCheck: Tensor[]): boolean => {
    const gradsOutput = toCheck.map((o) => zerosLike(o));
    let gradsInput: (Tensor | null)[];
    try {
      gradsInput = grad(toCheck, diffInputs, gradsOutput, { allowUnused: true });
    } catch (e) {
      if (!(e instanceof TorchError)) throw e;
      warnBcBreaking();
      throw new GradcheckError(
        'Expected backward function to handle undefined output grads. Please look at "Notes about undefined output gradients" in "tools/autograd/derivatives.yaml"',
      );
    }
    for (const gi of gradsInput) {
      if (gi !== null && !gi.eq(0).all().item()) {
        warnBcBreaking();
        throw new GradcheckError(
          'Expected all input grads to be undefined or zero when all output grads are undefined or zero. ' +
            'Please look at "Notes about undefined output gradients" in "tools/autograd/derivatives.yaml"',
        );
      }
    }
    return true;
  };
  const undefinedGrad = (o: Tensor): Tensor => new Tensor(native.undefinedGrad(o._h));
  const toCheck: Tensor[][] = [differentiableOutputs(func(...inputs)).map(undefinedGrad)];
  if (toCheck[0].length > 1) {
    for (let undef = 0; undef < outputs.length; undef++) {
      const outs = differentiableOutputs(func(...inputs));
      toCheck.push(outs.map((o, idx) => (idx === undef ? undefinedGrad(o) : o)));
    }
  }
  return toCheck.every(checkUndefinedGradSupport);
}

// ---- complex outputs -------------------------------------------------------------------------

function realAndImagOutput(fn: Fn): [Fn, Fn] {
  const apply = (f: (t: Tensor) => Tensor): Fn => (...inputs) => asTuple(fn(...inputs)).map((o) => (isTensor(o) && o.dtype.isComplex ? f(o) : o));
  return [apply(real), apply(imag)];
}

function gradcheckRealImag(gradcheckFn: GradcheckFn, func: Fn, funcOut: unknown, inputs: unknown[], outputs: Tensor[], a: ModeArgs, checkForwardAd: boolean, checkBackwardAd: boolean, checkUndefinedGrad: boolean): void {
  const complexOutIndices = outputs.flatMap((o, i) => (o.dtype.isComplex ? [i] : []));
  const hasComplexOutput = asTuple(funcOut).some((o) => isTensor(o) && o.dtype.isComplex);
  if (checkBackwardAd) {
    if (hasComplexOutput) {
      const [realFn, imagFn] = realAndImagOutput(func);
      const imagOut = imagFn(...inputs);
      gradcheckFn(imagFn, imagOut, inputs, differentiableOutputs(imagOut), { ...a, complexIndices: complexOutIndices, testImag: true });
      const realOut = realFn(...inputs);
      gradcheckFn(realFn, realOut, inputs, differentiableOutputs(realOut), { ...a, complexIndices: complexOutIndices });
    } else {
      gradcheckFn(func, funcOut, inputs, outputs, a);
    }
  }
  if (checkForwardAd) {
    gradcheckFn(func, funcOut, inputs, outputs, { ...a, useForwardAd: true });
    if (checkUndefinedGrad) testUndefinedForwardMode(func, outputs, inputs);
  }
}

// ---- gradcheck / gradgradcheck ---------------------------------------------------------------

function checkInputs(inputs: unknown[]): void {
  let any = false;
  inputs.forEach((inp, idx) => {
    if (!(isTensor(inp) && inp.requiresGrad)) return;
    if (inp.dtype.isComplex) {
      throw new TorchError(`gradcheck: input #${idx} is complex; torch-node's gradcheck does not support complex inputs yet (complex outputs are fine)`);
    }
    if (inp.dtype.name !== 'float64') {
      warn(
        `Input #${idx} requires gradient and is not a double precision floating point or complex. ` +
          'This check will likely fail if all the inputs are not of double precision floating point or complex. ',
      );
    }
    const strides = inp.stride();
    if (!inp.shape.every((sz, d) => strides[d] > 0 || sz <= 1)) {
      throw new TorchError(
        `The ${idx}th input has a dimension with stride 0. gradcheck only supports inputs that are non-overlapping to be able to ` +
          'compute the numerical gradients correctly. You should call .contiguous on the input before passing it to gradcheck.',
      );
    }
    any = true;
    inp.retainGrad();
  });
  if (!any) {
    throw new TorchError('gradcheck expects at least one input tensor to require gradient, but none of the them have requires_grad=True.');
  }
}

interface Resolved {
  eps: number;
  atol: number;
  rtol: number;
  nondetTol: number;
  checkUndefinedGrad: boolean;
  checkGradDtypes: boolean;
  checkBatchedGrad: boolean;
  checkBatchedForwardGrad: boolean;
  checkForwardAd: boolean;
  checkBackwardAd: boolean;
  fastMode: boolean;
}

function gradcheckHelper(func: Fn, inputs: unknown, o: Resolved): boolean {
  const tupled = asTuple(inputs);
  checkInputs(tupled);
  const funcOut = func(...tupled);
  const outputs = differentiableOutputs(funcOut);
  const mode: ModeArgs = { eps: o.eps, rtol: o.rtol, atol: o.atol, checkGradDtypes: o.checkGradDtypes, nondetTol: o.nondetTol };
  gradcheckRealImag(o.fastMode ? fastGradcheck : slowGradcheck, func, funcOut, tupled, outputs, mode, o.checkForwardAd, o.checkBackwardAd, o.checkUndefinedGrad);
  if (o.checkBatchedForwardGrad) testBatchedGradForwardAd(func, tupled);
  if (!o.checkBackwardAd) return true;
  outputs.forEach((out, i) => {
    if (o.checkBatchedGrad) testBatchedGrad(tupled, out, i);
  });
  testBackwardMulByGradOutput(outputs, tupled);
  if (o.checkUndefinedGrad && o.checkBackwardAd) testUndefinedBackwardMode(func, outputs, tupled);
  return true;
}

/**
 * torch.autograd.gradcheck(func, inputs, { eps, atol, rtol, raiseException, ... }): compares the
 * analytical gradients of func at inputs (a Tensor or an array of them; those requiring grad are
 * checked, in float64 to be meaningful) with finite differences. Returns true, or raises a
 * GradcheckError saying what differs (false instead with raiseException: false).
 */
export function gradcheck(func: AnyFn, inputs: Tensor | readonly unknown[], options: GradcheckOptions = {}): boolean {
  checkKeywords('gradcheck', options, GRADCHECK_KEYS);
  const o: Resolved = {
    eps: options.eps ?? 1e-6,
    atol: options.atol ?? 1e-5,
    rtol: options.rtol ?? 1e-3,
    nondetTol: options.nondetTol ?? 0,
    checkUndefinedGrad: options.checkUndefinedGrad ?? true,
    checkGradDtypes: options.checkGradDtypes ?? false,
    checkBatchedGrad: options.checkBatchedGrad ?? false,
    checkBatchedForwardGrad: options.checkBatchedForwardGrad ?? false,
    checkForwardAd: options.checkForwardAd ?? false,
    checkBackwardAd: options.checkBackwardAd ?? true,
    fastMode: options.fastMode ?? false,
  };
  assert(o.checkForwardAd || o.checkBackwardAd, 'Expected at least one of check_forward_ad or check_backward_ad to be True');
  assert(!(o.checkBatchedGrad && !o.checkBackwardAd), 'Setting check_batched_grad=True requires check_backward_ad to be True');
  assert(!(o.checkBatchedForwardGrad && !o.checkForwardAd), 'Setting check_batched_forward_grad=True requires check_forward_ad to be True');
  if (options.raiseException === false) {
    try {
      return gradcheckHelper(func as Fn, inputs, o);
    } catch (e) {
      if (e instanceof GradcheckError) return false;
      throw e;
    }
  }
  return gradcheckHelper(func as Fn, inputs, o);
}

/** torch.testing.make_tensor(shape, dtype, low=-1, high=1, requires_grad=True, noncontiguous) (real dtypes). */
function makeGradOutput(x: Tensor, noncontiguous: boolean): Tensor {
  if (x.dtype.isComplex) throw new TorchError('gradgradcheck: give gradOutputs for complex outputs (torch-node does not make random complex ones)');
  const dtype = x.dtype.isFloatingPoint ? x.dtype : float64;
  const r = rand(x.shape, { dtype, device: x.device });
  // high * rand_val + low * (1 - rand_val), as make_tensor computes it
  let result = r.mul(1).add(rsub(r, 1).mul(-1));
  if (noncontiguous && result.numel() > 1) {
    result = repeatInterleave(result, 2, { dim: -1 });
    result = result.index('...', slice(null, null, 2));
  }
  return result.requiresGrad_(true);
}

/**
 * torch.autograd.gradgradcheck(func, inputs, gradOutputs?, { ... }): gradcheck of the gradients
 * of func (backpropagated from gradOutputs, random ones in [-1, 1) from the global generator when
 * left out) with respect to inputs and gradOutputs.
 */
export function gradgradcheck(func: AnyFn, inputs: Tensor | readonly unknown[], ...rest: [options?: GradgradcheckOptions] | [gradOutputs: Tensor | readonly Tensor[] | null | undefined, options?: GradgradcheckOptions]): boolean {
  let gradOutputs: Tensor | readonly Tensor[] | null | undefined;
  let options: GradgradcheckOptions;
  if (rest.length >= 2 || isTensor(rest[0]) || Array.isArray(rest[0]) || rest[0] === null) {
    gradOutputs = rest[0] as Tensor | readonly Tensor[] | null | undefined;
    options = (rest[1] as GradgradcheckOptions | undefined) ?? {};
  } else {
    options = (rest[0] as GradgradcheckOptions | undefined) ?? {};
  }
  checkKeywords('gradgradcheck', options, GRADGRADCHECK_KEYS);
  const checkFwdOverRev = options.checkFwdOverRev ?? false;
  const checkRevOverRev = options.checkRevOverRev ?? true;
  const checkUndefinedGrad = options.checkUndefinedGrad ?? true;
  const checkBatchedGrad = options.checkBatchedGrad ?? false;
  assert(checkFwdOverRev || checkRevOverRev, 'Expected at least one of check_fwd_over_rev or check_rev_over_rev to be True');
  assert(!(checkUndefinedGrad && !checkRevOverRev), 'Setting check_undefined_grad=True requires check_rev_over_rev to be True');
  assert(!(checkBatchedGrad && !checkRevOverRev), 'Setting check_batched_grad=True requires check_rev_over_rev to be True');
  const f = func as Fn;
  const tupledInputs = asTuple(inputs);
  let tupledGradOutputs: unknown[];
  if (gradOutputs == null) {
    const outputs = differentiableOutputs(f(...tupledInputs));
    tupledGradOutputs = outputs.map((x) => makeGradOutput(x, options.genNonContigGradOutputs ?? false));
  } else {
    tupledGradOutputs = asTuple(gradOutputs);
  }
  const numOutputs = tupledGradOutputs.length;
  const diffInputArgs = new Set(tupledInputs.flatMap((x, i) => (isTensor(x) && x.requiresGrad ? [i] : [])));
  const diffGradOutputs = new Set(tupledGradOutputs.flatMap((x, i) => (isTensor(x) && x.requiresGrad ? [i] : [])));
  const newFunc: Fn = (...args) => {
    // Python slices args[:-num_outputs] and args[-num_outputs:]
    const cut = numOutputs === 0 ? 0 : args.length - numOutputs;
    const inputArgs = args.slice(0, cut).map((x, i) => (diffInputArgs.has(i) ? (x as Tensor).requiresGrad_() : x));
    const outputs = differentiableOutputs(f(...inputArgs));
    const gos = (numOutputs === 0 ? args : args.slice(cut)).map((x, i) => (diffGradOutputs.has(i) ? (x as Tensor).requiresGrad_() : x)) as Tensor[];
    const diffArgs = inputArgs.filter((_, i) => diffInputArgs.has(i)) as Tensor[];
    const gradInputs = grad(outputs, diffArgs, gos, { createGraph: true, allowUnused: true });
    return gradInputs.filter((g): g is Tensor => g !== null);
  };
  return gradcheck(newFunc, [...tupledInputs, ...tupledGradOutputs], {
    eps: options.eps,
    atol: options.atol,
    rtol: options.rtol,
    raiseException: options.raiseException,
    nondetTol: options.nondetTol,
    checkUndefinedGrad,
    checkGradDtypes: options.checkGradDtypes,
    checkBatchedGrad,
    fastMode: options.fastMode,
    checkForwardAd: checkFwdOverRev,
    checkBackwardAd: checkRevOverRev,
  });
}
