// torchvision.transforms: transform classes on tensor images, and `functional` (F).
export * from './transforms';
export { ImageClassification } from './presets';
export type { ImageClassificationOptions } from './presets';
export type { InterpolationMode, PaddingMode } from './functional';
export * as functional from './functional';
