// Convolution layers against PyTorch: init with the same seed, repr, forward and gradients, for every
// dimensionality, padding strings and modes, groups, dilation, output_padding and output_size.
import * as torch from '../lib';
import { nn } from '../lib';
import { layerTable } from './helpers/layer-oracle';
import { errorTable } from './helpers/error-oracle';

layerTable('nn conv layers', [
  { label: 'Conv1d(3, 4, 3)', py: 'nn.Conv1d(3, 4, 3)', js: () => new nn.Conv1d(3, 4, 3), inputs: [[2, 3, 8]] },
  {
    label: 'Conv1d(2, 4, 3, stride=2, padding=1, dilation=2, groups=2, bias=False)',
    py: 'nn.Conv1d(2, 4, 3, stride=2, padding=1, dilation=2, groups=2, bias=False)',
    js: () => new nn.Conv1d(2, 4, 3, { stride: 2, padding: 1, dilation: 2, groups: 2, bias: false }),
    inputs: [[2, 2, 9]],
  },
  {
    label: "Conv1d(3, 2, 4, padding='same', padding_mode='circular')",
    py: "nn.Conv1d(3, 2, 4, padding='same', padding_mode='circular')",
    js: () => new nn.Conv1d(3, 2, 4, { padding: 'same', paddingMode: 'circular' }),
    inputs: [[1, 3, 7]],
  },
  {
    label: "Conv1d(2, 2, 3, padding='valid', padding_mode='reflect')",
    py: "nn.Conv1d(2, 2, 3, padding='valid', padding_mode='reflect')",
    js: () => new nn.Conv1d(2, 2, 3, { padding: 'valid', paddingMode: 'reflect' }),
    inputs: [[1, 2, 6]],
  },
  { label: 'Conv2d(3, 4, 3)', py: 'nn.Conv2d(3, 4, 3)', js: () => new nn.Conv2d(3, 4, 3), inputs: [[2, 3, 6, 6]] },
  { label: 'Conv2d(3, 4, 3, 1, 1) positional', py: 'nn.Conv2d(3, 4, 3, 1, 1)', js: () => new nn.Conv2d(3, 4, 3, 1, 1), inputs: [[1, 3, 5, 5]], seed: 7 },
  { label: 'Conv2d(3, 4, 3) unbatched', py: 'nn.Conv2d(3, 4, 3)', js: () => new nn.Conv2d(3, 4, 3), inputs: [[3, 5, 5]] },
  {
    label: 'Conv2d(4, 6, (3, 2), stride=(2, 1), padding=(1, 2), dilation=(1, 2), groups=2)',
    py: 'nn.Conv2d(4, 6, (3, 2), stride=(2, 1), padding=(1, 2), dilation=(1, 2), groups=2)',
    js: () => new nn.Conv2d(4, 6, [3, 2], { stride: [2, 1], padding: [1, 2], dilation: [1, 2], groups: 2 }),
    inputs: [[1, 4, 7, 7]],
  },
  {
    label: "Conv2d(2, 3, (3, 4), padding='same')",
    py: "nn.Conv2d(2, 3, (3, 4), padding='same')",
    js: () => new nn.Conv2d(2, 3, [3, 4], { padding: 'same' }),
    inputs: [[1, 2, 5, 6]],
  },
  {
    label: "Conv2d(2, 3, 3, padding='same', dilation=2, padding_mode='reflect')",
    py: "nn.Conv2d(2, 3, 3, padding='same', dilation=2, padding_mode='reflect')",
    js: () => new nn.Conv2d(2, 3, 3, { padding: 'same', dilation: 2, paddingMode: 'reflect' }),
    inputs: [[1, 2, 6, 6]],
  },
  {
    label: "Conv2d(2, 3, 3, padding=1, padding_mode='replicate')",
    py: "nn.Conv2d(2, 3, 3, padding=1, padding_mode='replicate')",
    js: () => new nn.Conv2d(2, 3, 3, { padding: 1, paddingMode: 'replicate' }),
    inputs: [[2, 2, 4, 4]],
  },
  {
    label: "Conv2d(2, 2, 3, padding=(2, 1), padding_mode='circular', bias=False)",
    py: "nn.Conv2d(2, 2, 3, padding=(2, 1), padding_mode='circular', bias=False)",
    js: () => new nn.Conv2d(2, 2, 3, { padding: [2, 1], paddingMode: 'circular', bias: false }),
    inputs: [[1, 2, 4, 5]],
  },
  { label: 'Conv3d(2, 3, 3)', py: 'nn.Conv3d(2, 3, 3)', js: () => new nn.Conv3d(2, 3, 3), inputs: [[1, 2, 4, 4, 4]] },
  {
    label: 'Conv3d(2, 4, (1, 2, 3), stride=2, padding=(0, 1, 1), groups=2, bias=False)',
    py: 'nn.Conv3d(2, 4, (1, 2, 3), stride=2, padding=(0, 1, 1), groups=2, bias=False)',
    js: () => new nn.Conv3d(2, 4, [1, 2, 3], { stride: 2, padding: [0, 1, 1], groups: 2, bias: false }),
    inputs: [[2, 2, 3, 5, 6]],
  },
  {
    label: "Conv3d(2, 2, 3, padding='same', padding_mode='replicate')",
    py: "nn.Conv3d(2, 2, 3, padding='same', padding_mode='replicate')",
    js: () => new nn.Conv3d(2, 2, 3, { padding: 'same', paddingMode: 'replicate' }),
    inputs: [[1, 2, 3, 4, 4]],
  },
  { label: 'ConvTranspose1d(3, 2, 3)', py: 'nn.ConvTranspose1d(3, 2, 3)', js: () => new nn.ConvTranspose1d(3, 2, 3), inputs: [[2, 3, 5]] },
  {
    label: 'ConvTranspose1d(4, 2, 3, stride=2, padding=1, output_padding=1, groups=2, bias=False, dilation=2)',
    py: 'nn.ConvTranspose1d(4, 2, 3, stride=2, padding=1, output_padding=1, groups=2, bias=False, dilation=2)',
    js: () => new nn.ConvTranspose1d(4, 2, 3, { stride: 2, padding: 1, outputPadding: 1, groups: 2, bias: false, dilation: 2 }),
    inputs: [[1, 4, 5]],
  },
  { label: 'ConvTranspose2d(3, 4, 3)', py: 'nn.ConvTranspose2d(3, 4, 3)', js: () => new nn.ConvTranspose2d(3, 4, 3), inputs: [[1, 3, 4, 4]] },
  {
    label: 'ConvTranspose2d(4, 6, (3, 2), stride=(2, 3), padding=(1, 0), output_padding=(1, 2), groups=2, dilation=(1, 2))',
    py: 'nn.ConvTranspose2d(4, 6, (3, 2), stride=(2, 3), padding=(1, 0), output_padding=(1, 2), groups=2, dilation=(1, 2))',
    js: () => new nn.ConvTranspose2d(4, 6, [3, 2], { stride: [2, 3], padding: [1, 0], outputPadding: [1, 2], groups: 2, dilation: [1, 2] }),
    inputs: [[2, 4, 3, 3]],
  },
  {
    label: 'ConvTranspose2d(2, 3, 3, stride=2) with output_size=[1, 3, 8, 8]',
    py: 'nn.ConvTranspose2d(2, 3, 3, stride=2)',
    js: () => new nn.ConvTranspose2d(2, 3, 3, { stride: 2 }),
    inputs: [[1, 2, 3, 3]],
    pyForward: 'm(xs[0], output_size=[1, 3, 8, 8])',
    jsForward: (m, xs) => (m as nn.ConvTranspose2d)(xs[0], [1, 3, 8, 8]),
  },
  {
    label: 'ConvTranspose1d(2, 3, 3, stride=3) with output_size=[8] unbatched',
    py: 'nn.ConvTranspose1d(2, 3, 3, stride=3)',
    js: () => new nn.ConvTranspose1d(2, 3, 3, { stride: 3 }),
    inputs: [[2, 2]],
    pyForward: 'm(xs[0], output_size=[8])',
    jsForward: (m, xs) => (m as nn.ConvTranspose1d)(xs[0], [8]),
  },
  { label: 'ConvTranspose3d(2, 3, 2)', py: 'nn.ConvTranspose3d(2, 3, 2)', js: () => new nn.ConvTranspose3d(2, 3, 2), inputs: [[1, 2, 3, 3, 3]] },
  {
    label: 'ConvTranspose3d(2, 2, 3, stride=2, padding=1, output_padding=1)',
    py: 'nn.ConvTranspose3d(2, 2, 3, stride=2, padding=1, output_padding=1)',
    js: () => new nn.ConvTranspose3d(2, 2, 3, { stride: 2, padding: 1, outputPadding: 1 }),
    inputs: [[1, 2, 2, 3, 2]],
    seed: 5,
  },
  {
    label: 'Sequential(Conv2d, ReLU, MaxPool2d, Flatten, Linear) LeNet-style',
    py: 'nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(64, 5))',
    js: () => new nn.Sequential(new nn.Conv2d(1, 4, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(64, 5)),
    inputs: [[2, 1, 8, 8]],
  },
]);

describe('conv errors raise PyTorch\'s messages', () => {
  const cases: [string, () => unknown][] = [
    ['nn.Conv2d(3, 4, 3, groups=0)', () => new nn.Conv2d(3, 4, 3, { groups: 0 })],
    ['nn.Conv2d(3, 4, 3, groups=2)', () => new nn.Conv2d(3, 4, 3, { groups: 2 })],
    ['nn.Conv2d(4, 3, 3, groups=2)', () => new nn.Conv2d(4, 3, 3, { groups: 2 })],
    ["nn.Conv2d(3, 4, 3, stride=2, padding='same')", () => new nn.Conv2d(3, 4, 3, { stride: 2, padding: 'same' })],
    ["nn.ConvTranspose2d(3, 4, 3, padding_mode='reflect')", () => new nn.ConvTranspose2d(3, 4, 3, { paddingMode: 'reflect' })],
    ['nn.Conv2d(1, 20, 5)(torch.rand(1, 3, 16, 16))', () => new nn.Conv2d(1, 20, 5)(torch.rand([1, 3, 16, 16]))],
    ['nn.ConvTranspose2d(2, 3, 3, stride=2)(torch.rand(1, 2, 3, 3), output_size=[9, 8])', () => new nn.ConvTranspose2d(2, 3, 3, { stride: 2 })(torch.rand([1, 2, 3, 3]), [9, 8])],
    ['nn.ConvTranspose2d(2, 3, 3, stride=2)(torch.rand(1, 2, 3, 3), output_size=[1, 8])', () => new nn.ConvTranspose2d(2, 3, 3, { stride: 2 })(torch.rand([1, 2, 3, 3]), [1, 8])],
  ];
  errorTable(cases);

  test('invalid padding string and padding mode are refused', () => {
    expect(() => new nn.Conv2d(3, 4, 3, { padding: 'full' as 'same' })).toThrow("Invalid padding string 'full'");
    expect(() => new nn.Conv2d(3, 4, 3, { paddingMode: 'mirror' as 'zeros' })).toThrow("but got padding_mode='mirror'");
  });
});

test('conv parameters follow the dtype option and are float32 by default', () => {
  expect(new nn.Conv2d(1, 2, 3).weight.dtype).toBe(torch.float32);
  expect(new nn.ConvTranspose1d(1, 2, 3, { dtype: torch.float64 }).bias!.dtype).toBe(torch.float64);
  expect(new nn.ConvTranspose2d(4, 6, 3, { groups: 2 }).weight.shape).toEqual([4, 3, 3, 3]);
});
