// torch.func.vmap: maps fn over a dimension of its inputs by running it once on batched tensors
// (libtorch's functorch batching rules), as Python's torch.func.vmap (functorch 1.13, and 2.x's
// chunkSize). Inputs and outputs are pytrees (arrays, plain objects) of tensors.
//   const batchedDot = torch.vmap(torch.dot);            // [N, D], [N, D] -> [N]
//   torch.vmap(f, [0, null])(x, w); torch.vmap(f, { inDims: 1, outDims: 1, chunkSize: 2 })(x)
import { TorchError, ValueError, pyType } from '../errors';
import { parse, type Rest } from '../keywords';
import { Tensor } from '../tensor/tensor';
import * as torch from '../nn/functional/torch';
import { getRngState, setRngState } from '../tensor/random';
import { addBatchDim, disposeWrappersAt, pushVmap, removeBatchDim, withLayer, type Randomness } from './layers';
import { funcName, keepName, treeRepr } from './names';
import { broadcastToAndFlatten, specRepr, treeFlatten, treeUnflatten, type TreeSpec } from './pytree';

/** An input's mapped dimension (null: not mapped), nested like the inputs. */
export type InDims = number | null | readonly InDims[] | { readonly [key: string]: InDims };
/** Where each output's mapped dimension goes, nested like the outputs. */
export type OutDims = number | readonly OutDims[] | { readonly [key: string]: OutDims };

