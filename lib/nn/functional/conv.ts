// Convolutions (F.conv1d/2d/3d, F.conv_transpose1d/2d/3d) and F.unfold/F.fold (im2col/col2im).
import { Tensor, aten } from './torch';
import { Rest, parse, ntuple } from './args';

type Size = number | readonly number[];

export type ConvOptions = { bias?: Tensor | null; stride?: Size; padding?: Size | 'valid' | 'same'; dilation?: Size; groups?: number };
const CONV = ['bias', 'stride', 'padding', 'dilation', 'groups'] as const;

function convolution(name: string) {
  const numeric = aten(name, '');
  const named = aten(name, 'padding');
  return (input: Tensor, weight: Tensor, rest: readonly unknown[]): Tensor => {
    const o = parse<ConvOptions>(name, rest, CONV);
    const args = [input, weight, o.bias ?? null, o.stride ?? 1, o.padding ?? 0, o.dilation ?? 1, o.groups ?? 1];
    return (typeof o.padding === 'string' ? named : numeric)(args) as Tensor;
  };
}
const c1 = convolution('conv1d');
const c2 = convolution('conv2d');
const c3 = convolution('conv3d');

/** F.conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1); padding may be 'valid' | 'same' */
export const conv1d = (input: Tensor, weight: Tensor, ...rest: Rest<ConvOptions, typeof CONV>): Tensor => c1(input, weight, rest);
/** F.conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1); padding may be 'valid' | 'same' */
export const conv2d = (input: Tensor, weight: Tensor, ...rest: Rest<ConvOptions, typeof CONV>): Tensor => c2(input, weight, rest);
/** F.conv3d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1); padding may be 'valid' | 'same' */
export const conv3d = (input: Tensor, weight: Tensor, ...rest: Rest<ConvOptions, typeof CONV>): Tensor => c3(input, weight, rest);

export type ConvTransposeOptions = { bias?: Tensor | null; stride?: Size; padding?: Size; outputPadding?: Size; groups?: number; dilation?: Size };
const CONV_T = ['bias', 'stride', 'padding', 'outputPadding', 'groups', 'dilation'] as const;

function transposed(name: string, overload: string) {
  const f = aten(name, overload);
  return (input: Tensor, weight: Tensor, rest: readonly unknown[]): Tensor => {
    const o = parse<ConvTransposeOptions>(name, rest, CONV_T);
    return f([input, weight, o.bias ?? null, o.stride ?? 1, o.padding ?? 0, o.outputPadding ?? 0, o.groups ?? 1, o.dilation ?? 1]) as Tensor;
  };
}
const t1 = transposed('conv_transpose1d', '');
const t2 = transposed('conv_transpose2d', 'input');
const t3 = transposed('conv_transpose3d', 'input');

/** F.conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1) */
export const convTranspose1d = (input: Tensor, weight: Tensor, ...rest: Rest<ConvTransposeOptions, typeof CONV_T>): Tensor => t1(input, weight, rest);
/** F.conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1) */
export const convTranspose2d = (input: Tensor, weight: Tensor, ...rest: Rest<ConvTransposeOptions, typeof CONV_T>): Tensor => t2(input, weight, rest);
/** F.conv_transpose3d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1) */
export const convTranspose3d = (input: Tensor, weight: Tensor, ...rest: Rest<ConvTransposeOptions, typeof CONV_T>): Tensor => t3(input, weight, rest);

type FoldOptions = { dilation?: Size; padding?: Size; stride?: Size };
const FOLD = ['dilation', 'padding', 'stride'] as const;
const im2col = aten('im2col');
const col2im = aten('col2im');

/** F.unfold(input, kernel_size, dilation=1, padding=0, stride=1): sliding blocks as columns */
export function unfold(input: Tensor, kernelSize: Size, ...rest: Rest<FoldOptions, typeof FOLD>): Tensor {
  const o = parse<FoldOptions>('unfold', rest, FOLD);
  return im2col([input, ntuple(kernelSize, 2), ntuple(o.dilation ?? 1, 2), ntuple(o.padding ?? 0, 2), ntuple(o.stride ?? 1, 2)]) as Tensor;
}

/** F.fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1): columns summed back into an image */
export function fold(input: Tensor, outputSize: Size, kernelSize: Size, ...rest: Rest<FoldOptions, typeof FOLD>): Tensor {
  const o = parse<FoldOptions>('fold', rest, FOLD);
  return col2im([input, ntuple(outputSize, 2), ntuple(kernelSize, 2), ntuple(o.dilation ?? 1, 2), ntuple(o.padding ?? 0, 2), ntuple(o.stride ?? 1, 2)]) as Tensor;
}
