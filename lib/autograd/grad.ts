// torch.autograd.grad: gradients of outputs with respect to inputs, without touching .grad;
// torch.autograd.backward: one backward pass from several outputs, accumulating into .grad.
import { TorchError, warn } from '../errors';
import { bind, Rest } from '../keywords';
import { native } from '../native';
import { Tensor, BackwardOptions, runBackward } from '../tensor/tensor';
import { onesLike } from '../tensor/create';
import { stack } from '../tensor/functions';
import { pySize } from '../py-format';

/** What grad() takes for grad_outputs: one tensor, or one entry (tensor or null) per output. */
export type GradOutputs = Tensor | readonly (Tensor | null)[] | null;

/** Python's keyword arguments of torch.autograd.grad after outputs and inputs, in its order. */
export interface GradOptions {
  /** the vector in the vector-Jacobian product, one per output (null: ones for scalar outputs) */
  gradOutputs?: GradOutputs;
  /** keep the graph for another backward; defaults to createGraph */
  retainGraph?: boolean | null;
  /** record the backward pass itself, for higher-order gradients */
  createGraph?: boolean;
  /** deprecated in PyTorch and ignored (false warns, as Python does) */
  onlyInputs?: boolean;
  /** return null for inputs the outputs do not depend on, instead of raising */
  allowUnused?: boolean;
  /**
   * the first dimension of every gradOutput is a batch dimension: one vector-Jacobian product per
   * entry, stacked (Python vmaps over the engine; libtorch 1.13's C++ engine has no batched grad,
   * so this runs the engine once per entry: the same values, one pass each)
   */
  isGradsBatched?: boolean;
}

/** grad()'s optional parameters, positionally in Python's order. */
const GRAD_POSITIONAL = ['gradOutputs', 'retainGraph', 'createGraph', 'onlyInputs', 'allowUnused', 'isGradsBatched'] as const;

type Outs = Tensor | readonly Tensor[];
type Used = GradOptions & { allowUnused?: false };

function list(x: unknown, what: string): (Tensor | null)[] {
  const items = x instanceof Tensor ? [x] : x;
  if (!Array.isArray(items)) throw new TorchError(`${what} must be a Tensor or an array of Tensors`);
  for (const t of items) {
    if (t !== null && !(t instanceof Tensor)) throw new TorchError(`${what} must be a Tensor or an array of Tensors`);
  }
  return items as (Tensor | null)[];
}


/** Python's _make_grads: checks given gradOutputs, ones for scalar outputs given none. */
function makeGrads(outputs: (Tensor | null)[], grads: (Tensor | null)[], batched: boolean): (Tensor | null)[] {
  const n = Math.min(outputs.length, grads.length);
  const out: (Tensor | null)[] = [];
  for (let i = 0; i < n; i++) {
    const o = outputs[i];
    const g = grads[i];
    if (o === null) {
      out.push(g);
      continue;
    }
    if (g !== null) {
      const first = batched ? g.dim() > 0 ? g.select(0, 0) : g : g;
      const want = o.shape;
      if (first.shape.length !== want.length || first.shape.some((s, d) => s !== want[d])) {
        if (batched) {
          // as Python 1.13, which prints the shape of grad_output[0] without its first dimension
          throw new TorchError(
            'If `is_grads_batched=True`, we interpret the first dimension of each grad_output as the batch dimension. ' +
              'The sizes of the remaining dimensions are expected to match the shape of corresponding output, but a mismatch ' +
              `was detected: grad_output[${i}] has a shape of ${pySize(first.shape.slice(1))} and output[${i}] has a shape of ` +
              `${pySize(want)}. If you only want some tensors in \`grad_output\` to be considered batched, consider using vmap.`,
          );
        }
        throw new TorchError(`Mismatch in shape: grad_output[${i}] has a shape of ${pySize(g.shape)} and output[${i}] has a shape of ${pySize(want)}.`);
      }
      if (o.dtype.isComplex !== g.dtype.isComplex) {
        throw new TorchError(
          'For complex Tensors, both grad_output and output are required to have the same dtype. ' +
            `Mismatch in dtype: grad_output[${i}] has a dtype of ${g.dtype} and output[${i}] has a dtype of ${o.dtype}.`,
        );
      }
      out.push(g);
    } else if (o.requiresGrad) {
      if (o.numel() !== 1) throw new TorchError('grad can be implicitly created only for scalar outputs');
      out.push(onesLike(o));
    } else {
      out.push(null);
    }
  }
  return out;
}

function engine(outs: (Tensor | null)[], ins: (Tensor | null)[], grads: (Tensor | null)[] | null, retainGraph: boolean | null, createGraph: boolean, allowUnused: boolean): (Tensor | null)[] {
  const result = native.autogradGrad(
    outs.map((t) => t?._h ?? null),
    ins.map((t) => t?._h ?? null),
    grads === null ? null : grads.map((t) => t?._h ?? null),
    retainGraph,
    createGraph,
    allowUnused,
  );
  return result.map((h) => (h === null ? null : new Tensor(h)));
}

