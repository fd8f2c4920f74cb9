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
export * from './convnext';
export * from './vision-transformer';
export { Weights, checkpointsDir, loadStateDictFile } from './weights';
export type { WeightsEnum, WeightsMeta, WeightsArg } from './weights';
export { IMAGENET_CATEGORIES } from './imagenet-categories';
export * as ops from './ops';

export * from './registry';
