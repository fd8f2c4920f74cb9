// nn.functional losses vs PyTorch: every loss, every reduction and argument, forward values and
// gradients of every input (oracle table, float64 1e-10 and float32).
import * as torch from '../lib';
import * as F from '../lib/nn/functional';
import { oracleTable, Case } from './helpers/oracle';

// inputs (helpers/oracle.ts): x y z [3,4] in [-1,1]; p q [3,4] in [0.5,2]; u [3,4] in (0,1); v w [4]; b [2,3,4]
const long = (v: number[] | number[][]) => torch.tensor(v as number[]).long();
const T3 = '[1, 0, 3]';
const target3 = () => long([1, 0, 3]);
const REDUCTIONS = ['mean', 'sum', 'none'] as const;

const perReduction = (name: string, py: (r: string) => string, js: (r: (typeof REDUCTIONS)[number]) => Case[2]): Case[] =>
  REDUCTIONS.map((r) => [`${name} ${r}`, py(r), js(r)] as Case);

const CASES: Case[] = [
  ['l1Loss', 'F.l1_loss(x, y)', (t) => F.l1Loss(t.x, t.y)],
  ...perReduction('l1Loss', (r) => `F.l1_loss(x, y, reduction='${r}')`, (r) => (t) => F.l1Loss(t.x, t.y, { reduction: r })),
  ['l1Loss broadcast', "F.l1_loss(x, v, reduction='sum')", (t) => F.l1Loss(t.x, t.v, { reduction: 'sum' })],
  ['mseLoss', 'F.mse_loss(x, y)', (t) => F.mseLoss(t.x, t.y)],
  ...perReduction('mseLoss', (r) => `F.mse_loss(b, x, reduction='${r}')`, (r) => (t) => F.mseLoss(t.b, t.x, { reduction: r })),
  ...perReduction('smoothL1Loss', (r) => `F.smooth_l1_loss(x * 2, y, reduction='${r}', beta=0.5)`, (r) => (t) => F.smoothL1Loss(t.x.mul(2), t.y, { reduction: r, beta: 0.5 })),
  ['smoothL1Loss default', 'F.smooth_l1_loss(x * 2, y)', (t) => F.smoothL1Loss(t.x.mul(2), t.y)],
  ['smoothL1Loss beta 0', "F.smooth_l1_loss(x, y, reduction='sum', beta=0.0)", (t) => F.smoothL1Loss(t.x, t.y, { reduction: 'sum', beta: 0.0 })],
  ...perReduction('huberLoss', (r) => `F.huber_loss(x * 2, y, reduction='${r}', delta=0.7)`, (r) => (t) => F.huberLoss(t.x.mul(2), t.y, { reduction: r, delta: 0.7 })),
  ['huberLoss default', 'F.huber_loss(x * 3, y)', (t) => F.huberLoss(t.x.mul(3), t.y)],
  ['crossEntropy', `F.cross_entropy(x, torch.tensor(${T3}))`, (t) => F.crossEntropy(t.x, target3())],
  ...perReduction('crossEntropy', (r) => `F.cross_entropy(x, torch.tensor(${T3}), reduction='${r}')`, (r) => (t) => F.crossEntropy(t.x, target3(), { reduction: r })),
  ['crossEntropy weight', `F.cross_entropy(x, torch.tensor(${T3}), weight=q[0].detach())`, (t) => F.crossEntropy(t.x, target3(), { weight: t.q.select(0, 0).detach() })],
  ['crossEntropy ignoreIndex', 'F.cross_entropy(x, torch.tensor([1, -100, 3]))', (t) => F.crossEntropy(t.x, long([1, -100, 3]))],
  ['crossEntropy ignoreIndex 3 weight', `F.cross_entropy(x, torch.tensor(${T3}), q[1].detach(), ignore_index=3)`, (t) => F.crossEntropy(t.x, target3(), t.q.select(0, 1).detach(), { ignoreIndex: 3 })],
  ['crossEntropy labelSmoothing', `F.cross_entropy(x, torch.tensor(${T3}), label_smoothing=0.1)`, (t) => F.crossEntropy(t.x, target3(), { labelSmoothing: 0.1 })],
  ['crossEntropy labelSmoothing weight sum', `F.cross_entropy(x, torch.tensor(${T3}), weight=q[0].detach(), reduction='sum', label_smoothing=0.2)`,
    (t) => F.crossEntropy(t.x, target3(), { weight: t.q.select(0, 0).detach(), reduction: 'sum', labelSmoothing: 0.2 })],
  ['crossEntropy probabilities', 'F.cross_entropy(x, F.softmax(y, 1))', (t) => F.crossEntropy(t.x, F.softmax(t.y, 1))],
  ['crossEntropy probabilities weight smoothing none', "F.cross_entropy(x, F.softmax(y, 1), weight=q[2].detach(), reduction='none', label_smoothing=0.3)",
    (t) => F.crossEntropy(t.x, F.softmax(t.y, 1), { weight: t.q.select(0, 2).detach(), reduction: 'none', labelSmoothing: 0.3 })],
  ['crossEntropy spatial', 'F.cross_entropy(b, torch.tensor([[0, 1, 2, 0], [2, 2, 1, 0]]))', (t) => F.crossEntropy(t.b, long([[0, 1, 2, 0], [2, 2, 1, 0]]))],
  ['crossEntropy unbatched', 'F.cross_entropy(v, torch.tensor(2))', (t) => F.crossEntropy(t.v, torch.tensor(2).long())],
  ['nllLoss', `F.nll_loss(F.log_softmax(x, 1), torch.tensor(${T3}))`, (t) => F.nllLoss(F.logSoftmax(t.x, 1), target3())],
  ...perReduction('nllLoss', (r) => `F.nll_loss(x, torch.tensor(${T3}), q[0].detach(), reduction='${r}')`, (r) => (t) => F.nllLoss(t.x, target3(), t.q.select(0, 0).detach(), { reduction: r })),
  ['nllLoss ignoreIndex', `F.nll_loss(x, torch.tensor(${T3}), ignore_index=0)`, (t) => F.nllLoss(t.x, target3(), { ignoreIndex: 0 })],
  ['nllLoss spatial', 'F.nll_loss(b, torch.tensor([[0, 1, 2, 0], [2, 2, 1, 0]]), reduction="sum")', (t) => F.nllLoss(t.b, long([[0, 1, 2, 0], [2, 2, 1, 0]]), { reduction: 'sum' })],
  ['binaryCrossEntropy', 'F.binary_cross_entropy(u, u.detach().flip(0))', (t) => F.binaryCrossEntropy(t.u, t.u.detach().flip(0))],
  ...perReduction('binaryCrossEntropy', (r) => `F.binary_cross_entropy(u, (x > 0).to(x.dtype), v.detach().abs(), reduction='${r}')`,
    (r) => (t) => F.binaryCrossEntropy(t.u, t.x.gt(0).to(t.x.dtype), t.v.detach().abs(), { reduction: r })),
  ['binaryCrossEntropyWithLogits', 'F.binary_cross_entropy_with_logits(x, u)', (t) => F.binaryCrossEntropyWithLogits(t.x, t.u)],
  ...perReduction('binaryCrossEntropyWithLogits', (r) => `F.binary_cross_entropy_with_logits(x * 3, u, weight=p.detach(), reduction='${r}', pos_weight=q[0].detach())`,
    (r) => (t) => F.binaryCrossEntropyWithLogits(t.x.mul(3), t.u, { weight: t.p.detach(), reduction: r, posWeight: t.q.select(0, 0).detach() })),
  ['klDiv batchmean', "F.kl_div(F.log_softmax(x, 1), F.softmax(y, 1), reduction='batchmean')", (t) => F.klDiv(F.logSoftmax(t.x, 1), F.softmax(t.y, 1), { reduction: 'batchmean' })],
  ...perReduction('klDiv', (r) => `F.kl_div(x, u, reduction='${r}')`, (r) => (t) => F.klDiv(t.x, t.u, { reduction: r })),
  ['klDiv logTarget', "F.kl_div(x, y, reduction='sum', log_target=True)", (t) => F.klDiv(t.x, t.y, { reduction: 'sum', logTarget: true })],
  ...perReduction('poissonNllLoss', (r) => `F.poisson_nll_loss(x, p, reduction='${r}')`, (r) => (t) => F.poissonNllLoss(t.x, t.p, { reduction: r })),
  ['poissonNllLoss no log full', 'F.poisson_nll_loss(p, q * 3, log_input=False, full=True)', (t) => F.poissonNllLoss(t.p, t.q.mul(3), { logInput: false, full: true })],
  ['poissonNllLoss eps', 'F.poisson_nll_loss(u, p, False, False, None, 0.5)', (t) => F.poissonNllLoss(t.u, t.p, false, false, null, 0.5)],
  ...perReduction('gaussianNllLoss', (r) => `F.gaussian_nll_loss(x, y, p, reduction='${r}')`, (r) => (t) => F.gaussianNllLoss(t.x, t.y, t.p, { reduction: r })),
  ['gaussianNllLoss full eps', 'F.gaussian_nll_loss(x, y, u, full=True, eps=0.3)', (t) => F.gaussianNllLoss(t.x, t.y, t.u, { full: true, eps: 0.3 })],
  ['gaussianNllLoss var one fewer dim', 'F.gaussian_nll_loss(x, y, p[:, 0])', (t) => F.gaussianNllLoss(t.x, t.y, t.p.select(1, 0))],
  ['gaussianNllLoss var last dim 1', 'F.gaussian_nll_loss(x, y, p[:, :1], True)', (t) => F.gaussianNllLoss(t.x, t.y, t.p.narrow(1, 0, 1), true)],
  ...perReduction('cosineEmbeddingLoss', (r) => `F.cosine_embedding_loss(x, y, torch.tensor([1, -1, -1]), 0.1, reduction='${r}')`,
    (r) => (t) => F.cosineEmbeddingLoss(t.x, t.y, long([1, -1, -1]), 0.1, { reduction: r })),
  ['cosineEmbeddingLoss default', 'F.cosine_embedding_loss(x, y, torch.tensor([1, -1, 1]))', (t) => F.cosineEmbeddingLoss(t.x, t.y, long([1, -1, 1]))],
  ...perReduction('marginRankingLoss', (r) => `F.margin_ranking_loss(v, w, torch.tensor([1., -1., -1., 1.], dtype=v.dtype), margin=0.2, reduction='${r}')`,
    (r) => (t) => F.marginRankingLoss(t.v, t.w, torch.tensor([1, -1, -1, 1], { dtype: t.v.dtype }), { margin: 0.2, reduction: r })),
  ...perReduction('tripletMarginLoss', (r) => `F.triplet_margin_loss(x, y, z, reduction='${r}')`, (r) => (t) => F.tripletMarginLoss(t.x, t.y, t.z, { reduction: r })),
  ['tripletMarginLoss options', 'F.triplet_margin_loss(x, y, z, margin=0.5, p=1, eps=1e-3, swap=True)', (t) => F.tripletMarginLoss(t.x, t.y, t.z, 0.5, 1, 1e-3, true)],
  ['tripletMarginWithDistanceLoss', 'F.triplet_margin_with_distance_loss(x, y, z)', (t) => F.tripletMarginWithDistanceLoss(t.x, t.y, t.z)],
  ['tripletMarginWithDistanceLoss options', "F.triplet_margin_with_distance_loss(x, y, z, distance_function=lambda a, b: 1 - F.cosine_similarity(a, b), margin=0.3, swap=True, reduction='none')",
    (t) => F.tripletMarginWithDistanceLoss(t.x, t.y, t.z, { distanceFunction: (a, b) => F.cosineSimilarity(a, b).neg().add(1), margin: 0.3, swap: true, reduction: 'none' })],
  ...perReduction('hingeEmbeddingLoss', (r) => `F.hinge_embedding_loss(x, torch.tensor([[1, -1, 1, -1]] * 3), 0.5, reduction='${r}')`,
    (r) => (t) => F.hingeEmbeddingLoss(t.x, long([[1, -1, 1, -1], [1, -1, 1, -1], [1, -1, 1, -1]]), 0.5, { reduction: r })),
  ...perReduction('softMarginLoss', (r) => `F.soft_margin_loss(x, torch.tensor([[1., -1, 1, -1]] * 3, dtype=x.dtype), reduction='${r}')`,
    (r) => (t) => F.softMarginLoss(t.x, torch.tensor([[1, -1, 1, -1], [1, -1, 1, -1], [1, -1, 1, -1]], { dtype: t.x.dtype }), { reduction: r })),
  ...perReduction('multiMarginLoss', (r) => `F.multi_margin_loss(x, torch.tensor(${T3}), reduction='${r}')`, (r) => (t) => F.multiMarginLoss(t.x, target3(), { reduction: r })),
  ['multiMarginLoss p2 margin weight', `F.multi_margin_loss(x, torch.tensor(${T3}), p=2, margin=0.5, weight=q[0].detach())`,
    (t) => F.multiMarginLoss(t.x, target3(), { p: 2, margin: 0.5, weight: t.q.select(0, 0).detach() })],
  ...perReduction('multilabelMarginLoss', (r) => `F.multilabel_margin_loss(x, torch.tensor([[3, 0, -1, 1], [0, 1, 2, 3], [1, -1, 0, 0]]), reduction='${r}')`,
    (r) => (t) => F.multilabelMarginLoss(t.x, long([[3, 0, -1, 1], [0, 1, 2, 3], [1, -1, 0, 0]]), { reduction: r })),
  ...perReduction('multilabelSoftMarginLoss', (r) => `F.multilabel_soft_margin_loss(x, (y > 0).to(x.dtype), reduction='${r}')`,
    (r) => (t) => F.multilabelSoftMarginLoss(t.x, t.y.gt(0).to(t.x.dtype), { reduction: r })),
  ['multilabelSoftMarginLoss weight', 'F.multilabel_soft_margin_loss(x, u, p[0])', (t) => F.multilabelSoftMarginLoss(t.x, t.u, t.p.select(0, 0))],
  ['l1Loss legacy sizeAverage', 'F.l1_loss(x, y, False)', (t) => F.l1Loss(t.x, t.y, false)],
  ['nllLoss legacy reduce', `F.nll_loss(x, torch.tensor(${T3}), None, None, -100, False)`, (t) => F.nllLoss(t.x, target3(), null, null, -100, false)],
  ['crossEntropy legacy', `F.cross_entropy(x, torch.tensor(${T3}), size_average=False)`, (t) => F.crossEntropy(t.x, target3(), { sizeAverage: false })],
  ...perReduction('ctcLoss', (r) => `F.ctc_loss(F.log_softmax(b.transpose(0, 1), 2), torch.tensor([[1, 2], [3, 3]]), torch.tensor([2, 2]), torch.tensor([1, 1]), reduction='${r}')`,
    (r) => (t) => F.ctcLoss(F.logSoftmax(t.b.transpose(0, 1), 2), long([[1, 2], [3, 3]]), long([2, 2]), long([1, 1]), { reduction: r })),
  ['ctcLoss lists blank zeroInfinity', "F.ctc_loss(F.log_softmax(b.transpose(0, 1), 2), torch.tensor([1, 2, 2, 0]), [2, 1], [3, 1], blank=3, zero_infinity=True)",
    (t) => F.ctcLoss(F.logSoftmax(t.b.transpose(0, 1), 2), long([1, 2, 2, 0]), [2, 1], [3, 1], { blank: 3, zeroInfinity: true })],
  ['ctcLoss longer', "F.ctc_loss(F.log_softmax(img.reshape(6, 2, 18)[:, :, :5], 2), torch.tensor([[1, 2, 1], [4, 4, 0]]), torch.tensor([6, 5]), torch.tensor([3, 2]), 0, 'sum')",
    (t) => F.ctcLoss(F.logSoftmax(t.img.reshape(6, 2, 18).narrow(2, 0, 5), 2), long([[1, 2, 1], [4, 4, 0]]), long([6, 5]), long([3, 2]), 0, 'sum')],
];

