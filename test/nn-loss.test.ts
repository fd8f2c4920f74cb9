// Loss modules against PyTorch: repr, state_dict (weight / pos_weight buffers), forward and the
// gradients of every input (float64), each reduction; legacy size_average/reduce; errors.
import * as torch from '../lib';
import { nn } from '../lib';
import { LayerCase, layerTable } from './helpers/layer-oracle';
import { runPython } from './helpers/python';

type T = torch.Tensor;
const idx = (shape: number[], high: number, low = 0) => ({ shape, high, low });
const long = (v: number[]) => torch.tensor(v, { dtype: torch.int64 });
const f32 = (v: number[]) => torch.tensor(v, { dtype: torch.float32 });
/** the same forward in both languages: [Python expression over m and xs, the same in JS] */
const fwd = (py: string, js: (m: (...a: unknown[]) => T, xs: T[]) => unknown): Partial<LayerCase> => ({
  pyForward: py,
  jsForward: (m, xs) => js(m as unknown as (...a: unknown[]) => T, xs),
});
const sign = (x: T) => x.gt(0).double().mul(2).sub(1);
const sign$ = '((xs[N] > 0).double() * 2 - 1)';
const s = (n: number) => sign$.replace('N', String(n));
const prob = (x: T) => x.add(1).div(2).detach();

