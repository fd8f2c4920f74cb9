// nn.Fold and nn.Unfold (torch/nn/modules/fold.py): sliding blocks to columns (im2col) and back,
// with the sizes kept as given, as PyTorch prints them.
import { Tensor } from '../../tensor/tensor';
import { Module } from '../module';
import { ArgsOf, signature } from '../../keywords';
import { fold, unfold } from '../functional/conv';
import { pyStr } from '../../py-format';
import { Size } from './size-args';

export type FoldOptions = { dilation?: Size; padding?: Size; stride?: Size };
/** Fold's and Unfold's parameters by name: Fold(output_size, kernel_size, dilation=1, padding=0, stride=1), Unfold(kernel_size, ...). */
export type FoldArgs = { outputSize: Size; kernelSize: Size } & FoldOptions;
export type UnfoldArgs = { kernelSize: Size } & FoldOptions;
const FOLD = signature<FoldArgs>()(['outputSize', 'kernelSize'], ['dilation', 'padding', 'stride']);
const UNFOLD = signature<UnfoldArgs>()(['kernelSize'], ['dilation', 'padding', 'stride']);

/** dilation, padding and stride, defaulted as PyTorch does */
function blockSettings(o: FoldOptions): Required<FoldOptions> {
  return { dilation: o.dilation ?? 1, padding: o.padding ?? 0, stride: o.stride ?? 1 };
}

export class Fold extends Module {
  readonly dilation: Size;
  readonly padding: Size;
  readonly stride: Size;

  /** Fold(output_size, kernel_size, dilation=1, padding=0, stride=1) */
  readonly outputSize: Size;
  readonly kernelSize: Size;

  constructor(...args: ArgsOf<typeof FOLD>) {
    super();
    const o = FOLD.bind('Fold', args);
    this.outputSize = o.outputSize;
    this.kernelSize = o.kernelSize;
    ({ dilation: this.dilation, padding: this.padding, stride: this.stride } = blockSettings(o));
  }

  forward(input: Tensor): Tensor {
    return fold(input, this.outputSize, this.kernelSize, this.dilation, this.padding, this.stride);
  }

  extraRepr(): string {
    return `output_size=${pyStr(this.outputSize)}, kernel_size=${pyStr(this.kernelSize)}, dilation=${pyStr(this.dilation)}, padding=${pyStr(this.padding)}, stride=${pyStr(this.stride)}`;
  }
}

export class Unfold extends Module {
  readonly dilation: Size;
  readonly padding: Size;
  readonly stride: Size;

  /** Unfold(kernel_size, dilation=1, padding=0, stride=1) */
  readonly kernelSize: Size;

  constructor(...args: ArgsOf<typeof UNFOLD>) {
    super();
    const o = UNFOLD.bind('Unfold', args);
    this.kernelSize = o.kernelSize;
    ({ dilation: this.dilation, padding: this.padding, stride: this.stride } = blockSettings(o));
  }

  forward(input: Tensor): Tensor {
    return unfold(input, this.kernelSize, this.dilation, this.padding, this.stride);
  }

  extraRepr(): string {
    return `kernel_size=${pyStr(this.kernelSize)}, dilation=${pyStr(this.dilation)}, padding=${pyStr(this.padding)}, stride=${pyStr(this.stride)}`;
  }
}
