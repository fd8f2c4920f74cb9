// torchvision.models.video: VideoResNet (r3d_18, mc3_18, r2plus1d_18), S3D (s3d) and MViT (mvit_v1_b,
// mvit_v2_s), their parts and weights enums, and the VideoClassification preset; builders camelCase
// (r3d18, mvitV1B, ...) and under torchvision's names.
import './library-modules';
import * as resnet from './resnet';
import * as mvit from './mvit';

export {
  VideoResNet, BasicBlock, Bottleneck, Conv3DSimple, Conv3DNoTemporal, Conv2Plus1D, BasicStem, R2Plus1dStem,
  r3d18, mc3_18, r2plus1d18,
} from './resnet';
export type { VideoResNetArgs, VideoResNetBuilderOptions, VideoResNetBlock, ConvBuilder } from './resnet';
export { S3D, SepInceptionBlock3D, TemporalSeparableConv, s3d } from './s3d';
export type { S3DOptions, S3DBuilderOptions } from './s3d';
export { MViT, MultiscaleBlock, PositionalEncoding, MSBlockConfig, mvitV1B, mvitV2S } from './mvit';
export type { MViTArgs, MViTBuilderOptions, MultiscaleBlockArgs, MSBlockConfigArgs, MViTBlock } from './mvit';
export { MultiscaleAttention, Pool } from './mvit-attention';
export type { MultiscaleAttentionArgs } from './mvit-attention';
export type { VideoBuilderOptions } from './video-builder';
export { VideoWeights, VIDEO_WEIGHTS, R3D_18_Weights, MC3_18_Weights, R2Plus1D_18_Weights, S3D_Weights, MViT_V1_B_Weights, MViT_V2_S_Weights } from './video-weights';
export { VideoClassification } from './video-classification-preset';
export type { VideoClassificationOptions } from './video-classification-preset';
export { KINETICS400_CATEGORIES } from './kinetics-categories';

// torchvision's names
export const r3d_18 = resnet.r3d18;
export const r2plus1d_18 = resnet.r2plus1d18;
export const mvit_v1_b = mvit.mvitV1B;
export const mvit_v2_s = mvit.mvitV2S;
