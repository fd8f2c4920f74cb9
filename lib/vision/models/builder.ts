// What every model builder shares: weights resolution (enum entry, entry name or file), numClasses
// fixed by an enum entry's categories, strict loading after construction.
import { Module, StateDict } from '../../nn/module';
import { WeightsArg, WEIGHTS, resolveWeights, classesFor, loadWeights } from './weights';

export interface BuilderOptions {
  /** an enum entry (e.g. ResNet50_Weights.IMAGENET1K_V2), an entry name ('DEFAULT') or a .pth/.pt/.safetensors path */
  weights?: WeightsArg;
  /** accepted for torchvision compatibility; nothing is downloaded */
  progress?: boolean;
  numClasses?: number;
}

/** Builds `make(numClasses, rest)` and loads the weights the options name. */
export function build<O extends BuilderOptions, M extends Module>(
  enumName: keyof typeof WEIGHTS,
  options: O,
  make: (numClasses: number, rest: Omit<O, 'weights' | 'progress' | 'numClasses'>) => M,
  rewrite?: (sd: StateDict) => StateDict,
): M {
  const { weights: w, progress: _progress, numClasses, ...rest } = options;
  const weights = resolveWeights(w, WEIGHTS[enumName]);
  return loadWeights(make(classesFor(weights, numClasses), rest), weights, rewrite);
}
