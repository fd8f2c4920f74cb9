// Shared by the quantization tests: values (quantized or float tensors, TorchScript objects, dtypes,
// containers) turned into plain data that compares exactly with the same description made in Python,
// and the quantized engine switched per test and restored afterwards.
import * as torch from '../../lib';
import { quantized as quantizedBackend } from '../../lib/ao/quantization/engine';
import { ScriptObject } from '../../lib/serialization/script-object';

/** A quantized tensor as plain data: integers and shape, dtype and qscheme, then its qparams. */
export interface QuantizedDescription {
  ints: number[];
  shape: number[];
  dtype: string;
  qscheme: string;
  scale?: number;
  zp?: number;
  scales?: number[];
  zps?: number[];
  axis?: number;
}

const isPerTensor = (t: torch.Tensor): boolean => t.qscheme() === torch.perTensorAffine || t.qscheme() === torch.perTensorSymmetric;

export function describeQuantizedTensor(t: torch.Tensor): QuantizedDescription {
  const d: QuantizedDescription = { ints: t.intRepr().flatten().tolist() as number[], shape: [...t.shape], dtype: String(t.dtype), qscheme: String(t.qscheme()) };
  if (isPerTensor(t)) return { ...d, scale: t.qScale(), zp: t.qZeroPoint() };
  return { ...d, scales: t.qPerChannelScales().tolist() as number[], zps: t.qPerChannelZeroPoints().tolist() as number[], axis: t.qPerChannelAxis() };
}

/** Any value a quantized module's state_dict or forward can hold, described like Python's `describe`. */
export function describeQuantized(v: unknown): unknown {
  if (v instanceof torch.Tensor) {
    if (v.isQuantized) return describeQuantizedTensor(v);
    return { values: v.detach().flatten().tolist(), shape: [...v.shape], dtype: String(v.dtype) };
  }
  if (v instanceof ScriptObject) return { class: v.qualifiedName, state: describeQuantized(v.state) };
  if (Array.isArray(v)) return v.map(describeQuantized);
  if (v === null || v === undefined) return null;
  // JSON keeps Python's numbers, bools and strings as they are; anything else (a dtype) by its str
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return v;
  return String(v);
}

export function describeStateDict(sd: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(sd).map(([k, v]) => [k, describeQuantized(v)]));
}

/** Python's `describe(v)` and `describe_sd(sd)`, the counterparts of the two functions above. */
// (builtins by module: a test program may name a variable float or str)
export const PY_DESCRIBE_QUANTIZED = `
import builtins as _builtins
def describe(v):
    if isinstance(v, torch.Tensor):
        if not v.is_quantized:
            return {'values': v.detach().flatten().tolist(), 'shape': list(v.shape), 'dtype': str(v.dtype)}
        d = {'ints': v.int_repr().flatten().tolist(), 'shape': list(v.shape), 'dtype': str(v.dtype), 'qscheme': str(v.qscheme())}
        if v.qscheme() in (torch.per_tensor_affine, torch.per_tensor_symmetric):
            d.update(scale=v.q_scale(), zp=v.q_zero_point())
        else:
            d.update(scales=v.q_per_channel_scales().tolist(), zps=v.q_per_channel_zero_points().tolist(), axis=v.q_per_channel_axis())
        return d
    if isinstance(v, torch.ScriptObject):
        state, qualified_name = v.__getstate__()
        return {'class': qualified_name, 'state': describe(state)}
    if isinstance(v, (list, tuple)):
        return [describe(x) for x in v]
    if v is None or isinstance(v, (_builtins.bool, _builtins.int, _builtins.float, _builtins.str)):
        return v
    return str(v)
def describe_sd(sd):
    return {k: describe(v) for k, v in sd.items()}
`;

/** The quantized engine as the test file found it, restored after every test and every withEngine. */
const initialEngine = quantizedBackend.engine;

/** Restores the engine after each test; with `engine`, also selects it before each test. */
export function resetQuantizedEngineEachTest(engine?: string): void {
  if (engine !== undefined) beforeEach(() => (quantizedBackend.engine = engine));
  afterEach(() => (quantizedBackend.engine = initialEngine));
}

/** Runs `fn` on the given engine (also at collection time, outside any test), then restores it. */
export function withEngine<T>(engine: string, fn: () => T): T {
  quantizedBackend.engine = engine;
  try {
    return fn();
  } finally {
    quantizedBackend.engine = initialEngine;
  }
}
