// The FutureWarning every deprecated torch.testing function of PyTorch 1.13 raises after it ran,
// naming the Python function and what to use instead.
import { warn } from '../errors';

/** Python's head "torch.testing.<name>() is deprecated since 1.12 ..." then the instructions. */
export function warnDeprecated(pythonName: string, instructions: string): void {
  const message = `torch.testing.${pythonName}() is deprecated since 1.12 and will be removed in 1.14. ${instructions}`.trim();
  warn(message, 'FutureWarning');
}
