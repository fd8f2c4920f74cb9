// torchvision.models: builders (torchvision's names; multi-word ones camelCase: mobilenetV2,
// efficientnetB0, convnextTiny, vitB16, inceptionV3, and under torchvision's snake_case names too),
// model classes and weights enums, and the by-name API (getModel, listModels, getWeight).
import './library-modules';
export * from './resnet';
export * from './alexnet';
export * from './vgg';
export * from './squeezenet';
export * from './densenet';
export * from './inception';
export * from './googlenet';
export * from './mobilenetv2';
export { MobileNetV3, InvertedResidualConfig, mobilenetV3Conf, mobilenetV3Large, mobilenetV3Small, MobileNet_V3_Large_Weights, MobileNet_V3_Small_Weights } from './mobilenetv3';
export type { MobileNetV3Options, MobileNetV3ConfOptions } from './mobilenetv3';
export * from './efficientnet';
export { ShuffleNetV2, channelShuffle, shufflenetV2X0_5, shufflenetV2X1_0, shufflenetV2X1_5, shufflenetV2X2_0, ShuffleNet_V2_X0_5_Weights, ShuffleNet_V2_X1_0_Weights, ShuffleNet_V2_X1_5_Weights, ShuffleNet_V2_X2_0_Weights } from './shufflenetv2';
export type { ShuffleNetV2Options, ShuffleNetV2BuilderOptions, ShuffleNetBlock } from './shufflenetv2';
export * from './mnasnet';
export * from './regnet';
export * from './convnext';
export * from './vision-transformer';
export * as segmentation from './segmentation';
export * as detection from './detection';
export * as opticalFlow from './optical-flow';
export * as optical_flow from './optical-flow';
export * as video from './video';
export * from './swin-transformer';
export { MaxVit, MaxVitBlock, MaxVitLayer, PartitionAttentionLayer, RelativePositionalMultiHeadAttention, maxvitT, MaxVit_T_Weights } from './maxvit';
export type { MaxVitOptions, MaxVitBuilderOptions } from './maxvit';
export { Weights, checkpointsDir, loadStateDictFile } from './weights';
export type { WeightsEnum, WeightsMeta, WeightsArg } from './weights';
export { IMAGENET_CATEGORIES } from './imagenet-categories';
export * as ops from './ops';

export * from './registry';
export * as quantization from './quantization';
