// torch.nn.modules.rnn
export { RNNBase, RNN, LSTM, GRU } from '../layers/rnn';
export { RNNCellBase, RNNCell, LSTMCell, GRUCell } from '../layers/rnn-cell';