/** isGradsBatched: one engine pass per entry of the batch dimension, the results stacked. */
function batchedGrad(outs: (Tensor | null)[], ins: (Tensor | null)[], grads: (Tensor | null)[], retainGraph: boolean, createGraph: boolean, allowUnused: boolean): (Tensor | null)[] {
  const sizes: number[] = [];
  for (const g of grads) {
    if (g === null) {
      throw new TorchError(
        "vmap(vjp, in_dims=0, ...)(<inputs>): Got in_dim=0 for an input but the input is of type <class 'NoneType'>. " +
          'We cannot vmap over non-Tensor arguments, please use None as the respective in_dim',
      );
    }
    if (g.dim() === 0) {
      throw new TorchError(
        'vmap(vjp, in_dims=0, ...)(<inputs>): Got in_dim=0 for some input, but that input is a Tensor of dimensionality 0 ' +
          'so expected in_dim to satisfy 0 <= in_dim < 0.',
      );
    }
    sizes.push(g.shape[0]);
  }
  if (sizes.some((s) => s !== sizes[0])) {
    throw new TorchError(`vmap: Expected all tensors to have the same size in the mapped dimension, got sizes [${sizes.join(', ')}] for the mapped dimension`);
  }
  const batch = sizes.length ? sizes[0] : 0;
  const rows: (Tensor | null)[][] = [];
  for (let b = 0; b < batch; b++) {
    const last = b === batch - 1;
    rows.push(engine(outs, ins, grads.map((g) => g!.select(0, b)), last ? retainGraph : true, createGraph, allowUnused));
  }
  return ins.map((_, i) => (rows.length === 0 || rows[0][i] === null ? null : stack(rows.map((r) => r[i]!), 0)));
}

/**
 * torch.autograd.grad(outputs, inputs, gradOutputs?, retainGraph?, createGraph?, onlyInputs?,
 * allowUnused?, isGradsBatched?): one gradient per input; any prefix of the optional arguments
 * positionally, the rest in a trailing options object. Entries are null only for inputs the
 * outputs do not depend on, with allowUnused.
 */
export function grad(outputs: Outs, inputs: Outs, ...rest: Rest<Used, typeof GRAD_POSITIONAL>): Tensor[];
/** With allowUnused (or not known to be false): null for the inputs the outputs do not depend on. */
export function grad(outputs: Outs, inputs: Outs, ...rest: Rest<GradOptions, typeof GRAD_POSITIONAL>): (Tensor | null)[];
export function grad(outputs: Outs, inputs: Outs, ...rest: unknown[]): (Tensor | null)[] {
  const a = bind<GradOptions & { outputs: Outs; inputs: Outs }>('grad', [outputs, inputs, ...rest], ['outputs', 'inputs'], GRAD_POSITIONAL);
  const outs = list(a.outputs, 'autograd.grad: outputs');
  const ins = list(a.inputs, 'autograd.grad: inputs');
  const createGraph = a.createGraph ?? false;
  const allowUnused = a.allowUnused ?? false;
  const batched = a.isGradsBatched ?? false;
  if (a.onlyInputs === false) {
    warn(
      'only_inputs argument is deprecated and is ignored now (defaults to True). To accumulate gradient for other ' +
        'parts of the graph, please use torch.autograd.backward.',
    );
  }
  const given = a.gradOutputs == null ? null : list(a.gradOutputs, 'autograd.grad: gradOutputs');
  if (given !== null && given.length !== outs.length) {
    throw new TorchError(`grad requires one gradOutput per output: got ${given.length} gradOutputs and ${outs.length} outputs`);
  }
  const grads = makeGrads(outs, given ?? outs.map(() => null), batched);
  const retainGraph = a.retainGraph ?? createGraph;
  if (batched) return batchedGrad(outs, ins, grads, retainGraph, createGraph, allowUnused);
  return engine(outs, ins, grads, retainGraph, createGraph, allowUnused);
}

/** torch.autograd.backward(tensors, gradTensors): one engine pass seeded by each tensor's gradient. */
export function backward(tensors: Tensor | Tensor[], gradTensors?: Tensor | (Tensor | null)[] | null, options: BackwardOptions = {}): void {
  const roots = list(tensors, 'autograd.backward: tensors');
  const grads = gradTensors == null ? roots.map(() => null) : list(gradTensors, 'autograd.backward: gradTensors');
  if (grads.length !== roots.length) {
    throw new TorchError(`backward requires one gradient per tensor: got ${grads.length} gradients and ${roots.length} tensors`);
  }
  runBackward(roots, grads, options);
}