const cases: [string, () => nn.Module, LayerCase['inputs'], Partial<LayerCase>?][] = [
  ['nn.L1Loss()', () => new nn.L1Loss(), [[3, 4], [3, 4]]],
  ["nn.L1Loss(reduction='sum')", () => new nn.L1Loss({ reduction: 'sum' }), [[3, 4], [3, 4]]],
  ["nn.MSELoss(reduction='none')", () => new nn.MSELoss({ reduction: 'none' }), [[3, 4], [3, 4]]],
  ['nn.MSELoss()', () => new nn.MSELoss(), [[2, 3, 2], [2, 3, 2]]],
  ['nn.MSELoss(size_average=False)', () => new nn.MSELoss({ sizeAverage: false }), [[3, 4], [3, 4]]],
  ['nn.MSELoss(None, False)', () => new nn.MSELoss(null, false), [[3, 4], [3, 4]]],
  ['nn.CrossEntropyLoss()', () => new nn.CrossEntropyLoss(), [[5, 3], idx([5], 3)]],
  ['nn.CrossEntropyLoss(weight=torch.tensor([1., 2., 0.5]))', () => new nn.CrossEntropyLoss(f32([1, 2, 0.5])), [[5, 3], idx([5], 3)]],
  ['nn.CrossEntropyLoss(ignore_index=1)', () => new nn.CrossEntropyLoss({ ignoreIndex: 1 }), [[6, 3], idx([6], 3)]],
  ["nn.CrossEntropyLoss(label_smoothing=0.1, reduction='sum')", () => new nn.CrossEntropyLoss({ labelSmoothing: 0.1, reduction: 'sum' }), [[5, 4], idx([5], 4)]],
  ["nn.CrossEntropyLoss(reduction='none')", () => new nn.CrossEntropyLoss({ reduction: 'none' }), [[2, 3, 4], idx([2, 4], 3)]],
  ['nn.CrossEntropyLoss() probabilities', () => new nn.CrossEntropyLoss(), [[4, 3], [4, 3]], fwd('m(xs[0], torch.softmax(xs[1], 1))', (m, xs) => m(xs[0], xs[1].softmax(1)))],
  ['nn.CrossEntropyLoss(weight=torch.tensor([0.5, 1., 2.]), label_smoothing=0.2) probabilities', () => new nn.CrossEntropyLoss(f32([0.5, 1, 2]), { labelSmoothing: 0.2 }), [[4, 3], [4, 3]], fwd('m(xs[0], torch.softmax(xs[1], 1))', (m, xs) => m(xs[0], xs[1].softmax(1)))],
  ['nn.NLLLoss()', () => new nn.NLLLoss(), [[5, 3], idx([5], 3)], fwd('m(torch.log_softmax(xs[0], 1), xs[1])', (m, xs) => m(xs[0].logSoftmax(1), xs[1]))],
  ["nn.NLLLoss(weight=torch.tensor([1., 0., 3.]), ignore_index=2, reduction='sum')", () => new nn.NLLLoss(f32([1, 0, 3]), { ignoreIndex: 2, reduction: 'sum' }), [[6, 3], idx([6], 3)]],
  ['nn.NLLLoss() 2d', () => new nn.NLLLoss(), [[2, 3, 2, 2], idx([2, 2, 2], 3)]],
  ['nn.BCELoss()', () => new nn.BCELoss(), [[3, 4], [3, 4]], fwd('m(torch.sigmoid(xs[0]), ((xs[1] + 1) / 2).detach())', (m, xs) => m(xs[0].sigmoid(), prob(xs[1])))],
  ["nn.BCELoss(weight=torch.tensor([1., 2., 3., 4.]), reduction='none')", () => new nn.BCELoss(f32([1, 2, 3, 4]), { reduction: 'none' }), [[3, 4], [3, 4]], fwd('m(torch.sigmoid(xs[0]), ((xs[1] + 1) / 2).detach())', (m, xs) => m(xs[0].sigmoid(), prob(xs[1])))],
  ['nn.BCEWithLogitsLoss()', () => new nn.BCEWithLogitsLoss(), [[3, 4], [3, 4]], fwd('m(xs[0], ((xs[1] + 1) / 2).detach())', (m, xs) => m(xs[0], prob(xs[1])))],
  ['nn.BCEWithLogitsLoss(pos_weight=torch.tensor([1., 2., 3., 0.5]))', () => new nn.BCEWithLogitsLoss({ posWeight: f32([1, 2, 3, 0.5]) }), [[3, 4], [3, 4]], fwd('m(xs[0], ((xs[1] + 1) / 2).detach())', (m, xs) => m(xs[0], prob(xs[1])))],
  ["nn.BCEWithLogitsLoss(torch.tensor([2., 1., 1., 2.]), reduction='sum', pos_weight=torch.tensor([3.]))", () => new nn.BCEWithLogitsLoss(f32([2, 1, 1, 2]), { reduction: 'sum', posWeight: f32([3]) }), [[3, 4], [3, 4]], fwd('m(xs[0], ((xs[1] + 1) / 2).detach())', (m, xs) => m(xs[0], prob(xs[1])))],
  ['nn.SmoothL1Loss()', () => new nn.SmoothL1Loss(), [[3, 4], [3, 4]], fwd('m(xs[0] * 3, xs[1])', (m, xs) => m(xs[0].mul(3), xs[1]))],
  ["nn.SmoothL1Loss(reduction='none', beta=0.5)", () => new nn.SmoothL1Loss({ reduction: 'none', beta: 0.5 }), [[3, 4], [3, 4]]],
  ['nn.HuberLoss()', () => new nn.HuberLoss(), [[3, 4], [3, 4]], fwd('m(xs[0] * 3, xs[1])', (m, xs) => m(xs[0].mul(3), xs[1]))],
  ["nn.HuberLoss('sum', 0.5)", () => new nn.HuberLoss('sum', 0.5), [[3, 4], [3, 4]]],
  ["nn.KLDivLoss(reduction='batchmean')", () => new nn.KLDivLoss({ reduction: 'batchmean' }), [[3, 4], [3, 4]], fwd('m(torch.log_softmax(xs[0], 1), torch.softmax(xs[1], 1))', (m, xs) => m(xs[0].logSoftmax(1), xs[1].softmax(1)))],
  ["nn.KLDivLoss(reduction='sum', log_target=True)", () => new nn.KLDivLoss({ reduction: 'sum', logTarget: true }), [[3, 4], [3, 4]], fwd('m(torch.log_softmax(xs[0], 1), torch.log_softmax(xs[1], 1))', (m, xs) => m(xs[0].logSoftmax(1), xs[1].logSoftmax(1)))],
  ['nn.PoissonNLLLoss()', () => new nn.PoissonNLLLoss(), [[3, 4], [3, 4]], fwd('m(xs[0], xs[1].abs())', (m, xs) => m(xs[0], xs[1].abs()))],
  ['nn.PoissonNLLLoss(full=True)', () => new nn.PoissonNLLLoss({ full: true }), [[3, 4], [3, 4]], fwd('m(xs[0], xs[1].abs() * 3)', (m, xs) => m(xs[0], xs[1].abs().mul(3)))],
  ["nn.PoissonNLLLoss(log_input=False, reduction='none')", () => new nn.PoissonNLLLoss(false, { reduction: 'none' }), [[3, 4], [3, 4]], fwd('m(xs[0].abs() + 0.1, xs[1].abs())', (m, xs) => m(xs[0].abs().add(0.1), xs[1].abs()))],
  ['nn.GaussianNLLLoss()', () => new nn.GaussianNLLLoss(), [[4, 3], [4, 3], [4, 3]], fwd('m(xs[0], xs[1], xs[2].abs() + 0.1)', (m, xs) => m(xs[0], xs[1], xs[2].abs().add(0.1)))],
  ["nn.GaussianNLLLoss(full=True, reduction='sum')", () => new nn.GaussianNLLLoss({ full: true, reduction: 'sum' }), [[4, 3], [4, 3], [4, 1]], fwd('m(xs[0], xs[1], xs[2].abs() + 0.1)', (m, xs) => m(xs[0], xs[1], xs[2].abs().add(0.1)))],
  ['nn.HingeEmbeddingLoss()', () => new nn.HingeEmbeddingLoss(), [[3, 4], [3, 4]], fwd(`m(xs[0], ${s(1)})`, (m, xs) => m(xs[0], sign(xs[1])))],
  ["nn.HingeEmbeddingLoss(margin=0.5, reduction='none')", () => new nn.HingeEmbeddingLoss(0.5, { reduction: 'none' }), [[3, 4], [3, 4]], fwd(`m(xs[0], ${s(1)})`, (m, xs) => m(xs[0], sign(xs[1])))],
  ['nn.SoftMarginLoss()', () => new nn.SoftMarginLoss(), [[3, 4], [3, 4]], fwd(`m(xs[0], ${s(1)})`, (m, xs) => m(xs[0], sign(xs[1])))],
  ['nn.MultiLabelMarginLoss()', () => new nn.MultiLabelMarginLoss(), [[3, 4], idx([3, 4], 4, -1)]],
  ['nn.MultiLabelSoftMarginLoss()', () => new nn.MultiLabelSoftMarginLoss(), [[3, 4], [3, 4]], fwd('m(xs[0], (xs[1] > 0).double())', (m, xs) => m(xs[0], xs[1].gt(0).double()))],
  ["nn.MultiLabelSoftMarginLoss(weight=torch.tensor([1., 2., 3., 4.]), reduction='sum')", () => new nn.MultiLabelSoftMarginLoss(f32([1, 2, 3, 4]), { reduction: 'sum' }), [[3, 4], [3, 4]], fwd('m(xs[0], (xs[1] > 0).double())', (m, xs) => m(xs[0], xs[1].gt(0).double()))],
  ['nn.CosineEmbeddingLoss()', () => new nn.CosineEmbeddingLoss(), [[4, 5], [4, 5], [4]], fwd(`m(xs[0], xs[1], ${s(2)})`, (m, xs) => m(xs[0], xs[1], sign(xs[2])))],
  ["nn.CosineEmbeddingLoss(margin=0.2, reduction='none')", () => new nn.CosineEmbeddingLoss(0.2, { reduction: 'none' }), [[4, 5], [4, 5], [4]], fwd(`m(xs[0], xs[1], ${s(2)})`, (m, xs) => m(xs[0], xs[1], sign(xs[2])))],
  ['nn.MarginRankingLoss()', () => new nn.MarginRankingLoss(), [[6], [6], [6]], fwd(`m(xs[0], xs[1], ${s(2)})`, (m, xs) => m(xs[0], xs[1], sign(xs[2])))],
  ["nn.MarginRankingLoss(margin=0.3, reduction='sum')", () => new nn.MarginRankingLoss({ margin: 0.3, reduction: 'sum' }), [[6], [6], [6]], fwd(`m(xs[0], xs[1], ${s(2)})`, (m, xs) => m(xs[0], xs[1], sign(xs[2])))],
  ['nn.MultiMarginLoss()', () => new nn.MultiMarginLoss(), [[4, 5], idx([4], 5)]],
  ['nn.MultiMarginLoss(p=2, margin=0.5, weight=torch.tensor([1., 2., 1., 0.5, 3.]))', () => new nn.MultiMarginLoss(2, 0.5, f32([1, 2, 1, 0.5, 3])), [[4, 5], idx([4], 5)]],
  ['nn.TripletMarginLoss()', () => new nn.TripletMarginLoss(), [[4, 6], [4, 6], [4, 6]]],
  ["nn.TripletMarginLoss(margin=0.5, p=1.0, swap=True, reduction='none')", () => new nn.TripletMarginLoss({ margin: 0.5, p: 1, swap: true, reduction: 'none' }), [[4, 6], [4, 6], [4, 6]]],
  ['nn.CTCLoss()', () => new nn.CTCLoss(), [[6, 2, 5], idx([2, 3], 5, 1)], fwd('m(xs[0].log_softmax(2), xs[1], torch.tensor([6, 5]), torch.tensor([3, 2]))', (m, xs) => m(xs[0].logSoftmax(2), xs[1], long([6, 5]), long([3, 2])))],
  ["nn.CTCLoss(blank=4, reduction='sum', zero_infinity=True)", () => new nn.CTCLoss(4, 'sum', true), [[6, 2, 5], idx([2, 3], 4)], fwd('m(xs[0].log_softmax(2), xs[1], torch.tensor([6, 2]), torch.tensor([3, 3]))', (m, xs) => m(xs[0].logSoftmax(2), xs[1], long([6, 2]), long([3, 3])))],
];

