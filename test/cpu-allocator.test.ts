// The CPU allocator keeps freed large blocks (>= 1 MiB) and hands them out again, so a training or
// inference loop does not page-fault its activations in on every batch (native/cpu_allocator.cc).
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as torch from '../lib';
import { native } from '../lib/native';
import { gc } from '../lib/memory/gc';

const MiB = 2 ** 20;
const LIB = path.join(__dirname, '..', 'dist', 'lib');

// Runs `code` in a fresh Node process with `torch` loaded, optionally with more environment or under
// an address-space limit (ulimit -v, in KiB); returns what it printed.
function inChild(code: string, options: { env?: NodeJS.ProcessEnv; limitKb?: number } = {}): string {
  const script = `const torch = require(${JSON.stringify(LIB)});\n${code}`;
  const limit = options.limitKb ? `ulimit -v ${options.limitKb} && ` : '';
  const env = { ...process.env, ...options.env };
  return execFileSync('bash', ['-c', `${limit}exec "$0" -e "$1"`, process.execPath, script], { env }).toString().trim();
}

// Page faults taken by filling a 48 MiB tensor again after one was freed, in a fresh process: the
// fewest of three tries, since a minor GC of the library's start-up garbage may land in one of them.
// glibc always maps blocks over 32 MiB afresh and unmaps them when freed, so without the cache all
// 12,288 pages fault every time.
function faultsOfSecondTensor(env: NodeJS.ProcessEnv): number {
  const code = `
    torch.ones(12 * 2 ** 20).dispose();
    let fewest = Infinity;
    for (let i = 0; i < 3; i++) {
      const f0 = process.resourceUsage().minorPageFault;
      const t = torch.ones(12 * 2 ** 20);
      fewest = Math.min(fewest, process.resourceUsage().minorPageFault - f0);
      t.dispose();
    }
    console.log(fewest);
  `;
  return Number(inChild(code, { env }));
}

test('a freed 48 MiB block is reused without faulting its pages in again', () => {
  expect(faultsOfSecondTensor({})).toBeLessThan(300);
  // the control: glibc alone serves the second tensor with fresh pages (4 KiB ones, unless the
  // kernel backs every mapping with huge pages)
  const thp = '/sys/kernel/mm/transparent_hugepage/enabled';
  const hugePagesAlways = fs.existsSync(thp) && fs.readFileSync(thp, 'utf8').includes('[always]');
  if (!hugePagesAlways) expect(faultsOfSecondTensor({ TORCH_NODE_CPU_CACHE: '0' })).toBeGreaterThan(12000);
});

test('disposed and collected large tensors are cached; small ones are left to malloc', () => {
  gc(); // what earlier test files in this worker left to the GC goes in first
  native.releaseCpuCache(0);
  torch.ones(1000).dispose();
  expect(torch.memory().cpuCachedBytes).toBe(0);
  torch.ones(2 * MiB).dispose(); // 8 MiB
  expect(torch.memory().cpuCachedBytes).toBe(8 * MiB);
  (() => void torch.ones(3 * MiB))(); // 12 MiB, left to the GC
  gc();
  expect(torch.memory().cpuCachedBytes).toBe(20 * MiB);
  // a near size takes the cached block of its class (12 MiB serves 11.5 MiB)
  const t = torch.ones(2.875 * MiB);
  expect(torch.memory().cpuCachedBytes).toBe(8 * MiB);
  t.dispose();
});

test('reused blocks hold what each new tensor writes', () => {
  const n = 3 * MiB;
  torch.full([n], 7).dispose();
  expect(torch.zeros(n).sum().item()).toBe(0);
  const a = torch.arange(n, { dtype: torch.float64 });
  a.dispose();
  const b = torch.arange(n, { dtype: torch.float64 });
  expect(b.sum().item()).toBe((n * (n - 1)) / 2);
  const w = torch.randn(1024, 1024);
  const expected = w.matmul(w).sum().item() as number;
  for (let i = 0; i < 3; i++) expect(w.matmul(w).sum().item()).toBe(expected);
});

test('releaseCpuCache returns idle blocks, and all of them with 0', async () => {
  gc();
  native.releaseCpuCache(0);
  torch.ones(2 * MiB).dispose();
  expect(native.releaseCpuCache(60_000)).toBe(0); // freed just now: not idle
  expect(torch.memory().cpuCachedBytes).toBe(8 * MiB);
  await new Promise((resolve) => setTimeout(resolve, 30));
  expect(native.releaseCpuCache(10)).toBe(1);
  expect(torch.memory().cpuCachedBytes).toBe(0);
  torch.ones(2 * MiB).dispose();
  expect(native.releaseCpuCache(0)).toBe(1);
});

test('cached blocks never cause an out-of-memory error: they are returned when the system runs short', () => {
  // A child process whose address space (ulimit -v) leaves room for 1.9 GiB of tensors: 1 GiB is
  // freed into the cache, then 1.375 GiB of another size class must fit.
  const vmSize = `Number(require('fs').readFileSync('/proc/self/status', 'utf8').match(/VmSize:\\s+(\\d+)/)[1])`;
  const baseKb = Number(inChild(`console.log(${vmSize})`));
  const code = `
    torch.ones(256 * 2 ** 20).dispose();
    const cached = torch.memory().cpuCachedBytes;
    const b = torch.ones(352 * 2 ** 20);
    console.log(JSON.stringify([cached, b.sum().item(), torch.memory().cpuCachedBytes]));
  `;
  const [cachedBefore, sum, cachedAfter] = JSON.parse(inChild(code, { limitKb: baseKb + Math.round(1.9 * 2 ** 20) })) as number[];
  expect(cachedBefore).toBe(2 ** 30);
  expect(sum).toBe(352 * 2 ** 20);
  expect(cachedAfter).toBe(0);
});
