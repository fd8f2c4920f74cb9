// The test oracle: real PyTorch (Debian python3-torch) run in the same test run.
// TORCH_NODE_PYTHON picks the interpreter; by default the first of python3 / /usr/bin/python3
// that can import torch (python3 on PATH may be a pyenv Python without torch).
import { execFileSync } from 'child_process';

let cached: string | undefined;

export function oraclePython(): string {
  if (cached) return cached;
  const candidates = [process.env.TORCH_NODE_PYTHON, 'python3', '/usr/bin/python3'].filter(Boolean) as string[];
  for (const py of candidates) {
    try {
      // find_spec locates torch without importing it (an import costs each test file about a CPU second)
      execFileSync(py, ['-c', "import importlib.util, sys; sys.exit(importlib.util.find_spec('torch') is None)"], { stdio: 'ignore' });
      return (cached = py);
    } catch {
      // no torch in this one
    }
  }
  throw new Error('No Python with torch found: install python3-torch (scripts/setup.sh) or set TORCH_NODE_PYTHON');
}

// err(f): the message of what f() raises ('no error' when nothing), for comparing error texts.
export const PRELUDE = `import json, torch
torch.set_num_threads(1)
def err(f):
    try:
        f()
        return 'no error'
    except Exception as e:
        return str(e)
`;

/**
 * Runs a Python snippet that must assign a JSON-serialisable value to `result`; returns it.
 * `torch` and `json` are imported, `err(f)` is defined; torch uses 1 thread, like the tests' side.
 */
export function runPython<T = unknown>(code: string): T {
  const program = `${PRELUDE}${code}\nprint(json.dumps(result))\n`;
  const out = execFileSync(oraclePython(), ['-c', program], { maxBuffer: 1 << 28 }).toString();
  return JSON.parse(out.trim().split('\n').pop()!) as T;
}