export interface VmapOptions {
  /** default 0; an array with one entry per argument, nested like it */
  inDims?: InDims;
  /** default 0 */
  outDims?: OutDims;
  /** random ops inside: 'error' (default), 'different' per example, or 'same' for all */
  randomness?: Randomness;
  /** run the batch in chunks of this many examples (2.x's chunk_size; null: all at once) */
  chunkSize?: number | null;
}
const POSITIONAL = ['inDims', 'outDims', 'randomness'] as const;
const KW_ONLY = ['chunkSize'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Fn = (...args: any[]) => unknown;

interface Batch {
  size: number;
  flatInDims: (number | null)[];
  flatArgs: unknown[];
  argsSpec: TreeSpec;
}

function checkRandomness(randomness: string): void {
  if (!['error', 'different', 'same'].includes(randomness)) {
    throw new TorchError(`Only allowed values for randomness are 'error', 'different', or 'same'. Got ${randomness}`);
  }
}

function checkOutDims(outDims: OutDims, fn: Fn): void {
  const [leaves] = treeFlatten(outDims);
  for (const d of leaves) {
    if (!Number.isInteger(d)) {
      throw new ValueError(
        `vmap(${funcName(fn)}, ..., out_dims=${treeRepr(outDims)}): \`out_dims\` must be an int or a python collection of ints ` +
          'representing where in the outputs the vmapped dimension should appear.',
      );
    }
  }
}

function batchSizeOf(flatInDims: (number | null)[], flatArgs: unknown[]): number {
  const sizes = flatArgs.flatMap((a, i) => (flatInDims[i] === null ? [] : [(a as Tensor).size(flatInDims[i]!)]));
  if (sizes.length === 0) throw new ValueError('vmap: Expected at least one Tensor to vmap over');
  if (sizes.some((s) => s !== sizes[0])) {
    throw new ValueError(
      `vmap: Expected all tensors to have the same size in the mapped dimension, got sizes [${sizes.join(', ')}] for the mapped dimension`,
    );
  }
  return sizes[0];
}

/** Python's _process_batched_inputs: flattens the arguments and checks each one's in_dim. */
function processInputs(inDims: InDims, args: unknown[], fn: Fn): Batch {
  const where = `vmap(${funcName(fn)}, in_dims=${treeRepr(inDims)}, ...)(<inputs>)`;
  if (!Number.isInteger(inDims) && !Array.isArray(inDims)) {
    throw new ValueError(
      `${where}: expected \`in_dims\` to be int or a (potentially nested) tuple matching the structure of inputs, got: ${pyType(inDims)}.`,
    );
  }
  if (args.length === 0) {
    throw new ValueError(
      `vmap(${funcName(fn)})(<inputs>): got no inputs. Maybe you forgot to add inputs, or you are trying to vmap over a function ` +
        'with no inputs. The latter is unsupported.',
    );
  }
  const [flatArgs, argsSpec] = treeFlatten(args);
  const broadcast = broadcastToAndFlatten(inDims, argsSpec);
  if (broadcast === null) {
    throw new ValueError(
      `${where}: in_dims is not compatible with the structure of \`inputs\`. in_dims has structure ` +
        `${specRepr(treeFlatten(inDims)[1])} but inputs has structure ${specRepr(argsSpec)}.`,
    );
  }
  const flatInDims = broadcast.map((d, i): number | null => {
    const arg = flatArgs[i];
    if (d === undefined || d === null) return null;
    if (!Number.isInteger(d)) {
      throw new ValueError(`${where}: Got in_dim=${treeRepr(d)} for an input but in_dim must be either an integer dimension or None.`);
    }
    if (!(arg instanceof Tensor)) {
      throw new ValueError(
        `${where}: Got in_dim=${d} for an input but the input is of type ${pyType(arg)}. We cannot vmap over non-Tensor arguments, ` +
          'please use None as the respective in_dim',
      );
    }
    const rank = arg.dim();
    const dim = d as number;
    if (dim < -rank || dim >= rank) {
      throw new ValueError(
        `${where}: Got in_dim=${dim} for some input, but that input is a Tensor of dimensionality ${rank} so expected in_dim to ` +
          `satisfy -${rank} <= in_dim < ${rank}.`,
      );
    }
    return dim < 0 ? dim + rank : dim;
  });
  return { size: batchSizeOf(flatInDims, flatArgs), flatInDims, flatArgs, argsSpec };
}

/** Python's _unwrap_batched: each output's batch dim of this level moved to its out_dim. */
function unwrapOutputs(outputs: unknown, outDims: OutDims, level: number, batchSize: number, fn: Fn): unknown {
  const [flat, spec] = treeFlatten(outputs);
  for (const out of flat) {
    if (!(out instanceof Tensor)) {
      const name = funcName(fn);
      throw new ValueError(`vmap(${name}, ...): \`${name}\` must only return Tensors, got type ${pyType(out)} as a return.`);
    }
  }
  const incompatible = (): never => {
    throw new ValueError(
      `vmap(${funcName(fn)}, ..., out_dims=${treeRepr(outDims)})(<inputs>): out_dims is not compatible with the structure of ` +
        `\`outputs\`. out_dims has structure ${specRepr(treeFlatten(outDims)[1])} but outputs has structure ${specRepr(spec)}.`,
    );
  };
  let flatOutDims: unknown[] | null;
  if (outputs instanceof Tensor) {
    // a single tensor takes an int, or a one-element tuple
    if (typeof outDims === 'number') flatOutDims = [outDims];
    else if (Array.isArray(outDims) && outDims.length === 1) flatOutDims = outDims;
    else flatOutDims = incompatible();
  } else {
    flatOutDims = broadcastToAndFlatten(outDims, spec) ?? incompatible();
  }
  const results = (flat as Tensor[]).map((out, i) => removeBatchDim(out, level, batchSize, flatOutDims![i] as number));
  disposeWrappersAt(flat, level);
  return treeUnflatten(results, spec);
}

/** Python's _flat_vmap: one vmap layer around fn. */
function flatVmap(fn: Fn, batch: Batch, outDims: OutDims, randomness: Randomness): unknown {
  return withLayer('vmap', pushVmap(batch.size, randomness), (level) => {
    const batched = batch.flatArgs.map((a, i) => (batch.flatInDims[i] === null ? a : addBatchDim(a as Tensor, batch.flatInDims[i]!, level)));
    try {
      const outputs = fn(...(treeUnflatten(batched, batch.argsSpec) as unknown[]));
      return unwrapOutputs(outputs, outDims, level, batch.size, fn);
    } finally {
      disposeWrappersAt(batched, level);
    }
  });
}

/** Sizes of the chunks: chunkSize each, the remainder last. */
function chunkSizes(total: number, chunkSize: number): number[] {
  const sizes = new Array<number>(Math.floor(total / chunkSize)).fill(chunkSize);
  if (total % chunkSize !== 0) sizes.push(total % chunkSize);
  return sizes;
}

/** 2.x's _chunked_vmap: vmap over each chunk of the batch, outputs concatenated along their out_dims. */
function chunkedVmap(fn: Fn, batch: Batch, chunkSize: number, outDims: OutDims, randomness: Randomness): unknown {
  const sizes = chunkSizes(batch.size, chunkSize);
  if (sizes.length <= 1) return flatVmap(fn, batch, outDims, randomness);
  const splits = batch.flatArgs.map((a, i) => {
    const dim = batch.flatInDims[i];
    return dim === null ? sizes.map(() => a) : (a as Tensor).split(sizes, dim);
  });
  // 'same' randomness: every chunk draws what the first did
  const rngState = randomness === 'same' ? getRngState() : null;
  const chunkOutputs: unknown[][] = [];
  let outSpec: TreeSpec | undefined;
  sizes.forEach((size, c) => {
    if (rngState !== null) setRngState(rngState);
    const flatArgs = splits.map((s) => s[c]);
    const out = flatVmap(fn, { size, flatInDims: batch.flatInDims, flatArgs, argsSpec: batch.argsSpec }, outDims, randomness);
    const [flat, spec] = treeFlatten(out);
    chunkOutputs.push(flat);
    outSpec = spec;
  });
  splits.forEach((parts, i) => batch.flatInDims[i] !== null && (parts as Tensor[]).forEach((p) => p.dispose()));
  // every chunk's outputs passed unwrapOutputs' checks, a single tensor's one-element outDims included
  const flatOutDims = outSpec!.kind === 'leaf' && Array.isArray(outDims) ? outDims : broadcastToAndFlatten(outDims, outSpec!)!;
  const joined = flatOutDims.map((d, i) => {
    const parts = chunkOutputs.map((flat) => flat[i] as Tensor);
    const whole = torch.cat(parts, d as number);
    parts.forEach((p) => p.dispose());
    return whole;
  });
  return treeUnflatten(joined, outSpec!);
}

/**
 * torch.func.vmap(fn, inDims = 0, outDims = 0, randomness = 'error', { chunkSize }): fn mapped over
 * dimension inDims of its inputs, the mapped dimension placed at outDims of its outputs.
 */
export function vmap<F extends Fn>(fn: F, ...rest: Rest<VmapOptions, typeof POSITIONAL>): (...args: Parameters<F>) => any; // eslint-disable-line @typescript-eslint/no-explicit-any
export function vmap(fn: Fn, ...rest: unknown[]): Fn {
  const o = parse<VmapOptions>('vmap', rest, POSITIONAL, KW_ONLY);
  const inDims = o.inDims === undefined ? 0 : o.inDims;
  const outDims = o.outDims ?? 0;
  const randomness = o.randomness ?? 'error';
  const chunkSize = o.chunkSize ?? null;
  checkRandomness(randomness);
  if (chunkSize !== null && !(Number.isInteger(chunkSize) && chunkSize > 0)) {
    throw new ValueError(`vmap: chunk_size should be None or greater than 0. (got ${chunkSize})`);
  }
  if (typeof fn !== 'function') throw new TorchError(`vmap(func): func must be a function, got ${pyType(fn)}`);
  const wrapped = (...args: unknown[]): unknown => {
    checkOutDims(outDims, fn);
    const batch = processInputs(inDims, args, fn);
    if (chunkSize !== null) return chunkedVmap(fn, batch, chunkSize, outDims, randomness);
    return flatVmap(fn, batch, outDims, randomness);
  };
  return keepName(wrapped, fn);
}

