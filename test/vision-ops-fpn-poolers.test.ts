// vision.ops FeaturePyramidNetwork (with LastLevelMaxPool, LastLevelP6P7, a norm layer) and
// MultiScaleRoIAlign against torchvision 0.14: the same seed gives torchvision's initial weights;
// outputs, their names and the gradients of a weighted sum (inputs and every parameter) equal
// torchvision's; the pooler's inferred scales and level range, one level and several; reprs.
import * as torch from '../lib';
import { Tensor, nn } from '../lib';
import { ops } from '../lib/vision';
import { runPython } from './helpers/python';
import { closeWithin, out } from './helpers/close';

const close = closeWithin(1e-5);

interface FpnPy {
  names: string[];
  outs: number[][];
  xGrads: number[][];
  grads: [string, number[]][];
  init: [string, number[]][];
  repr: string;
}
interface PoolPy {
  out: number[];
  shape: number[];
  grads: (number[] | null)[];
  scales: number[];
  kMin: number;
  kMax: number;
  levels: number[];
  repr: string;
}
interface Py {
  fpn: Record<string, FpnPy>;
  pool: Record<string, PoolPy>;
}

// [label, Python constructor, ours]
const FPNS: [string, string, () => ops.FeaturePyramidNetwork][] = [
  ['maxpool', 'FeaturePyramidNetwork([4, 8, 16], 6, extra_blocks=LastLevelMaxPool())', () => new ops.FeaturePyramidNetwork([4, 8, 16], 6, { extraBlocks: new ops.LastLevelMaxPool() })],
  ['p6p7 from C5', 'FeaturePyramidNetwork([4, 8, 16], 6, LastLevelP6P7(16, 6))', () => new ops.FeaturePyramidNetwork([4, 8, 16], 6, new ops.LastLevelP6P7(16, 6))],
  ['p6p7 from P5, batch norm', 'FeaturePyramidNetwork([4, 8, 16], 6, LastLevelP6P7(6, 6), norm_layer=nn.BatchNorm2d)', () => new ops.FeaturePyramidNetwork([4, 8, 16], 6, new ops.LastLevelP6P7(6, 6), (c: number) => new nn.BatchNorm2d(c))],
  ['plain', 'FeaturePyramidNetwork([4, 8, 16], 6)', () => new ops.FeaturePyramidNetwork([4, 8, 16], 6)],
];
// [label, Python constructor, ours, feature names]
const POOLERS: [string, string, () => ops.MultiScaleRoIAlign][] = [
  ['three levels', "MultiScaleRoIAlign(['0', '1', '2'], 3, 2)", () => new ops.MultiScaleRoIAlign(['0', '1', '2'], 3, 2)],
  ['two levels, canonical', "MultiScaleRoIAlign(['1', '2'], (2, 3), -1, canonical_scale=32, canonical_level=3)", () => new ops.MultiScaleRoIAlign(['1', '2'], [2, 3], -1, { canonicalScale: 32, canonicalLevel: 3 })],
  ['one level', "MultiScaleRoIAlign(['0'], 2, 1)", () => new ops.MultiScaleRoIAlign(['0'], 2, 1)],
  ['keywords', "MultiScaleRoIAlign(featmap_names=['0', '2'], output_size=[2, 2], sampling_ratio=2)", () => new ops.MultiScaleRoIAlign({ featmapNames: ['0', '2'], outputSize: [2, 2], samplingRatio: 2 })],
];

