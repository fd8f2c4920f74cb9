// String() of a quantized tensor, as PyTorch 1.13's _tensor_str prints it: the dequantized values,
// then size, dtype, quantization_scheme and its parameters (per-channel ones as tensor reprs).
import type { Tensor } from '../../tensor/tensor';
import { tensorBody } from '../../tensor/format/body';
import { getPrintoptions } from '../../tensor/format/options';
import { pyFloat } from '../../nn/layers/py-format';
import { aten } from '../../tensor/aten';
import { perChannelAffine, perChannelAffineFloatQparams, perChannelSymmetric, perTensorAffine, perTensorSymmetric, qschemeFromCode } from './qscheme';

// the op itself, not t.qscheme(): lib/tensor/format.ts may import this file before Tensor exists
const qschemeOp = aten('qscheme', '');

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
  const scheme = qschemeFromCode(qschemeOp([t]) as number);
  suffixes.push(`quantization_scheme=${scheme.toString()}`);
  if (scheme === perTensorAffine || scheme === perTensorSymmetric) {
    suffixes.push(`scale=${pyFloat(t.qScale())}`, `zero_point=${t.qZeroPoint()}`);
  } else if (scheme === perChannelAffine || scheme === perChannelSymmetric || scheme === perChannelAffineFloatQparams) {
    suffixes.push(`scale=${String(t.qPerChannelScales())}`, `zero_point=${String(t.qPerChannelZeroPoints())}`, `axis=${t.qPerChannelAxis()}`);
  }
  const values = t.dequantize();
  try {
    const body = values.numel() === 0 ? '[]' : tensorBody(values, indent, options);
    return addSuffixes(prefix + body, suffixes, indent, options.linewidth);
  } finally {
    values.dispose();
  }
}
