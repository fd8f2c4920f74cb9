// torch.nn.qat (torch.ao.nn.qat): float layers that fake-quantize their weight in forward, for
// quantization-aware training; prepare_qat swaps them in, convert turns them into quantized layers.
export { Linear } from './linear';
export type { QatLinearArgs } from './linear';
export { Conv1d, Conv2d, Conv3d } from './conv';
export type { QatConvArgs } from './conv';
export { Embedding, EmbeddingBag } from './embedding';
export type { QatEmbeddingArgs, QatEmbeddingBagArgs } from './embedding';
export type { QConfigLike, QConfigFactoryKwargs } from './qconfig';
export * as dynamic from './dynamic';