// the inputs, drawn the same way on both sides after the same seed
const FPN_INPUTS = `
torch.manual_seed(1)
xs = OrderedDict([('a', torch.randn(2, 4, 16, 20)), ('b', torch.randn(2, 8, 8, 10)), ('c', torch.randn(2, 16, 3, 5))])
`;
function fpnInputs(): Record<string, Tensor> {
  torch.manualSeed(1);
  return { a: torch.randn(2, 4, 16, 20), b: torch.randn(2, 8, 8, 10), c: torch.randn(2, 16, 3, 5) };
}
const POOL_INPUTS = `
torch.manual_seed(2)
feats = OrderedDict([('0', torch.randn(2, 3, 16, 20)), ('1', torch.randn(2, 3, 8, 10)), ('2', torch.randn(2, 3, 4, 5))])
xy = torch.rand(7, 2) * torch.tensor([60.0, 50.0])
wh = torch.rand(7, 2) * torch.tensor([70.0, 60.0]) + 1
boxes = [torch.cat([xy, xy + wh], 1)[:4], torch.cat([xy, xy + wh], 1)[4:]]
`;
function poolInputs(): [Record<string, Tensor>, Tensor[]] {
  torch.manualSeed(2);
  const feats = { '0': torch.randn(2, 3, 16, 20), '1': torch.randn(2, 3, 8, 10), '2': torch.randn(2, 3, 4, 5) };
  const xy = torch.rand(7, 2).mul(torch.tensor([60.0, 50.0]));
  const wh = torch.rand(7, 2).mul(torch.tensor([70.0, 60.0])).add(1);
  const all = torch.cat([xy, xy.add(wh)], 1);
  return [feats, [all.index(torch.slice(null, 4)), all.index(torch.slice(4))]];
}
const IMAGE_SHAPES = [[64, 80], [60, 77]];

let py: Py;
beforeAll(() => {
  py = runPython<Py>(`
from collections import OrderedDict
from torch import nn
from torchvision.ops import FeaturePyramidNetwork, MultiScaleRoIAlign
from torchvision.ops.feature_pyramid_network import LastLevelMaxPool, LastLevelP6P7
result = {'fpn': {}, 'pool': {}}
for label, expr in ${JSON.stringify(FPNS.map(([l, e]) => [l, e]))}:
    torch.manual_seed(0)
    m = eval(expr)
    init = [[k, v.flatten().tolist()] for k, v in m.state_dict().items() if v.is_floating_point()]
    ${FPN_INPUTS.trim().split('\n').join('\n    ')}
    for v in xs.values(): v.requires_grad_()
    o = m(xs)
    loss = sum((v * torch.arange(v.numel()).reshape(v.shape).sin()).sum() for v in o.values())
    loss.backward()
    result['fpn'][label] = {'names': list(o.keys()), 'outs': [v.flatten().tolist() for v in o.values()],
        'xGrads': [v.grad.flatten().tolist() for v in xs.values()],
        'grads': [[k, p.grad.flatten().tolist()] for k, p in m.named_parameters()], 'init': init, 'repr': repr(m)}
for label, expr in ${JSON.stringify(POOLERS.map(([l, e]) => [l, e]))}:
    m = eval(expr)
    ${POOL_INPUTS.trim().split('\n').join('\n    ')}
    for v in feats.values(): v.requires_grad_()
    o = m(feats, boxes, ${JSON.stringify(IMAGE_SHAPES)})
    (o * torch.arange(o.numel()).reshape(o.shape).cos()).sum().backward()
    lv = m.map_levels(boxes) if len(m.featmap_names) > 1 else torch.zeros(0)
    result['pool'][label] = {'out': o.flatten().tolist(), 'shape': list(o.shape),
        'grads': [None if v.grad is None else v.grad.flatten().tolist() for v in feats.values()], 'scales': m.scales,
        'kMin': m.map_levels.k_min, 'kMax': m.map_levels.k_max, 'levels': lv.tolist(), 'repr': repr(m)}
`);
});

