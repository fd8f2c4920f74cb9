// Recurrent layers against PyTorch: same-seed init, repr, float64 forward with input, state and
// parameter gradients (RNN/LSTM/GRU over the fused kernels, and the cells).
import * as torch from '../lib';
import { nn } from '../lib';
import { layerTable } from './helpers/layer-oracle';
import { runPython } from './helpers/python';

type M = nn.Module & ((...a: unknown[]) => unknown);
const lstmWithState = (m: nn.Module, xs: torch.Tensor[]) => (m as M)(xs[0], [xs[1], xs[2]]);

layerTable('nn recurrent layers', [
  { label: 'RNN(4, 3)', py: 'nn.RNN(4, 3)', js: () => new nn.RNN(4, 3), inputs: [[5, 2, 4]] },
  { label: 'RNN(4, 3) with h0', py: 'nn.RNN(4, 3)', js: () => new nn.RNN(4, 3), inputs: [[5, 2, 4], [1, 2, 3]] },
  {
    label: 'RNN(4, 3, 2, relu, bidirectional)',
    py: "nn.RNN(4, 3, 2, nonlinearity='relu', bidirectional=True)",
    js: () => new nn.RNN(4, 3, 2, { nonlinearity: 'relu', bidirectional: true }),
    inputs: [[5, 2, 4]],
  },
  {
    label: 'RNN(4, 3, bias=False, batch_first=True)',
    py: 'nn.RNN(4, 3, bias=False, batch_first=True)',
    js: () => new nn.RNN(4, 3, { bias: false, batchFirst: true }),
    inputs: [[2, 5, 4], [1, 2, 3]],
  },
  { label: 'RNN(4, 3, 3) unbatched', py: 'nn.RNN(4, 3, 3)', js: () => new nn.RNN(4, 3, 3), inputs: [[6, 4], [3, 3]] },
  { label: 'GRU(4, 3)', py: 'nn.GRU(4, 3)', js: () => new nn.GRU(4, 3), inputs: [[5, 2, 4]] },
  {
    label: 'GRU(4, 3, 2, bidirectional, batch_first) with h0',
    py: 'nn.GRU(4, 3, 2, batch_first=True, bidirectional=True)',
    js: () => new nn.GRU(4, 3, 2, { batchFirst: true, bidirectional: true }),
    inputs: [[2, 5, 4], [4, 2, 3]],
  },
  {
    label: 'GRU(4, 3, 3, dropout=0.5) train (dropout draws)',
    py: 'nn.GRU(4, 3, 3, dropout=0.5)',
    js: () => new nn.GRU(4, 3, 3, { dropout: 0.5 }),
    inputs: [[5, 2, 4]],
  },
  {
    label: 'GRU(4, 3, 2, True, False, 0.25) eval',
    py: 'nn.GRU(4, 3, 2, True, False, 0.25)',
    js: () => new nn.GRU(4, 3, 2, true, false, 0.25),
    inputs: [[5, 2, 4]],
    eval: true,
  },
  { label: 'GRU(4, 3, bias=False) unbatched', py: 'nn.GRU(4, 3, bias=False)', js: () => new nn.GRU(4, 3, { bias: false }), inputs: [[7, 4]] },
  { label: 'LSTM(4, 3)', py: 'nn.LSTM(4, 3)', js: () => new nn.LSTM(4, 3), inputs: [[5, 2, 4]] },
  {
    label: 'LSTM(4, 3, 2, bidirectional) with (h0, c0)',
    py: 'nn.LSTM(4, 3, 2, bidirectional=True)',
    js: () => new nn.LSTM(4, 3, 2, { bidirectional: true }),
    inputs: [[5, 2, 4], [4, 2, 3], [4, 2, 3]],
    pyForward: 'm(xs[0], (xs[1], xs[2]))',
    jsForward: lstmWithState,
  },
  {
    label: 'LSTM(4, 5, proj_size=2, num_layers=2, bidirectional, batch_first)',
    py: 'nn.LSTM(4, 5, proj_size=2, num_layers=2, bidirectional=True, batch_first=True)',
    js: () => new nn.LSTM(4, 5, { projSize: 2, numLayers: 2, bidirectional: true, batchFirst: true }),
    inputs: [[2, 6, 4]],
  },
  {
    label: 'LSTM(4, 5, proj_size=3, bias=False) with (h0, c0)',
    py: 'nn.LSTM(4, 5, proj_size=3, bias=False)',
    js: () => new nn.LSTM(4, 5, { projSize: 3, bias: false }),
    inputs: [[3, 2, 4], [1, 2, 3], [1, 2, 5]],
    pyForward: 'm(xs[0], (xs[1], xs[2]))',
    jsForward: lstmWithState,
  },
  {
    label: 'LSTM(4, 3, 2) unbatched with (h0, c0)',
    py: 'nn.LSTM(4, 3, 2)',
    js: () => new nn.LSTM(4, 3, 2),
    inputs: [[5, 4], [2, 3], [2, 3]],
    pyForward: 'm(xs[0], (xs[1], xs[2]))',
    jsForward: lstmWithState,
  },
  {
    label: 'LSTM(4, 3, 3, dropout=0.3) train (dropout draws)',
    py: 'nn.LSTM(4, 3, 3, dropout=0.3)',
    js: () => new nn.LSTM(4, 3, 3, { dropout: 0.3 }),
    inputs: [[5, 2, 4]],
  },
  { label: 'RNNCell(4, 3)', py: 'nn.RNNCell(4, 3)', js: () => new nn.RNNCell(4, 3), inputs: [[2, 4]] },
  {
    label: "RNNCell(4, 3, False, 'relu') with h",
    py: "nn.RNNCell(4, 3, False, 'relu')",
    js: () => new nn.RNNCell(4, 3, false, 'relu'),
    inputs: [[2, 4], [2, 3]],
  },
  { label: 'RNNCell(4, 3) unbatched with h', py: 'nn.RNNCell(4, 3)', js: () => new nn.RNNCell(4, 3), inputs: [[4], [3]] },
  { label: 'LSTMCell(4, 3)', py: 'nn.LSTMCell(4, 3)', js: () => new nn.LSTMCell(4, 3), inputs: [[2, 4]] },
  {
    label: 'LSTMCell(4, 3, bias=False) with (h, c)',
    py: 'nn.LSTMCell(4, 3, bias=False)',
    js: () => new nn.LSTMCell(4, 3, { bias: false }),
    inputs: [[2, 4], [2, 3], [2, 3]],
    pyForward: 'm(xs[0], (xs[1], xs[2]))',
    jsForward: lstmWithState,
  },
  {
    label: 'LSTMCell(4, 3) unbatched with (h, c)',
    py: 'nn.LSTMCell(4, 3)',
    js: () => new nn.LSTMCell(4, 3),
    inputs: [[4], [3], [3]],
    pyForward: 'm(xs[0], (xs[1], xs[2]))',
    jsForward: lstmWithState,
  },
  { label: 'GRUCell(4, 3)', py: 'nn.GRUCell(4, 3)', js: () => new nn.GRUCell(4, 3), inputs: [[2, 4], [2, 3]] },
  { label: 'GRUCell(4, 3, bias=False) unbatched', py: 'nn.GRUCell(4, 3, bias=False)', js: () => new nn.GRUCell(4, 3, false), inputs: [[4]] },
]);

