// torchvision's raft_large and raft_small: RAFT assembled from its parts with each model's sizes;
// the parts may be given instead (torchvision's **kwargs), weights load after construction.
import * as nn from '../../../nn';
import { Module } from '../../../nn/module';
import { checkKeywords, keysOf } from '../../../keywords';
import { NormLayer, batchNorm2d } from '../ops';
import { WeightsArg, WeightsEnum, loadWeights, resolveWeights } from '../weights';
import { legacyWeights } from '../builder';
import { FlowEncoderBlock, ResidualBlock, BottleneckBlock } from './residual-blocks';
import { FeatureEncoder } from './feature-encoder';
import { CorrBlock } from './corr-block';
import { MotionEncoder } from './motion-encoder';
import { RecurrentBlock } from './recurrent-block';
import { FlowHead, MaskPredictor, UpdateBlock } from './update-block';
import { CorrBlockLike, RAFT } from './raft';
import { Raft_Large_Weights, Raft_Small_Weights } from './optical-flow-weights';

export interface RaftBuilderOptions {
  /** an enum entry (e.g. Raft_Large_Weights.C_T_SKHT_V2), an entry name ('DEFAULT') or a .pth/.pt/.safetensors path */
  weights?: WeightsArg;
  /** accepted for torchvision compatibility; nothing is downloaded */
  progress?: boolean;
  /** @deprecated since torchvision 0.13, use `weights` (true: C_T_SKHT_V2 for raft_large, C_T_V2 for raft_small) */
  pretrained?: boolean;
  /** RAFT's parts, each instead of the one the builder makes (null: the builder's) */
  featureEncoder?: Module | null;
  contextEncoder?: Module | null;
  corrBlock?: CorrBlockLike | null;
  updateBlock?: (Module & { hiddenStateSize: number }) | null;
  maskPredictor?: Module | null;
}
const RAFT_BUILDER_KEYS = keysOf<RaftBuilderOptions>()('weights', 'progress', 'pretrained', 'featureEncoder', 'contextEncoder', 'corrBlock', 'updateBlock', 'maskPredictor');

type Size2 = number | readonly [number, number];

/** torchvision's _raft arguments: one model's sizes. */
interface RaftConfig {
  featureEncoderLayers: readonly number[];
  featureEncoderBlock: FlowEncoderBlock;
  featureEncoderNormLayer: NormLayer | null;
  contextEncoderLayers: readonly number[];
  contextEncoderBlock: FlowEncoderBlock;
  contextEncoderNormLayer: NormLayer | null;
  corrBlockNumLevels: number;
  corrBlockRadius: number;
  motionEncoderCorrLayers: readonly number[];
  motionEncoderFlowLayers: readonly number[];
  motionEncoderOutChannels: number;
  recurrentBlockHiddenStateSize: number;
  recurrentBlockKernelSize: readonly Size2[];
  recurrentBlockPadding: readonly Size2[];
  flowHeadHiddenSize: number;
  useMaskPredictor: boolean;
}

const instanceNorm2d: NormLayer = (c) => new nn.InstanceNorm2d(c);

