// torchvision.ops.deform_conv2d / DeformConv2d (deform_conv.py and its CPU kernel), from ATen ops:
// every kernel tap of every output position samples the input bilinearly at its grid position plus
// a learned offset (zero outside the image, as the kernel's bilinear_interpolate), times an optional
// mask (DCNv2); the samples form a column buffer [C_in * kh * kw per position] that a grouped
// matmul with the weight turns into the output. Samples are embedding_bag 'sum's over the four
// neighbours' rows of a channels-last view of the input, weighted by the bilinear weights; autograd
// then gives the gradients of the input, offset (through the weights), mask, weight and bias that
// the kernel's backward computes.
import { TorchError, ValueError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { empty } from '../../tensor/create';
import * as torch from '../../index';
import { Module } from '../../nn/module';
import { Parameter } from '../../nn/parameter';
import * as init from '../../nn/init';
import { embeddingBag } from '../../nn/functional/embedding';
import { pyStr } from '../../py-format';
import { Size, ntuple } from '../../nn/layers/size-args';
import { ArgsOf, signature } from '../../keywords';

export interface DeformConv2dArgs {
  /** [B, C_in, H, W] */
  input: Tensor;
  /** [B, 2 * offset_groups * kh * kw, H_out, W_out]: (dy, dx) per group and kernel tap */
  offset: Tensor;
  /** [C_out, C_in / groups, kh, kw] */
  weight: Tensor;
  bias?: Tensor | null;
  stride?: Size;
  padding?: Size;
  dilation?: Size;
  /** [B, offset_groups * kh * kw, H_out, W_out]; none: DCNv1 */
  mask?: Tensor | null;
}
const DEFORM_CONV_2D = signature<DeformConv2dArgs>()(['input', 'offset', 'weight'], ['bias', 'stride', 'padding', 'dilation', 'mask']);

/** TORCH_CHECK without a message, as libtorch words it. */
function expect(ok: boolean, condition: string): void {
  if (!ok) {
    throw new TorchError(`Expected ${condition} to be true, but got false.  (Could this error message be improved?  If so, please report an enhancement request to PyTorch.)`);
  }
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new TorchError(message);
}

const SCALAR_NAMES: Record<string, string> = { float64: 'Double', float32: 'Float', float16: 'Half', bfloat16: 'BFloat16' };
const scalarName = (t: Tensor) => SCALAR_NAMES[String(t.dtype).replace('torch.', '')] ?? String(t.dtype);

interface Geometry {
  groups: number; // weight groups
  offsetGroups: number;
  stride: number[];
  padding: number[];
  dilation: number[];
  outH: number;
  outW: number;
}

/** The Python wrapper's and the kernel's shape checks, in their order; the output size. */
function geometry(input: Tensor, offset: Tensor, weight: Tensor, mask: Tensor | null, strideArg: Size, paddingArg: Size, dilationArg: Size): Geometry {
  const [kh, kw] = weight.shape.slice(-2);
  if (input.dim() !== 4) throw new ValueError(`${input.dim() < 4 ? 'not enough' : 'too many'} values to unpack (expected 4${input.dim() < 4 ? `, got ${input.dim()}` : ''})`);
  const inChannels = input.size(1);
  const offsetGroups = Math.floor(offset.size(1) / (2 * kh * kw));
  const groups = Math.floor(inChannels / weight.size(1));
  check(
    offsetGroups !== 0,
    'the shape of the offset tensor at dimension 1 is not valid. It should be a multiple of 2 * weight.size[2] * weight.size[3].\n' +
      `Got offset.shape[1]=${offset.size(1)}, while 2 * weight.size[2] * weight.size[3]=${2 * kh * kw}`,
  );
  expect(offset.dim() === 4, 'offset_c.ndimension() == 4');
  expect(!mask || mask.dim() === 4, '!use_mask || mask_c.ndimension() == 4');
  expect(weight.dim() === 4, 'weight_c.ndimension() == 4');
  const [[sh, sw], [ph, pw], [dh, dw]] = [strideArg, paddingArg, dilationArg].map((v) => ntuple(v, 2));
  // C's integer division truncates toward zero
  const outH = Math.trunc((input.size(2) + 2 * ph - (dh * (kh - 1) + 1)) / sh) + 1;
  const outW = Math.trunc((input.size(3) + 2 * pw - (dw * (kw - 1) + 1)) / sw) + 1;
  check(kh > 0 && kw > 0, `weight_h: ${kh} weight_w: ${kw}`);
  check(sh > 0 && sw > 0, `stride_h: ${sh} stride_w: ${sw}`);
  check(ph >= 0 && pw >= 0, `pad_h: ${ph} pad_w: ${pw}`);
  check(dh > 0 && dw > 0, `dilation_h: ${dh} dilation_w: ${dw}`);
  expect(weight.size(1) * groups === inChannels, 'weight_c.size(1) * n_weight_grps == input_c.size(1)');
  expect(weight.size(0) % groups === 0, 'weight_c.size(0) % n_weight_grps == 0');
  check(offset.size(1) === offsetGroups * 2 * kh * kw, `offset.shape[1] is not valid: got: ${offset.size(1)} expected: ${offsetGroups * 2 * kh * kw}`);
  check(!mask || mask.size(1) === offsetGroups * kh * kw, `mask.shape[1] is not valid: got: ${mask?.size(1)} expected: ${offsetGroups * kh * kw}`);
  expect(inChannels % offsetGroups === 0, 'input_c.size(1) % n_offset_grps == 0');
  check(offset.size(0) === input.size(0), 'invalid batch size of offset');
  check(offset.size(2) === outH && offset.size(3) === outW, `offset output dims: (${offset.size(2)}, ${offset.size(3)}) - computed output dims: (${outH}, ${outW})`);
  check(!mask || mask.size(0) === input.size(0), 'invalid batch size of mask');
  check(!mask || (mask.size(2) === outH && mask.size(3) === outW), `mask output dims: (${mask?.size(2)}, ${mask?.size(3)}) - computed output dims: (${outH}, ${outW})`);
  check(outH > 0 && outW > 0, `Calculated output size too small - out_h: ${outH} out_w: ${outW}`);
  for (const t of [offset, mask]) {
    if (t && t.dtype !== input.dtype) throw new TorchError(`expected scalar type ${scalarName(input)} but found ${scalarName(t)}`);
  }
  return { groups, offsetGroups, stride: [sh, sw], padding: [ph, pw], dilation: [dh, dw], outH, outW };
}

/** One axis of the kernel's integer sampling grid, out * stride - pad + tap * dilation: [1, 1, kh * kw, outH, 1] or [1, 1, kh * kw, 1, outW]. */
function grid(kernel: number[], axis: 0 | 1, g: Geometry, like: Tensor): Tensor {
  const opts = { dtype: like.dtype, device: like.device };
  const out = axis === 0 ? g.outH : g.outW;
  const tap = torch.arange(kernel[axis], opts).mul(g.dilation[axis]).view(axis === 0 ? [-1, 1] : [1, -1]).expand(kernel[0], kernel[1]);
  const at = torch.arange(out, opts).mul(g.stride[axis]).sub(g.padding[axis]).view(axis === 0 ? [1, 1, 1, out, 1] : [1, 1, 1, 1, out]);
  return tap.reshape(1, 1, -1, 1, 1).add(at);
}

/**
 * Bilinear samples of every offset group's channels: [B, G, kh * kw, outH * outW, C_in / G], as the
 * kernel's bilinear_interpolate: neighbours outside the image count 0. Its test for -1 < y < H (and
 * x) is left out: beyond it every weighted neighbour is outside or has weight 0 (y = -1 exactly),
 * and the kernel's offset gradient skips that test too (at y = -1 it is the row-0 neighbours').
 */
function sample(input: Tensor, y: Tensor, x: Tensor, g: Geometry): Tensor {
  const [b, c, height, width] = input.shape;
  const G = g.offsetGroups;
  const perGroup = c / G;
  const [y0, x0] = [y.detach().floor(), x.detach().floor()];
  const [ly, lx] = [y.sub(y0), x.sub(x0)]; // carry the offsets' gradients
  const [hy, hx] = [ly.neg().add(1), lx.neg().add(1)];
  const { index, valid } = torch.noGrad(() => {
    const [yl, xl] = [y0.long(), x0.long()];
    const [yh, xh] = [yl.add(1), xl.add(1)];
    const within = (t: Tensor, size: number) => t.ge(0).logicalAnd(t.lt(size));
    const rowOk = [within(yl, height), within(yh, height)];
    const colOk = [within(xl, width), within(xh, width)];
    const image = torch.arange(b * G, { device: input.device }).view(b, G, 1, 1, 1).mul(height);
    const index: Tensor[] = [];
    const valid: Tensor[] = [];
    for (const [r, row] of [yl, yh].entries()) {
      for (const [s, col] of [xl, xh].entries()) {
        const ok = rowOk[r].logicalAnd(colOk[s]);
        valid.push(ok);
        index.push(image.add(row).mul(width).add(col).mul(ok)); // a valid row where the weight is 0
      }
    }
    return { index: torch.stack(index, -1), valid: torch.stack(valid, -1) };
  });
  // the kernel's order: (hy hx) v1 + (hy lx) v2 + (ly hx) v3 + (ly lx) v4
  const weights = torch.stack([hy.mul(hx), hy.mul(lx), ly.mul(hx), ly.mul(lx)], -1).mul(valid);
  const rows = input.reshape(b, G, perGroup, height, width).permute(0, 1, 3, 4, 2).reshape(-1, perGroup);
  const bags = index.numel() / 4;
  const out = embeddingBag(index.reshape(bags, 4), rows, { mode: 'sum', perSampleWeights: weights.reshape(bags, 4) });
  return out.view(b, G, index.size(2), -1, perGroup);
}

/** deform_conv2d(input, offset, weight, bias=None, stride=(1, 1), padding=(0, 0), dilation=(1, 1), mask=None): [B, C_out, H_out, W_out] */
export function deformConv2d(...args: ArgsOf<typeof DEFORM_CONV_2D>): Tensor {
  const { input, offset, weight, bias = null, stride = 1, padding = 0, dilation = 1, mask = null } = DEFORM_CONV_2D.bind('deform_conv2d', args);
  const g = geometry(input, offset, weight, mask, stride, padding, dilation);
  const b = input.size(0);
  const [outChannels, perGroup, kh, kw] = weight.shape;
  const taps = kh * kw;
  const G = g.offsetGroups;
  const offsets = offset.reshape(b, G, taps, 2, g.outH, g.outW);
  const y = offsets.select(3, 0).add(grid([kh, kw], 0, g, input));
  const x = offsets.select(3, 1).add(grid([kh, kw], 1, g, input));
  let samples = sample(input, y, x, g); // [B, G, taps, L, C_in / G]
  if (mask) samples = samples.mul(mask.reshape(b, G, taps, -1, 1));
  // the column buffer, per position: channel-major, then tap (the weight's flattening)
  const positions = g.outH * g.outW;
  const columns = samples.permute(0, 3, 1, 4, 2).reshape(b * positions, g.groups, perGroup * taps).transpose(0, 1);
  const w = weight.reshape(g.groups, outChannels / g.groups, perGroup * taps).transpose(1, 2);
  const out = columns.bmm(w); // [groups, B * L, C_out / groups]
  let result = out.view(g.groups, b, g.outH, g.outW, -1).permute(1, 0, 4, 2, 3).reshape(b, outChannels, g.outH, g.outW);
  if (bias) result = result.add(bias.view(1, -1, 1, 1));
  return result;
}

export interface DeformConv2dModuleArgs {
  inChannels: number;
  outChannels: number;
  kernelSize: Size;
  stride?: Size;
  padding?: Size;
  dilation?: Size;
  groups?: number;
  bias?: boolean;
}
const DEFORM_CONV_2D_MODULE = signature<DeformConv2dModuleArgs>()(['inChannels', 'outChannels', 'kernelSize'], ['stride', 'padding', 'dilation', 'groups', 'bias']);

/** DeformConv2d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True): forward(input, offset, mask=None). */
export class DeformConv2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: number[];
  readonly dilation: number[];
  readonly groups: number;
  weight: Parameter;
  bias: Parameter | null;

  constructor(...args: ArgsOf<typeof DEFORM_CONV_2D_MODULE>) {
    super();
    const { inChannels, outChannels, kernelSize, stride = 1, padding = 0, dilation = 1, groups = 1, bias = true } = DEFORM_CONV_2D_MODULE.bind('DeformConv2d', args);
    if (inChannels % groups !== 0) throw new ValueError('in_channels must be divisible by groups');
    if (outChannels % groups !== 0) throw new ValueError('out_channels must be divisible by groups');
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = ntuple(kernelSize, 2);
    this.stride = ntuple(stride, 2);
    this.padding = ntuple(padding, 2);
    this.dilation = ntuple(dilation, 2);
    this.groups = groups;
    this.weight = new Parameter(empty([outChannels, inChannels / groups, ...this.kernelSize]));
    this.bias = bias ? new Parameter(empty([outChannels])) : null;
    this.resetParameters();
  }

  /** torchvision's init: kaiming_uniform_(a=sqrt(5)), then the bias U(-1/sqrt(fan_in), 1/sqrt(fan_in)). */
  resetParameters(): void {
    init.kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const bound = 1 / Math.sqrt(init.calculateFanInAndFanOut(this.weight)[0]);
      init.uniform_(this.bias, -bound, bound);
    }
  }

  forward(input: Tensor, offset: Tensor, mask: Tensor | null = null): Tensor {
    return deformConv2d(input, offset, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, mask });
  }

  toString(): string {
    let s = `DeformConv2d(${this.inChannels}, ${this.outChannels}, kernel_size=${pyStr(this.kernelSize)}, stride=${pyStr(this.stride)}`;
    if (this.padding.some((p) => p !== 0)) s += `, padding=${pyStr(this.padding)}`;
    if (this.dilation.some((d) => d !== 1)) s += `, dilation=${pyStr(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (!this.bias) s += ', bias=False';
    return `${s})`;
  }
}
