// `torch-node/data` as a package subpath: require() from CommonJS, import from ESM (Node reads the
// CommonJS build's named exports), and typed imports in TypeScript. Uses the built dist/.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { linkPackage, LinkedPackage, ROOT } from './helpers/package-link';

let pkg: LinkedPackage;
let dir: string;

beforeAll(() => {
  pkg = linkPackage('torch-node-data-pkg-');
  dir = pkg.dir;
});

afterAll(() => pkg.remove());

const run = (file: string, source: string): string => pkg.run(file, source);

const BODY =
  'const l = new DataLoader(new TensorDataset(torch.arange(4)), { batchSize: 2 });\n' +
  'console.log([...l].map((b) => String(b[0])).join(" "), torch.utils.data.DataLoader === DataLoader);';

test('CommonJS require', () => {
  const out = run('a.cjs', "const torch = require('torch-node'); const { DataLoader, TensorDataset } = require('torch-node/data');\n" + BODY);
  expect(out).toBe('tensor([0, 1]) tensor([2, 3]) true');
});

test('ESM named imports', () => {
  const out = run('b.mjs', "import * as torch from 'torch-node'; import { DataLoader, TensorDataset } from 'torch-node/data';\n" + BODY);
  expect(out).toBe('tensor([0, 1]) tensor([2, 3]) true');
});

test('TypeScript sees the declarations', () => {
  fs.writeFileSync(
    path.join(dir, 'c.ts'),
    "import { DataLoader, TensorDataset } from 'torch-node/data';\nimport * as torch from 'torch-node';\n" +
      'const l = new DataLoader(new TensorDataset(torch.zeros(2)), { batchSize: 1 });\nconst n: number = l.length;\n' +
      "// @ts-expect-error: batchSize is a number\nnew DataLoader(new TensorDataset(torch.zeros(2)), { batchSize: 'x' });\nexport { n };\n",
  );
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '--noEmit', '--strict', '--module', 'node16', '--moduleResolution', 'node16', '--target', 'ES2022',
    '--lib', 'ES2022,esnext.disposable', '--types', 'node', '--typeRoots', path.join(ROOT, 'node_modules/@types'), 'c.ts'], { cwd: dir });
});
