// What String() of a quantized tensor shows beyond a dense one's (lib/tensor/format.ts assembles
// it): the dequantized values, and the quantization scheme with its parameters.
import type { Tensor } from '../../tensor/tensor';
import { pyFloat } from '../../py-format';
import { aten } from '../../tensor/aten';
import { perChannelAffine, perChannelAffineFloatQparams, perChannelSymmetric, perTensorAffine, perTensorSymmetric, qschemeFromCode } from './qscheme';

// the ops themselves, not the Tensor methods: lib/tensor/format.ts imports this file before the
// methods exist (and the code generator compiles it without their generated declarations)
const op = {
  qscheme: aten('qscheme'),
  qScale: aten('q_scale'),
  qZeroPoint: aten('q_zero_point'),
  qPerChannelScales: aten('q_per_channel_scales'),
  qPerChannelZeroPoints: aten('q_per_channel_zero_points'),
  qPerChannelAxis: aten('q_per_channel_axis'),
  dequantize: aten('dequantize', 'self'),
};

/**
 * The suffixes of a quantized tensor's repr after its size and dtype: quantization_scheme and its
 * parameters (per-channel ones as tensor reprs), as PyTorch 1.13's _str_intern adds them.
 */
export function quantizationSuffixes(t: Tensor): string[] {
  const scheme = qschemeFromCode(op.qscheme([t]) as number);
  const suffixes = [`quantization_scheme=${scheme.toString()}`];
  if (scheme === perTensorAffine || scheme === perTensorSymmetric) {
    suffixes.push(`scale=${pyFloat(op.qScale([t]) as number)}`, `zero_point=${op.qZeroPoint([t]) as number}`);
  } else if (scheme === perChannelAffine || scheme === perChannelSymmetric || scheme === perChannelAffineFloatQparams) {
    const scales = op.qPerChannelScales([t]) as Tensor;
    const zeroPoints = op.qPerChannelZeroPoints([t]) as Tensor;
    suffixes.push(`scale=${String(scales)}`, `zero_point=${String(zeroPoints)}`, `axis=${op.qPerChannelAxis([t]) as number}`);
    scales.dispose();
    zeroPoints.dispose();
  }
  return suffixes;
}

/** The real values a quantized tensor stands for (what its repr prints). */
export function dequantized(t: Tensor): Tensor {
  return op.dequantize([t]) as Tensor;
}
