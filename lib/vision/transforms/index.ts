// torchvision.transforms: transform classes on tensor images, and `functional` (F).
// A 2-D [H, W] tensor (a FashionMNIST item, where torchvision has a PIL 'L' image) is a one-channel
// image: transforms keep it 2-D as PIL keeps mode 'L', ToTensor/PILToTensor make it [1, H, W] and
// Grayscale(3) [3, H, W], so Compose([Resize(32), ToTensor()]) gives torchvision's [1, 32, 32].
export * from './transforms';
export { ImageClassification, SemanticSegmentation } from './presets';
export type { ImageClassificationOptions, SemanticSegmentationOptions } from './presets';
export { InterpolationMode } from './functional';
export type { PaddingMode } from './functional';
export * as functional from './functional';
export { RandomErasing } from './random-erasing';
export type { RandomErasingOptions, ErasingValue } from './random-erasing';
export { FiveCrop, TenCrop } from './multi-crop';
export { RandomInvert, RandomPosterize, RandomSolarize, RandomAdjustSharpness, RandomAutocontrast, RandomEqualize } from './random-color';
export { AutoAugmentPolicy, AutoAugment, RandAugment, TrivialAugmentWide, AugMix } from './autoaugment';
export type { AutoAugmentOptions, RandAugmentOptions, TrivialAugmentWideOptions, AugMixOptions } from './autoaugment';
export { RandomChoice, RandomOrder } from './random-containers';
export { PythonRandom, pythonRandom } from '../../python-random';
export { LinearTransformation } from './linear-transformation';
export { ElasticTransform } from './elastic';
