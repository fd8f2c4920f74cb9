// torchvision.models.segmentation.deeplabv3: DeepLabV3 (atrous spatial pyramid pooling) on a dilated
// ResNet-50/101 or MobileNetV3-Large.
import { Tensor } from '../../../tensor/tensor';
import { cat } from '../../../tensor/functions';
import * as nn from '../../../nn';
import { Module } from '../../../nn/module';
import { interpolate } from '../../../nn/functional/vision';
import { release } from '../../../nn/intermediates';
import { WEIGHTS, loadWeights } from '../weights';
import { ResNet, ResNetBuilderOptions, resnet50, resnet101 } from '../resnet';
import { SimpleSegmentationModel } from './simple-segmentation';
import { IntermediateLayerGetter } from './intermediate-layer-getter';
import { FCNHead } from './fcn';
import { SegmentationOptions, RESNET_AUX_CHANNELS, RESNET_OUT_CHANNELS, mobilenetStages, resnetBackbone, resolveSegmentation } from './backbones';

export class DeepLabV3 extends SimpleSegmentationModel {}

/** 3x3 conv at one atrous rate, BatchNorm, ReLU. */
export class ASPPConv extends nn.Sequential {
  constructor(inChannels: number, outChannels: number, dilation: number) {
    super(new nn.Conv2d(inChannels, outChannels, 3, { padding: dilation, dilation, bias: false }), new nn.BatchNorm2d(outChannels), new nn.ReLU());
  }
}

/** Image-level features: global average, 1x1 conv, BatchNorm, ReLU, spread back to the input's size. */
export class ASPPPooling extends nn.Sequential {
  constructor(inChannels: number, outChannels: number) {
    super(new nn.AdaptiveAvgPool2d(1), new nn.Conv2d(inChannels, outChannels, 1, { bias: false }), new nn.BatchNorm2d(outChannels), new nn.ReLU());
  }

  forward(x: Tensor): Tensor {
    const pooled = super.forward(x) as Tensor;
    const out = interpolate(pooled, { size: x.shape.slice(-2), mode: 'bilinear', alignCorners: false });
    release(pooled, x, out);
    return out;
  }
}

/** Atrous Spatial Pyramid Pooling: a 1x1 conv, one ASPPConv per rate and ASPPPooling, concatenated and projected. */
export class ASPP extends Module {
  convs: nn.ModuleList;
  project: nn.Sequential;

  constructor(inChannels: number, atrousRates: number[], outChannels = 256) {
    super();
    const modules: Module[] = [new nn.Sequential(new nn.Conv2d(inChannels, outChannels, 1, { bias: false }), new nn.BatchNorm2d(outChannels), new nn.ReLU())];
    for (const rate of atrousRates) modules.push(new ASPPConv(inChannels, outChannels, rate));
    modules.push(new ASPPPooling(inChannels, outChannels));
    this.convs = new nn.ModuleList(modules);
    this.project = new nn.Sequential(
      new nn.Conv2d(modules.length * outChannels, outChannels, 1, { bias: false }),
      new nn.BatchNorm2d(outChannels),
      new nn.ReLU(),
      new nn.Dropout(0.5),
    );
  }

  forward(x: Tensor): Tensor {
    const branches = [...this.convs].map((conv) => conv(x) as Tensor);
    const res = cat(branches, 1);
    for (const b of branches) release(b, x, res);
    const out = this.project(res) as Tensor;
    release(res, x, out);
    return out;
  }
}

/** ASPP at rates 12, 24, 36, a 3x3 conv, BatchNorm, ReLU, a 1x1 conv to the classes. */
export class DeepLabHead extends nn.Sequential {
  constructor(inChannels: number, numClasses: number) {
    super(
      new ASPP(inChannels, [12, 24, 36]),
      new nn.Conv2d(256, 256, 3, { padding: 1, bias: false }),
      new nn.BatchNorm2d(256),
      new nn.ReLU(),
      new nn.Conv2d(256, numClasses, 1),
    );
  }
}

type ResNetBuilder = (o?: ResNetBuilderOptions) => ResNet;

function deeplabv3Resnet(fn: string, enumName: 'DeepLabV3_ResNet50_Weights' | 'DeepLabV3_ResNet101_Weights', backboneEnum: 'ResNet50_Weights' | 'ResNet101_Weights', resnet: ResNetBuilder, o: SegmentationOptions): DeepLabV3 {
  const { weights, weightsBackbone, numClasses, auxLoss } = resolveSegmentation(fn, o, WEIGHTS[enumName], WEIGHTS[backboneEnum]);
  const backbone = resnetBackbone(resnet, weightsBackbone, auxLoss);
  const auxClassifier = auxLoss ? new FCNHead(RESNET_AUX_CHANNELS, numClasses) : null;
  return loadWeights(new DeepLabV3(backbone, new DeepLabHead(RESNET_OUT_CHANNELS, numClasses), auxClassifier), weights);
}

/** torchvision's deeplabv3_mobilenet_v3_large: C5 (output stride 16) to DeepLabHead, C2 (stride 8) to the aux head. */
export function deeplabv3MobilenetV3Large(o: SegmentationOptions = {}): DeepLabV3 {
  const { weights, weightsBackbone, numClasses, auxLoss } = resolveSegmentation('deeplabv3MobilenetV3Large', o, WEIGHTS.DeepLabV3_MobileNet_V3_Large_Weights, WEIGHTS.MobileNet_V3_Large_Weights);
  const { features, stageIndices, channels } = mobilenetStages(weightsBackbone);
  const outPos = stageIndices[stageIndices.length - 1]; // C5, output stride 16
  const auxPos = stageIndices[stageIndices.length - 4]; // C2, output stride 8
  const returnLayers: Record<string, string> = { [outPos]: 'out' };
  if (auxLoss) returnLayers[auxPos] = 'aux';
  const backbone = new IntermediateLayerGetter(features, returnLayers);
  const auxClassifier = auxLoss ? new FCNHead(channels(auxPos), numClasses) : null;
  return loadWeights(new DeepLabV3(backbone, new DeepLabHead(channels(outPos), numClasses), auxClassifier), weights);
}

export const DeepLabV3_ResNet50_Weights = WEIGHTS.DeepLabV3_ResNet50_Weights;
export const DeepLabV3_ResNet101_Weights = WEIGHTS.DeepLabV3_ResNet101_Weights;
export const DeepLabV3_MobileNet_V3_Large_Weights = WEIGHTS.DeepLabV3_MobileNet_V3_Large_Weights;
export const deeplabv3Resnet50 = (o: SegmentationOptions = {}) => deeplabv3Resnet('deeplabv3Resnet50', 'DeepLabV3_ResNet50_Weights', 'ResNet50_Weights', resnet50, o);
export const deeplabv3Resnet101 = (o: SegmentationOptions = {}) => deeplabv3Resnet('deeplabv3Resnet101', 'DeepLabV3_ResNet101_Weights', 'ResNet101_Weights', resnet101, o);
