// torch.ao.nn.quantized.functional against PyTorch 1.13 in the same run: each function on the same
// quantized inputs (int_repr, scale, zero_point of the output), and the errors for float inputs.
import * as torch from '../lib';
import * as nnq from '../lib/nn/quantized';
import { runPython } from './helpers/python';
import { errorTable } from './helpers/error-oracle';
import { quantized as quantizedBackend } from '../lib/ao/quantization/engine';

const qF = nnq.functional;
const initialEngine = quantizedBackend.engine;
beforeEach(() => (quantizedBackend.engine = 'onednn'));
afterEach(() => (quantizedBackend.engine = initialEngine));

function describeQ(t: torch.Tensor): unknown {
  if (!t.isQuantized) return { float: t.tolist() };
  return { ints: t.intRepr().flatten().tolist(), shape: [...t.shape], scale: t.qScale(), zp: t.qZeroPoint(), dtype: String(t.dtype) };
}
const PY_PRELUDE = `
import warnings
warnings.simplefilter('ignore')
import torch.ao.nn.quantized.functional as qF
torch.backends.quantized.engine = 'onednn'
def describe(t):
    if not t.is_quantized:
        return {'float': t.tolist()}
    return {'ints': t.int_repr().flatten().tolist(), 'shape': list(t.shape), 'scale': t.q_scale(), 'zp': t.q_zero_point(), 'dtype': str(t.dtype)}
torch.manual_seed(0)
x4 = torch.quantize_per_tensor(torch.randn(2, 4, 6, 5) * 2, 0.04, 70, torch.quint8)
x3 = torch.quantize_per_tensor(torch.randn(2, 4, 9) * 2, 0.05, 60, torch.quint8)
x5 = torch.quantize_per_tensor(torch.randn(1, 2, 4, 5, 4), 0.03, 128, torch.quint8)
x2 = torch.quantize_per_tensor(torch.randn(3, 6) * 3, 0.06, 100, torch.quint8)
w4 = torch.quantize_per_tensor(torch.randn(6, 2, 3, 2), 0.02, 0, torch.qint8)
w3 = torch.quantize_per_tensor(torch.randn(5, 4, 3), 0.02, 0, torch.qint8)
w5 = torch.quantize_per_tensor(torch.randn(3, 2, 2, 3, 2), 0.03, 0, torch.qint8)
w2 = torch.quantize_per_tensor(torch.randn(5, 6), 0.03, 0, torch.qint8)
b6, b5, b3 = torch.randn(6), torch.randn(5), torch.randn(3)
`;
function inputs() {
  torch.manualSeed(0);
  const x4 = torch.quantizePerTensor(torch.randn(2, 4, 6, 5).mul(2), 0.04, 70, torch.quint8);
  const x3 = torch.quantizePerTensor(torch.randn(2, 4, 9).mul(2), 0.05, 60, torch.quint8);
  const x5 = torch.quantizePerTensor(torch.randn(1, 2, 4, 5, 4), 0.03, 128, torch.quint8);
  const x2 = torch.quantizePerTensor(torch.randn(3, 6).mul(3), 0.06, 100, torch.quint8);
  const w4 = torch.quantizePerTensor(torch.randn(6, 2, 3, 2), 0.02, 0, torch.qint8);
  const w3 = torch.quantizePerTensor(torch.randn(5, 4, 3), 0.02, 0, torch.qint8);
  const w5 = torch.quantizePerTensor(torch.randn(3, 2, 2, 3, 2), 0.03, 0, torch.qint8);
  const w2 = torch.quantizePerTensor(torch.randn(5, 6), 0.03, 0, torch.qint8);
  return { x4, x3, x5, x2, w4, w3, w5, w2, b6: torch.randn(6), b5: torch.randn(5), b3: torch.randn(3) };
}
type Inputs = ReturnType<typeof inputs>;

