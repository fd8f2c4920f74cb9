// Activation modules against PyTorch: repr, forward and input gradients (float64), in-place
// variants, RReLU's draws in training, PReLU's parameter and init.
import * as torch from '../lib';
import { nn } from '../lib';
import { LayerCase, layerTable } from './helpers/layer-oracle';
import { runPython } from './helpers/python';

// in-place on a copy: the layer writes into a non-leaf, and the leaf still gets its gradient
const copyIn = { pyForward: 'm(xs[0] * 1)', jsForward: (m: nn.Module, xs: torch.Tensor[]) => m(xs[0].mul(1)) };

/** [Python constructor, the same here, input shape, extra case fields] */
type Row = [string, () => nn.Module, number[], Partial<LayerCase>?];
const rows: Row[] = [
  ['nn.Threshold(0.1, 20.0)', () => new nn.Threshold(0.1, 20), [3, 5]],
  ['nn.Threshold(-0.25, 0.5, inplace=True)', () => new nn.Threshold(-0.25, 0.5, { inplace: true }), [3, 5], copyIn],
  ['nn.ReLU()', () => new nn.ReLU(), [4, 5]],
  ['nn.ReLU(inplace=True)', () => new nn.ReLU({ inplace: true }), [4, 5], copyIn],
  ['nn.ReLU(True)', () => new nn.ReLU(true), [2, 3, 2], copyIn],
  ['nn.RReLU()', () => new nn.RReLU(), [4, 5]],
  ['nn.RReLU() eval', () => new nn.RReLU(), [4, 5], { eval: true }],
  ['nn.RReLU(0.1, 0.3)', () => new nn.RReLU(0.1, 0.3), [4, 5]],
  ['nn.Hardtanh()', () => new nn.Hardtanh(), [4, 5]],
  ['nn.Hardtanh(-0.5, 0.25, inplace=True)', () => new nn.Hardtanh(-0.5, 0.25, { inplace: true }), [4, 5], copyIn],
  ['nn.ReLU6()', () => new nn.ReLU6(), [4, 5]],
  ['nn.ReLU6(inplace=True)', () => new nn.ReLU6({ inplace: true }), [4, 5], copyIn],
  ['nn.Sigmoid()', () => new nn.Sigmoid(), [4, 5]],
  ['nn.Hardsigmoid()', () => new nn.Hardsigmoid(), [4, 5]],
  ['nn.Hardsigmoid(inplace=True)', () => new nn.Hardsigmoid({ inplace: true }), [4, 5], copyIn],
  ['nn.Tanh()', () => new nn.Tanh(), [4, 5]],
  ['nn.SiLU()', () => new nn.SiLU(), [4, 5]],
  ['nn.SiLU(inplace=True)', () => new nn.SiLU({ inplace: true }), [4, 5], copyIn],
  ['nn.Mish()', () => new nn.Mish(), [4, 5]],
  ['nn.Mish(inplace=True)', () => new nn.Mish({ inplace: true }), [4, 5], copyIn],
  ['nn.Hardswish()', () => new nn.Hardswish(), [4, 5]],
  ['nn.Hardswish(inplace=True)', () => new nn.Hardswish({ inplace: true }), [4, 5], copyIn],
  ['nn.ELU()', () => new nn.ELU(), [4, 5]],
  ['nn.ELU(alpha=0.5, inplace=True)', () => new nn.ELU(0.5, { inplace: true }), [4, 5], copyIn],
  ['nn.CELU(2.0)', () => new nn.CELU(2), [4, 5]],
  ['nn.CELU(inplace=True)', () => new nn.CELU({ inplace: true }), [4, 5], copyIn],
  ['nn.SELU()', () => new nn.SELU(), [4, 5]],
  ['nn.SELU(inplace=True)', () => new nn.SELU({ inplace: true }), [4, 5], copyIn],
  ['nn.GLU()', () => new nn.GLU(), [3, 6]],
  ['nn.GLU(dim=0)', () => new nn.GLU({ dim: 0 }), [4, 3]],
  ['nn.GELU()', () => new nn.GELU(), [4, 5]],
  ["nn.GELU(approximate='tanh')", () => new nn.GELU('tanh'), [4, 5]],
  ['nn.Hardshrink()', () => new nn.Hardshrink(), [4, 5]],
  ['nn.Hardshrink(0.25)', () => new nn.Hardshrink(0.25), [4, 5]],
  ['nn.LeakyReLU()', () => new nn.LeakyReLU(), [4, 5]],
  ['nn.LeakyReLU(0.2, inplace=True)', () => new nn.LeakyReLU(0.2, { inplace: true }), [4, 5], copyIn],
  ['nn.LogSigmoid()', () => new nn.LogSigmoid(), [4, 5]],
  ['nn.Softplus()', () => new nn.Softplus(), [4, 5]],
  ['nn.Softplus(beta=2, threshold=1)', () => new nn.Softplus({ beta: 2, threshold: 1 }), [4, 5]],
  ['nn.Softshrink()', () => new nn.Softshrink(), [4, 5]],
  ['nn.Softshrink(lambd=0.125)', () => new nn.Softshrink({ lambd: 0.125 }), [4, 5]],
  ['nn.Softsign()', () => new nn.Softsign(), [4, 5]],
  ['nn.Tanhshrink()', () => new nn.Tanhshrink(), [4, 5]],
  ['nn.Softmin(dim=1)', () => new nn.Softmin(1), [4, 5]],
  ['nn.Softmax(dim=-1)', () => new nn.Softmax(-1), [2, 3, 4]],
  ['nn.Softmax(0)', () => new nn.Softmax({ dim: 0 }), [3, 4]],
  ['nn.LogSoftmax(dim=1)', () => new nn.LogSoftmax(1), [3, 4]],
  ['nn.Softmax2d()', () => new nn.Softmax2d(), [2, 3, 2, 2]],
  ['nn.PReLU()', () => new nn.PReLU(), [4, 5]],
  ['nn.PReLU(3, init=0.1)', () => new nn.PReLU(3, { init: 0.1 }), [2, 3, 4]],
];

