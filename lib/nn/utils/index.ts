// torch.nn.utils: gradient clipping and parameter/vector conversion.
export { clipGradNorm_, clipGradValue_ } from './clip-grad';
export type { ClipGradNormOptions, TensorOrTensors } from './clip-grad';
export { parametersToVector, vectorToParameters } from './convert-parameters';
