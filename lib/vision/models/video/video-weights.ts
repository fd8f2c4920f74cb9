// torchvision.models.video's weights enums (R3D_18_Weights.KINETICS400_V1, ...), from the generated
// table: Kinetics-400 categories, min_temporal_size, the VideoClassification preset.
import { Weights, enumsOf, rowMeta } from '../weights';
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

export const VIDEO_WEIGHTS = enumsOf(VIDEO_WEIGHTS_DATA, (enumName, name, row) => {
  const m = row.meta;
  const categories = m.categories === 'kinetics400' ? KINETICS400_CATEGORIES : null;
  return new VideoWeights(enumName, name, row.url, row.transforms as VideoPreset, rowMeta(m, categories), (m.min_temporal_size as number | undefined) ?? null);
});

export const R3D_18_Weights = VIDEO_WEIGHTS.R3D_18_Weights;
export const MC3_18_Weights = VIDEO_WEIGHTS.MC3_18_Weights;
export const R2Plus1D_18_Weights = VIDEO_WEIGHTS.R2Plus1D_18_Weights;
export const S3D_Weights = VIDEO_WEIGHTS.S3D_Weights;
export const MViT_V1_B_Weights = VIDEO_WEIGHTS.MViT_V1_B_Weights;
export const MViT_V2_S_Weights = VIDEO_WEIGHTS.MViT_V2_S_Weights;
