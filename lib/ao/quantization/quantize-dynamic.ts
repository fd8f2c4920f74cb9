// torch.ao.quantization.quantize_dynamic (quantize.py): swaps the float layers a qconfig spec picks
// (by class, or by qualified name, inherited by submodules as propagate_qconfig_ does) for their
// dynamically quantized versions. Python's default mapping for qint8; nn.Linear (and MultiheadAttention's
// out_proj class) is what torch-node can swap so far.
import { NotImplementedError, TorchError, ValueError } from '../../errors';
import { DType, DTypeLike, float16, qint8, quint4x2, quint8, toDType } from '../../tensor/dtype';
import { Module } from '../../nn/module';
import { deepcopy } from '../../nn/clone';
import { Linear } from '../../nn/layers/linear';
import { NonDynamicallyQuantizableLinear } from '../../nn/layers/multihead-attention';
import { LSTM, GRU } from '../../nn/layers/rnn';
import { LSTMCell, RNNCell, GRUCell } from '../../nn/layers/rnn-cell';
import { Linear as DynamicLinear } from '../../nn/quantized/dynamic/linear';
import { ArgsOf, signature } from '../../keywords';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ModuleClass = abstract new (...args: any[]) => Module;
/** Which submodules to quantize: classes and/or qualified names ('fc', 'encoder.0'). */
export type QconfigSpec = Set<ModuleClass | string> | (ModuleClass | string)[];
/** A float class -> its dynamic quantized version's fromFloat. */
export type QuantMapping = Map<ModuleClass, { fromFloat(mod: Module): Module }>;

export interface QuantizeDynamicArgs {
  model: Module;
  qconfigSpec?: QconfigSpec | null;
  dtype?: DTypeLike;
  mapping?: QuantMapping | null;
  inplace?: boolean;
}
const QUANTIZE_DYNAMIC = signature<QuantizeDynamicArgs>()(['model'], ['qconfigSpec', 'dtype', 'mapping', 'inplace']);

/** DEFAULT_DYNAMIC_QUANT_MODULE_MAPPINGS, for what torch-node has. */
export function getDefaultDynamicQuantModuleMappings(): QuantMapping {
  return new Map<ModuleClass, { fromFloat(mod: Module): Module }>([
    [Linear, DynamicLinear],
    [NonDynamicallyQuantizableLinear, DynamicLinear],
  ]);
}

// The layers Python's default spec names that torch-node cannot swap yet: quantizing them must not
// pass silently as float.
const NOT_YET: ModuleClass[] = [LSTM, GRU, LSTMCell, RNNCell, GRUCell];

function defaultSpec(dtype: DType): ModuleClass[] {
  if (dtype === qint8) return [Linear, LSTM, GRU, LSTMCell, RNNCell, GRUCell];
  if (dtype === float16 || dtype === quint8 || dtype === quint4x2) {
    throw new NotImplementedError(`torch-node's quantize_dynamic supports dtype torch.qint8 only, got ${dtype}`);
  }
  throw new ValueError(`Don't know how to quantize with default settings for ${dtype}. Provide full qconfig please`);
}

/** The set of submodules that get a qconfig: propagate_qconfig_ over types and prefixes. */
function configured(model: Module, spec: Set<ModuleClass | string>): Set<Module> {
  const out = new Set<Module>();
  const visit = (mod: Module, prefix: string, inherited: boolean) => {
    const on = inherited || spec.has(mod.constructor as ModuleClass) || spec.has(prefix);
    if (on) out.add(mod);
    for (const [name, child] of mod.namedChildren()) visit(child, prefix ? `${prefix}.${name}` : name, on);
  };
  visit(model, '', false);
  return out;
}

/** convert(): children swapped bottom-up where their exact class is in the mapping. */
function convert(mod: Module, mapping: QuantMapping, withQconfig: Set<Module>): void {
  for (const [name, child] of [...mod.namedChildren()]) {
    const swap = mapping.get(child.constructor as ModuleClass);
    if (!swap) convert(child, mapping, withQconfig);
    if (!withQconfig.has(child)) continue;
    if (swap) (mod as unknown as Record<string, Module>)[name] = swap.fromFloat(child);
    else if (NOT_YET.includes(child.constructor as ModuleClass)) {
      throw new NotImplementedError(`torch-node cannot quantize ${child._getName()} dynamically yet`);
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
  let spec: Set<ModuleClass | string>;
  if (a.qconfigSpec == null) spec = new Set(defaultSpec(dtype));
  else if (a.qconfigSpec instanceof Set || Array.isArray(a.qconfigSpec)) {
    if (dtype !== qint8) {
      if (dtype === float16 || dtype === quint8 || dtype === quint4x2) throw new NotImplementedError(`torch-node's quantize_dynamic supports dtype torch.qint8 only, got ${dtype}`);
      throw new TorchError(`('Unknown dtype specified for quantize_dynamic: ', '${dtype}')`);
    }
    spec = new Set(a.qconfigSpec);
  } else {
    throw new NotImplementedError('torch-node takes qconfigSpec as a set of module classes or names (QConfig dicts are not supported)');
  }
  const mapping = a.mapping ?? getDefaultDynamicQuantModuleMappings();
  const model = a.inplace ? a.model : deepcopy(a.model);
  model.eval();
  convert(model, mapping, configured(model, spec));
  return model;
}
