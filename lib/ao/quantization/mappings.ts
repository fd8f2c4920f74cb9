// torch.ao.quantization.quantization_mappings: which quantized (or QAT) class replaces each float
// class in convert, which modules get a qconfig in prepare, and the fixed-qparams fake-quants of
// sigmoid-like activations. Entries follow Python's tables, for the classes torch-node has.
import { AssertionError } from '../../errors';
import { Module } from '../../nn/module';
import { Sequential } from '../../nn/containers/sequential';
import * as nn from '../../nn/layers/activation';
import { Linear } from '../../nn/layers/linear';
import { Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d } from '../../nn/layers/conv';
import { BatchNorm2d, BatchNorm3d } from '../../nn/layers/batchnorm';
import { Dropout } from '../../nn/layers/dropout';
import { GroupNorm, LayerNorm } from '../../nn/layers/normalization';
import { InstanceNorm1d, InstanceNorm2d, InstanceNorm3d } from '../../nn/layers/instancenorm';
import { Embedding, EmbeddingBag } from '../../nn/layers/embedding';
import { NonDynamicallyQuantizableLinear } from '../../nn/layers/multihead-attention';
import { LSTM, GRU } from '../../nn/layers/rnn';
import { LSTMCell, RNNCell, GRUCell } from '../../nn/layers/rnn-cell';
import * as nnq from '../../nn/quantized';
import * as nnqd from '../../nn/quantized/dynamic';
import * as nnqr from '../../nn/quantized/reference';
import { LinearReLU as DynamicLinearReLU } from '../../nn/quantized/dynamic/linear-relu';
import { Linear as QatDynamicLinear } from '../../nn/qat/dynamic/linear';
import * as nnqat from '../../nn/qat';
import * as nni from '../../nn/intrinsic/modules';
import * as nniqat from '../../nn/intrinsic/qat';
import * as nniq from '../../nn/intrinsic/quantized';
import { QuantStub, DeQuantStub } from './stubs';
import { Factory } from './partial';
import { defaultFixedQparamsRange0to1FakeQuant, defaultFixedQparamsRangeNeg1to1FakeQuant } from './fake-quantize-defaults';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ModuleClass = abstract new (...args: any[]) => Module;
/** A class convert swaps in: its fromFloat builds it from the prepared float module. */
export interface SwapClass {
  fromFloat(mod: Module, ...rest: never[]): Module;
  /** reference classes: convert hands fromFloat the weight observer's qparams */
  readonly _IS_REFERENCE?: boolean;
}
/** A float class -> the class whose fromFloat replaces it. */
export type QuantMapping = Map<ModuleClass, SwapClass>;

const entries = (list: [ModuleClass, SwapClass][]): QuantMapping => new Map(list);

/** DEFAULT_REFERENCE_STATIC_QUANT_MODULE_MAPPINGS: float classes -> reference quantized ones. */
export function getDefaultStaticQuantReferenceModuleMappings(): QuantMapping {
  return entries([
    [QuantStub, nnq.Quantize],
    [DeQuantStub, nnq.DeQuantize],
    [Linear, nnqr.Linear],
    [Conv1d, nnqr.Conv1d],
    [Conv2d, nnqr.Conv2d],
    [Conv3d, nnqr.Conv3d],
    [ConvTranspose1d, nnqr.ConvTranspose1d],
    [ConvTranspose2d, nnqr.ConvTranspose2d],
    [ConvTranspose3d, nnqr.ConvTranspose3d],
    [Embedding, nnqr.Embedding],
    [EmbeddingBag, nnqr.EmbeddingBag],
    [GRUCell, nnqr.GRUCell],
    [LSTMCell, nnqr.LSTMCell],
    [RNNCell, nnqr.RNNCell],
    [LSTM, nnqr.LSTM],
  ]);
}