layerTable(
  'nn activation layers',
  rows.map(([py, js, shape, extra], i) => ({
    label: py.replace(/^nn\./, ''),
    py: py.replace(/ eval$/, ''),
    js,
    inputs: [shape],
    seed: i,
    ...extra,
  })),
);

const PY = runPython<Record<string, string>>(`
from torch import nn
result = dict(
    reprs=[repr(m) for m in [nn.Softmax(), nn.GELU(), nn.Threshold(1.5, 2.5, True), nn.Hardsigmoid(inplace=True), nn.ReLU6(True), nn.PReLU(num_parameters=4), nn.LeakyReLU(1e-5)]],
    glu=err(lambda: nn.GLU()(torch.zeros(3, 5))),
    softmax2d=err(lambda: nn.Softmax2d()(torch.zeros(3, 5))),
)
`);

describe('activation modules: settings, reprs and errors', () => {
  test('reprs of default and explicit settings', () => {
    const here = [new nn.Softmax(), new nn.GELU(), new nn.Threshold(1.5, 2.5, true), new nn.Hardsigmoid({ inplace: true }), new nn.ReLU6(true), new nn.PReLU(4), new nn.LeakyReLU(1e-5)];
    expect(here.map(String)).toEqual(PY.reprs);
  });

  test('settings are readable properties, classes are instanceof-able and usable as types', () => {
    const m: nn.LeakyReLU = new nn.LeakyReLU(0.2, { inplace: true });
    expect(m.negativeSlope).toBe(0.2);
    expect(m.inplace).toBe(true);
    expect(m).toBeInstanceOf(nn.LeakyReLU);
    expect(m).toBeInstanceOf(nn.Module);
    expect([...m.parameters()]).toHaveLength(0);
    const r6 = new nn.ReLU6();
    expect(r6).toBeInstanceOf(nn.Hardtanh);
    expect([r6.minVal, r6.maxVal, r6.inplace]).toEqual([0, 6, false]);
    expect(new nn.Sequential(new nn.Linear(2, 2), new nn.ReLU()).toString()).toContain('(1): ReLU()');
  });

  test("bad arguments and inputs raise TorchError with PyTorch's text", () => {
    expect(() => new nn.GLU()(torch.zeros([3, 5]))).toThrow(PY.glu.split('\n')[0]);
    expect(() => new nn.Softmax2d()(torch.zeros([3, 5]))).toThrow(PY.softmax2d);
    expect(() => new nn.Hardtanh(1, -1)).toThrow(torch.TorchError);
    expect(() => new (nn.Threshold as unknown as new () => nn.Module)()).toThrow("missing 2 required positional arguments: 'threshold' and 'value'");
    expect(() => new nn.ReLU({ inplce: true } as unknown as { inplace: boolean })).toThrow("unexpected keyword argument 'inplce'");
  });
});
