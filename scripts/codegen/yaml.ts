// What the operator registry does not say: which ops PyTorch exposes as Tensor methods and as torch.*
// functions (`variants:`), and their Python module (`python_module: linalg`), read from
// native_functions.yaml as shipped with Python torch (torchgen/packaged, in 1.13 and 2.x alike).
import * as fs from 'fs';
import { execFileSync } from 'child_process';

export interface OpInfo {
  method: boolean;
  function: boolean;
  module: string;
}

const DEBIAN = '/usr/lib/python3/dist-packages/torchgen/packaged/ATen/native/native_functions.yaml';

/** NATIVE_FUNCTIONS_YAML, Debian's python3-torch copy, or the one next to the Python torch found. */
export function findYaml(): string {
  const candidates = [process.env.NATIVE_FUNCTIONS_YAML, DEBIAN];
  for (const py of [process.env.TORCH_NODE_PYTHON, '/usr/bin/python3', 'python3']) {
    if (!py) continue;
    try {
      const dir = execFileSync(py, ['-c', 'import torchgen, os; print(os.path.dirname(torchgen.__file__))'], { stdio: ['ignore', 'pipe', 'ignore'] });
      candidates.push(`${dir.toString().trim()}/packaged/ATen/native/native_functions.yaml`);
    } catch {
      // no torchgen in this Python
    }
  }
  const found = candidates.find((c) => c && fs.existsSync(c));
  if (!found) throw new Error('native_functions.yaml not found: install python3-torch or set NATIVE_FUNCTIONS_YAML');
  return found;
}

/** Per op name: the union of its overloads' variants. Line-based: the file's layout is regular. */
export function readOpInfo(file: string): Map<string, OpInfo> {
  const entries: { name: string; variants: string[]; module: string }[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const func = /^- func: (\w+)/.exec(line);
    if (func) entries.push({ name: func[1], variants: ['function'], module: '' });
    const last = entries[entries.length - 1];
    if (!last) continue;
    const v = /^ {2}variants: ([\w, ]+)/.exec(line);
    if (v) last.variants = v[1].split(',').map((k) => k.trim());
    const m = /^ {2}python_module: (\w+)/.exec(line);
    if (m) last.module = m[1];
  }
  const info = new Map<string, OpInfo>();
  for (const e of entries) {
    const i = info.get(e.name) ?? { method: false, function: false, module: e.module };
    i.method ||= e.variants.includes('method');
    i.function ||= e.variants.includes('function');
    info.set(e.name, i);
  }
  return info;
}
