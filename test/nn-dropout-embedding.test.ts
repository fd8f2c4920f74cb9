// Dropout and embedding layers against PyTorch: init with the same seed, repr, forward and
// gradients (dropout masks drawn in train mode equal PyTorch's for the same seed), eval mode, the
// p=0 / p=1 edge cases and the drop rate; Embedding/EmbeddingBag options and fromPretrained.
import * as torch from '../lib';
import { nn } from '../lib';
import { layerTable } from './helpers/layer-oracle';
import { runPython } from './helpers/python';
import { message } from './helpers/error-oracle';

const idx = (shape: number[], high = 10) => ({ shape, high });
const copyIn = { pyForward: 'm(xs[0] * 1)', jsForward: (m: nn.Module, xs: torch.Tensor[]) => m(xs[0].mul(1)) };
const long = (v: number[]) => torch.tensor(v, { dtype: torch.int64 });

layerTable('nn dropout layers', [
  { label: 'Dropout()', py: 'nn.Dropout()', js: () => new nn.Dropout(), inputs: [[4, 6]] },
  { label: 'Dropout() eval', py: 'nn.Dropout()', js: () => new nn.Dropout(), inputs: [[4, 6]], eval: true },
  { label: 'Dropout(p=0.0)', py: 'nn.Dropout(p=0.0)', js: () => new nn.Dropout(0), inputs: [[4, 6]] },
  { label: 'Dropout(p=1.0)', py: 'nn.Dropout(p=1.0)', js: () => new nn.Dropout({ p: 1 }), inputs: [[4, 6]] },
  { label: 'Dropout(0.3, inplace=True)', py: 'nn.Dropout(0.3, inplace=True)', js: () => new nn.Dropout(0.3, { inplace: true }), inputs: [[3, 5]], ...copyIn },
  { label: 'Dropout1d(0.4)', py: 'nn.Dropout1d(0.4)', js: () => new nn.Dropout1d(0.4), inputs: [[2, 6, 3]] },
  { label: 'Dropout1d(0.4) unbatched', py: 'nn.Dropout1d(0.4)', js: () => new nn.Dropout1d(0.4), inputs: [[6, 3]] },
  { label: 'Dropout2d()', py: 'nn.Dropout2d()', js: () => new nn.Dropout2d(), inputs: [[2, 5, 3, 3]] },
  { label: 'Dropout2d() eval', py: 'nn.Dropout2d()', js: () => new nn.Dropout2d(), inputs: [[2, 5, 3, 3]], eval: true },
  { label: 'Dropout3d(0.25)', py: 'nn.Dropout3d(0.25)', js: () => new nn.Dropout3d(0.25), inputs: [[2, 4, 2, 2, 2]] },
  { label: 'AlphaDropout(0.2)', py: 'nn.AlphaDropout(0.2)', js: () => new nn.AlphaDropout(0.2), inputs: [[5, 6]] },
  { label: 'AlphaDropout(0.2) eval', py: 'nn.AlphaDropout(0.2)', js: () => new nn.AlphaDropout(0.2), inputs: [[5, 6]], eval: true },
  { label: 'FeatureAlphaDropout(0.5)', py: 'nn.FeatureAlphaDropout(0.5)', js: () => new nn.FeatureAlphaDropout(0.5), inputs: [[2, 4, 3, 3]] },
]);

