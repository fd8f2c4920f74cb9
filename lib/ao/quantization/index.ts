// torch.ao.quantization (also torch.quantization, as in Python): observers, fake quantization,
// qconfigs, eager-mode static/QAT/dynamic quantization (prepare, convert, quantize*) and fusion.
export { quantizeDynamic, getDefaultDynamicQuantModuleMappings } from './quantize-dynamic';
export type { QconfigSpec, QuantMapping, QuantizeDynamicArgs } from './quantize-dynamic';
export * from './observer';
export { withArgs, withCallableArgs, classFactory, isFactory } from './partial';
export type { Factory, Kwargs } from './partial';
export { QScheme, perTensorAffine, perChannelAffine, perTensorSymmetric, perChannelSymmetric, perChannelAffineFloatQparams } from './qscheme';
export { FakeQuantizeBase, FakeQuantize, FixedQParamsFakeQuantize, FusedMovingAvgObsFakeQuantize, disableFakeQuant, enableFakeQuant, disableObserver, enableObserver } from './fake-quantize';
export type { FakeQuantizeArgs } from './fake-quantize';
export * from './fake-quantize-defaults';
export * from './qconfig';
export { QConfigDynamic } from './qconfig-dynamic';
export { QuantStub, DeQuantStub, QuantWrapper } from './stubs';
export {
  propagateQconfig_, prepare, convert, quantize, prepareQat, quantizeQat, swapModule, isActivationPostProcess,
  registerActivationPostProcessHook, getObserverDict, addQuantDequant,
} from './quantize';
export type { QconfigDict, PrepareArgs, ConvertArgs, QuantizeArgs } from './quantize';
export { getDefaultCustomConfigDict, noObserverSet } from './custom-config';
export type { CustomConfigDict, PrepareCustomConfigDict, ConvertCustomConfigDict, ObservedClass, QuantizedCustomClass } from './custom-config';
export { getQparamDict } from './qparam-dict';
export {
  getDefaultStaticQuantModuleMappings, getDefaultQatModuleMappings, getEmbeddingQatModuleMappings, getDefaultQconfigPropagationList,
  getStaticQuantModuleClass, isFusedModule, getEmbeddingStaticQuantModuleMappings, getDynamicQuantModuleClass,
  getDefaultStaticQuantReferenceModuleMappings,
} from './mappings';
export type { ModuleClass, SwapClass } from './mappings';
export { fuseModules, fuseModulesQat, fuseKnownModules } from './fuse-modules';
export type { FuseModulesArgs } from './fuse-modules';
export { fuseConvBn, fuseConvBnRelu, fuseLinearBn, fuseConvtransposeBn, getFuserMethod, DEFAULT_OP_LIST_TO_FUSER_METHOD } from './fuser-method-mappings';
export type { FuserMethod } from './fuser-method-mappings';
export { getObserverStateDict, loadObserverStateDict } from './observer-state';
// whole-module torch.save / torch.load of prepared and QAT models (observers, qconfigs, observer hooks)
import '../../serialization/modules/quantization-classes';
