// String() of a quantized tensor, as PyTorch 1.13's _tensor_str prints it: the dequantized values,
// then size, dtype, quantization_scheme and its parameters (per-channel ones as tensor reprs).
import type { Tensor } from '../../tensor/tensor';
import { tensorBody } from '../../tensor/format/body';
import { getPrintoptions } from '../../tensor/format/options';
import { pyFloat } from '../../nn/layers/py-format';
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

function pyShape(shape: number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

// Python's _add_suffixes: on the last line while it fits the line width, else on a new one.
function addSuffixes(text: string, suffixes: string[], indent: number, linewidth: number): string {
  let out = text;
  let lastLineLength = text.length - text.lastIndexOf('\n') + 1;
  for (const suffix of suffixes) {
    if (lastLineLength + suffix.length + 2 > linewidth) {
      out += `,\n${' '.repeat(indent)}${suffix}`;
      lastLineLength = indent + suffix.length;
    } else {
      out += `, ${suffix}`;
      lastLineLength += suffix.length + 2;
    }
  }
  return `${out})`;
}

export function formatQuantized(t: Tensor): string {
  const options = getPrintoptions();
  const prefix = 'tensor(';
  const indent = prefix.length;
  const suffixes: string[] = [];
  if (t.device.type !== 'cpu') suffixes.push(`device='${t.device.toString()}'`);
  // a quantized dtype is never the default one, so it always shows
  suffixes.push(`size=${pyShape(t.shape)}`, `dtype=${t.dtype.toString()}`);
  const scheme = qschemeFromCode(op.qscheme([t]) as number);
  suffixes.push(`quantization_scheme=${scheme.toString()}`);
  if (scheme === perTensorAffine || scheme === perTensorSymmetric) {
    suffixes.push(`scale=${pyFloat(op.qScale([t]) as number)}`, `zero_point=${op.qZeroPoint([t]) as number}`);
  } else if (scheme === perChannelAffine || scheme === perChannelSymmetric || scheme === perChannelAffineFloatQparams) {
    const scales = op.qPerChannelScales([t]) as Tensor;
    const zeroPoints = op.qPerChannelZeroPoints([t]) as Tensor;
    suffixes.push(`scale=${String(scales)}`, `zero_point=${String(zeroPoints)}`, `axis=${op.qPerChannelAxis([t]) as number}`);
    scales.dispose();
    zeroPoints.dispose();
  }
  const values = op.dequantize([t]) as Tensor;
  try {
    const body = values.numel() === 0 ? '[]' : tensorBody(values, indent, options);
    return addSuffixes(prefix + body, suffixes, indent, options.linewidth);
  } finally {
    values.dispose();
  }
}
