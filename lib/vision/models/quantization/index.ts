// torchvision.models.quantization: quantizable classification models (float models with QuantStub /
// DeQuantStub, FloatFunctional residuals and fuseModel) and their builders, which return them float
// or, with `quantize: true`, quantized; the *_QuantizedWeights enums. Each model's module also as a
// namespace, as in Python (quantization.mobilenetv2.QuantizableInvertedResidual: three classes
// share that name).
export * as resnet from './resnet';
export * as mobilenetv2 from './mobilenetv2';
export * as mobilenetv3 from './mobilenetv3';
export * as shufflenetv2 from './shufflenetv2';
export * as utils from './utils';
export { QuantizableBasicBlock, QuantizableBottleneck, QuantizableResNet, resnet18, resnet50, resnext101_32x8d, resnext101_64x4d, ResNet18_QuantizedWeights, ResNet50_QuantizedWeights, ResNeXt101_32X8D_QuantizedWeights, ResNeXt101_64X4D_QuantizedWeights } from './resnet';
export type { QuantizableResNetBuilderOptions } from './resnet';
export { QuantizableMobileNetV2, mobilenetV2, mobilenetV2 as mobilenet_v2, MobileNet_V2_QuantizedWeights } from './mobilenetv2';
export { QuantizableInvertedResidual as QuantizableMobileNetV2InvertedResidual } from './mobilenetv2';
export type { QuantizableMobileNetV2BuilderOptions } from './mobilenetv2';
export { QuantizableMobileNetV3, QuantizableSqueezeExcitation, mobilenetV3Large, mobilenetV3Large as mobilenet_v3_large, MobileNet_V3_Large_QuantizedWeights } from './mobilenetv3';
export { QuantizableInvertedResidual as QuantizableMobileNetV3InvertedResidual } from './mobilenetv3';
export type { QuantizableMobileNetV3BuilderOptions } from './mobilenetv3';
export { QuantizableShuffleNetV2, shufflenetV2X0_5, shufflenetV2X1_0, shufflenetV2X1_5, shufflenetV2X2_0, ShuffleNet_V2_X0_5_QuantizedWeights, ShuffleNet_V2_X1_0_QuantizedWeights, ShuffleNet_V2_X1_5_QuantizedWeights, ShuffleNet_V2_X2_0_QuantizedWeights } from './shufflenetv2';
export { shufflenetV2X0_5 as shufflenet_v2_x0_5, shufflenetV2X1_0 as shufflenet_v2_x1_0, shufflenetV2X1_5 as shufflenet_v2_x1_5, shufflenetV2X2_0 as shufflenet_v2_x2_0 } from './shufflenetv2';
export { QuantizableInvertedResidual as QuantizableShuffleNetV2InvertedResidual } from './shufflenetv2';
export type { QuantizableShuffleNetV2BuilderOptions } from './shufflenetv2';
export { QuantizableGoogLeNet, QuantizableInception, QuantizableInceptionAux as QuantizableGoogLeNetAux, googlenet, GoogLeNet_QuantizedWeights } from './googlenet';
export type { QuantizableGoogLeNetBuilderOptions } from './googlenet';
export { QuantizableInception3, QuantizableInceptionA, QuantizableInceptionB, QuantizableInceptionC, QuantizableInceptionD, QuantizableInceptionE, QuantizableInceptionAux, inceptionV3, inceptionV3 as inception_v3, Inception_V3_QuantizedWeights } from './inception';
export type { QuantizableInception3BuilderOptions } from './inception';
export { QuantizableBasicConv2d } from './basic-conv';
export { QuantizedWeights } from './weights';
export type { QuantizedWeightsMeta } from './weights';
export type { QuantizedBuilderOptions } from './builder';
export { quantizeModel, replaceRelu, fuseModulesOf } from './utils';