describe.each(FPNS)('FeaturePyramidNetwork: %s', (label, _expr, build) => {
  test("torchvision's initial weights after the same seed, outputs, gradients and repr", () => {
    const want = py.fpn[label];
    torch.manualSeed(0);
    const m = build();
    expect(String(m)).toBe(want.repr);
    const init = Object.entries(m.stateDict()).filter(([, v]) => v.dtype.isFloatingPoint);
    expect(init.map(([k]) => k)).toEqual(want.init.map(([k]) => k));
    init.forEach(([k, v], i) => close(out(v.flatten()), want.init[i][1], 1e-6, k));
    const xs = fpnInputs();
    for (const v of Object.values(xs)) v.requiresGrad_();
    const o = m(xs);
    expect(Object.keys(o)).toEqual(want.names);
    Object.values(o).forEach((v, i) => close(out(v.flatten()), want.outs[i], 1e-5, `out ${i}`));
    const terms = Object.values(o).map((v) => v.mul(torch.arange(v.numel()).reshape(v.shape).sin()).sum());
    terms.reduce((a, b) => a.add(b)).backward();
    Object.values(xs).forEach((v, i) => close(out(v.grad!.flatten()), want.xGrads[i], 1e-5, `x grad ${i}`));
    const named = [...m.namedParameters()];
    expect(named.map(([k]) => k)).toEqual(want.grads.map(([k]) => k));
    named.forEach(([k, p], i) => close(out(p.grad!.flatten()), want.grads[i][1], 1e-4, k));
  });
});

describe.each(POOLERS)('MultiScaleRoIAlign: %s', (label, _expr, build) => {
  test("torchvision's pooled features, gradients, inferred scales and levels, repr", () => {
    const want = py.pool[label];
    const m = build();
    expect(String(m)).toBe(want.repr);
    const [feats, boxes] = poolInputs();
    for (const v of Object.values(feats)) v.requiresGrad_();
    const o = m(feats, boxes, IMAGE_SHAPES);
    expect(o.shape).toEqual(want.shape);
    close(out(o.flatten()), want.out, 1e-5, 'out');
    o.mul(torch.arange(o.numel()).reshape(o.shape).cos()).sum().backward();
    Object.values(feats).forEach((v, i) => (want.grads[i] === null ? expect(v.grad).toBeNull() : close(out(v.grad!.flatten()), want.grads[i], 1e-5, `grad ${i}`)));
    expect(m.scales).toEqual(want.scales);
    expect([m.mapLevels!.kMin, m.mapLevels!.kMax]).toEqual([want.kMin, want.kMax]);
    if (m.featmapNames.length > 1) expect(out(m.mapLevels!.call(boxes))).toEqual(want.levels);
  });
});

test('FeaturePyramidNetwork refuses in_channels 0 and extra blocks of another type, as torchvision', () => {
  const errs = runPython<string[]>(`
from torchvision.ops import FeaturePyramidNetwork
result = [err(lambda: FeaturePyramidNetwork([4, 0], 6)), err(lambda: FeaturePyramidNetwork([4], 6, extra_blocks=torch.nn.ReLU()))]
`);
  expect(() => new ops.FeaturePyramidNetwork([4, 0], 6)).toThrow(errs[0]);
  expect(() => new ops.FeaturePyramidNetwork([4], 6, new nn.ReLU() as unknown as ops.LastLevelMaxPool)).toThrow(errs[1].split('<')[0]);
});

test("a state_dict of torchvision's first format (no version metadata, inner_blocks.i.weight) loads, as torchvision renames it", () => {
  torch.manualSeed(0);
  const src = new ops.FeaturePyramidNetwork([4, 8], 6);
  const old: Record<string, Tensor> = {};
  for (const [k, v] of Object.entries(src.stateDict())) old[k.replace(/^(inner|layer)_blocks\.(\d)\.0\./, '$1_blocks.$2.')] = v;
  expect(Object.keys(old)).toContain('inner_blocks.0.weight');
  const dst = new ops.FeaturePyramidNetwork([4, 8], 6);
  dst.loadStateDict(old);
  for (const [k, v] of Object.entries(dst.stateDict())) expect([k, v.equal(src.stateDict()[k])]).toEqual([k, true]);
});