describe('recurrent layer errors and attributes', () => {
  const errors: [string, string, () => unknown][] = [
    ['proj_size >= hidden_size', 'nn.LSTM(4, 3, proj_size=3)', () => new nn.LSTM(4, 3, { projSize: 3 })],
    ['negative proj_size', 'nn.LSTM(4, 3, proj_size=-1)', () => new nn.LSTM(4, 3, { projSize: -1 })],
    ['proj_size on GRU', 'nn.GRU(4, 3, proj_size=2)', () => new nn.GRU(4, 3, { projSize: 2 } as never)],
    ['dropout out of range', 'nn.RNN(4, 3, dropout=1.5)', () => new nn.RNN(4, 3, { dropout: 1.5 })],
    ['unknown nonlinearity', "nn.RNN(4, 3, nonlinearity='gelu')", () => new nn.RNN(4, 3, { nonlinearity: 'gelu' as never })],
    ['wrong input size', 'nn.RNN(4, 3)(torch.zeros(5, 2, 6))', () => new nn.RNN(4, 3)(torch.zeros([5, 2, 6]))],
    ['1-D input', 'nn.GRU(4, 3)(torch.zeros(4))', () => new nn.GRU(4, 3)(torch.zeros([4]))],
    ['wrong hidden size', 'nn.GRU(4, 3, 2)(torch.zeros(5, 2, 4), torch.zeros(1, 2, 3))', () => new nn.GRU(4, 3, 2)(torch.zeros([5, 2, 4]), torch.zeros([1, 2, 3]))],
    ['2-D hx for batched input', 'nn.RNN(4, 3)(torch.zeros(5, 2, 4), torch.zeros(2, 3))', () => new nn.RNN(4, 3)(torch.zeros([5, 2, 4]), torch.zeros([2, 3]))],
    [
      'wrong cell size',
      'nn.LSTM(4, 5, proj_size=2)(torch.zeros(5, 2, 4), (torch.zeros(1, 2, 2), torch.zeros(1, 2, 2)))',
      () => new nn.LSTM(4, 5, { projSize: 2 })(torch.zeros([5, 2, 4]), [torch.zeros([1, 2, 2]), torch.zeros([1, 2, 2])]),
    ],
    [
      '3-D state for unbatched LSTM',
      'nn.LSTM(4, 3)(torch.zeros(5, 4), (torch.zeros(1, 1, 3), torch.zeros(1, 1, 3)))',
      () => new nn.LSTM(4, 3)(torch.zeros([5, 4]), [torch.zeros([1, 1, 3]), torch.zeros([1, 1, 3])]),
    ],
    ['3-D input to a cell', 'nn.GRUCell(4, 3)(torch.zeros(1, 2, 4))', () => new nn.GRUCell(4, 3)(torch.zeros([1, 2, 4]))],
  ];
  const expected = runPython<string[]>(`
import warnings
from torch import nn
warnings.simplefilter('ignore')
cases = ${JSON.stringify(errors.map(([, py]) => py))}
result = []
for c in cases:
    try:
        eval(c)
        result.append('no error')
    except Exception as e:
        result.append(str(e))
`);
  errors.forEach(([label, , js], i) => {
    test(`${label}: PyTorch's message`, () => {
      expect(js).toThrow(torch.TorchError);
      expect(js).toThrow(expected[i]);
    });
  });

  test('flat weights follow PyTorch order; allWeights groups them per layer and direction', () => {
    const lstm = new nn.LSTM(3, 4, { numLayers: 2, bidirectional: true, projSize: 2 });
    expect(lstm._flatWeightsNames.slice(0, 5)).toEqual(['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0', 'weight_hr_l0']);
    expect(lstm.allWeights.length).toBe(4);
    expect(lstm.allWeights[1][0]).toBe(lstm._flatWeights[5]);
  });

  test('the dropout warning for a single layer', () => {
    const spy = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    new nn.GRU(2, 2, { dropout: 0.5 });
    expect(spy.mock.calls[0][0]).toContain('non-zero dropout expects num_layers greater than 1, but got dropout=0.5 and num_layers=1');
    spy.mockRestore();
  });

  test('float32 by default; a float32 LSTM runs and backpropagates', () => {
    const lstm = new nn.LSTM(3, 4);
    expect(lstm.weight_ih_l0.dtype).toBe(torch.float32);
    const [out, [h, c]] = lstm(torch.randn([2, 5, 3]));
    expect(out.shape).toEqual([2, 5, 4]);
    expect(h.shape).toEqual([1, 5, 4]);
    expect(c.shape).toEqual([1, 5, 4]);
    out.sum().backward();
    expect(lstm.weight_hh_l0.grad!.shape).toEqual([16, 4]);
  });
});
