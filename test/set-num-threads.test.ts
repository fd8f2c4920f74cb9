// torch.setNumThreads caps the intra-op pool and OpenBLAS's own pool, as PyTorch's MKL builds cap MKL;
// setNumInteropThreads sizes the inter-op pool; dataPtr, the address Python's data_ptr() gives.
// What changes a process-wide pool runs in a child process, so later test files in this worker see
// the pools as they start.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as torch from '../lib';
import { native } from '../lib/native';
import { runPython } from './helpers/python';

const DIST = JSON.stringify(path.join(__dirname, '..', 'dist', 'lib'));

/** Runs a script against the built dist/ in a fresh node process; returns the JSON its last line prints. */
function inChildProcess<T>(script: string): T {
  return JSON.parse(execFileSync(process.execPath, ['-e', script]).toString().trim().split('\n').pop()!) as T;
}

// In a child process: OpenBLAS's pool size is process-wide and there is no call that reads back
// its start-up value to restore, so setting it here would change later test files' matrix products
// in this jest worker (a gradient with heavy cancellation then differs from Python's in the 2nd digit).
test('setNumThreads(n) sets libtorch and OpenBLAS; products stay right at every count', () => {
  const got = inChildProcess<{ n: number; threads: number; blas: number; transposeLaw: boolean }[]>(`
    const torch = require(${DIST});
    const { native } = require(${JSON.stringify(path.join(__dirname, '..', 'dist', 'lib', 'native'))});
    console.log(JSON.stringify([1, 2, 1].map((n) => {
      torch.setNumThreads(n);
      // matrix products (BLAS) stay right at every thread count: (AB)ᵀ = BᵀAᵀ
      const a = torch.randn(96, 64, { dtype: torch.float64 });
      const b = torch.randn(64, 80, { dtype: torch.float64 });
      const transposeLaw = torch.allclose(a.matmul(b).t(), b.t().matmul(a.t()), 1e-12, 1e-12);
      return { n, threads: torch.getNumThreads(), blas: native.blasNumThreads(), transposeLaw };
    })));`);
  // read independently of the addon: is an OpenBLAS library mapped into the process?
  const openBlasLoaded = fs.readFileSync('/proc/self/maps', 'utf8').includes('openblas');
  expect(got).toEqual([1, 2, 1].map((n) => ({ n, threads: n, blas: openBlasLoaded ? n : 0, transposeLaw: true })));
});

test('setNumThreads rejects counts below 1 with a TorchError', () => {
  const before = [torch.getNumThreads(), native.blasNumThreads()];
  expect(() => torch.setNumThreads(0)).toThrow(torch.TorchError);
  expect(() => torch.setNumThreads(0)).toThrow(/positive integer/);
  expect([torch.getNumThreads(), native.blasNumThreads()]).toEqual(before);
});

// In a child process: the inter-op pool can be sized once per process, so sizing it here would
// leave this jest worker's later test files with a changed pool. A second call aborts Python 1.13
// (its c10::Error escapes as std::terminate); here it is a TorchError with libtorch's message.
test("setNumInteropThreads: Python's default, then set once; a second call is a TorchError", () => {
  const want = runPython<{ initial: number; after: number }>(`
initial = torch.get_num_interop_threads()
torch.set_num_interop_threads(3)
result = {'initial': initial, 'after': torch.get_num_interop_threads()}`);
  const got = inChildProcess<{ initial: number; after: number; again: string }>(`
    const torch = require(${DIST});
    const initial = torch.getNumInteropThreads();
    torch.setNumInteropThreads(3);
    const after = torch.getNumInteropThreads();
    let again = 'no error';
    try { torch.setNumInteropThreads(2); } catch (e) { again = (e instanceof torch.TorchError ? '' : 'not a TorchError: ') + e.message; }
    console.log(JSON.stringify({ initial, after, again }));`);
  expect({ initial: got.initial, after: got.after }).toEqual(want);
  expect(got.again).toMatch(/^Error: cannot set number of interop threads after parallel work has started or set_num_interop_threads called/);
});

test("dataPtr: Python's data_ptr() offsets for views, equal for shared storage, 0 when empty, an error without storage", () => {
  const want = runPython<number[]>(`
x = torch.arange(24, dtype=torch.float32).reshape(4, 6)
base = x.data_ptr()
result = [v.data_ptr() - base for v in [x.view(-1), x[1], x[:, 2], x[2:, 3:], x.t(), x.clone()[1]]] + [torch.empty(0).data_ptr()]`);
  const x = torch.arange(24, { dtype: torch.float32 }).reshape(4, 6);
  const base = x.dataPtr();
  const views = [x.view(-1), x.select(0, 1), x.select(1, 2), x.narrow(0, 2, 2).narrow(1, 3, 3), x.t()];
  const got = views.map((v) => v.dataPtr() - base);
  expect(got).toEqual(want.slice(0, views.length));
  expect(x.clone().select(0, 1).dataPtr() - base).not.toBe(want[1]); // a copy lives elsewhere
  expect(torch.empty(0).dataPtr()).toBe(want[want.length - 1]);
  const sparse = torch.sparseCooTensor(torch.tensor([[0, 1]]), torch.tensor([1, 2]), [3]);
  expect(() => sparse.dataPtr()).toThrow(torch.TorchError);
});
