// nn.Flatten and nn.Unflatten (torch/nn/modules/flatten.py).
import { TorchError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { Module } from '../module';
import { Rest, parse } from '../functional/args';
import { ArgsOf, signature } from '../../keywords';
import { pyStr } from '../../py-format';

export type FlattenOptions = { startDim?: number; endDim?: number };
const FLATTEN_ARGS = ['startDim', 'endDim'] as const;

export class Flatten extends Module {
  readonly startDim: number;
  readonly endDim: number;

  /** Flatten(start_dim=1, end_dim=-1) */
  constructor(...rest: Rest<FlattenOptions, typeof FLATTEN_ARGS>) {
    super();
    const o = parse<FlattenOptions>('Flatten', rest, FLATTEN_ARGS);
    this.startDim = o.startDim ?? 1;
    this.endDim = o.endDim ?? -1;
  }

  forward(input: Tensor): Tensor {
    return input.flatten(this.startDim, this.endDim);
  }

  extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}

/** Unflatten's parameters by name: Unflatten(dim, unflattened_size). */
export interface UnflattenArgs {
  dim: number;
  unflattenedSize: number[];
}
const UNFLATTEN = signature<UnflattenArgs>()(['dim', 'unflattenedSize'], []);

export class Unflatten extends Module {
  readonly dim: number;
  readonly unflattenedSize: number[];

  /** Unflatten(dim, unflattened_size): dim is an int (named-tensor dims are not supported here) */
  constructor(...args: ArgsOf<typeof UNFLATTEN>) {
    super();
    const { dim, unflattenedSize } = UNFLATTEN.bind('Unflatten', args);
    this.dim = dim;
    this.unflattenedSize = unflattenedSize;
    if (typeof dim !== 'number') throw new TorchError('invalid argument type for dim parameter (only int dims are supported)');
    if (!Array.isArray(unflattenedSize)) {
      throw new TorchError(`unflattened_size must be a tuple of ints, but found type ${pyTypeName(unflattenedSize)}`);
    }
    unflattenedSize.forEach((e, i) => {
      if (!Number.isInteger(e)) throw new TorchError(`unflattened_size must be tuple of ints, but found element of type ${pyTypeName(e)} at pos ${i}`);
    });
  }

  forward(input: Tensor): Tensor {
    return input.unflatten(this.dim, this.unflattenedSize);
  }

  extraRepr(): string {
    return `dim=${this.dim}, unflattened_size=${pyStr(this.unflattenedSize)}`;
  }
}

function pyTypeName(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'str';
  if (v === null || v === undefined) return 'NoneType';
  return typeof v;
}
