// Custom autograd Functions written in TypeScript, as torch.autograd.Function:
//   class MyExp extends torch.autograd.Function {
//     static forward(ctx, x) { const y = x.exp(); ctx.saveForBackward(y); return y; }
//     static backward(ctx, g) { const [y] = ctx.savedTensors; return g.mul(y); }
//   }
//   MyExp.apply(x)
// forward runs in no-grad mode; native fnWrap then connects its outputs to a graph node
// ("MyExpBackward", native/autograd_function.cc) whose apply() calls backward below.
import { TorchError } from '../errors';
import { native, Handle } from '../native';
import { Tensor } from '../tensor/tensor';
import { autogradMode } from './grad-mode';

/** The `ctx` of forward/backward. Extra properties (ctx.constant = 2) are allowed, as in Python. */
export class FunctionCtx {
  /** For each forward argument: whether backward must compute its gradient. */
  needsInputGrad: boolean[] = [];
  /** @internal */ _toSave: (Tensor | null)[] = [];
  /** @internal */ _dirty: Tensor[] = [];
  /** @internal */ _nonDifferentiable: Tensor[] = [];
  /** @internal */ _materializeGrads = true;
  /** @internal */ _saved: (Tensor | null)[] | null = null;
  [key: string]: unknown;

  /** Keeps tensors for backward (inputs, outputs or null); read them as ctx.savedTensors. */
  saveForBackward(...tensors: (Tensor | null)[]): void {
    for (const t of tensors) {
      if (t !== null && !(t instanceof Tensor)) throw new TorchError('save_for_backward can only save variables, but argument is not a Tensor');
    }
    this._toSave = tensors;
  }
  /** The tensors given to saveForBackward (only in backward). */
  get savedTensors(): (Tensor | null)[] {
    if (this._saved === null) throw new TorchError('savedTensors can only be read in backward');
    return this._saved;
  }
  /** Inputs that forward modified in place (and returns). */
  markDirty(...tensors: Tensor[]): void {
    this._dirty = tensors;
  }
  /** Outputs that have no gradient (e.g. indices); their grads in backward are zeros. */
  markNonDifferentiable(...tensors: Tensor[]): void {
    this._nonDifferentiable = tensors;
  }
  /** With false, backward receives null instead of zero tensors for outputs without a gradient. */
  setMaterializeGrads(on: boolean): void {
    this._materializeGrads = on;
  }
}

type Forward = (ctx: FunctionCtx, ...args: any[]) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any
type Args<F> = F extends (ctx: FunctionCtx, ...args: infer A) => unknown ? A : never;
type Grad = Tensor | null | undefined;

function handleOf(t: Tensor): Handle {
  return t._h;
}

/** torch.autograd.Function: subclass it with static forward(ctx, ...args) and backward(ctx, ...grads). */
export class AutogradFunction {
  static forward(_ctx: FunctionCtx, ..._args: unknown[]): unknown {
    throw new TorchError('You must implement the forward function for custom autograd.Function.');
  }

  static backward(_ctx: FunctionCtx, ..._grads: (Tensor | null)[]): Grad | Grad[] {
    throw new TorchError(
      'You must implement either the backward or vjp method for your custom autograd.Function to use it with backward mode AD.',
    );
  }

  /** Runs forward and records one graph node for it; returns what forward returned. */
  static apply<C extends { forward: Forward }>(this: C, ...args: Args<C['forward']>): ReturnType<C['forward']> {
    const cls = this as unknown as typeof AutogradFunction;
    const ctx = new FunctionCtx();
    const isTensorArg = args.map((a) => a instanceof Tensor);
    const inputs = args.filter((a): a is Tensor => a instanceof Tensor);
    const mode = autogradMode.get();
    const executable = (mode & autogradMode.GRAD) !== 0 && inputs.some((t) => t.requiresGrad);
    ctx.needsInputGrad = args.map((a) => executable && a instanceof Tensor && a.requiresGrad);

    autogradMode.set(mode & ~autogradMode.GRAD);
    let result: unknown;
    try {
      result = cls.forward(ctx, ...args);
    } finally {
      autogradMode.set(mode);
    }

    const many = Array.isArray(result);
    const outputs = (many ? (result as unknown[]) : [result]).map((o) => (o instanceof Tensor ? o : null));
    const name = `${cls.name}Backward`;
    const backward = (gradHandles: (Handle | null)[], savedHandles: (Handle | null)[]): (Handle | null)[] => {
      ctx._saved = savedHandles.map((h) => (h === null ? null : new Tensor(h)));
      const grads = gradHandles.map((h) => (h === null ? null : new Tensor(h)));
      const returned = cls.backward(ctx, ...grads);
      return gradsForInputs(name, returned, isTensorArg);
    };
    const wrapped = native.fnWrap(
      name,
      backward,
      inputs.map(handleOf),
      outputs.map((o) => (o === null ? null : o._h)),
      ctx._dirty.map(handleOf),
      ctx._nonDifferentiable.map(handleOf),
      ctx._toSave.map((t) => (t === null ? null : t._h)),
      ctx._materializeGrads,
    );
    ctx._toSave = [];
    ctx._dirty = [];
    ctx._nonDifferentiable = [];
    const out = wrapped.map((h, i) => (h === null ? (many ? (result as unknown[])[i] : result) : new Tensor(h)));
    return (many ? out : out[0]) as ReturnType<C['forward']>;
  }
}

/** Checks backward's result against the forward arguments (as PyTorch does) and keeps the tensor ones. */
function gradsForInputs(name: string, returned: Grad | Grad[], isTensorArg: boolean[]): (Handle | null)[] {
  let grads = Array.isArray(returned) ? returned : [returned];
  const expected = isTensorArg.length;
  // returning too many is fine when the extra ones are all null
  if (grads.length > expected && grads.slice(expected).every((g) => g == null)) grads = grads.slice(0, expected);
  if (grads.length !== expected) {
    throw new TorchError(`function ${name} returned an incorrect number of gradients (expected ${expected}, got ${grads.length})`);
  }
  const out: (Handle | null)[] = [];
  for (let i = 0; i < expected; i++) {
    const g = grads[i];
    if (!isTensorArg[i]) {
      if (g != null) {
        throw new TorchError(
          `function ${name} returned a gradient different than None at position ${i + 1}, but the corresponding forward input was not a Variable`,
        );
      }
      continue;
    }
    if (g != null && !(g instanceof Tensor)) throw new TorchError(`function ${name} returned a non-Tensor gradient at position ${i + 1}`);
    out.push(g == null ? null : g._h);
  }
  return out;
}
