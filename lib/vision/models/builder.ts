// What every model builder shares: keyword checking, weights resolution (enum entry, entry name or
// file), numClasses fixed by an enum entry's categories, strict loading after construction.
import { Module, StateDict } from '../../nn/module';
import { checkKeywords, keysOf } from '../../keywords';
import { WeightsArg, Weights, WEIGHTS, resolveWeights, classesFor, loadWeights } from './weights';

export interface BuilderOptions {
  /** an enum entry (e.g. ResNet50_Weights.IMAGENET1K_V2), an entry name ('DEFAULT') or a .pth/.pt/.safetensors path */
  weights?: WeightsArg;
  /** accepted for torchvision compatibility; nothing is downloaded */
  progress?: boolean;
  numClasses?: number;
}

const BUILDER_KEYS = keysOf<BuilderOptions>()('weights', 'progress', 'numClasses');

/** keysOf for a builder's own keys: those of its options type besides BuilderOptions'. */
export const builderKeys = <O extends BuilderOptions>() => keysOf<Omit<O, keyof BuilderOptions>>();

/**
 * Builds `make(numClasses, rest, weights)` for the builder `fn` and loads the weights the options
 * name; `keys`: the options it takes besides BuilderOptions'.
 */
export function build<O extends BuilderOptions, M extends Module>(
  fn: string,
  enumName: keyof typeof WEIGHTS,
  keys: readonly string[],
  options: O,
  make: (numClasses: number, rest: Omit<O, 'weights' | 'progress' | 'numClasses'>, weights: Weights | string | null) => M,
  rewrite?: (sd: StateDict) => StateDict,
): M {
  checkKeywords(fn, options, BUILDER_KEYS, keys);
  const { weights: w, progress: _progress, numClasses, ...rest } = options;
  const weights = resolveWeights(w, WEIGHTS[enumName]);
  return loadWeights(make(classesFor(weights, numClasses), rest, weights), weights, rewrite);
}
