// torchvision.models.optical_flow's weights enums (Raft_Large_Weights.C_T_SKHT_V2, ...), from the
// generated table: no categories, the OpticalFlow preset.
import { Weights, WeightsEnum } from '../weights';
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

type EnumName = keyof typeof OPTICAL_FLOW_WEIGHTS_DATA;

function buildEnum(enumName: EnumName): WeightsEnum {
  const data = OPTICAL_FLOW_WEIGHTS_DATA[enumName];
  const out: Record<string, Weights> = {};
  for (const [name, e] of Object.entries(data.entries) as [string, { url: string; meta: Record<string, unknown> }][]) {
    const m = e.meta;
    out[name] = new OpticalFlowWeights(enumName, name, e.url, {
      categories: null,
      numParams: m.num_params as number,
      minSize: m.min_size as number[],
      recipe: m.recipe as string,
      metrics: m._metrics as Record<string, Record<string, number>>,
    });
  }
  out.DEFAULT = out[data.default];
  return Object.freeze(out) as WeightsEnum;
}

export const OPTICAL_FLOW_WEIGHTS: Readonly<Record<EnumName, WeightsEnum>> = Object.fromEntries(
  Object.keys(OPTICAL_FLOW_WEIGHTS_DATA).map((k) => [k, buildEnum(k as EnumName)]),
) as Record<EnumName, WeightsEnum>;

export const Raft_Large_Weights = OPTICAL_FLOW_WEIGHTS.Raft_Large_Weights;
export const Raft_Small_Weights = OPTICAL_FLOW_WEIGHTS.Raft_Small_Weights;
