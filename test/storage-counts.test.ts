// native/storage_counts.h (the per-storage handle counts behind GC pacing) has no JS surface that
// shows a miscount, so its randomised check is a small C++ program, built and run here.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

test('the storage-count table agrees with std::map over millions of random adds and removes', () => {
  const source = path.join(__dirname, 'native', 'storage-counts-check.cc');
  const binary = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'storage-counts-')), 'check');
  execFileSync(process.env.CXX ?? 'c++', ['-O2', '-std=c++17', source, '-o', binary]);
  expect(execFileSync(binary).toString().trim()).toBe('ok');
});
