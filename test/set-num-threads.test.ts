// torch.setNumThreads caps the intra-op pool and OpenBLAS's own pool, as PyTorch's MKL builds cap MKL.
import * as fs from 'fs';
import * as torch from '../lib';
import { native } from '../lib/native';

// Read independently of the addon: is an OpenBLAS library mapped into this process?
const openBlasLoaded = fs.readFileSync('/proc/self/maps', 'utf8').includes('openblas');
const before = torch.getNumThreads();
afterAll(() => torch.setNumThreads(before));

test.each([1, 2, 1])('setNumThreads(%i) sets libtorch and OpenBLAS', (n) => {
  torch.setNumThreads(n);
  expect(torch.getNumThreads()).toBe(n);
  expect(native.blasNumThreads()).toBe(openBlasLoaded ? n : 0);
  // matrix products (BLAS) stay right at every thread count: (AB)ᵀ = BᵀAᵀ
  const a = torch.randn(96, 64, { dtype: torch.float64 });
  const b = torch.randn(64, 80, { dtype: torch.float64 });
  expect(torch.allclose(a.matmul(b).t(), b.t().matmul(a.t()), 1e-12, 1e-12)).toBe(true);
});

test('setNumThreads rejects counts below 1 with a TorchError', () => {
  expect(() => torch.setNumThreads(0)).toThrow(torch.TorchError);
  expect(() => torch.setNumThreads(0)).toThrow(/positive integer/);
});
