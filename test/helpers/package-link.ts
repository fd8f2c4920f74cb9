// A scratch folder whose node_modules/torch-node links to this checkout, as an installed copy
// would be seen; scripts written there run with plain node (so they use the built dist/).
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const ROOT = path.join(__dirname, '..', '..');

export interface LinkedPackage {
  dir: string;
  /** writes `source` to `file` in the folder and runs it with node; returns trimmed stdout */
  run(file: string, source: string): string;
  remove(): void;
}

export function linkPackage(prefix: string): LinkedPackage {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'torch-node'), 'dir');
  return {
    dir,
    run(file, source) {
      fs.writeFileSync(path.join(dir, file), source);
      return execFileSync(process.execPath, [file], { cwd: dir }).toString().trim();
    },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
