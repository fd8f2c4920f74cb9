// nn.Fold and nn.Unfold (torch/nn/modules/fold.py): sliding blocks to columns (im2col) and back,
// with the sizes kept as given, as PyTorch prints them.
import { Tensor } from '../../tensor/tensor';
import { Module } from '../module';
import { Rest, parse } from '../functional/args';
import { fold, unfold } from '../functional/conv';
import { Size, py } from './size-args';

export type FoldOptions = { dilation?: Size; padding?: Size; stride?: Size };
const FOLD_ARGS = ['dilation', 'padding', 'stride'] as const;

/** dilation, padding and stride, defaulted as PyTorch does */
function blockSettings(name: string, rest: readonly unknown[]): Required<FoldOptions> {
  const o = parse<FoldOptions>(name, rest, FOLD_ARGS);
  return { dilation: o.dilation ?? 1, padding: o.padding ?? 0, stride: o.stride ?? 1 };
}

export class Fold extends Module {
  readonly dilation: Size;
  readonly padding: Size;
  readonly stride: Size;

  /** Fold(output_size, kernel_size, dilation=1, padding=0, stride=1) */
  constructor(
    readonly outputSize: Size,
    readonly kernelSize: Size,
    ...rest: Rest<FoldOptions, typeof FOLD_ARGS>
  ) {
    super();
    ({ dilation: this.dilation, padding: this.padding, stride: this.stride } = blockSettings('Fold', rest));
  }

  forward(input: Tensor): Tensor {
    return fold(input, this.outputSize, this.kernelSize, this.dilation, this.padding, this.stride);
  }

  extraRepr(): string {
    return `output_size=${py(this.outputSize)}, kernel_size=${py(this.kernelSize)}, dilation=${py(this.dilation)}, padding=${py(this.padding)}, stride=${py(this.stride)}`;
  }
}

export class Unfold extends Module {
  readonly dilation: Size;
  readonly padding: Size;
  readonly stride: Size;

  /** Unfold(kernel_size, dilation=1, padding=0, stride=1) */
  constructor(
    readonly kernelSize: Size,
    ...rest: Rest<FoldOptions, typeof FOLD_ARGS>
  ) {
    super();
    ({ dilation: this.dilation, padding: this.padding, stride: this.stride } = blockSettings('Unfold', rest));
  }

  forward(input: Tensor): Tensor {
    return unfold(input, this.kernelSize, this.dilation, this.padding, this.stride);
  }

  extraRepr(): string {
    return `kernel_size=${py(this.kernelSize)}, dilation=${py(this.dilation)}, padding=${py(this.padding)}, stride=${py(this.stride)}`;
  }
}