const CASES: [string, (i: Inputs) => torch.Tensor][] = [
  ['qF.conv2d(x4, w4, b6, stride=(2, 1), padding=1, groups=2, scale=0.1, zero_point=60)', (i) => qF.conv2d(i.x4, i.w4, i.b6, { stride: [2, 1], padding: 1, groups: 2, scale: 0.1, zeroPoint: 60 })],
  ['qF.conv2d(x4, w4, None, dilation=2, groups=2)', (i) => qF.conv2d(i.x4, i.w4, null, { dilation: 2, groups: 2 })],
  ['qF.conv1d(x3, w3, b5, 2, 1, scale=0.2, zero_point=10)', (i) => qF.conv1d(i.x3, i.w3, i.b5, 2, 1, { scale: 0.2, zeroPoint: 10 })],
  ['qF.conv3d(x5, w5, b3, padding=(1, 0, 1), scale=0.05, zero_point=100)', (i) => qF.conv3d(i.x5, i.w5, i.b3, { padding: [1, 0, 1], scale: 0.05, zeroPoint: 100 })],
  ['qF.linear(x2, w2, b5)', (i) => qF.linear(i.x2, i.w2, i.b5)],
  ['qF.linear(x2, w2, None, 0.2, 30)', (i) => qF.linear(i.x2, i.w2, null, 0.2, 30)],
  ['qF.avg_pool2d(x4, 2)', (i) => qF.avgPool2d(i.x4, 2)],
  ['qF.avg_pool2d(x4, 3, stride=2, padding=1, ceil_mode=True, count_include_pad=False)', (i) => qF.avgPool2d(i.x4, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false })],
  ['qF.avg_pool3d(x5, 2, stride=1)', (i) => qF.avgPool3d(i.x5, 2, { stride: 1 })],
  ['qF.adaptive_avg_pool2d(x4, (3, 2))', (i) => qF.adaptiveAvgPool2d(i.x4, [3, 2])],
  ['qF.adaptive_avg_pool3d(x5, 2)', (i) => qF.adaptiveAvgPool3d(i.x5, 2)],
  ['qF.max_pool1d(x3, 3, stride=2, padding=1)', (i) => qF.maxPool1d(i.x3, 3, { stride: 2, padding: 1 })],
  ['qF.max_pool2d(x4, 2)', (i) => qF.maxPool2d(i.x4, 2)],
  ['qF.max_pool2d(x4, (3, 2), stride=1, dilation=(1, 2), ceil_mode=True)', (i) => qF.maxPool2d(i.x4, [3, 2], { stride: 1, dilation: [1, 2], ceilMode: true })],
  ["qF.interpolate(x4, scale_factor=2, mode='nearest')", (i) => qF.interpolate(i.x4, { scaleFactor: 2, mode: 'nearest' })],
  ["qF.interpolate(x4, size=(7, 9), mode='bilinear', align_corners=False)", (i) => qF.interpolate(i.x4, { size: [7, 9], mode: 'bilinear', alignCorners: false })],
  ['qF.upsample_bilinear(x4, scale_factor=2)', (i) => qF.upsampleBilinear(i.x4, { scaleFactor: 2 })],
  ['qF.upsample_nearest(x4, size=(3, 4))', (i) => qF.upsampleNearest(i.x4, { size: [3, 4] })],
  ["qF.upsample(x4, scale_factor=1.5, mode='bilinear')", (i) => qF.upsample(i.x4, { scaleFactor: 1.5, mode: 'bilinear' })],
  ['qF.hardswish(x4, 0.03, 50)', (i) => qF.hardswish(i.x4, 0.03, 50)],
  ['qF.elu(x4, 0.03, 90, 0.7)', (i) => qF.elu(i.x4, 0.03, 90, 0.7)],
  ['qF.celu(x4, 0.03, 90, 1.5)', (i) => qF.celu(i.x4, 0.03, 90, 1.5)],
  ['qF.leaky_relu(x4, 0.2)', (i) => qF.leakyRelu(i.x4, 0.2)],
  ['qF.leaky_relu(x4, 0.1, scale=0.02, zero_point=40)', (i) => qF.leakyRelu(i.x4, 0.1, { scale: 0.02, zeroPoint: 40 })],
  ['qF.hardtanh(x4, -0.5, 1.5)', (i) => qF.hardtanh(i.x4, -0.5, 1.5)],
  ['qF.hardsigmoid(x4)', (i) => qF.hardsigmoid(i.x4)],
  ['qF.threshold(x4, 0.3, -1.0)', (i) => qF.threshold(i.x4, 0.3, -1.0)],
  ['qF.clamp(x4, -1.0, 0.5)', (i) => qF.clamp(i.x4, -1.0, 0.5)],
];