layerTable('nn embedding layers', [
  { label: 'Embedding(10, 3)', py: 'nn.Embedding(10, 3)', js: () => new nn.Embedding(10, 3), inputs: [idx([3, 4])] },
  { label: 'Embedding(10, 3, padding_idx=0)', py: 'nn.Embedding(10, 3, padding_idx=0)', js: () => new nn.Embedding(10, 3, { paddingIdx: 0 }), inputs: [idx([4, 5])] },
  { label: 'Embedding(6, 2, padding_idx=-1)', py: 'nn.Embedding(6, 2, padding_idx=-1)', js: () => new nn.Embedding(6, 2, { paddingIdx: -1 }), inputs: [idx([9], 6)] },
  { label: 'Embedding(10, 4, max_norm=1.0)', py: 'nn.Embedding(10, 4, max_norm=1.0)', js: () => new nn.Embedding(10, 4, { maxNorm: 1 }), inputs: [idx([2, 5])] },
  { label: 'Embedding(10, 4, max_norm=0.5, norm_type=1.0)', py: 'nn.Embedding(10, 4, max_norm=0.5, norm_type=1.0)', js: () => new nn.Embedding(10, 4, { maxNorm: 0.5, normType: 1 }), inputs: [idx([6])] },
  { label: 'Embedding(5, 3, scale_grad_by_freq=True)', py: 'nn.Embedding(5, 3, scale_grad_by_freq=True)', js: () => new nn.Embedding(5, 3, { scaleGradByFreq: true }), inputs: [idx([3, 4], 5)] },
  { label: 'Embedding.from_pretrained', py: 'nn.Embedding.from_pretrained(torch.arange(12.).reshape(4, 3))', js: () => nn.Embedding.fromPretrained(torch.arange(12, { dtype: torch.float32 }).reshape(4, 3)), inputs: [idx([5], 4)] },
  { label: 'Embedding.from_pretrained(freeze=False, padding_idx=1)', py: 'nn.Embedding.from_pretrained(torch.arange(12.).reshape(4, 3), freeze=False, padding_idx=1)', js: () => nn.Embedding.fromPretrained(torch.arange(12, { dtype: torch.float32 }).reshape(4, 3), { freeze: false, paddingIdx: 1 }), inputs: [idx([5], 4)] },
  { label: 'EmbeddingBag(10, 3)', py: 'nn.EmbeddingBag(10, 3)', js: () => new nn.EmbeddingBag(10, 3), inputs: [idx([3, 4])] },
  { label: "EmbeddingBag(10, 3, mode='sum')", py: "nn.EmbeddingBag(10, 3, mode='sum')", js: () => new nn.EmbeddingBag(10, 3, { mode: 'sum' }), inputs: [idx([3, 4])] },
  { label: "EmbeddingBag(10, 3, mode='max')", py: "nn.EmbeddingBag(10, 3, mode='max')", js: () => new nn.EmbeddingBag(10, 3, { mode: 'max' }), inputs: [idx([3, 4])] },
  {
    label: 'EmbeddingBag(10, 3) offsets',
    py: 'nn.EmbeddingBag(10, 3)',
    js: () => new nn.EmbeddingBag(10, 3),
    inputs: [idx([8])],
    pyForward: 'm(xs[0], torch.tensor([0, 2, 5]))',
    jsForward: (m, xs) => (m as nn.EmbeddingBag)(xs[0], long([0, 2, 5])),
  },
  {
    label: "EmbeddingBag(10, 3, mode='sum') per_sample_weights",
    py: "nn.EmbeddingBag(10, 3, mode='sum')",
    js: () => new nn.EmbeddingBag(10, 3, { mode: 'sum' }),
    inputs: [idx([8]), [8]],
    pyForward: 'm(xs[0], torch.tensor([0, 3, 5]), per_sample_weights=xs[1])',
    jsForward: (m, xs) => (m as nn.EmbeddingBag)(xs[0], { offsets: long([0, 3, 5]), perSampleWeights: xs[1] }),
  },
  {
    label: "EmbeddingBag(10, 2, mode='max', include_last_offset=True)",
    py: "nn.EmbeddingBag(10, 2, mode='max', include_last_offset=True)",
    js: () => new nn.EmbeddingBag(10, 2, { mode: 'max', includeLastOffset: true }),
    inputs: [idx([8])],
    pyForward: 'm(xs[0], torch.tensor([0, 2, 5, 8]))',
    jsForward: (m, xs) => (m as nn.EmbeddingBag)(xs[0], long([0, 2, 5, 8])),
  },
  { label: 'EmbeddingBag(6, 3, padding_idx=2)', py: 'nn.EmbeddingBag(6, 3, padding_idx=2)', js: () => new nn.EmbeddingBag(6, 3, { paddingIdx: 2 }), inputs: [idx([4, 3], 6)] },
  { label: 'EmbeddingBag(10, 3, max_norm=1.0, norm_type=3.0)', py: 'nn.EmbeddingBag(10, 3, max_norm=1.0, norm_type=3.0)', js: () => new nn.EmbeddingBag(10, 3, { maxNorm: 1, normType: 3 }), inputs: [idx([2, 4])] },
]);

