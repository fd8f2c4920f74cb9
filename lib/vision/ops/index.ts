// torch-node/vision's ops (torchvision.ops): box utilities, nms, detection losses, RoI pooling and
// the layers torchvision's models share (those defined in ../models/ops are re-exported here).
export { boxArea, boxIou, generalizedBoxIou, distanceBoxIou, completeBoxIou, boxConvert, clipBoxesToImage, removeSmallBoxes, masksToBoxes } from './boxes';
export type { BoxFormat } from './boxes';
export { nms, batchedNms } from './nms';
export { sigmoidFocalLoss, generalizedBoxIouLoss, distanceBoxIouLoss, completeBoxIouLoss } from './losses';
export type { LossReduction } from './losses';
export { dropBlock2d, dropBlock3d, DropBlock2d, DropBlock3d } from './drop-block';
export { FrozenBatchNorm2d } from './frozen-batchnorm';
export { Conv3dNormActivation } from './conv3d-norm-activation';
export { stochasticDepth, StochasticDepth, Conv2dNormActivation, SqueezeExcitation, MLP, Permute } from '../models/ops';
export type { NormLayer, ActivationLayer } from '../models/ops';
export { roiAlign, RoIAlign } from './roi-align';
export type { RoiBoxes } from './roi-boxes';
export { roiPool, RoIPool } from './roi-pool';
export { FeaturePyramidNetwork, ExtraFPNBlock, LastLevelMaxPool, LastLevelP6P7 } from './feature-pyramid-network';
export type { FeaturePyramidNetworkArgs } from './feature-pyramid-network';
export { MultiScaleRoIAlign, LevelMapper } from './poolers';
export { deformConv2d, DeformConv2d } from './deform-conv';
export { psRoiAlign, PSRoIAlign } from './ps-roi-align';
export { psRoiPool, PSRoIPool } from './ps-roi-pool';
