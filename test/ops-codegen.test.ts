// The committed lib/ops/generated/ is what scripts/codegen writes for this libtorch, and the
// generator is deterministic (npm run codegen twice gives no diff).
// Deliberately not importing lib/index: the generated methods must not be on Tensor.prototype yet.
import * as fs from 'fs';
import * as path from 'path';
import { generate } from '../scripts/codegen/generate';

describe('codegen', () => {
  const first = generate();
  test('the committed files are up to date (run `npm run codegen` when this fails)', () => {
    for (const [file, text] of first) {
      expect(fs.readFileSync(path.join(__dirname, '..', file), 'utf8') === text ? file : `${file} differs`).toBe(file);
    }
  });
  test('a second run gives the same bytes', () => {
    expect([...generate()]).toEqual([...first]);
  });
  test('counts of the generated surface', () => {
    const fns = (first.get('lib/ops/generated/functions.ts')!.match(/= fn\('/g) ?? []).length;
    const methods = (first.get('lib/ops/generated/methods.ts')!.match(/^ {2}\['/gm) ?? []).length;
    console.log(`codegen: ${fns} torch.* functions, ${methods} Tensor methods generated`);
    expect(fns).toBeGreaterThan(500);
    expect(methods).toBeGreaterThan(300);
  });
});
