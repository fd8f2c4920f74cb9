// Error-text parity with PyTorch: Python evaluates each expression once (one process for a table)
// and records its exception text; the same call here must raise TorchError with that text.
import * as torch from '../../lib';
import { runPython } from './python';

/** A JS call's error message, or 'no error'. */
export function message(f: () => unknown): string {
  try {
    f();
    return 'no error';
  } catch (e) {
    return (e as Error).message;
  }
}

/** Options of the error oracles; `runner` runs the Python (runPython by default, or python-session's runPythonShared). */
export interface ErrorOracleOptions {
  firstLine?: boolean;
  prelude?: string;
  runner?: (code: string) => unknown;
}

/** PyTorch's message for each Python expression ('no error' when it raises none). */
export function pythonErrors(codes: string[], options: ErrorOracleOptions = {}): string[] {
  return (options.runner ?? runPython)(`${options.prelude ?? 'from torch import nn'}
out = []
for code in ${JSON.stringify(codes)}:
    try:
        eval(code)
        out.append('no error')
    except Exception as e:
        out.append(str(e).split('\\n')[0] if ${options.firstLine ? 'True' : 'False'} else str(e))
result = out
`) as string[];
}

/** One jest test per [Python expression, the same call here]: TorchError with PyTorch's text. */
export function errorTable(cases: [string, () => unknown][], options: ErrorOracleOptions = {}): void {
  const expected = pythonErrors(cases.map((c) => c[0]), options);
  cases.forEach(([code, run], i) => {
    test(code, () => {
      expect(run).toThrow(torch.TorchError);
      expect(run).toThrow(expected[i]);
    });
  });
}
