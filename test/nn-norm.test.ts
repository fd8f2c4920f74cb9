// Normalisation layers against PyTorch: init with the same seed, repr, forward and gradients in
// train and eval mode, running statistics after the forward; state_dict compatibility rules.
import * as torch from '../lib';
import { nn } from '../lib';
import { layerTable } from './helpers/layer-oracle';
import { runPython } from './helpers/python';
import { message } from './helpers/error-oracle';

const twice = (m: nn.Module, xs: torch.Tensor[]) => [m(xs[0]), m(xs[0].mul(2))];

layerTable('nn normalisation layers', [
  { label: 'BatchNorm1d(4)', py: 'nn.BatchNorm1d(4)', js: () => new nn.BatchNorm1d(4), inputs: [[5, 4]] },
  { label: 'BatchNorm1d(4) (N, C, L)', py: 'nn.BatchNorm1d(4)', js: () => new nn.BatchNorm1d(4), inputs: [[3, 4, 6]] },
  { label: 'BatchNorm1d(4) eval', py: 'nn.BatchNorm1d(4)', js: () => new nn.BatchNorm1d(4), inputs: [[5, 4]], eval: true },
  { label: 'BatchNorm1d(4, momentum=None) two batches', py: 'nn.BatchNorm1d(4, momentum=None)', js: () => new nn.BatchNorm1d(4, { momentum: null }), inputs: [[5, 4]], pyForward: '[m(xs[0]), m(xs[0] * 2)]', jsForward: twice },
  { label: 'BatchNorm1d(4, momentum=0.3) two batches', py: 'nn.BatchNorm1d(4, momentum=0.3)', js: () => new nn.BatchNorm1d(4, { momentum: 0.3 }), inputs: [[5, 4]], pyForward: '[m(xs[0]), m(xs[0] * 2)]', jsForward: twice },
  { label: 'BatchNorm1d(3, affine=False)', py: 'nn.BatchNorm1d(3, affine=False)', js: () => new nn.BatchNorm1d(3, { affine: false }), inputs: [[4, 3]] },
  { label: 'BatchNorm1d(3, track_running_stats=False)', py: 'nn.BatchNorm1d(3, track_running_stats=False)', js: () => new nn.BatchNorm1d(3, { trackRunningStats: false }), inputs: [[4, 3]] },
  { label: 'BatchNorm1d(3, track_running_stats=False) eval', py: 'nn.BatchNorm1d(3, track_running_stats=False)', js: () => new nn.BatchNorm1d(3, { trackRunningStats: false }), inputs: [[4, 3]], eval: true },
  { label: 'BatchNorm2d(3)', py: 'nn.BatchNorm2d(3)', js: () => new nn.BatchNorm2d(3), inputs: [[2, 3, 4, 5]] },
  { label: 'BatchNorm2d(3, eps=0.001, momentum=0.2) eval', py: 'nn.BatchNorm2d(3, eps=0.001, momentum=0.2)', js: () => new nn.BatchNorm2d(3, { eps: 0.001, momentum: 0.2 }), inputs: [[2, 3, 4, 5]], eval: true },
  { label: 'BatchNorm3d(2)', py: 'nn.BatchNorm3d(2)', js: () => new nn.BatchNorm3d(2), inputs: [[2, 2, 3, 3, 3]] },
  { label: 'InstanceNorm1d(3)', py: 'nn.InstanceNorm1d(3)', js: () => new nn.InstanceNorm1d(3), inputs: [[2, 3, 5]] },
  { label: 'InstanceNorm1d(3) unbatched', py: 'nn.InstanceNorm1d(3)', js: () => new nn.InstanceNorm1d(3), inputs: [[3, 5]] },
  { label: 'InstanceNorm2d(3, affine=True, track_running_stats=True)', py: 'nn.InstanceNorm2d(3, affine=True, track_running_stats=True)', js: () => new nn.InstanceNorm2d(3, { affine: true, trackRunningStats: true }), inputs: [[2, 3, 4, 4]] },
  { label: 'InstanceNorm2d(3, affine=True, track_running_stats=True) eval', py: 'nn.InstanceNorm2d(3, affine=True, track_running_stats=True)', js: () => new nn.InstanceNorm2d(3, { affine: true, trackRunningStats: true }), inputs: [[2, 3, 4, 4]], eval: true },
  { label: 'InstanceNorm2d(2) unbatched', py: 'nn.InstanceNorm2d(2)', js: () => new nn.InstanceNorm2d(2), inputs: [[2, 3, 3]] },
  { label: 'InstanceNorm3d(2, momentum=0.5, track_running_stats=True)', py: 'nn.InstanceNorm3d(2, momentum=0.5, track_running_stats=True)', js: () => new nn.InstanceNorm3d(2, { momentum: 0.5, trackRunningStats: true }), inputs: [[2, 2, 3, 3, 2]] },
  { label: 'LayerNorm(5)', py: 'nn.LayerNorm(5)', js: () => new nn.LayerNorm(5), inputs: [[3, 5]] },
  { label: 'LayerNorm([4, 5], elementwise_affine=False)', py: 'nn.LayerNorm([4, 5], elementwise_affine=False)', js: () => new nn.LayerNorm([4, 5], { elementwiseAffine: false }), inputs: [[2, 4, 5]] },
  { label: 'LayerNorm((2, 3), eps=0.001)', py: 'nn.LayerNorm((2, 3), eps=0.001)', js: () => new nn.LayerNorm([2, 3], { eps: 0.001 }), inputs: [[4, 2, 3]] },
  { label: 'GroupNorm(2, 4)', py: 'nn.GroupNorm(2, 4)', js: () => new nn.GroupNorm(2, 4), inputs: [[3, 4, 5]] },
  { label: 'GroupNorm(3, 6, affine=False)', py: 'nn.GroupNorm(3, 6, affine=False)', js: () => new nn.GroupNorm(3, 6, { affine: false }), inputs: [[2, 6, 2, 2]] },
  { label: 'GroupNorm(1, 3, eps=0.01)', py: 'nn.GroupNorm(1, 3, eps=0.01)', js: () => new nn.GroupNorm(1, 3, { eps: 0.01 }), inputs: [[2, 3, 4]] },
  { label: 'LocalResponseNorm(2)', py: 'nn.LocalResponseNorm(2)', js: () => new nn.LocalResponseNorm(2), inputs: [[2, 5, 4]] },
  { label: 'LocalResponseNorm(3, alpha=0.001, beta=0.5, k=2.0)', py: 'nn.LocalResponseNorm(3, alpha=0.001, beta=0.5, k=2.0)', js: () => new nn.LocalResponseNorm(3, { alpha: 0.001, beta: 0.5, k: 2.0 }), inputs: [[2, 6, 3, 3]] },
  { label: 'LocalResponseNorm(4) 5D', py: 'nn.LocalResponseNorm(4)', js: () => new nn.LocalResponseNorm(4), inputs: [[1, 5, 2, 2, 3]] },
]);

