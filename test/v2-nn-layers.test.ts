// The PyTorch 2.x layers torch-node adds (nn.RMSNorm 2.4, nn.CircularPad1d/2d/3d and nn.ZeroPad1d/3d
// 2.1), against references on PyTorch 1.13 with 2.x's formulas and reprs (test/helpers/v2_reference.py):
// init, state_dict keys, repr, forward and gradients. The 1.13 padding layers run alongside, since
// their shared base was reworked with the new ones. F.rmsNorm's defaults and errors too.
import * as path from 'path';
import * as torch from '../lib';
import { nn } from '../lib';
import { F } from '../lib/nn';
import { layerTable } from './helpers/layer-oracle';
import { runPython } from './helpers/python';
import { message } from './helpers/error-oracle';

const REFERENCE = path.join(__dirname, 'helpers', 'v2_reference.py');
/** A Python expression building a class of the reference file (the oracle's torch lacks it). */
const ref = (call: string): string => `__import__('runpy').run_path(${JSON.stringify(REFERENCE)})['${call.split('(')[0]}'](${call.slice(call.indexOf('(') + 1)}`;

layerTable('PyTorch 2.x layers', [
  { label: 'RMSNorm(5)', py: ref('RMSNorm(5)'), js: () => new nn.RMSNorm(5), inputs: [[3, 5]] },
  { label: 'RMSNorm([4, 5], eps=0.001)', py: ref('RMSNorm([4, 5], eps=0.001)'), js: () => new nn.RMSNorm([4, 5], { eps: 0.001 }), inputs: [[2, 4, 5]] },
  { label: 'RMSNorm((2, 3), 1e-6, False) positionally', py: ref('RMSNorm((2, 3), 1e-6, False)'), js: () => new nn.RMSNorm([2, 3], 1e-6, false), inputs: [[4, 2, 3]] },
  { label: 'RMSNorm(4, elementwise_affine=False)', py: ref('RMSNorm(4, elementwise_affine=False)'), js: () => new nn.RMSNorm(4, { elementwiseAffine: false }), inputs: [[2, 3, 4]] },
  { label: 'CircularPad1d(2)', py: ref('CircularPad1d(2)'), js: () => new nn.CircularPad1d(2), inputs: [[2, 3, 5]] },
  { label: 'CircularPad1d((1, 3)) unbatched', py: ref('CircularPad1d((1, 3))'), js: () => new nn.CircularPad1d([1, 3]), inputs: [[3, 4]] },
  { label: 'CircularPad2d((1, 0, 2, 1))', py: ref('CircularPad2d((1, 0, 2, 1))'), js: () => new nn.CircularPad2d([1, 0, 2, 1]), inputs: [[2, 2, 3, 4]] },
  { label: 'CircularPad2d(1) unbatched', py: ref('CircularPad2d(1)'), js: () => new nn.CircularPad2d(1), inputs: [[2, 3, 3]] },
  { label: 'CircularPad3d(1)', py: ref('CircularPad3d(1)'), js: () => new nn.CircularPad3d(1), inputs: [[1, 2, 2, 3, 3]] },
  { label: 'CircularPad3d((1, 0, 0, 1, 1, 1)) unbatched', py: ref('CircularPad3d((1, 0, 0, 1, 1, 1))'), js: () => new nn.CircularPad3d({ padding: [1, 0, 0, 1, 1, 1] }), inputs: [[2, 2, 3, 3]] },
  { label: 'ZeroPad1d(2)', py: ref('ZeroPad1d(2)'), js: () => new nn.ZeroPad1d(2), inputs: [[2, 3, 4]] },
  { label: 'ZeroPad1d((0, 3))', py: ref('ZeroPad1d((0, 3))'), js: () => new nn.ZeroPad1d([0, 3]), inputs: [[3, 4]] },
  { label: 'ZeroPad3d((1, 0, 2, 0, 0, 1))', py: ref('ZeroPad3d((1, 0, 2, 0, 0, 1))'), js: () => new nn.ZeroPad3d([1, 0, 2, 0, 0, 1]), inputs: [[1, 2, 2, 2, 3]] },
  { label: 'ZeroPad2d((1, 2, 0, 1))', py: 'nn.ZeroPad2d((1, 2, 0, 1))', js: () => new nn.ZeroPad2d([1, 2, 0, 1]), inputs: [[1, 2, 3, 3]] },
  { label: 'ConstantPad1d(2, 3.5)', py: 'nn.ConstantPad1d(2, 3.5)', js: () => new nn.ConstantPad1d(2, 3.5), inputs: [[2, 3, 4]] },
  { label: 'ConstantPad2d((1, 0, 2, 1), -1.5)', py: 'nn.ConstantPad2d((1, 0, 2, 1), -1.5)', js: () => new nn.ConstantPad2d([1, 0, 2, 1], -1.5), inputs: [[1, 2, 3, 3]] },
  { label: 'ConstantPad3d(1, value=2.5)', py: 'nn.ConstantPad3d(1, value=2.5)', js: () => new nn.ConstantPad3d(1, { value: 2.5 }), inputs: [[1, 1, 2, 2, 2]] },
  { label: 'ReflectionPad1d((2, 1))', py: 'nn.ReflectionPad1d((2, 1))', js: () => new nn.ReflectionPad1d([2, 1]), inputs: [[2, 3, 4]] },
  { label: 'ReflectionPad2d(1)', py: 'nn.ReflectionPad2d(1)', js: () => new nn.ReflectionPad2d(1), inputs: [[1, 2, 3, 3]] },
  { label: 'ReflectionPad3d(1)', py: 'nn.ReflectionPad3d(1)', js: () => new nn.ReflectionPad3d(1), inputs: [[1, 1, 2, 3, 3]] },
  { label: 'ReplicationPad1d(2)', py: 'nn.ReplicationPad1d(2)', js: () => new nn.ReplicationPad1d(2), inputs: [[2, 3, 4]] },
  { label: 'ReplicationPad2d((1, 0, 2, 1))', py: 'nn.ReplicationPad2d((1, 0, 2, 1))', js: () => new nn.ReplicationPad2d([1, 0, 2, 1]), inputs: [[1, 2, 3, 3]] },
  { label: 'ReplicationPad3d(1)', py: 'nn.ReplicationPad3d(1)', js: () => new nn.ReplicationPad3d(1), inputs: [[1, 1, 2, 2, 2]] },
]);

