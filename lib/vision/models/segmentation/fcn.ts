// torchvision.models.segmentation.fcn: FCN (Fully Convolutional Networks) on a dilated ResNet-50/101.
import * as nn from '../../../nn';
import { WEIGHTS, loadWeights } from '../weights';
import { ResNet, ResNetBuilderOptions, resnet50, resnet101 } from '../resnet';
import { SimpleSegmentationModel } from './simple-segmentation';
import { SegmentationOptions, RESNET_AUX_CHANNELS, RESNET_OUT_CHANNELS, resnetBackbone, resolveSegmentation } from './backbones';

export class FCN extends SimpleSegmentationModel {}

/** 3x3 conv to a quarter of the channels, BatchNorm, ReLU, Dropout(0.1), 1x1 conv to the classes. */
export class FCNHead extends nn.Sequential {
  constructor(inChannels: number, channels: number) {
    const interChannels = Math.floor(inChannels / 4);
    super(
      new nn.Conv2d(inChannels, interChannels, 3, { padding: 1, bias: false }),
      new nn.BatchNorm2d(interChannels),
      new nn.ReLU(),
      new nn.Dropout(0.1),
      new nn.Conv2d(interChannels, channels, 1),
    );
  }
}

type ResNetBuilder = (o?: ResNetBuilderOptions) => ResNet;

function fcnResnet(fn: string, enumName: 'FCN_ResNet50_Weights' | 'FCN_ResNet101_Weights', backboneEnum: 'ResNet50_Weights' | 'ResNet101_Weights', resnet: ResNetBuilder, o: SegmentationOptions): FCN {
  const { weights, weightsBackbone, numClasses, auxLoss } = resolveSegmentation(fn, o, WEIGHTS[enumName], WEIGHTS[backboneEnum]);
  const backbone = resnetBackbone(resnet, weightsBackbone, auxLoss);
  // torchvision builds the aux head first: the same random draws after a seed
  const auxClassifier = auxLoss ? new FCNHead(RESNET_AUX_CHANNELS, numClasses) : null;
  return loadWeights(new FCN(backbone, new FCNHead(RESNET_OUT_CHANNELS, numClasses), auxClassifier), weights);
}

export const FCN_ResNet50_Weights = WEIGHTS.FCN_ResNet50_Weights;
export const FCN_ResNet101_Weights = WEIGHTS.FCN_ResNet101_Weights;
export const fcnResnet50 = (o: SegmentationOptions = {}) => fcnResnet('fcnResnet50', 'FCN_ResNet50_Weights', 'ResNet50_Weights', resnet50, o);
export const fcnResnet101 = (o: SegmentationOptions = {}) => fcnResnet('fcnResnet101', 'FCN_ResNet101_Weights', 'ResNet101_Weights', resnet101, o);