// Python's messages for the same mistakes, from one run
const PY = runPython<Record<string, string>>(`
from torch import nn
m = nn.BatchNorm1d(3)
sd = {k: v for k, v in m.state_dict().items() if k != 'num_batches_tracked'}
inorm = nn.InstanceNorm1d(3)
result = dict(
    bn1=err(lambda: nn.BatchNorm1d(3)(torch.zeros(2, 3, 4, 5))),
    bn2=err(lambda: nn.BatchNorm2d(3)(torch.zeros(2, 3, 4))),
    bn3=err(lambda: nn.BatchNorm3d(3)(torch.zeros(2, 3, 4))),
    in1=err(lambda: nn.InstanceNorm1d(3)(torch.zeros(3))),
    in2=err(lambda: nn.InstanceNorm2d(3)(torch.zeros(3, 4))),
    gn=err(lambda: nn.GroupNorm(4, 6)),
    batch1=err(lambda: nn.BatchNorm1d(3)(torch.zeros(1, 3))),
    missing=str(m.load_state_dict(sd)),
    stats=err(lambda: inorm.load_state_dict(dict(running_mean=torch.zeros(3), running_var=torch.ones(3)))),
    reprNone=repr(nn.BatchNorm2d(8, momentum=None, eps=1e-3)),
)
`);


describe('normalisation layers: errors and state_dict rules as PyTorch', () => {
  test("input rank checks raise PyTorch's messages", () => {
    expect(message(() => new nn.BatchNorm1d(3)(torch.zeros([2, 3, 4, 5])))).toBe(PY.bn1);
    expect(message(() => new nn.BatchNorm2d(3)(torch.zeros([2, 3, 4])))).toBe(PY.bn2);
    expect(message(() => new nn.BatchNorm3d(3)(torch.zeros([2, 3, 4])))).toBe(PY.bn3);
    expect(message(() => new nn.InstanceNorm1d(3)(torch.zeros([3])))).toBe(PY.in1);
    expect(message(() => new nn.InstanceNorm2d(3)(torch.zeros([3, 4])))).toBe(PY.in2);
    expect(message(() => new nn.GroupNorm(4, 6))).toBe(PY.gn);
    // the text's prefix: the size is printed by F.batch_norm (nn.functional)
    expect(message(() => new nn.BatchNorm1d(3)(torch.zeros([1, 3])))).toContain(PY.batch1.split(', got')[0]);
  });

  test('a state_dict without num_batches_tracked loads (as an unversioned PyTorch one does), the counter reset to 0', () => {
    const m = new nn.BatchNorm1d(3);
    m(torch.randn([4, 3]));
    expect(m.num_batches_tracked!.item()).toBe(1);
    // a plain copy has no _metadata (as Python's dict comprehension), so no version
    const sd: torch.nn.StateDict = { ...new nn.BatchNorm1d(3).stateDict() };
    delete sd.num_batches_tracked;
    const r = m.loadStateDict(sd);
    expect(r).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(PY.missing).toBe('<All keys matched successfully>');
    expect(m.num_batches_tracked!.item()).toBe(0);
  });

  test("running stats for an InstanceNorm that tracks none: PyTorch's error", () => {
    const m = new nn.InstanceNorm1d(3);
    const msg = message(() => m.loadStateDict({ running_mean: torch.zeros([3]), running_var: torch.ones([3]) }));
    expect(msg).toBe(PY.stats);
  });

  test('momentum=None prints as None', () => {
    expect(String(new nn.BatchNorm2d(8, { momentum: null, eps: 1e-3 }))).toBe(PY.reprNone);
  });

  test('buffers follow .to(dtype) but num_batches_tracked stays int64; eval uses the running stats', () => {
    const m = new nn.BatchNorm1d(2).double();
    expect(m.running_mean!.dtype).toBe(torch.float64);
    expect(m.num_batches_tracked!.dtype).toBe(torch.int64);
    m.eval();
    const x = torch.tensor([[1, 2], [3, 4]], { dtype: torch.float64 });
    expect(m(x).tolist()).toEqual(x.div(Math.sqrt(1 + 1e-5)).tolist());
    expect(m.num_batches_tracked!.item()).toBe(0);
  });
});
