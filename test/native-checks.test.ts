// Native bookkeeping with no JS surface that would show a mistake (the per-storage handle counts
// behind GC pacing, the CPU block cache's policy) is checked by small randomised C++ programs in
// test/native, built and run here; each prints "ok" or its first failure.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

test.each([
  ['storage-counts-check.cc', 'the storage-count table agrees with std::map over millions of random adds and removes'],
  ['block-cache-check.cc', 'the CPU block cache reuses, evicts and caps as specified over random allocations'],
])('%s: %s', (file) => {
  const source = path.join(__dirname, 'native', file);
  const binary = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'native-check-')), 'check');
  execFileSync(process.env.CXX ?? 'c++', ['-O2', '-std=c++17', source, '-o', binary]);
  expect(execFileSync(binary).toString().trim()).toBe('ok');
});
