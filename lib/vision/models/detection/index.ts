// torchvision.models.detection: Faster R-CNN, Mask R-CNN, Keypoint R-CNN, RetinaNet, FCOS, SSD and SSDlite (camelCase builders,
// and under torchvision's snake_case names), their parts, utilities and weights enums.
import * as faster from './faster-rcnn';
import * as mask from './mask-rcnn';
import * as keypoint from './keypoint-rcnn';
import * as retina from './retinanet';
import * as fcos from './fcos';
import * as ssd from './ssd';
import * as ssdlite from './ssdlite';

export { ImageList } from './image-list';
export { GeneralizedRCNNTransform, resizeBoxes, resizeKeypoints } from './transform';
export type { TensorDict, GeneralizedRCNNTransformOptions } from './transform';
export { BoxCoder, Matcher, SSDMatcher, BalancedPositiveNegativeSampler, encodeBoxes, retrieveOutChannels } from './det-utils';
export { AnchorGenerator } from './anchor-utils';
export type { AnchorGeneratorArgs } from './anchor-utils';
export { DefaultBoxGenerator } from './default-box-generator';
export type { DefaultBoxGeneratorArgs } from './default-box-generator';
export { RPNHead, RegionProposalNetwork, concatBoxPredictionLayers, permuteAndFlatten } from './rpn';
export { RoIHeads, fastrcnnLoss } from './roi-heads';
export { maskrcnnLoss, maskrcnnInference, projectMasksOnBoxes } from './mask-ops';
export { keypointrcnnLoss, keypointrcnnInference, keypointsToHeatmap, heatmapsToKeypoints } from './keypoint-ops';
export { pasteMasksInImage } from './paste-masks';
export { GeneralizedRCNN } from './generalized-rcnn';
export { BackboneWithFPN, resnetFpnBackbone, resnetFpnExtractor, mobilenetExtractor, validateTrainableLayers } from './backbone-utils';
export type { ResnetFpnBackboneOptions } from './backbone-utils';
export {
  FasterRCNN, TwoMLPHead, FastRCNNConvFCHead, FastRCNNPredictor,
  FasterRCNN_ResNet50_FPN_Weights, FasterRCNN_ResNet50_FPN_V2_Weights, FasterRCNN_MobileNet_V3_Large_FPN_Weights, FasterRCNN_MobileNet_V3_Large_320_FPN_Weights,
  fasterrcnnResnet50Fpn, fasterrcnnResnet50FpnV2, fasterrcnnMobilenetV3LargeFpn, fasterrcnnMobilenetV3Large320Fpn,
} from './faster-rcnn';
export type { FasterRCNNArgs, FasterRCNNBuilderOptions } from './faster-rcnn';
export { MaskRCNN, MaskRCNNHeads, MaskRCNNPredictor, MaskRCNN_ResNet50_FPN_Weights, MaskRCNN_ResNet50_FPN_V2_Weights, maskrcnnResnet50Fpn, maskrcnnResnet50FpnV2 } from './mask-rcnn';
export type { MaskRCNNArgs, MaskRCNNBuilderOptions } from './mask-rcnn';
export { KeypointRCNN, KeypointRCNNHeads, KeypointRCNNPredictor, KeypointRCNN_ResNet50_FPN_Weights, keypointrcnnResnet50Fpn } from './keypoint-rcnn';
export type { KeypointRCNNArgs, KeypointRCNNBuilderOptions } from './keypoint-rcnn';
export {
  RetinaNet, RetinaNetHead, RetinaNetClassificationHead, RetinaNetRegressionHead, boxLoss,
  RetinaNet_ResNet50_FPN_Weights, RetinaNet_ResNet50_FPN_V2_Weights, retinanetResnet50Fpn, retinanetResnet50FpnV2,
} from './retinanet';
export type { RetinaNetArgs, RetinaNetBuilderOptions, RetinaNetHeadArgs, RetinaNetClassificationHeadArgs, RetinaNetRegressionHeadArgs, BoxLossType } from './retinanet';
export { FCOS, FCOSHead, FCOSClassificationHead, FCOSRegressionHead, BoxLinearCoder, FCOS_ResNet50_FPN_Weights, fcosResnet50Fpn } from './fcos';
export type { FCOSArgs, FCOSBuilderOptions, FCOSHeadArgs, FCOSClassificationHeadArgs, FCOSRegressionHeadArgs } from './fcos';
export {
  SSD, SSDHead, SSDScoringHead, SSDClassificationHead, SSDRegressionHead, SSDFeatureExtractorVGG, vggExtractor, SSD300_VGG16_Weights, ssd300Vgg16,
} from './ssd';
export type { SSDArgs, SSDBuilderOptions } from './ssd';
export {
  SSDLiteHead, SSDLiteClassificationHead, SSDLiteRegressionHead, SSDLiteFeatureExtractorMobileNet, mobilenetSsdliteExtractor,
  SSDLite320_MobileNet_V3_Large_Weights, ssdlite320MobilenetV3Large,
} from './ssdlite';
export type { SSDLiteBuilderOptions } from './ssdlite';
export type { DetectionBuilderOptions } from './detection-builder';
export { DetectionWeights } from './detection-weights';
export { ObjectDetection } from './object-detection-preset';
export { COCO_CATEGORIES, COCO_PERSON_CATEGORIES, COCO_PERSON_KEYPOINT_NAMES } from './coco-categories';

// torchvision's names
export const fasterrcnn_resnet50_fpn = faster.fasterrcnnResnet50Fpn;
export const fasterrcnn_resnet50_fpn_v2 = faster.fasterrcnnResnet50FpnV2;
export const fasterrcnn_mobilenet_v3_large_fpn = faster.fasterrcnnMobilenetV3LargeFpn;
export const fasterrcnn_mobilenet_v3_large_320_fpn = faster.fasterrcnnMobilenetV3Large320Fpn;
export const maskrcnn_resnet50_fpn = mask.maskrcnnResnet50Fpn;
export const maskrcnn_resnet50_fpn_v2 = mask.maskrcnnResnet50FpnV2;
export const keypointrcnn_resnet50_fpn = keypoint.keypointrcnnResnet50Fpn;
export const retinanet_resnet50_fpn = retina.retinanetResnet50Fpn;
export const retinanet_resnet50_fpn_v2 = retina.retinanetResnet50FpnV2;
export const fcos_resnet50_fpn = fcos.fcosResnet50Fpn;
export const ssd300_vgg16 = ssd.ssd300Vgg16;
export const ssdlite320_mobilenet_v3_large = ssdlite.ssdlite320MobilenetV3Large;
