// One check for a file torch.load must refuse: a TorchError with `message`, loaded sync from the
// path, async from the path, and sync from its bytes.
import * as fs from 'fs';
import * as torch from '../../lib';

export async function expectLoadRefused(file: string, message: RegExp | string): Promise<void> {
  let syncError: unknown;
  try {
    torch.loadSync(file);
  } catch (e) {
    syncError = e;
  }
  expect(syncError).toBeInstanceOf(torch.TorchError);
  expect((syncError as Error).message).toMatch(message);
  const asyncError = await torch.load(file).then(() => undefined, (e: unknown) => e);
  expect(asyncError).toBeInstanceOf(torch.TorchError);
  expect((asyncError as Error).message).toMatch(message);
  expect(() => torch.loadSync(fs.readFileSync(file))).toThrow(message);
}
