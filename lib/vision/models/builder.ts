// What every model builder shares: keyword checking, torchvision 0.13's legacy `pretrained` keyword,
// weights resolution (enum entry, entry name or file), numClasses fixed by an enum entry's
// categories, strict loading after construction.
import { Module, StateDict } from '../../nn/module';
import { TorchError, warn } from '../../errors';
import { checkKeywords, keysOf } from '../../keywords';
import { pyStr } from '../../py-format';
import { WeightsArg, Weights, WeightsEnum, WEIGHTS, resolveWeights, classesFor, loadWeights } from './weights';

export interface BuilderOptions {
  /** an enum entry (e.g. ResNet50_Weights.IMAGENET1K_V2), an entry name ('DEFAULT') or a .pth/.pt/.safetensors path */
  weights?: WeightsArg;
  /** accepted for torchvision compatibility; nothing is downloaded */
  progress?: boolean;
  numClasses?: number;
  /**
   * @deprecated since torchvision 0.13, use `weights`: true is the weights torchvision's legacy
   * interface maps it to (IMAGENET1K_V1), false none; each with torchvision's warnings.
   */
  pretrained?: boolean;
}

const BUILDER_KEYS = keysOf<BuilderOptions>()('weights', 'progress', 'numClasses', 'pretrained');

/** keysOf for a builder's own keys: those of its options type besides BuilderOptions'. */
export const builderKeys = <O extends BuilderOptions>() => keysOf<Omit<O, keyof BuilderOptions>>();

/**
 * torchvision's handle_legacy_interface(weights=('pretrained', <Enum>.IMAGENET1K_V1)): a `pretrained`
 * given without `weights` becomes the legacy entry (true) or no weights (false), with torchvision's
 * two UserWarnings. Given together with `weights` (an entry, a name, a path or null), `pretrained`
 * reaches the model as an unknown keyword, as in torchvision (a TypeError there).
 * `weightsParam`/`pretrainedParam`: the keys (camelCase), also for a backbone's pair.
 */
export function legacyWeights(
  fn: string,
  options: Record<string, unknown>,
  enumValue: WeightsEnum,
  weightsParam = 'weights',
  pretrainedParam = 'pretrained',
): WeightsArg {
  const weights = options[weightsParam] as WeightsArg;
  const pretrained = options[pretrainedParam];
  if (pretrained === undefined) return weights;
  if (weights !== undefined) throw new TorchError(`${fn}() got an unexpected keyword argument '${pretrainedParam}'`);
  let legacy: Weights | null = null;
  if (pretrained) {
    legacy = Object.prototype.hasOwnProperty.call(enumValue, 'IMAGENET1K_V1') ? enumValue.IMAGENET1K_V1 : null;
    if (!legacy) throw new TorchError(`No weights available for model ${fn}`);
  }
  warn(`The parameter '${pretrainedParam}' is deprecated since 0.13 and may be removed in the future, please use '${weightsParam}' instead.`);
  let msg =
    `Arguments other than a weight enum or \`None\` for '${weightsParam}' are deprecated since 0.13 and may be removed in the future. ` +
    `The current behavior is equivalent to passing \`${weightsParam}=${legacy ? String(legacy) : 'None'}\`.`;
  if (legacy) msg += ` You can also use \`${weightsParam}=${legacy.enumName}.DEFAULT\` to get the most up-to-date weights.`;
  warn(msg);
  return legacy;
}

/**
 * Builds `make(numClasses, rest, weights)` for the builder `fn` and loads the weights the options
 * name; `keys`: the options it takes besides BuilderOptions'.
 */
export function build<O extends BuilderOptions, M extends Module>(
  fn: string,
  enumName: keyof typeof WEIGHTS,
  keys: readonly string[],
  options: O,
  make: (numClasses: number, rest: Omit<O, 'weights' | 'progress' | 'numClasses' | 'pretrained'>, weights: Weights | string | null) => M,
  rewrite?: (sd: StateDict) => StateDict,
): M {
  checkKeywords(fn, options, BUILDER_KEYS, keys);
  const { weights: _w, progress: _progress, numClasses, pretrained: _pretrained, ...rest } = options;
  const weights = resolveWeights(legacyWeights(fn, options as Record<string, unknown>, WEIGHTS[enumName]), WEIGHTS[enumName]);
  return loadWeights(make(classesFor(weights, numClasses), rest, weights), weights, rewrite);
}

/** torchvision's _ovewrite_named_param: a value the weights need, or an error naming the one given. */
export function overwrite<T>(options: Record<string, unknown>, key: string, pyName: string, value: T): T {
  const given = options[key];
  if (given !== undefined && given !== value) throw new TorchError(`The parameter '${pyName}' expected value ${pyStr(value)} but got ${pyStr(given)} instead.`);
  return value;
}
