// String(tensor): exactly what PyTorch 1.13 prints for print(t) (torch/_tensor_str.py): the body
// from format/body.ts, then the suffixes (device, dtype, size of empties, grad_fn/requires_grad).
// Sparse COO tensors print their indices and values, then size, nnz and layout.
import { Tensor } from './tensor';
import { native } from '../native';
import { complex128, complex64, float64, getDefaultDtype, int64, bool } from './dtype';
import { tensorBody } from './format/body';
import { getPrintoptions, PrintOptions } from './format/options';
import { dequantized, quantizationSuffixes } from '../ao/quantization/format';
import { pyTuple } from '../py-format';

export { setPrintoptions, getPrintoptions } from './format/options';
export type { PrintOptions, SetPrintOptions, PrintProfile } from './format/options';

// Suffixes go on the last line while it stays within linewidth, else on a new indented line.
// (The +1 in the last line's length is PyTorch's own arithmetic, kept for identical output.)
// A sparse tensor's first suffix always starts a new line (forceNewline).
function addSuffixes(text: string, suffixes: string[], indent: number, linewidth: number, forceNewline = false): string {
  let out = text;
  let lastLineLength = text.length - text.lastIndexOf('\n') + 1;
  for (const suffix of suffixes) {
    if (forceNewline || lastLineLength + suffix.length + 2 > linewidth) {
      out += `,\n${' '.repeat(indent)}${suffix}`;
      lastLineLength = indent + suffix.length;
      forceNewline = false;
    } else {
      out += `, ${suffix}`;
      lastLineLength += suffix.length + 2;
    }
  }
  return `${out})`;
}

/** Python's _tensor_str of a part of a sparse tensor: empty parts show their size. */
function partBody(part: Tensor, indent: number, options: PrintOptions): string {
  return part.numel() === 0 ? `[], size=${pyTuple(part.shape)}` : tensorBody(part, indent, options);
}

/** indices=tensor(...),\n values=tensor(...), aligned as PyTorch aligns them. */
function sparseBody(t: Tensor, indent: number, options: PrintOptions): string {
  const indicesPrefix = 'indices=tensor(';
  const valuesPrefix = 'values=tensor(';
  const indices = partBody(t._indices().detach(), indent + indicesPrefix.length, options);
  const values = partBody(t._values().detach(), indent + valuesPrefix.length, options);
  return `${indicesPrefix}${indices}),\n${' '.repeat(indent)}${valuesPrefix}${values})`;
}

/**
 * Python's Tensor.__repr__: formatted with torch.func's transforms bypassed (so printing inside
 * vmap/grad runs plain ops), and a transform's wrapper shown around its value.
 */
export function formatTensor(t: Tensor): string {
  const bypassed = native.functorchDisabled();
  native.functorchDisabled(true);
  try {
    return wrapperOrPlainStr(t);
  } finally {
    native.functorchDisabled(bypassed);
  }
}

/** BatchedTensor(lvl, bdim, value=...) / GradTrackingTensor(lvl, value=...) as Python prints them. */
function wrapperOrPlainStr(t: Tensor): string {
  const level = native.functorchMaybeGetLevel(t._h);
  if (level === -1) return plainTensorStr(t);
  const value = new Tensor(native.functorchGetUnwrapped(t._h));
  const valueStr = wrapperOrPlainStr(value).replace(/^/gm, '    ');
  value.dispose();
  if (native.functorchIsBatchedTensor(t._h)) return `BatchedTensor(lvl=${level}, bdim=${native.functorchMaybeGetBdim(t._h)}, value=\n${valueStr}\n)`;
  return `GradTrackingTensor(lvl=${level}, value=\n${valueStr}\n)`;
}

function plainTensorStr(t: Tensor): string {
  const options = getPrintoptions();
  const prefix = 'tensor(';
  const indent = prefix.length;
  const suffixes: string[] = [];
  const device = t.device;
  // The default device is always the CPU here (no set_default_tensor_type).
  if (device.type !== 'cpu') suffixes.push(`device='${device.toString()}'`);

  const dtype = t.dtype;
  const defaultDtype = getDefaultDtype();
  const defaultComplex = defaultDtype === float64 ? complex128 : complex64;
  const shownByDefault = [defaultDtype, defaultComplex, int64, bool].includes(dtype);
  const sparse = t.isSparse;
  let body: string;
  if (sparse) {
    suffixes.push(`size=${pyTuple(t.shape)}`, `nnz=${t._nnz()}`);
    if (!shownByDefault) suffixes.push(`dtype=${dtype.toString()}`);
    body = sparseBody(t, indent, options);
  } else if (t.isQuantized) {
    // the dequantized values; size and dtype (never a default one) always show
    suffixes.push(`size=${pyTuple(t.shape)}`, `dtype=${dtype.toString()}`, ...quantizationSuffixes(t));
    const values = dequantized(t);
    body = values.numel() === 0 ? '[]' : tensorBody(values, indent, options);
    values.dispose();
  } else if (device.type === 'meta' || t.numel() === 0) {
    // No data to print. Empty tensors show their shape unless 1-D, and any dtype but the default
    // float one, since there are no elements to tell an int64 tensor apart.
    if (device.type === 'meta' || t.dim() !== 1) suffixes.push(`size=${pyTuple(t.shape)}`);
    if (dtype !== defaultDtype) suffixes.push(`dtype=${dtype.toString()}`);
    body = device.type === 'meta' ? '...' : '[]';
  } else {
    if (!shownByDefault) suffixes.push(`dtype=${dtype.toString()}`);
    body = tensorBody(t, indent, options);
  }

  if (sparse) suffixes.push('layout=torch.sparse_coo');

  const gradFn = t.gradFn;
  if (gradFn) suffixes.push(`grad_fn=<${gradFn.name().split('::').pop()}>`);
  else if (t.requiresGrad) suffixes.push('requires_grad=True');

  return addSuffixes(prefix + body, suffixes, indent, options.linewidth, sparse);
}
