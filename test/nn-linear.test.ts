// Linear-family layers against PyTorch: init with the same seed, repr, forward and gradients.
import * as torch from '../lib';
import { nn } from '../lib';
import { layerTable } from './helpers/layer-oracle';

layerTable('nn linear layers', [
  { label: 'Identity()', py: 'nn.Identity()', js: () => new nn.Identity(), inputs: [[2, 3]] },
  { label: 'Linear(4, 3)', py: 'nn.Linear(4, 3)', js: () => new nn.Linear(4, 3), inputs: [[5, 4]] },
  { label: 'Linear(4, 3, bias=False)', py: 'nn.Linear(4, 3, bias=False)', js: () => new nn.Linear(4, 3, { bias: false }), inputs: [[2, 5, 4]] },
  { label: 'Linear(7, 2) seed 3', py: 'nn.Linear(7, 2)', js: () => new nn.Linear(7, 2), inputs: [[3, 7]], seed: 3 },
  { label: 'Bilinear(3, 4, 2)', py: 'nn.Bilinear(3, 4, 2)', js: () => new nn.Bilinear(3, 4, 2), inputs: [[5, 3], [5, 4]] },
  { label: 'Bilinear(3, 4, 2, bias=False)', py: 'nn.Bilinear(3, 4, 2, bias=False)', js: () => new nn.Bilinear(3, 4, 2, { bias: false }), inputs: [[5, 3], [5, 4]] },
]);

test('float32 parameters by default, dtype option honoured', () => {
  expect(new nn.Linear(2, 2).weight.dtype).toBe(torch.float32);
  expect(new nn.Linear(2, 2, { dtype: torch.float64 }).bias!.dtype).toBe(torch.float64);
});