/** DEFAULT_STATIC_QUANT_MODULE_MAPPINGS, for the classes torch-node has. */
export function getDefaultStaticQuantModuleMappings(): QuantMapping {
  return entries([
    [QuantStub, nnq.Quantize],
    [DeQuantStub, nnq.DeQuantize],
    [BatchNorm2d, nnq.BatchNorm2d],
    [BatchNorm3d, nnq.BatchNorm3d],
    [Dropout, nnq.Dropout],
    [Conv1d, nnq.Conv1d],
    [Conv2d, nnq.Conv2d],
    [Conv3d, nnq.Conv3d],
    [ConvTranspose1d, nnq.ConvTranspose1d],
    [ConvTranspose2d, nnq.ConvTranspose2d],
    [ConvTranspose3d, nnq.ConvTranspose3d],
    [nn.ELU, nnq.ELU],
    [Embedding, nnq.Embedding],
    [EmbeddingBag, nnq.EmbeddingBag],
    [GroupNorm, nnq.GroupNorm],
    [nn.Hardswish, nnq.Hardswish],
    [InstanceNorm1d, nnq.InstanceNorm1d],
    [InstanceNorm2d, nnq.InstanceNorm2d],
    [InstanceNorm3d, nnq.InstanceNorm3d],
    [LayerNorm, nnq.LayerNorm],
    [nn.LeakyReLU, nnq.LeakyReLU],
    [NonDynamicallyQuantizableLinear, nnq.Linear],
    [Linear, nnq.Linear],
    [nn.ReLU6, nnq.ReLU6],
    [nn.PReLU, nnq.PReLU],
    [nnq.FloatFunctional, nnq.QFunctional],
    [nni.BNReLU2d, nniq.BNReLU2d],
    [nni.BNReLU3d, nniq.BNReLU3d],
    [nni.ConvReLU1d, nniq.ConvReLU1d],
    [nni.ConvReLU2d, nniq.ConvReLU2d],
    [nni.ConvReLU3d, nniq.ConvReLU3d],
    [nni.LinearReLU, nniq.LinearReLU],
    [nnqat.Linear, nnq.Linear],
    [nnqat.Conv2d, nnq.Conv2d],
    [nnqat.Conv3d, nnq.Conv3d],
    [nniqat.ConvBn1d, nnq.Conv1d],
    [nniqat.ConvBn2d, nnq.Conv2d],
    [nniqat.ConvBn3d, nnq.Conv3d],
    [nniqat.ConvBnReLU1d, nniq.ConvReLU1d],
    [nniqat.ConvBnReLU2d, nniq.ConvReLU2d],
    [nniqat.ConvBnReLU3d, nniq.ConvReLU3d],
    [nniqat.ConvReLU2d, nniq.ConvReLU2d],
    [nniqat.ConvReLU3d, nniq.ConvReLU3d],
    [nniqat.LinearReLU, nniq.LinearReLU],
    [nniqat.LinearBn1d, nnq.Linear],
  ]);
}

/** DEFAULT_QAT_MODULE_MAPPINGS, for the classes torch-node has. */
export function getDefaultQatModuleMappings(): QuantMapping {
  return entries([
    [Conv2d, nnqat.Conv2d],
    [Conv3d, nnqat.Conv3d],
    [Linear, nnqat.Linear],
    [NonDynamicallyQuantizableLinear, nnqat.Linear],
    [nni.ConvBn1d, nniqat.ConvBn1d],
    [nni.ConvBn2d, nniqat.ConvBn2d],
    [nni.ConvBn3d, nniqat.ConvBn3d],
    [nni.ConvBnReLU1d, nniqat.ConvBnReLU1d],
    [nni.ConvBnReLU2d, nniqat.ConvBnReLU2d],
    [nni.ConvBnReLU3d, nniqat.ConvBnReLU3d],
    [nni.ConvReLU2d, nniqat.ConvReLU2d],
    [nni.ConvReLU3d, nniqat.ConvReLU3d],
    [nni.LinearReLU, nniqat.LinearReLU],
    [nni.LinearBn1d, nniqat.LinearBn1d],
  ]);
}

/** get_embedding_qat_module_mappings(): the QAT mapping with Embedding and EmbeddingBag. */
export function getEmbeddingQatModuleMappings(): QuantMapping {
  const mapping = getDefaultQatModuleMappings();
  mapping.set(EmbeddingBag, nnqat.EmbeddingBag);
  mapping.set(Embedding, nnqat.Embedding);
  return mapping;
}

/** get_embedding_static_quant_module_mappings(): the static mapping with the QAT embeddings. */
export function getEmbeddingStaticQuantModuleMappings(): QuantMapping {
  const mapping = getDefaultStaticQuantModuleMappings();
  mapping.set(nnqat.EmbeddingBag, nnq.EmbeddingBag);
  mapping.set(nnqat.Embedding, nnq.Embedding);
  return mapping;
}

