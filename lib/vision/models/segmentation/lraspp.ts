// torchvision.models.segmentation.lraspp: Lite R-ASPP on a dilated MobileNetV3-Large.
import { Tensor } from '../../../tensor/tensor';
import * as nn from '../../../nn';
import { Module } from '../../../nn/module';
import { interpolate } from '../../../nn/functional/vision';
import { release } from '../../../nn/intermediates';
import { WEIGHTS, loadWeights } from '../weights';
import { IntermediateLayerGetter } from './intermediate-layer-getter';
import { SegmentationOutput, headToSize } from './simple-segmentation';
import { SegmentationOptions, mobilenetStages, resolveSegmentation } from './backbones';

/** The high-level features gated by their global average, upsampled, added to a classifier of the low-level ones. */
export class LRASPPHead extends Module {
  cbr: nn.Sequential;
  scale: nn.Sequential;
  low_classifier: nn.Conv2d;
  high_classifier: nn.Conv2d;

  constructor(lowChannels: number, highChannels: number, numClasses: number, interChannels: number) {
    super();
    this.cbr = new nn.Sequential(new nn.Conv2d(highChannels, interChannels, 1, { bias: false }), new nn.BatchNorm2d(interChannels), new nn.ReLU({ inplace: true }));
    this.scale = new nn.Sequential(new nn.AdaptiveAvgPool2d(1), new nn.Conv2d(highChannels, interChannels, 1, { bias: false }), new nn.Sigmoid());
    this.low_classifier = new nn.Conv2d(lowChannels, numClasses, 1);
    this.high_classifier = new nn.Conv2d(interChannels, numClasses, 1);
  }

  forward(input: { low: Tensor; high: Tensor }): Tensor {
    const { low, high } = input;
    const x = this.cbr(high) as Tensor;
    const s = this.scale(high) as Tensor;
    const gated = x.mul(s);
    release(x, high, gated);
    release(s, high, gated);
    const up = interpolate(gated, { size: low.shape.slice(-2), mode: 'bilinear', alignCorners: false });
    const lowOut = this.low_classifier(low) as Tensor;
    const highOut = this.high_classifier(up) as Tensor;
    const out = lowOut.add(highOut);
    release(lowOut, low, out);
    release(highOut, low, out);
    return out;
  }
}

export class LRASPP extends Module {
  backbone: Module;
  classifier: LRASPPHead;

  constructor(backbone: Module, lowChannels: number, highChannels: number, numClasses: number, interChannels = 128) {
    super();
    this.backbone = backbone;
    this.classifier = new LRASPPHead(lowChannels, highChannels, numClasses, interChannels);
  }

  forward(input: Tensor): SegmentationOutput {
    const features = this.backbone(input) as { low: Tensor; high: Tensor };
    return { out: headToSize(this.classifier, features, input.shape.slice(-2), input) };
  }
}

export const LRASPP_MobileNet_V3_Large_Weights = WEIGHTS.LRASPP_MobileNet_V3_Large_Weights;

/** torchvision's lraspp_mobilenet_v3_large: aux_loss is refused (NotImplementedError), as there. */
export function lrasppMobilenetV3Large(o: SegmentationOptions = {}): LRASPP {
  const { weights, weightsBackbone, numClasses } = resolveSegmentation('lrasppMobilenetV3Large', o, WEIGHTS.LRASPP_MobileNet_V3_Large_Weights, WEIGHTS.MobileNet_V3_Large_Weights, false);
  const { features, stageIndices, channels } = mobilenetStages(weightsBackbone);
  const lowPos = stageIndices[stageIndices.length - 4]; // C2, output stride 8
  const highPos = stageIndices[stageIndices.length - 1]; // C5, output stride 16
  const backbone = new IntermediateLayerGetter(features, { [lowPos]: 'low', [highPos]: 'high' });
  return loadWeights(new LRASPP(backbone, channels(lowPos), channels(highPos), numClasses), weights);
}
