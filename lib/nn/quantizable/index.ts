// torch.ao.nn.quantizable (torch.nn.quantizable): float layers rebuilt from observable parts, the
// observed step of eager-mode custom-module quantization (nn.LSTM, nn.MultiheadAttention).
export { LSTM, LSTMCell, _LSTMLayer, _LSTMSingleLayer } from './rnn';
export { MultiheadAttention } from './activation';
