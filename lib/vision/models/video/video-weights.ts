// torchvision.models.video's weights enums (R3D_18_Weights.KINETICS400_V1, ...), from the generated
// table: Kinetics-400 categories, min_temporal_size, the VideoClassification preset.
import { Weights, WeightsEnum } from '../weights';
import { VIDEO_WEIGHTS_DATA } from '../weights-data';
import { KINETICS400_CATEGORIES } from './kinetics-categories';
import { VideoClassification } from './video-classification-preset';

interface VideoPreset {
  crop_size: readonly number[];
  resize_size: readonly number[];
  mean?: readonly number[];
  std?: readonly number[];
}

/** A video entry: meta.minTemporalSize where torchvision states one; transforms() is VideoClassification. */
export class VideoWeights extends Weights {
  constructor(enumName: string, name: string, url: string, private readonly videoPreset: VideoPreset, meta: Weights['meta'], readonly minTemporalSize: number | null) {
    super(enumName, name, url, { preset: 'VideoClassification' } as never, meta);
  }

  transforms(): VideoClassification {
    const p = this.videoPreset;
    const preset = new VideoClassification({ cropSize: p.crop_size, resizeSize: p.resize_size, ...(p.mean ? { mean: p.mean } : {}), ...(p.std ? { std: p.std } : {}) });
    return preset;
  }
}

export type VideoEnumName = keyof typeof VIDEO_WEIGHTS_DATA;

function buildEnum(enumName: VideoEnumName): WeightsEnum {
  const data = VIDEO_WEIGHTS_DATA[enumName];
  const out: Record<string, Weights> = {};
  for (const [name, e] of Object.entries(data.entries) as [string, { url: string; transforms: VideoPreset; meta: Record<string, unknown> }][]) {
    const m = e.meta;
    const meta = {
      categories: m.categories === 'kinetics400' ? KINETICS400_CATEGORIES : null,
      numParams: m.num_params as number,
      minSize: m.min_size as number[],
      recipe: m.recipe as string,
      metrics: m._metrics as Record<string, Record<string, number>>,
    };
    out[name] = new VideoWeights(enumName, name, e.url, e.transforms, meta, (m.min_temporal_size as number | undefined) ?? null);
  }
  out.DEFAULT = out[data.default];
  return Object.freeze(out) as WeightsEnum;
}

export const VIDEO_WEIGHTS: Readonly<Record<VideoEnumName, WeightsEnum>> = Object.fromEntries(
  Object.keys(VIDEO_WEIGHTS_DATA).map((k) => [k, buildEnum(k as VideoEnumName)]),
) as Record<VideoEnumName, WeightsEnum>;

export const R3D_18_Weights = VIDEO_WEIGHTS.R3D_18_Weights;
export const MC3_18_Weights = VIDEO_WEIGHTS.MC3_18_Weights;
export const R2Plus1D_18_Weights = VIDEO_WEIGHTS.R2Plus1D_18_Weights;
export const S3D_Weights = VIDEO_WEIGHTS.S3D_Weights;
export const MViT_V1_B_Weights = VIDEO_WEIGHTS.MViT_V1_B_Weights;
export const MViT_V2_S_Weights = VIDEO_WEIGHTS.MViT_V2_S_Weights;
