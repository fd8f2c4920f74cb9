// What the video builders share (torchvision's _video_resnet, s3d, _mvit): keywords checked, the
// legacy `pretrained` (its entry is KINETICS400_V1), weights resolved, numClasses fixed by an
// entry's categories (400 by default), strict loading after construction.
import { Module } from '../../../nn/module';
import { checkKeywords } from '../../../keywords';
import { Weights, WeightsArg, WeightsEnum, classesFor, loadWeights, resolveWeights } from '../weights';
import { legacyWeights } from '../builder';
import { VIDEO_WEIGHTS, VideoEnumName } from './video-weights';

export interface VideoBuilderOptions {
  /** an enum entry (e.g. R3D_18_Weights.KINETICS400_V1), an entry name ('DEFAULT') or a .pth/.pt/.safetensors path */
  weights?: WeightsArg;
  /** accepted for torchvision compatibility; nothing is downloaded */
  progress?: boolean;
  /** default 400 (Kinetics-400's) */
  numClasses?: number;
  /** @deprecated since torchvision 0.13, use `weights`: true is KINETICS400_V1 */
  pretrained?: boolean;
}
const VIDEO_BUILDER_KEYS: readonly string[] = ['weights', 'progress', 'numClasses', 'pretrained'];

/** Builds `make(numClasses, rest, weights)` for the builder `fn`; `keys`: the model's own keywords. */
export function buildVideo<O extends VideoBuilderOptions, M extends Module>(
  fn: string,
  enumName: VideoEnumName,
  keys: readonly string[],
  options: O,
  make: (numClasses: number, rest: Omit<O, keyof VideoBuilderOptions>, weights: Weights | string | null) => M,
): M {
  checkKeywords(fn, options, VIDEO_BUILDER_KEYS, keys);
  const { weights: _w, progress: _p, numClasses, pretrained: _pretrained, ...rest } = options;
  const enumValue = VIDEO_WEIGHTS[enumName];
  // handle_legacy_interface's entry for these builders is KINETICS400_V1 (legacyWeights looks under IMAGENET1K_V1)
  const legacyEnum = { IMAGENET1K_V1: enumValue.KINETICS400_V1 } as unknown as WeightsEnum;
  const weights = resolveWeights(legacyWeights(fn, options as Record<string, unknown>, legacyEnum), enumValue);
  return loadWeights(make(classesFor(weights, numClasses, 400), rest, weights), weights);
}
