// torch.ao.nn.quantized.reference: float layers that compute with their weight quantized and
// dequantized (what convert(model, { isReference: true }) produces).
export { Linear } from './linear';
export { Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d } from './conv';
export { RNNCell, LSTMCell, GRUCell, LSTM, getQuantizedWeight } from './rnn';
export type { WeightQparamsDict } from './rnn';
export { Embedding, EmbeddingBag } from './sparse';
export type { WeightQparams, ReferenceMembers } from './utils';