/** DEFAULT_DYNAMIC_QUANT_MODULE_MAPPINGS. */
export function getDefaultDynamicQuantModuleMappings(): QuantMapping {
  return entries([
    [GRUCell, nnqd.GRUCell],
    [Linear, nnqd.Linear],
    [QatDynamicLinear, nnqd.Linear],
    [NonDynamicallyQuantizableLinear, nnqd.Linear],
    [LSTM, nnqd.LSTM],
    [GRU, nnqd.GRU],
    [LSTMCell, nnqd.LSTMCell],
    [RNNCell, nnqd.RNNCell],
    [nni.LinearReLU, DynamicLinearReLU],
    [EmbeddingBag, nnq.EmbeddingBag],
    [Embedding, nnq.Embedding],
  ]);
}

/** get_dynamic_quant_module_class(floatClass, additional = null): the dynamically quantized class of a float class. */
export function getDynamicQuantModuleClass(floatModuleClass: ModuleClass, additionalDynamicQuantMapping: QuantMapping | null = null): SwapClass {
  const all = new Map([...getDefaultDynamicQuantModuleMappings(), ...(additionalDynamicQuantMapping ?? [])]);
  const found = all.get(floatModuleClass);
  if (!found) throw new AssertionError(`Floating point module class ${floatModuleClass.name} does not have a corresponding quantized module class`);
  return found;
}

/** get_default_qconfig_propagation_list(): the classes prepare gives observers to. */
export function getDefaultQconfigPropagationList(): Set<ModuleClass> {
  return new Set<ModuleClass>([
    ...getDefaultStaticQuantModuleMappings().keys(),
    ...getDefaultQatModuleMappings().keys(),
    ...getDefaultDynamicQuantModuleMappings().keys(),
    Sequential,
  ]);
}

/** get_static_quant_module_class(floatClass, additional = null, isReference = false): the quantized (or reference) class of a float class. */
export function getStaticQuantModuleClass(floatModuleClass: ModuleClass, additionalStaticQuantMapping: QuantMapping | null = null, isReference = false): SwapClass {
  const defaults = isReference ? getDefaultStaticQuantReferenceModuleMappings() : getDefaultStaticQuantModuleMappings();
  const all = new Map([...defaults, ...(additionalStaticQuantMapping ?? [])]);
  const found = all.get(floatModuleClass);
  if (!found) throw new AssertionError(`Floating point module class ${floatModuleClass.name} does not have a corresponding quantized module class`);
  return found;
}

// DEFAULT_MODULE_TO_ACT_POST_PROCESS: outputs in a known range get fixed qparams in QAT
const SPECIAL_ACT_POST_PROCESS = new Map<ModuleClass, Factory>([
  [nn.Hardsigmoid, defaultFixedQparamsRange0to1FakeQuant],
  [nn.Sigmoid, defaultFixedQparamsRange0to1FakeQuant],
  [nn.Softmax, defaultFixedQparamsRange0to1FakeQuant],
  [nn.Tanh, defaultFixedQparamsRangeNeg1to1FakeQuant],
]);

/** The fixed-qparams fake-quant a training-mode Sigmoid/Hardsigmoid/Softmax/Tanh gets, or null. */
export function getSpecialActPostProcess(mod: Module): Factory | null {
  return mod.training ? (SPECIAL_ACT_POST_PROCESS.get(mod.constructor as ModuleClass) ?? null) : null;
}

// Python's nn.intrinsic._FusedModule (the QAT fused layers derive from it too): convert swaps
// these whole, never their parts
const FUSED: ModuleClass[] = [
  nni._FusedModule,
  nniqat.ConvBn1d, nniqat.ConvBn2d, nniqat.ConvBn3d, nniqat.ConvReLU1d, nniqat.ConvReLU2d, nniqat.ConvReLU3d, nniqat.LinearReLU, nniqat.LinearBn1d,
];

/** Whether m is a fused module (ConvReLU2d, QAT ConvBn2d, ...): converted as one. */
export function isFusedModule(m: Module): boolean {
  return FUSED.some((cls) => m instanceof cls);
}
