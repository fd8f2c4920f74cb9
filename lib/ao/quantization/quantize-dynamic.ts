// torch.ao.quantization.quantize_dynamic (quantize.py): propagates a qconfig spec (classes or
// qualified names, or a Map of them to QConfigs) as propagate_qconfig_ does, then converts with the
// dynamic mapping: the float layers become their dynamically quantized versions. nn.Linear (and
// MultiheadAttention's out_proj class) is what torch-node can swap so far.
import { NotImplementedError, TorchError, ValueError } from '../../errors';
import { DType, DTypeLike, float16, qint8, quint4x2, quint8, toDType } from '../../tensor/dtype';
import { Module } from '../../nn/module';
import { deepcopy } from '../../nn/clone';
import { Linear } from '../../nn/layers/linear';
import { LSTM, GRU } from '../../nn/layers/rnn';
import { LSTMCell, RNNCell, GRUCell } from '../../nn/layers/rnn-cell';
import { ArgsOf, signature } from '../../keywords';
import { ModuleClass, QuantMapping, getDefaultDynamicQuantModuleMappings } from './mappings';
import { QConfig, defaultDynamicQconfig } from './qconfig';
import { convert, propagateQconfig_ } from './quantize';

export { getDefaultDynamicQuantModuleMappings };
export type { QuantMapping };

/** Which submodules to quantize: classes and/or qualified names ('fc', 'encoder.0'), or a Map of them to QConfigs. */
export type QconfigSpec = Set<ModuleClass | string> | (ModuleClass | string)[] | Map<ModuleClass | string, QConfig | null>;

export interface QuantizeDynamicArgs {
  model: Module;
  qconfigSpec?: QconfigSpec | null;
  dtype?: DTypeLike;
  mapping?: QuantMapping | null;
  inplace?: boolean;
}
const QUANTIZE_DYNAMIC = signature<QuantizeDynamicArgs>()(['model'], ['qconfigSpec', 'dtype', 'mapping', 'inplace']);

// The layers Python's default spec names that torch-node cannot swap yet: quantizing them must not
// pass silently as float.
const NOT_YET: ModuleClass[] = [LSTM, GRU, LSTMCell, RNNCell, GRUCell];

function unsupported(dtype: DType): NotImplementedError {
  return new NotImplementedError(`torch-node's quantize_dynamic supports dtype torch.qint8 only, got ${dtype}`);
}

function defaultSpec(dtype: DType): Map<ModuleClass | string, QConfig> {
  if (dtype === qint8) return new Map<ModuleClass | string, QConfig>([Linear, LSTM, GRU, LSTMCell, RNNCell, GRUCell].map((c) => [c, defaultDynamicQconfig]));
  if (dtype === float16 || dtype === quint8 || dtype === quint4x2) throw unsupported(dtype);
  throw new ValueError(`Don't know how to quantize with default settings for ${dtype}. Provide full qconfig please`);
}

function specFromSet(keys: Iterable<ModuleClass | string>, dtype: DType): Map<ModuleClass | string, QConfig> {
  if (dtype !== qint8) {
    if (dtype === float16 || dtype === quint8 || dtype === quint4x2) throw unsupported(dtype);
    throw new TorchError(`('Unknown dtype specified for quantize_dynamic: ', '${dtype}')`);
  }
  return new Map([...keys].map((k) => [k, defaultDynamicQconfig]));
}

/** The layers given a qconfig that torch-node cannot quantize dynamically yet: an error, not a float layer. */
function checkSupported(model: Module): void {
  for (const m of model.modules()) {
    if ((m as unknown as { qconfig?: QConfig | null }).qconfig && NOT_YET.includes(m.constructor as ModuleClass)) {
      throw new NotImplementedError(`torch-node cannot quantize ${m._getName()} dynamically yet`);
    }
  }
}

/**
 * quantizeDynamic(model, qconfigSpec = null, dtype = torch.qint8, mapping = null, inplace = false), any by name:
 * a copy of model (or model itself when inplace) with its Linear layers as nn.quantized.dynamic.Linear.
 */
export function quantizeDynamic<M extends Module>(model: M, qconfigSpec?: QconfigSpec | null, options?: Omit<QuantizeDynamicArgs, 'model' | 'qconfigSpec'>): M;
export function quantizeDynamic(...args: ArgsOf<typeof QUANTIZE_DYNAMIC>): Module;
export function quantizeDynamic(...args: unknown[]): Module {
  const a = QUANTIZE_DYNAMIC.bind('quantize_dynamic', args as ArgsOf<typeof QUANTIZE_DYNAMIC>);
  const dtype = toDType(a.dtype ?? qint8);
  const given = a.qconfigSpec;
  let spec: Map<ModuleClass | string, QConfig | null>;
  if (given == null) spec = defaultSpec(dtype);
  else if (given instanceof Map) spec = given;
  else if (given instanceof Set || Array.isArray(given)) spec = specFromSet(given, dtype);
  else throw new NotImplementedError('torch-node takes qconfigSpec as a Set or array of module classes or names, or a Map of them to QConfigs');
  const mapping = a.mapping ?? getDefaultDynamicQuantModuleMappings();
  const model = a.inplace ? a.model : deepcopy(a.model);
  model.eval();
  propagateQconfig_(model, spec);
  checkSupported(model);
  convert(model, mapping, { inplace: true });
  return model;
}
