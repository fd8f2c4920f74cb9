// torch.backends and the global switches: the same defaults as Python's, settable as Python sets
// them (torch.backends.cudnn.benchmark = True), read back through ATen.
import * as torch from '../lib';
import { runPython } from './helpers/python';

const PY = runPython<Record<string, unknown>>(`
b = torch.backends
result = dict(
    cudnnEnabled=b.cudnn.enabled, benchmark=b.cudnn.benchmark, deterministic=b.cudnn.deterministic,
    cudnnTf32=b.cudnn.allow_tf32, matmulTf32=b.cuda.matmul.allow_tf32, mkldnn=b.mkldnn.enabled,
    mkldnnAvailable=b.mkldnn.is_available(), openmp=b.openmp.is_available(), mkl=b.mkl.is_available(),
    cudnnVersion=b.cudnn.version() if b.cudnn.is_available() else None, precision=torch.get_float32_matmul_precision(),
    deterministicAlgorithms=torch.are_deterministic_algorithms_enabled(),
)
`);

describe('torch.backends', () => {
  test('defaults as Python reads them', () => {
    const b = torch.backends;
    expect({
      cudnnEnabled: b.cudnn.enabled, benchmark: b.cudnn.benchmark, deterministic: b.cudnn.deterministic,
      cudnnTf32: b.cudnn.allowTf32, matmulTf32: b.cuda.matmul.allowTf32, mkldnn: b.mkldnn.enabled,
      mkldnnAvailable: b.mkldnn.isAvailable(), openmp: b.openmp.isAvailable(), mkl: b.mkl.isAvailable(),
      precision: torch.getFloat32MatmulPrecision(), deterministicAlgorithms: torch.areDeterministicAlgorithmsEnabled(),
    }).toEqual(Object.fromEntries(Object.entries(PY).filter(([k]) => k !== 'cudnnVersion')));
    if (!torch.cuda.isAvailable()) expect(b.cudnn.version()).toBeNull();
  });

  test('assignments reach ATen and read back', () => {
    const { cudnn, cuda, mkldnn } = torch.backends;
    const saved = [cudnn.benchmark, cudnn.deterministic, cuda.matmul.allowTf32, mkldnn.enabled];
    try {
      cudnn.benchmark = true;
      cudnn.deterministic = true;
      cuda.matmul.allowTf32 = true;
      mkldnn.enabled = false;
      expect([cudnn.benchmark, cudnn.deterministic, cuda.matmul.allowTf32, mkldnn.enabled]).toEqual([true, true, true, false]);
      expect(() => { cudnn.benchmark = 1 as never; }).toThrow(torch.TorchError);
    } finally {
      [cudnn.benchmark, cudnn.deterministic, cuda.matmul.allowTf32, mkldnn.enabled] = saved;
    }
  });

  test('useDeterministicAlgorithms and the float32 matmul precision', () => {
    try {
      torch.useDeterministicAlgorithms(true, { warnOnly: true });
      expect([torch.areDeterministicAlgorithmsEnabled(), torch.isDeterministicAlgorithmsWarnOnlyEnabled()]).toEqual([true, true]);
      torch.setFloat32MatmulPrecision('medium');
      expect(torch.getFloat32MatmulPrecision()).toBe('medium');
      expect(() => torch.setFloat32MatmulPrecision('low' as never)).toThrow(torch.TorchError);
    } finally {
      torch.useDeterministicAlgorithms(false);
      torch.setFloat32MatmulPrecision('highest');
    }
    expect(torch.areDeterministicAlgorithmsEnabled()).toBe(false);
  });
});
