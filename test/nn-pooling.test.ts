// Pooling layers against PyTorch: repr, forward (and indices), input gradients, for 1d/2d/3d,
// strides, padding, dilation, ceil_mode, count_include_pad, divisor_override and None output sizes.
import * as torch from '../lib';
import { nn } from '../lib';
import { layerTable } from './helpers/layer-oracle';
import { errorTable } from './helpers/error-oracle';

type Callable = (...a: unknown[]) => unknown;
const pooled = (pool: nn.Module, x: torch.Tensor) => (pool as unknown as Callable)(x) as [torch.Tensor, torch.Tensor];

layerTable('nn pooling layers', [
  { label: 'MaxPool1d(3)', py: 'nn.MaxPool1d(3)', js: () => new nn.MaxPool1d(3), inputs: [[2, 3, 10]] },
  {
    label: 'MaxPool1d(3, stride=2, padding=1, dilation=2, return_indices=True, ceil_mode=True)',
    py: 'nn.MaxPool1d(3, stride=2, padding=1, dilation=2, return_indices=True, ceil_mode=True)',
    js: () => new nn.MaxPool1d(3, { stride: 2, padding: 1, dilation: 2, returnIndices: true, ceilMode: true }),
    inputs: [[1, 2, 11]],
  },
  { label: 'MaxPool2d(2)', py: 'nn.MaxPool2d(2)', js: () => new nn.MaxPool2d(2), inputs: [[2, 3, 6, 6]] },
  {
    label: 'MaxPool2d((3, 2), stride=(2, 1), padding=1, ceil_mode=True)',
    py: 'nn.MaxPool2d((3, 2), stride=(2, 1), padding=1, ceil_mode=True)',
    js: () => new nn.MaxPool2d([3, 2], { stride: [2, 1], padding: 1, ceilMode: true }),
    inputs: [[1, 2, 7, 6]],
  },
  { label: 'MaxPool2d(3, 2, 1, 1, True) positional', py: 'nn.MaxPool2d(3, 2, 1, 1, True)', js: () => new nn.MaxPool2d(3, 2, 1, 1, true), inputs: [[1, 2, 7, 7]] },
  { label: 'MaxPool2d(2) unbatched', py: 'nn.MaxPool2d(2)', js: () => new nn.MaxPool2d(2), inputs: [[3, 4, 5]] },
  { label: 'MaxPool3d(2, return_indices=True)', py: 'nn.MaxPool3d(2, return_indices=True)', js: () => new nn.MaxPool3d(2, { returnIndices: true }), inputs: [[1, 2, 4, 4, 4]] },
  {
    label: 'MaxPool3d((1, 2, 3), stride=2, padding=(0, 1, 1), dilation=(1, 2, 1))',
    py: 'nn.MaxPool3d((1, 2, 3), stride=2, padding=(0, 1, 1), dilation=(1, 2, 1))',
    js: () => new nn.MaxPool3d([1, 2, 3], { stride: 2, padding: [0, 1, 1], dilation: [1, 2, 1] }),
    inputs: [[1, 1, 3, 6, 7]],
  },
  { label: 'AvgPool1d(3)', py: 'nn.AvgPool1d(3)', js: () => new nn.AvgPool1d(3), inputs: [[2, 3, 10]] },
  {
    label: 'AvgPool1d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False)',
    py: 'nn.AvgPool1d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False)',
    js: () => new nn.AvgPool1d(3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }),
    inputs: [[1, 2, 10]],
  },
  { label: 'AvgPool2d(2)', py: 'nn.AvgPool2d(2)', js: () => new nn.AvgPool2d(2), inputs: [[2, 3, 6, 6]] },
  {
    label: 'AvgPool2d((3, 2), stride=(2, 1), padding=(1, 1), ceil_mode=True, count_include_pad=False)',
    py: 'nn.AvgPool2d((3, 2), stride=(2, 1), padding=(1, 1), ceil_mode=True, count_include_pad=False)',
    js: () => new nn.AvgPool2d([3, 2], { stride: [2, 1], padding: [1, 1], ceilMode: true, countIncludePad: false }),
    inputs: [[1, 2, 7, 6]],
  },
  { label: 'AvgPool2d(3, divisor_override=5)', py: 'nn.AvgPool2d(3, divisor_override=5)', js: () => new nn.AvgPool2d(3, { divisorOverride: 5 }), inputs: [[1, 2, 6, 7]] },
  { label: 'AvgPool3d(2)', py: 'nn.AvgPool3d(2)', js: () => new nn.AvgPool3d(2), inputs: [[1, 2, 4, 4, 4]] },
  {
    label: 'AvgPool3d(3, stride=2, padding=1, divisor_override=7)',
    py: 'nn.AvgPool3d(3, stride=2, padding=1, divisor_override=7)',
    js: () => new nn.AvgPool3d(3, { stride: 2, padding: 1, divisorOverride: 7 }),
    inputs: [[1, 2, 5, 4, 5]],
  },
  { label: 'LPPool1d(2, 3)', py: 'nn.LPPool1d(2, 3)', js: () => new nn.LPPool1d(2, 3), inputs: [[2, 3, 9]] },
  { label: 'LPPool2d(3, (2, 3), stride=1)', py: 'nn.LPPool2d(3, (2, 3), stride=1)', js: () => new nn.LPPool2d(3, [2, 3], { stride: 1 }), inputs: [[1, 2, 4, 5]] },
  { label: 'AdaptiveAvgPool1d(3)', py: 'nn.AdaptiveAvgPool1d(3)', js: () => new nn.AdaptiveAvgPool1d(3), inputs: [[2, 3, 10]] },
  { label: 'AdaptiveAvgPool2d(1)', py: 'nn.AdaptiveAvgPool2d(1)', js: () => new nn.AdaptiveAvgPool2d(1), inputs: [[2, 3, 5, 4]] },
  { label: 'AdaptiveAvgPool2d((None, 3))', py: 'nn.AdaptiveAvgPool2d((None, 3))', js: () => new nn.AdaptiveAvgPool2d([null, 3]), inputs: [[1, 2, 5, 7]] },
  { label: 'AdaptiveAvgPool3d((2, None, 3))', py: 'nn.AdaptiveAvgPool3d((2, None, 3))', js: () => new nn.AdaptiveAvgPool3d([2, null, 3]), inputs: [[1, 2, 5, 4, 7]] },
  { label: 'AdaptiveMaxPool1d(4, return_indices=True)', py: 'nn.AdaptiveMaxPool1d(4, return_indices=True)', js: () => new nn.AdaptiveMaxPool1d(4, { returnIndices: true }), inputs: [[2, 3, 10]] },
  { label: 'AdaptiveMaxPool2d((3, None))', py: 'nn.AdaptiveMaxPool2d((3, None))', js: () => new nn.AdaptiveMaxPool2d([3, null]), inputs: [[1, 2, 7, 5]] },
  { label: 'AdaptiveMaxPool2d(2, True)', py: 'nn.AdaptiveMaxPool2d(2, True)', js: () => new nn.AdaptiveMaxPool2d(2, true), inputs: [[1, 2, 5, 5]] },
  { label: 'AdaptiveMaxPool3d(2)', py: 'nn.AdaptiveMaxPool3d(2)', js: () => new nn.AdaptiveMaxPool3d(2), inputs: [[1, 2, 4, 5, 3]] },
  {
    label: 'MaxUnpool1d(2, stride=2) of MaxPool1d(2) indices',
    py: 'nn.MaxUnpool1d(2, stride=2)',
    js: () => new nn.MaxUnpool1d(2, { stride: 2 }),
    inputs: [[1, 2, 8]],
    pyForward: 'm(*nn.MaxPool1d(2, return_indices=True)(xs[0]))',
    jsForward: (m, xs) => (m as nn.MaxUnpool1d)(...pooled(new nn.MaxPool1d(2, { returnIndices: true }), xs[0])),
  },
  {
    label: 'MaxUnpool2d(2) of MaxPool2d(2) indices',
    py: 'nn.MaxUnpool2d(2)',
    js: () => new nn.MaxUnpool2d(2),
    inputs: [[1, 2, 4, 4]],
    pyForward: 'm(*nn.MaxPool2d(2, return_indices=True)(xs[0]))',
    jsForward: (m, xs) => (m as nn.MaxUnpool2d)(...pooled(new nn.MaxPool2d(2, { returnIndices: true }), xs[0])),
  },
  {
    label: 'MaxUnpool2d(2) with output_size=[5, 5]',
    py: 'nn.MaxUnpool2d(2)',
    js: () => new nn.MaxUnpool2d(2),
    inputs: [[1, 2, 5, 5]],
    pyForward: 'm(*nn.MaxPool2d(2, return_indices=True)(xs[0]), output_size=[5, 5])',
    jsForward: (m, xs) => (m as nn.MaxUnpool2d)(...pooled(new nn.MaxPool2d(2, { returnIndices: true }), xs[0]), [5, 5]),
  },
  {
    label: 'MaxUnpool3d(2, padding=0) of MaxPool3d(2) indices',
    py: 'nn.MaxUnpool3d(2, padding=0)',
    js: () => new nn.MaxUnpool3d(2, { padding: 0 }),
    inputs: [[1, 1, 4, 4, 2]],
    pyForward: 'm(*nn.MaxPool3d(2, return_indices=True)(xs[0]))',
    jsForward: (m, xs) => (m as nn.MaxUnpool3d)(...pooled(new nn.MaxPool3d(2, { returnIndices: true }), xs[0])),
  },
]);