layerTable(
  'nn loss modules',
  cases.map(([py, js, inputs, extra]) => ({ label: py.replace(/^nn\./, ''), py: py.replace(/ (probabilities|2d)$/, ''), js, inputs, ...extra })),
);

const PY = runPython<Record<string, unknown>>(`
from torch import nn
import warnings
warnings.simplefilter('ignore')
result = dict(
    legacy=[nn.MSELoss(size_average=False).reduction, nn.L1Loss(reduce=False).reduction, nn.NLLLoss(None, True, -100, True).reduction],
    sd=list(nn.BCEWithLogitsLoss(weight=torch.ones(2), pos_weight=torch.ones(2)).state_dict().keys()),
    noWeight=list(nn.CrossEntropyLoss().state_dict().keys()),
    buffers=[n for n, _ in nn.BCEWithLogitsLoss(pos_weight=torch.ones(2)).named_buffers()],
    p=err(lambda: nn.MultiMarginLoss(p=3)),
)
`);

describe('loss modules: settings, buffers, legacy arguments', () => {
  test('size_average / reduce fold into reduction as in PyTorch', () => {
    const got = [new nn.MSELoss({ sizeAverage: false }).reduction, new nn.L1Loss({ reduce: false }).reduction, new nn.NLLLoss(null, true, -100, true).reduction];
    expect(got).toEqual(PY.legacy);
  });

  test('weight and pos_weight are buffers with PyTorch state_dict keys; None ones are left out', () => {
    expect(Object.keys(new nn.BCEWithLogitsLoss(torch.ones([2]), { posWeight: torch.ones([2]) }).stateDict())).toEqual(PY.sd);
    expect(Object.keys(new nn.CrossEntropyLoss().stateDict())).toEqual(PY.noWeight);
    expect([...new nn.BCEWithLogitsLoss({ posWeight: torch.ones([2]) }).namedBuffers()].map(([n]) => n)).toEqual(PY.buffers);
    const w = torch.ones([3]);
    const m = new nn.CrossEntropyLoss(w).double();
    expect(m.weight!.dtype).toBe(torch.float64);
  });

  test('settings are readable; errors', () => {
    const m: nn.CrossEntropyLoss = new nn.CrossEntropyLoss(null, { ignoreIndex: 3, labelSmoothing: 0.25 });
    expect([m.ignoreIndex, m.labelSmoothing, m.reduction]).toEqual([3, 0.25, 'mean']);
    expect(() => new nn.MultiMarginLoss(3)).toThrow(PY.p as string);
    expect(() => new nn.L1Loss({ reduction: 'avg' as 'mean' })(torch.zeros([2]), torch.zeros([2]))).toThrow('avg is not a valid value for reduction');
    expect(() => new nn.GaussianNLLLoss(true as unknown as { full: boolean })).toThrow(torch.TorchError);
  });

  test('a training step with CrossEntropyLoss lowers the loss', () => {
    torch.manualSeed(0);
    const model = new nn.Linear(4, 3);
    const lossFn = new nn.CrossEntropyLoss();
    const x = torch.randn([16, 4]);
    const y = torch.randint(0, 3, [16]);
    const first = lossFn(model(x), y);
    first.backward();
    torch.noGrad(() => {
      for (const p of model.parameters()) p.sub_(p.grad!.mul(0.5));
    });
    expect(lossFn(model(x), y).item()).toBeLessThan(first.item() as number);
  });
});
