// torchvision.models.segmentation: FCN, DeepLabV3 and LR-ASPP builders (camelCase, and under
// torchvision's snake_case names), their classes, heads and weights enums; IntermediateLayerGetter.
import { Module } from '../../../nn/module';
import { registerContainers } from '../../../nn/intermediates';
import * as fcn from './fcn';
import * as deeplabv3 from './deeplabv3';
import * as lraspp from './lraspp';
import * as getter from './intermediate-layer-getter';
import * as simple from './simple-segmentation';

export { FCN, FCNHead, FCN_ResNet50_Weights, FCN_ResNet101_Weights, fcnResnet50, fcnResnet101 } from './fcn';
export {
  DeepLabV3, DeepLabHead, ASPP, ASPPConv, ASPPPooling,
  DeepLabV3_ResNet50_Weights, DeepLabV3_ResNet101_Weights, DeepLabV3_MobileNet_V3_Large_Weights,
  deeplabv3Resnet50, deeplabv3Resnet101, deeplabv3MobilenetV3Large,
} from './deeplabv3';
export { LRASPP, LRASPPHead, LRASPP_MobileNet_V3_Large_Weights, lrasppMobilenetV3Large } from './lraspp';
export { IntermediateLayerGetter } from './intermediate-layer-getter';
export { SimpleSegmentationModel } from './simple-segmentation';
export type { SegmentationOutput } from './simple-segmentation';
export type { SegmentationOptions } from './backbones';
export { VOC_CATEGORIES } from './voc-categories';

// torchvision's names
export const fcn_resnet50 = fcn.fcnResnet50;
export const fcn_resnet101 = fcn.fcnResnet101;
export const deeplabv3_resnet50 = deeplabv3.deeplabv3Resnet50;
export const deeplabv3_resnet101 = deeplabv3.deeplabv3Resnet101;
export const deeplabv3_mobilenet_v3_large = deeplabv3.deeplabv3MobilenetV3Large;
export const lraspp_mobilenet_v3_large = lraspp.lrasppMobilenetV3Large;

// library containers: their intermediates are freed once consumed (nn/intermediates.ts)
for (const file of [fcn, deeplabv3, lraspp, getter, simple]) registerContainers(file, Module);