describe('F.rmsNorm and nn.RMSNorm details', () => {
  const PY = runPython<{ f32: number[]; f32eps: number[]; errors: string[]; padErrors: string[] }>(`
import runpy
r = runpy.run_path(${JSON.stringify(REFERENCE)})
rms_norm = r['rms_norm']
x = torch.tensor([[1e-4, -2e-4, 3e-4], [0.5, 1.0, -1.5]], dtype=torch.float32)
w = torch.tensor([1.0, 2.0, -1.0])
def check(x, shape, w=None):
    # 2.x validates as layer_norm does, with its messages
    return err(lambda: torch.nn.functional.layer_norm(x, shape, w))
result = dict(
    f32=rms_norm(x, (3,), w).reshape(-1).tolist(),
    f32eps=rms_norm(x, (3,), None, 1e-3).reshape(-1).tolist(),
    errors=[check(torch.zeros(2, 3), [4]), check(torch.zeros(2, 3), [3], torch.ones(4)), check(torch.zeros(2, 3), [])],
    padErrors=[err(lambda: r['CircularPad1d'](1)(torch.zeros(3))), err(lambda: r['CircularPad2d'](1)(torch.zeros(1, 1, 1, 2, 2))), err(lambda: r['CircularPad3d'](1)(torch.zeros(2, 2, 2)))],
)
`);
  const x = torch.tensor([[1e-4, -2e-4, 3e-4], [0.5, 1.0, -1.5]], { dtype: torch.float32 });
  const w = torch.tensor([1.0, 2.0, -1.0]);
  const close = (got: number[], want: number[]) => got.forEach((g, i) => expect(Math.abs(g - want[i])).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(want[i]))));

  test('eps defaults to finfo(float32).eps (it matters for tiny rows)', () => {
    close(F.rmsNorm(x, [3], w).reshape(-1).tolist() as number[], PY.f32);
    close(F.rmsNorm(x, 3, { weight: w }).reshape(-1).tolist() as number[], PY.f32);
  });
  test('an explicit eps, positionally', () => {
    close(F.rmsNorm(x, [3], null, 1e-3).reshape(-1).tolist() as number[], PY.f32eps);
  });
  test('shape errors are layer_norm\'s (as in 2.4)', () => {
    const calls = [() => F.rmsNorm(torch.zeros(2, 3), [4]), () => F.rmsNorm(torch.zeros(2, 3), [3], torch.ones(4)), () => F.rmsNorm(torch.zeros(2, 3), [])];
    calls.forEach((call, i) => {
      expect(call).toThrow(torch.TorchError);
      expect(message(call)).toBe(PY.errors[i]);
    });
  });
  test('CircularPadNd rejects the wrong rank with 2.1\'s ValueError', () => {
    const calls = [() => new nn.CircularPad1d(1)(torch.zeros(3)), () => new nn.CircularPad2d(1)(torch.zeros(1, 1, 1, 2, 2)), () => new nn.CircularPad3d(1)(torch.zeros(2, 2, 2))];
    calls.forEach((call, i) => {
      expect(call).toThrow(torch.ValueError);
      expect(message(call)).toBe(PY.padErrors[i]);
    });
  });
  test('stateDict keys are Python 2.x\'s', () => {
    expect(Object.keys(new nn.RMSNorm([2, 3]).stateDict())).toEqual(['weight']);
    expect(Object.keys(new nn.RMSNorm(3, { elementwiseAffine: false }).stateDict())).toEqual([]);
  });
});
