// torch.testing's deprecated functions of PyTorch 1.13 (torch/testing/_deprecated.py): each does
// what it did, then warns (FutureWarning) with what to use instead, as Python's wrapper does after
// the call returned.
import { Tensor } from '../tensor/tensor';
import { DType, float16, float32, float64 } from '../tensor/dtype';
import { empty, rand as torchRand, randn as torchRandn, tensor as torchTensor } from '../tensor/create';
import type { TensorData } from '../tensor/nested';
import { pythonRandom } from '../python-random';
import { signature, ArgsOf } from '../keywords';
import { assertClose } from './assert-close';
import { warnDeprecated } from './deprecated-warning';

/** torch.testing.rand(*size, ...): torch.rand, warning. */
export function rand(...args: Parameters<typeof torchRand>): Tensor {
  const out = torchRand(...args);
  warnDeprecated('rand', 'Use torch.rand() instead.');
  return out;
}

/** torch.testing.randn(*size, ...): torch.randn, warning. */
export function randn(...args: Parameters<typeof torchRandn>): Tensor {
  const out = torchRandn(...args);
  warnDeprecated('randn', 'Use torch.randn() instead.');
  return out;
}

/** assert_allclose's own default (rtol, atol) per dtype: looser than assert_close's; others exact. */
const PRECISIONS = new Map<DType, [number, number]>([
  [float16, [1e-3, 1e-3]],
  [float32, [1e-4, 1e-5]],
  [float64, [1e-5, 1e-8]],
]);

type Comparable = Tensor | TensorData;
interface AssertAllcloseArgs {
  actual: Comparable;
  expected: Comparable;
  rtol?: number | null;
  atol?: number | null;
  equalNan?: boolean;
  msg?: string;
}
const ALLCLOSE = signature<AssertAllcloseArgs>()(['actual', 'expected'], ['rtol', 'atol', 'equalNan', 'msg']);

/**
 * torch.testing.assert_allclose(actual, expected, rtol=None, atol=None, equal_nan=True, msg=''):
 * assert_close with its own default tolerances, NaNs equal, dtypes and strides not checked;
 * numbers and arrays become tensors (expected in actual's dtype).
 */
export function assertAllclose(...args: ArgsOf<typeof ALLCLOSE>): void {
  const o = ALLCLOSE.bind('assert_allclose', args);
  const actual = o.actual instanceof Tensor ? o.actual : torchTensor(o.actual);
  const expected = o.expected instanceof Tensor ? o.expected : torchTensor(o.expected, { dtype: actual.dtype });
  let rtol = o.rtol ?? null;
  let atol = o.atol ?? null;
  if (rtol === null && atol === null) {
    const [ra, aa] = PRECISIONS.get(actual.dtype) ?? [0, 0];
    const [re, ae] = PRECISIONS.get(expected.dtype) ?? [0, 0];
    [rtol, atol] = [Math.max(ra, re), Math.max(aa, ae)];
  }
  assertClose(actual, expected, {
    rtol,
    atol,
    equalNan: o.equalNan ?? true,
    checkDevice: true,
    checkDtype: false,
    checkStride: false,
    msg: o.msg || null,
  });
  warnDeprecated(
    'assert_allclose',
    'Use torch.testing.assert_close() instead. For detailed upgrade instructions see https://github.com/pytorch/pytorch/issues/61844.',
  );
}

const NON_CONTIGUOUS_INSTRUCTIONS =
  'Depending on the use case there a different replacement options:\n\n' +
  '- If you are using `make_non_contiguous` in combination with a creation function to create a noncontiguous tensor ' +
  'with random values, use `torch.testing.make_tensor(..., noncontiguous=True)` instead.\n' +
  '- If you are using `make_non_contiguous` with a specific tensor, you can replace this call with ' +
  '`torch.repeat_interleave(input, 2, dim=-1)[..., ::2]`.\n' +
  '- If you are using `make_non_contiguous` in the PyTorch test suite, use ' +
  '`torch.testing._internal.common_utils.noncontiguous_like` instead.';

/** The non-contiguous copy: a view into a larger random-shaped buffer, drawn from Python's `random`. */
function nonContiguousCopy(t: Tensor): Tensor {
  if (t.numel() <= 1) return t.clone();
  const shape = t.shape;
  const grown = [...shape];
  for (let i = 0; i < 2; i++) {
    const dim = pythonRandom.randint(0, grown.length - 1);
    grown[dim] += pythonRandom.randint(4, 15);
  }
  // narrowing dim 0 alone would leave it contiguous: a last, cut-off dimension makes sure it is not
  let view = empty([...grown, pythonRandom.randint(2, 3)], { dtype: t.dtype, device: t.device });
  view = view.select(view.dim() - 1, pythonRandom.randint(0, 1));
  for (let i = 0; i < grown.length; i++) {
    if (view.size(i) !== shape[i]) view = view.narrow(i, pythonRandom.randint(1, view.size(i) - shape[i]), shape[i]);
  }
  view.copy_(t);
  // outside autograd, as Python's .data
  return view.data;
}

/**
 * torch.testing.make_non_contiguous(tensor): a non-contiguous tensor with tensor's values (a clone
 * when it has at most one element). Its layout is drawn from Python's module-level `random`
 * (torch-node's pythonRandom), so after the same random.seed(n) it is Python's.
 */
export function makeNonContiguous(t: Tensor): Tensor {
  const out = nonContiguousCopy(t);
  warnDeprecated('make_non_contiguous', NON_CONTIGUOUS_INSTRUCTIONS);
  return out;
}