oracleTable('nn.functional losses', CASES, [['float64', 1e-10], ['float32', 1e-5]]);

describe('loss argument checks as PyTorch', () => {
  const x = torch.tensor([[0.2, 0.7], [0.5, 0.1]]);
  test('bad reduction', () => {
    expect(() => F.mseLoss(x, x, { reduction: 'avg' as 'mean' })).toThrow('avg is not a valid value for reduction');
  });
  test('binary cross entropy needs equal sizes', () => {
    expect(() => F.binaryCrossEntropy(x, torch.tensor([0.5, 0.5]))).toThrow('Using a target size ([2]) that is different to the input size ([2,2]) is deprecated');
    expect(() => F.binaryCrossEntropyWithLogits(x, torch.tensor([0.5, 0.5]))).toThrow('Target size ([2]) must be the same as input size ([2,2])');
  });
  test('gaussian nll checks var', () => {
    expect(() => F.gaussianNllLoss(x, x, torch.tensor([1, 2, 3]))).toThrow('var is of incorrect size');
    expect(() => F.gaussianNllLoss(x, x, x.neg())).toThrow('var has negative entry/entries');
  });
  test('multi margin p', () => {
    expect(() => F.multiMarginLoss(x, torch.tensor([0, 1]).long(), { p: 3 })).toThrow('only p == 1 and p == 2 supported');
  });
  test('libtorch errors arrive as TorchError', () => {
    expect(() => F.crossEntropy(x, torch.tensor([0, 5]).long())).toThrow(torch.TorchError);
    expect(() => F.nllLoss(x, torch.tensor([0.5, 1]))).toThrow(torch.TorchError);
  });
});
