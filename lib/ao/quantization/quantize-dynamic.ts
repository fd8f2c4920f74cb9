// torch.ao.quantization.quantize_dynamic (quantize.py): propagates a qconfig spec (classes or
// qualified names, or a Map of them to QConfigs) as propagate_qconfig_ does, then converts with the
// dynamic mapping: the float layers (Linear, LSTM, GRU, the cells, Embedding/EmbeddingBag with
// quint8 / quint4x2) become their dynamically quantized versions.
import { NotImplementedError, TorchError, ValueError } from '../../errors';
import { DType, DTypeLike, float16, qint8, quint4x2, quint8, toDType } from '../../tensor/dtype';
import { Embedding, EmbeddingBag } from '../../nn/layers/embedding';
import { Module } from '../../nn/module';
import { deepcopy } from '../../nn/clone';
import { Linear } from '../../nn/layers/linear';
import { LSTM, GRU } from '../../nn/layers/rnn';
import { LSTMCell, RNNCell, GRUCell } from '../../nn/layers/rnn-cell';
import { ArgsOf, signature } from '../../keywords';
import { ModuleClass, QuantMapping, getDefaultDynamicQuantModuleMappings } from './mappings';
import { QConfig, defaultDynamicQconfig, float16DynamicQconfig, floatQparamsWeightOnlyQconfig, floatQparamsWeightOnlyQconfig4bit } from './qconfig';
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

function defaultSpec(dtype: DType): Map<ModuleClass | string, QConfig> {
  const linearAndRecurrent: ModuleClass[] = [Linear, LSTM, GRU, LSTMCell, RNNCell, GRUCell];
  const spec = (classes: ModuleClass[], qconfig: QConfig) => new Map<ModuleClass | string, QConfig>(classes.map((c) => [c, qconfig]));
  if (dtype === qint8) return spec(linearAndRecurrent, defaultDynamicQconfig);
  if (dtype === float16) return spec(linearAndRecurrent, float16DynamicQconfig);
  if (dtype === quint8) return spec([EmbeddingBag, Embedding], floatQparamsWeightOnlyQconfig);
  if (dtype === quint4x2) return spec([EmbeddingBag], floatQparamsWeightOnlyQconfig4bit);
  throw new ValueError(`Don't know how to quantize with default settings for ${dtype}. Provide full qconfig please`);
}

function specFromSet(keys: Iterable<ModuleClass | string>, dtype: DType): Map<ModuleClass | string, QConfig> {
  const byDtype = new Map<DType, QConfig>([
    [qint8, defaultDynamicQconfig],
    [float16, float16DynamicQconfig],
    [quint8, floatQparamsWeightOnlyQconfig],
    [quint4x2, floatQparamsWeightOnlyQconfig4bit],
  ]);
  const qconfig = byDtype.get(dtype);
  if (!qconfig) throw new TorchError(`('Unknown dtype specified for quantize_dynamic: ', '${dtype}')`);
  return new Map([...keys].map((k) => [k, qconfig]));
}

/**
 * quantizeDynamic(model, qconfigSpec = null, dtype = torch.qint8, mapping = null, inplace = false), any by name:
 * a copy of model (or model itself when inplace) with the chosen layers dynamically quantized.
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
  convert(model, mapping, { inplace: true });
  return model;
}
