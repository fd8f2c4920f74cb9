// npm run codegen [-- --check]: writes lib/ops/generated/ (or, with --check, fails if it differs).
import * as fs from 'fs';
import * as path from 'path';
import { generate } from './generate';

function root(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}

const check = process.argv.includes('--check');
let stale = 0;
for (const [file, text] of generate()) {
  const target = path.join(root(), file);
  const old = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined;
  if (old === text) continue;
  stale++;
  if (check) console.error(`codegen: ${file} is out of date`);
  else fs.writeFileSync(target, text);
}
if (check && stale > 0) process.exit(1);
console.log(check ? 'codegen: up to date' : `codegen: ${stale} file(s) written`);