/** The parts in torchvision's order of construction (the seeded draws follow it), the given ones kept. */
function makeRaft(fn: string, c: RaftConfig, o: RaftBuilderOptions, enumValue: WeightsEnum, legacy: string): RAFT {
  checkKeywords(fn, o, RAFT_BUILDER_KEYS);
  const weights = resolveWeights(legacyWeights(fn, o as Record<string, unknown>, { IMAGENET1K_V1: enumValue[legacy] } as unknown as WeightsEnum), enumValue);
  const featureEncoder = o.featureEncoder ?? new FeatureEncoder({ block: c.featureEncoderBlock, layers: c.featureEncoderLayers, normLayer: c.featureEncoderNormLayer });
  const contextEncoder = o.contextEncoder ?? new FeatureEncoder({ block: c.contextEncoderBlock, layers: c.contextEncoderLayers, normLayer: c.contextEncoderNormLayer });
  const corrBlock = o.corrBlock ?? new CorrBlock({ numLevels: c.corrBlockNumLevels, radius: c.corrBlockRadius });
  let updateBlock = o.updateBlock ?? null;
  if (updateBlock === null) {
    const motionEncoder = new MotionEncoder({
      inChannelsCorr: corrBlock.outChannels,
      corrLayers: c.motionEncoderCorrLayers,
      flowLayers: c.motionEncoderFlowLayers,
      outChannels: c.motionEncoderOutChannels,
    });
    // the context encoder's output is split into the hidden state and the context (see RAFT.forward)
    const outChannelsContext = c.contextEncoderLayers[c.contextEncoderLayers.length - 1] - c.recurrentBlockHiddenStateSize;
    const recurrentBlock = new RecurrentBlock({
      inputSize: motionEncoder.outChannels + outChannelsContext,
      hiddenSize: c.recurrentBlockHiddenStateSize,
      kernelSize: c.recurrentBlockKernelSize,
      padding: c.recurrentBlockPadding,
    });
    const flowHead = new FlowHead({ inChannels: c.recurrentBlockHiddenStateSize, hiddenSize: c.flowHeadHiddenSize });
    updateBlock = new UpdateBlock({ motionEncoder, recurrentBlock, flowHead });
  }
  let maskPredictor = o.maskPredictor ?? null;
  if (maskPredictor === null && c.useMaskPredictor) maskPredictor = new MaskPredictor({ inChannels: c.recurrentBlockHiddenStateSize, hiddenSize: 256, multiplier: 0.25 });
  return loadWeights(new RAFT({ featureEncoder, contextEncoder, corrBlock, updateBlock, maskPredictor }), weights);
}

/** raft_large(*, weights=None, progress=True, **kwargs): 5.3M parameters, convex upsampling. */
export function raftLarge(options: RaftBuilderOptions = {}): RAFT {
  return makeRaft('raft_large', {
    featureEncoderLayers: [64, 64, 96, 128, 256],
    featureEncoderBlock: ResidualBlock,
    featureEncoderNormLayer: instanceNorm2d,
    contextEncoderLayers: [64, 64, 96, 128, 256],
    contextEncoderBlock: ResidualBlock,
    contextEncoderNormLayer: batchNorm2d(),
    corrBlockNumLevels: 4,
    corrBlockRadius: 4,
    motionEncoderCorrLayers: [256, 192],
    motionEncoderFlowLayers: [128, 64],
    motionEncoderOutChannels: 128,
    recurrentBlockHiddenStateSize: 128,
    recurrentBlockKernelSize: [[1, 5], [5, 1]],
    recurrentBlockPadding: [[0, 2], [2, 0]],
    flowHeadHiddenSize: 256,
    useMaskPredictor: true,
  }, options, Raft_Large_Weights, 'C_T_SKHT_V2');
}

/** raft_small(*, weights=None, progress=True, **kwargs): 1.0M parameters, bilinear upsampling. */
export function raftSmall(options: RaftBuilderOptions = {}): RAFT {
  return makeRaft('raft_small', {
    featureEncoderLayers: [32, 32, 64, 96, 128],
    featureEncoderBlock: BottleneckBlock,
    featureEncoderNormLayer: instanceNorm2d,
    contextEncoderLayers: [32, 32, 64, 96, 160],
    contextEncoderBlock: BottleneckBlock,
    contextEncoderNormLayer: null,
    corrBlockNumLevels: 4,
    corrBlockRadius: 3,
    motionEncoderCorrLayers: [96],
    motionEncoderFlowLayers: [64, 32],
    motionEncoderOutChannels: 82,
    recurrentBlockHiddenStateSize: 96,
    recurrentBlockKernelSize: [3],
    recurrentBlockPadding: [1],
    flowHeadHiddenSize: 128,
    useMaskPredictor: false,
  }, options, Raft_Small_Weights, 'C_T_V2');
}

// torchvision's names
export const raft_large = raftLarge;
export const raft_small = raftSmall;
