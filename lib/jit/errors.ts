// torch.jit.Error: what TorchScript code raises (its `raise` statements), with the interpreter's
// whole message (the TorchScript traceback and the Python exception it names), as Python shows it.
import { TorchError } from '../errors';

export class JitError extends TorchError {
  constructor(message: string) {
    super(message);
    this.name = 'torch.jit.Error';
  }
}

/** A native error in JS terms: the interpreter's raise (flagged by jit.cc) as a JitError, others as TorchError. */
export function asScriptError(e: unknown): never {
  if (e instanceof Error && (e as { torchScriptError?: boolean }).torchScriptError) throw new JitError(e.message);
  if (e instanceof TorchError) throw e;
  throw new TorchError(e instanceof Error ? e.message : String(e));
}
