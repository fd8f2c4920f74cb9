// What the quantized builders share (torchvision.models.quantization's builder prologue): `quantize`
// picks the weights enum (the *_QuantizedWeights one, else the float one), the legacy `pretrained`
// maps to that enum's first entry, and quantized weights fix numClasses and the backend.
import { checkKeywords, keysOf } from '../../../keywords';
import { BuilderOptions, legacyWeights, overwrite } from '../builder';
import { Weights, WeightsEnum, classesFor, resolveWeights } from '../weights';
import { QuantizedWeights } from './weights';

export interface QuantizedBuilderOptions extends BuilderOptions {
  /** return the model quantized (8-bit weights and activations, CPU inference only); default false */
  quantize?: boolean;
  /** the quantized engine to quantize for: 'qnnpack' or 'onednn' here ('fbgemm', many builders' default, is not in this libtorch) */
  backend?: string;
}

const QUANTIZED_BUILDER_KEYS = keysOf<QuantizedBuilderOptions>()('weights', 'progress', 'numClasses', 'pretrained', 'quantize', 'backend');

/** The resolved builder arguments: what the model is built with and what happens after. */
export interface QuantizedBuildPlan<R> {
  quantize: boolean;
  weights: Weights | string | null;
  numClasses: number;
  backend: string;
  rest: R;
}

/**
 * The prologue of a quantized builder `fn`: keyword check (`keys`: the model's own options), weights
 * resolved against `quantEnum` when quantize else `floatEnum` (legacy pretrained=true meaning
 * `legacyQuantEntry` of the one, IMAGENET1K_V1 of the other), numClasses and backend from the weights.
 */
export function planQuantized<O extends QuantizedBuilderOptions>(
  fn: string,
  floatEnum: WeightsEnum,
  quantEnum: WeightsEnum,
  legacyQuantEntry: string,
  defaultBackend: string,
  keys: readonly string[],
  options: O,
): QuantizedBuildPlan<Omit<O, keyof QuantizedBuilderOptions>> {
  checkKeywords(fn, options, QUANTIZED_BUILDER_KEYS, keys);
  const { weights: _w, progress: _p, numClasses: _n, pretrained: _pt, quantize = false, backend: _b, ...rest } = options;
  const enumValue = quantize ? quantEnum : floatEnum;
  // legacyWeights takes the entry pretrained=true stands for as the enum's IMAGENET1K_V1
  const legacyEntry = quantize ? quantEnum[legacyQuantEntry] : floatEnum.IMAGENET1K_V1;
  const weights = resolveWeights(legacyWeights(fn, options as Record<string, unknown>, { IMAGENET1K_V1: legacyEntry } as unknown as WeightsEnum), enumValue);
  const numClasses = classesFor(weights, options.numClasses);
  const backend = weights instanceof QuantizedWeights ? overwrite(options as Record<string, unknown>, 'backend', 'backend', weights.meta.backend) : (options.backend ?? defaultBackend);
  return { quantize, weights, numClasses, backend, rest };
}
