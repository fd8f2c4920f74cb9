// torchvision.models.quantization's weights enums (ResNet18_QuantizedWeights, ...): entries as the
// float enums' Weights, their meta adding the quantized engine the weights were made with
// ('backend') and the float entry they were quantized from ('unquantized').
import { IMAGENET_CATEGORIES } from '../imagenet-categories';
import { WEIGHTS, Weights, WeightsMeta, WeightsRow, enumsOf, rowMeta } from '../weights';
import { QUANTIZED_WEIGHTS_DATA } from './weights-data';

export interface QuantizedWeightsMeta extends WeightsMeta {
  /** the quantized engine these weights were made for: 'fbgemm' or 'qnnpack' */
  backend: string;
  /** the float weights they were quantized from */
  unquantized: Weights;
}

/** One entry of a *_QuantizedWeights enum. */
export class QuantizedWeights extends Weights {
  declare readonly meta: QuantizedWeightsMeta;
}

type FloatEnumName = keyof typeof WEIGHTS;

/** The quantized weights enums, by torchvision's enum names. */
export const QUANTIZED_WEIGHTS = enumsOf(QUANTIZED_WEIGHTS_DATA, (enumName, name, row: WeightsRow) => {
  const m = row.meta;
  const [floatEnum, floatEntry] = m.unquantized as [FloatEnumName, string];
  const meta: QuantizedWeightsMeta = { ...rowMeta(m, IMAGENET_CATEGORIES), backend: m.backend as string, unquantized: WEIGHTS[floatEnum][floatEntry] };
  return new QuantizedWeights(enumName, name, row.url, row.transforms as ConstructorParameters<typeof Weights>[3], meta);
});
