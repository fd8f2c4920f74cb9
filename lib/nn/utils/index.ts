// torch.nn.utils: gradient clipping, parameter/vector conversion, and rnn (packed sequences).
export { clipGradNorm_, clipGradValue_ } from './clip-grad';
export type { ClipGradNormOptions, TensorOrTensors } from './clip-grad';
export { parametersToVector, vectorToParameters } from './convert-parameters';
export * as rnn from './rnn';
