// torch.ao.quantization (also torch.quantization, as in Python): dynamic quantization and observers.
export { quantizeDynamic, getDefaultDynamicQuantModuleMappings } from './quantize-dynamic';
export type { QconfigSpec, QuantMapping, QuantizeDynamicArgs } from './quantize-dynamic';
export { MinMaxObserver, calculateQminQmax } from './observer';
export type { MinMaxObserverArgs } from './observer';
export { QScheme, perTensorAffine, perChannelAffine, perTensorSymmetric, perChannelSymmetric, perChannelAffineFloatQparams } from './qscheme';
