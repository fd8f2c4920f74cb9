// torch.nn.functional (also exported as F): PyTorch's names in camelCase, keyword arguments as a
// trailing options object, each function on the ATen op Python's F uses.
export * from './activation';
export * from './linear';
export * from './conv';
export * from './pooling';
export * from './normalization';
export * from './dropout';
export * from './embedding';
export * from './vision';
export * from './distance';
export * from './loss';
export * from './classification-loss';
export type { Reduction } from './enums';
// the multi-head attention nn.MultiheadAttention runs, with Python's positional parameters
export { multiHeadAttentionForward } from '../layers/attention-forward';
export type { MultiHeadAttentionOptions } from '../layers/attention-forward';
// F.conv_tbc and F.native_channel_shuffle are the torch ops themselves, as in Python
export { convTbc, nativeChannelShuffle } from '../../ops/generated/functions';
export * from './attention';
export * from './rms-norm';
