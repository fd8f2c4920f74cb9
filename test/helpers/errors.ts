// What the error tests assert on: the TorchError a call throws or a promise rejects with, and
// checkKeywords' message for an option a function does not take.
import * as torch from '../../lib';

/** The TorchError `fn` throws; the test fails when it throws something else or nothing. */
export function errorOf(fn: () => unknown): torch.TorchError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(torch.TorchError);
    return e as torch.TorchError;
  }
  throw new Error('expected a TorchError');
}

/** The message of the TorchError `fn` throws, or 'no error': the twin of runPython's err(f). */
export function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(torch.TorchError);
    return (e as Error).message;
  }
  return 'no error';
}

/** The TorchError `p` rejects with; the test fails when it rejects with something else or resolves. */
export async function rejectionOf(p: Promise<unknown>): Promise<torch.TorchError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(torch.TorchError);
    return e as torch.TorchError;
  }
  throw new Error('expected a TorchError');
}

/** "fn() got an unexpected keyword argument 'key'", with the hint naming `meant` when given. */
export const unexpectedKeyword = (fn: string, key: string, meant?: string | null): string =>
  `${fn}() got an unexpected keyword argument '${key}'${meant ? ` (did you mean '${meant}'?)` : ''}`;
