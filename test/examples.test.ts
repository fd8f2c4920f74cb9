// The Fashion-MNIST demo (examples/fashion-mnist-demo.ts), run small: it must train above chance.
import * as torch from '../lib';
import { main, UsageError } from '../examples/fashion-mnist-demo';

test('trains above chance on a subset and frees its tensors', () => {
  const before = torch.memory().liveTensors;
  const lines: string[] = [];
  const result = main(['--limit', '5000', '--epochs', '2'], (line) => lines.push(line))!;
  expect(result.epochs.map((e) => e.epoch)).toEqual([1, 2]);
  for (const e of result.epochs) expect(Number.isFinite(e.loss)).toBe(true);
  expect(result.epochs[1].loss).toBeLessThan(result.epochs[0].loss);
  expect(result.testAccuracy).toBeGreaterThan(0.5); // chance is 0.1
  expect(lines.filter((l) => /^epoch \d\/2 .*test acc/.test(l))).toHaveLength(2);
  expect(lines[lines.length - 1]).toMatch(/peak RSS \d+ MB/);
  expect(torch.memory().liveTensors).toBeLessThanOrEqual(before);
});

test('--help prints the usage and trains nothing', () => {
  const lines: string[] = [];
  expect(main(['--help'], (line) => lines.push(line))).toBeUndefined();
  expect(lines.join('\n')).toMatch(/--batch-size N/);
});

test('bad options are usage errors', () => {
  expect(() => main(['--epochs', 'two'])).toThrow(UsageError);
  expect(() => main(['--lr', '0'])).toThrow(/--lr must be a positive number/);
  expect(() => main(['--bogus'])).toThrow(UsageError);
});
