// torchvision.models.optical_flow's weights enums (Raft_Large_Weights.C_T_SKHT_V2, ...), from the
// generated table: no categories, the OpticalFlow preset.
import { Weights, enumsOf, rowMeta } from '../weights';
import { OPTICAL_FLOW_WEIGHTS_DATA } from '../weights-data';
import { ImageClassification } from '../../transforms/presets';
import { OpticalFlow } from './optical-flow-preset';

/** An optical-flow entry: transforms() is OpticalFlow. */
export class OpticalFlowWeights extends Weights {
  constructor(enumName: string, name: string, url: string, meta: Weights['meta']) {
    super(enumName, name, url, { preset: 'OpticalFlow' } as never, meta);
  }

  // typed as the single-image presets so that Weights.transforms() stays callable on a tensor
  transforms(): ImageClassification {
    return new OpticalFlow() as unknown as ImageClassification;
  }
}

export const OPTICAL_FLOW_WEIGHTS = enumsOf(OPTICAL_FLOW_WEIGHTS_DATA, (enumName, name, row) => new OpticalFlowWeights(enumName, name, row.url, rowMeta(row.meta, null)));

export const Raft_Large_Weights = OPTICAL_FLOW_WEIGHTS.Raft_Large_Weights;
export const Raft_Small_Weights = OPTICAL_FLOW_WEIGHTS.Raft_Small_Weights;
