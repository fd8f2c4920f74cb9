// torchvision.models.optical_flow: RAFT (raftLarge, raftSmall, and under torchvision's snake_case
// names), its parts, the flow utilities, the weights enums and the OpticalFlow preset.
import './library-modules';
export { RAFT } from './raft';
export type { RAFTOptions, CorrBlockLike } from './raft';
export { raftLarge, raftSmall, raft_large, raft_small } from './raft-builders';
export type { RaftBuilderOptions } from './raft-builders';
export { ResidualBlock, BottleneckBlock } from './residual-blocks';
export type { BlockArgs, ResidualBlockArgs, FlowEncoderBlock } from './residual-blocks';
export { FeatureEncoder } from './feature-encoder';
export type { FeatureEncoderOptions } from './feature-encoder';
export { CorrBlock } from './corr-block';
export type { CorrBlockOptions } from './corr-block';
export { MotionEncoder } from './motion-encoder';
export type { MotionEncoderOptions } from './motion-encoder';
export { ConvGRU, RecurrentBlock } from './recurrent-block';
export type { ConvGRUOptions, RecurrentBlockOptions } from './recurrent-block';
export { FlowHead, UpdateBlock, MaskPredictor } from './update-block';
export type { FlowHeadOptions, UpdateBlockOptions, MaskPredictorOptions } from './update-block';
export { gridSampleWithCoords, makeCoordsGrid, upsampleFlow } from './flow-utils';
export { OpticalFlowWeights, OPTICAL_FLOW_WEIGHTS, Raft_Large_Weights, Raft_Small_Weights } from './optical-flow-weights';
export { OpticalFlow } from './optical-flow-preset';
