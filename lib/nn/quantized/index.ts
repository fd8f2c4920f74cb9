// torch.nn.quantized (torch.ao.nn.quantized): quantized layers; dynamic ones under .dynamic, the
// functional forms under .functional.
export * as dynamic from './dynamic';
export * as functional from './functional';
export { LinearPackedParams } from './linear-packed-params';
export { Linear } from './linear';
export { Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d } from './conv';
export { Quantize, DeQuantize } from './quantize';
export { ReLU6, Hardswish, ELU, LeakyReLU, Sigmoid, Softmax, PReLU } from './activation';
export { BatchNorm2d, BatchNorm3d } from './batchnorm';
export { LayerNorm, GroupNorm, InstanceNorm1d, InstanceNorm2d, InstanceNorm3d } from './normalization';
export { Dropout } from './dropout';
export { Embedding, EmbeddingBag, EmbeddingPackedParams } from './embedding';
export { FloatFunctional, FXFloatFunctional, QFunctional } from './functional-modules';
// Python re-exports the float MaxPool2d: max pooling works on quantized tensors as they are
export { MaxPool2d } from '../layers/pooling';
// the custom modules' quantized forms (made by convert from nn.quantizable's observed ones)
export { LSTM } from './rnn';
export { MultiheadAttention } from './multihead-attention';
// torch.ao.nn.quantized.reference
export * as reference from './reference';
