// Eager mode's custom modules (quantize.py's _DEFAULT_CUSTOM_CONFIG_DICT): float classes prepare
// swaps for an observed class (its fromFloat), and observed classes convert swaps for a quantized
// one (its fromObserved). By default: nn.LSTM and nn.MultiheadAttention, through nn.quantizable.
import { Module } from '../../nn/module';
import { LSTM } from '../../nn/layers/rnn';
import { MultiheadAttention } from '../../nn/layers/multihead-attention';
import * as nnqa from '../../nn/quantizable';
import { LSTM as QuantizedLSTM } from '../../nn/quantized/rnn';
import { MultiheadAttention as QuantizedMultiheadAttention } from '../../nn/quantized/multihead-attention';
import type { ModuleClass } from './mappings';

/** A class prepare swaps in: fromFloat builds the observed module. */
export interface ObservedClass {
  fromFloat(mod: Module): Module;
}
/** A class convert swaps in: fromObserved builds the quantized module. */
export interface QuantizedCustomClass {
  fromObserved(mod: Module): Module;
}

/** prepare's prepare_custom_config_dict (the keys as Python's). */
export interface PrepareCustomConfigDict {
  float_to_observed_custom_module_class?: Map<ModuleClass, ObservedClass>;
  /** propagateQconfig_: children (of the root) by name that get no qconfig */
  non_traceable_module_name?: string[];
  /** propagateQconfig_: children (of the root) by class that get no qconfig */
  non_traceable_module_class?: ModuleClass[];
}
/** convert's convert_custom_config_dict (the keys as Python's). */
export interface ConvertCustomConfigDict {
  observed_to_quantized_custom_module_class?: Map<ModuleClass, QuantizedCustomClass>;
}
export type CustomConfigDict = PrepareCustomConfigDict & ConvertCustomConfigDict;

// built on first use: the classes import prepare/convert, so they are not ready while this file loads
let defaults: CustomConfigDict | null = null;

/** get_default_custom_config_dict(): the same object on every call, as Python's. */
export function getDefaultCustomConfigDict(): CustomConfigDict {
  defaults ??= {
    float_to_observed_custom_module_class: new Map<ModuleClass, ObservedClass>([
      [LSTM, nnqa.LSTM],
      [MultiheadAttention, nnqa.MultiheadAttention],
    ]),
    observed_to_quantized_custom_module_class: new Map<ModuleClass, QuantizedCustomClass>([
      [nnqa.LSTM, QuantizedLSTM],
      [nnqa.MultiheadAttention, QuantizedMultiheadAttention],
    ]),
  };
  return defaults;
}

/** no_observer_set(): observed custom classes that get no output observer of their own. */
export function noObserverSet(): Set<unknown> {
  return new Set<unknown>([nnqa.LSTM, nnqa.MultiheadAttention]);
}