const PY = runPython<Record<string, string>>(`
from torch import nn
result = dict(
    sparse=repr(nn.Embedding(4, 2, sparse=True, scale_grad_by_freq=True)),
    p=err(lambda: nn.Dropout(1.5)),
    pad=err(lambda: nn.Embedding(4, 2, padding_idx=4)),
    padBag=err(lambda: nn.EmbeddingBag(4, 2, padding_idx=-5)),
    bagPsw=err(lambda: nn.EmbeddingBag(4, 2)(torch.tensor([[0, 1]]), per_sample_weights=torch.ones(1, 2))),
)
`);


describe('dropout statistics and edge cases', () => {
  const x = torch.ones([200, 100]);

  test.each([0.1, 0.3, 0.5, 0.8])('Dropout(%p) in training drops about p of the elements and scales the rest by 1/(1-p)', (p) => {
    torch.manualSeed(7);
    const y = new nn.Dropout(p)(x);
    const zeros = y.eq(0).sum().item() as number;
    const n = x.numel();
    // within 5 standard deviations of the binomial count
    expect(Math.abs(zeros - p * n)).toBeLessThan(5 * Math.sqrt(n * p * (1 - p)));
    const kept = y.ne(0);
    expect(y.maskedSelect(kept).sub(1 / (1 - p)).abs().max().item()).toBeLessThan(1e-6);
  });

  test('Dropout2d drops whole channels at the rate p', () => {
    torch.manualSeed(3);
    const y = new nn.Dropout2d(0.5)(torch.ones([40, 50, 2, 2]));
    const perChannel = y.sum([2, 3]);
    // each channel is all kept (4 * 2 = 8) or all dropped (0)
    expect(perChannel.eq(0).logicalOr(perChannel.eq(8)).all().item()).toBe(true);
    const dropped = perChannel.eq(0).sum().item() as number;
    expect(Math.abs(dropped - 1000)).toBeLessThan(5 * Math.sqrt(2000 * 0.25));
  });

  test('p=1 zeroes everything, p=0 and eval mode return the input', () => {
    expect(new nn.Dropout(1)(x).abs().sum().item()).toBe(0);
    expect(new nn.Dropout(0)(x).equal(x)).toBe(true);
    expect(new nn.Dropout(0.9).eval()(x).equal(x)).toBe(true);
    expect(new nn.AlphaDropout(0.9).eval()(x).equal(x)).toBe(true);
  });

  test('inplace=True writes into the input', () => {
    const y = torch.ones([10, 10]);
    const out = new nn.Dropout(1, { inplace: true })(y);
    expect(y.abs().sum().item()).toBe(0);
    expect(out.abs().sum().item()).toBe(0);
  });

  test("bad arguments raise PyTorch's messages", () => {
    expect(message(() => new nn.Dropout(1.5))).toBe(PY.p);
    expect(message(() => new nn.Embedding(4, 2, { paddingIdx: 4 }))).toBe(PY.pad);
    expect(message(() => new nn.EmbeddingBag(4, 2, { paddingIdx: -5 }))).toBe(PY.padBag);
    expect(message(() => new nn.EmbeddingBag(4, 2)(long([0, 1]).reshape(1, 2), { perSampleWeights: torch.ones([1, 2]) }))).toBe(PY.bagPsw);
  });

  test('repr with sparse and scale_grad_by_freq', () => {
    expect(String(new nn.Embedding(4, 2, { sparse: true, scaleGradByFreq: true }))).toBe(PY.sparse);
  });

  test('fromPretrained shares the tensor and is frozen by default', () => {
    const w = torch.randn([4, 3]);
    const m = nn.Embedding.fromPretrained(w);
    expect(m.weight.requiresGrad).toBe(false);
    w.fill_(2);
    expect(m(long([1])).sum().item()).toBe(6);
    expect(nn.EmbeddingBag.fromPretrained(w, { freeze: false, mode: 'sum' }).weight.requiresGrad).toBe(true);
  });
});