describe('torch.ao.nn.quantized.functional (onednn)', () => {
  const py = runPython<unknown[]>(`${PY_PRELUDE}
result = [describe(eval(code)) for code in ${JSON.stringify(CASES.map((c) => c[0]))}]
`);
  CASES.forEach(([code, run], k) => {
    test(code, () => {
      const warnings = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
      try {
        expect(describeQ(run(inputs()))).toEqual(py[k]);
      } finally {
        warnings.mockRestore();
      }
    });
  });
});

describe('errors', () => {
  const prelude = `${PY_PRELUDE}
f4 = torch.ones(2, 4, 6, 5)
`;
  const f4 = () => torch.ones(2, 4, 6, 5);
  const i = () => inputs();
  errorTable(
    [
      ['qF.avg_pool2d(f4, 2)', () => qF.avgPool2d(f4(), 2)],
      ['qF.avg_pool3d(f4, 2)', () => qF.avgPool3d(f4(), 2)],
      ['qF.adaptive_avg_pool2d(f4, 2)', () => qF.adaptiveAvgPool2d(f4(), 2)],
      ['qF.adaptive_avg_pool3d(f4, 2)', () => qF.adaptiveAvgPool3d(f4(), 2)],
      ['qF.interpolate(f4, scale_factor=2)', () => qF.interpolate(f4(), { scaleFactor: 2 })],
      ['qF.hardswish(f4, 0.1, 0)', () => qF.hardswish(f4(), 0.1, 0)],
      ['qF.elu(f4, 0.1, 0)', () => qF.elu(f4(), 0.1, 0)],
      ['qF.celu(f4, 0.1, 0)', () => qF.celu(f4(), 0.1, 0)],
      ['qF.hardtanh(f4)', () => qF.hardtanh(f4())],
      ['qF.hardsigmoid(f4)', () => qF.hardsigmoid(f4())],
      ['qF.threshold(f4, 0.1, 0.0)', () => qF.threshold(f4(), 0.1, 0.0)],
      ['qF.clamp(f4, 0.0, 1.0)', () => qF.clamp(f4(), 0.0, 1.0)],
      ['qF.conv2d(f4, w4, None)', () => qF.conv2d(f4(), i().w4, null)],
      ['qF.conv2d(x4, x4, None)', () => qF.conv2d(i().x4, i().x4, null)],
      ["qF.conv2d(x4, w4, None, padding_mode='reflect')", () => qF.conv2d(i().x4, i().w4, null, { paddingMode: 'reflect' })],
      ['qF.conv2d(x3, w4, None)', () => qF.conv2d(i().x3, i().w4, null)],
      ['qF.conv1d(x4, w3, None)', () => qF.conv1d(i().x4, i().w3, null)],
      ['qF.conv3d(x4, w5, None)', () => qF.conv3d(i().x4, i().w5, null)],
      ['qF.max_pool2d(x4, 2, return_indices=True)', () => qF.maxPool2d(i().x4, 2, { returnIndices: true })],
      ['qF.leaky_relu(x4, 0.1, True, 0.1, 0)', () => qF.leakyRelu(i().x4, 0.1, true, 0.1, 0)],
    ],
    { prelude, firstLine: true },
  );
});
