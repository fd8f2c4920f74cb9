// torch.nn.quantized.dynamic: float-in, float-out layers whose weights are quantized.
export { Linear } from './linear';
export { LSTM, GRU, RNNBase } from './rnn';
export type { DynamicRNNArgs, DynamicRNNOptions, WeightBiasDict } from './rnn';
export { RNNCell, LSTMCell, GRUCell, RNNCellBase } from './rnn-cell';
export { PackedParameter } from './packed-parameter';
export { ScriptObject } from './script-object';
