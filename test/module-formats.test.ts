// `torch-node` as a package: require() from CommonJS, import from ESM, and typed imports in TypeScript.
// Uses the built dist/ (npm test builds it first), through a node_modules link like an installed copy.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { linkPackage, LinkedPackage, ROOT } from './helpers/package-link';

let pkg: LinkedPackage;
let dir: string;

beforeAll(() => {
  pkg = linkPackage('torch-node-pkg-');
  dir = pkg.dir;
});

afterAll(() => pkg.remove());

const run = (file: string, source: string): string => pkg.run(file, source);

test('CommonJS require', () => {
  const out = run('a.cjs', "const torch = require('torch-node'); console.log(String(torch.ones(2).add(1)));");
  expect(out).toBe('tensor([2., 2.])');
});

test('ESM namespace and named imports', () => {
  const out = run(
    'b.mjs',
    "import * as torch from 'torch-node'; import { Tensor, zeros } from 'torch-node';\n" +
      "console.log(String(torch.arange(3)), zeros(1) instanceof Tensor, typeof torch.tidy);",
  );
  expect(out).toBe('tensor([0, 1, 2]) true function');
});

test('TypeScript sees the type declarations', () => {
  fs.writeFileSync(
    path.join(dir, 'c.ts'),
    "import * as torch from 'torch-node';\nconst t: torch.Tensor = torch.zeros(2, 3);\nconst n: number[] = t.shape;\n" +
      "// @ts-expect-error: shape is number[], not a string\nconst s: string = t.shape;\nexport { n, s };\n",
  );
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '--noEmit', '--strict', '--module', 'commonjs', '--target', 'ES2022',
    '--lib', 'ES2022,esnext.disposable', '--types', 'node', '--typeRoots', path.join(ROOT, 'node_modules/@types'), 'c.ts'], { cwd: dir });
});
