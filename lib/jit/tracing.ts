// torch.jit.is_scripting / is_tracing: JS never runs inside the TorchScript compiler, so scripting is
// always false; tracing is true while jit.trace records (libtorch's tracer state on this thread).
import { native } from '../native';

/** False: JS code is never compiled by TorchScript (Python's torch.jit.is_scripting() outside script). */
export function isScripting(): boolean {
  return false;
}

/** True while torch.jit.trace is recording the forward that calls this. */
export function isTracing(): boolean {
  return native.jitIsTracing();
}
