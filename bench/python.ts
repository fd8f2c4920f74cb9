// Runs the PyTorch side of a benchmark in the same run (Debian python3-torch by default).
import { execFileSync } from 'child_process';
import * as path from 'path';

/** The environment for the Python side: bench/ on the path, for `from torch_threads import set_threads`. */
export function pythonEnv(): NodeJS.ProcessEnv {
  const bench = path.resolve(__dirname, '../../bench');
  return { ...process.env, PYTHONPATH: [bench, process.env.PYTHONPATH].filter(Boolean).join(path.delimiter) };
}

export function benchPython(): string {
  const candidates = [process.env.TORCH_NODE_PYTHON, 'python3', '/usr/bin/python3'].filter(Boolean) as string[];
  for (const py of candidates) {
    try {
      execFileSync(py, ['-c', 'import torch'], { stdio: 'ignore' });
      return py;
    } catch {
      // try the next interpreter
    }
  }
  throw new Error('no Python with torch found (install python3-torch or set TORCH_NODE_PYTHON)');
}

/** Runs a Python program that prints one JSON line last; returns it parsed. */
export function runPythonJson<T>(program: string): T {
  const out = execFileSync(benchPython(), ['-c', program], { maxBuffer: 1 << 26, env: pythonEnv() }).toString().trim().split('\n');
  return JSON.parse(out[out.length - 1]) as T;
}