describe('pooling errors raise PyTorch\'s messages', () => {
  const cases: [string, () => unknown][] = [
    ['nn.MaxPool2d(2, padding=2)(torch.rand(1, 1, 6, 6))', () => new nn.MaxPool2d(2, { padding: 2 })(torch.rand([1, 1, 6, 6]))],
    ['nn.AvgPool2d(3)(torch.rand(1, 1, 2, 2))', () => new nn.AvgPool2d(3)(torch.rand([1, 1, 2, 2]))],
  ];
  errorTable(cases, { firstLine: true });
});

test('MaxUnpool2d refuses an output_size out of range', () => {
  // (F.max_unpool2d prints the size as JSON, '[9,9]', where Python prints '[9, 9]')
  expect(() => new nn.MaxUnpool2d(2)(torch.rand([1, 1, 2, 2]), torch.zeros([1, 1, 2, 2], { dtype: torch.int64 }), [9, 9])).toThrow(
    '(dim 0 must be between 2 and 6)',
  );
});

test('returnIndices types the output as [output, indices]', () => {
  const [out, indices] = new nn.MaxPool2d(2, { returnIndices: true })(torch.rand([1, 1, 4, 4]));
  expect(out.shape).toEqual([1, 1, 2, 2]);
  expect(indices.dtype).toBe(torch.int64);
  const plain: torch.Tensor = new nn.MaxPool2d(2)(torch.rand([1, 1, 4, 4]));
  expect(plain.shape).toEqual([1, 1, 2, 2]);
  const [a] = new nn.AdaptiveMaxPool2d(1, { returnIndices: true })(torch.rand([1, 1, 4, 4]));
  expect(a.shape).toEqual([1, 1, 1, 1]);
});
