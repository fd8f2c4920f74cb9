// torch.ops.quantized as Python calls it: any operator by name, through the one native entry that
// can carry packed-params objects (quantized.cc's quantizedCall). Tensors go in as handles and come
// back as Tensors; a prepack op's result stays a PackedParams handle.
import { native, PackedParamsHandle } from '../../native';
import { Tensor } from '../../tensor/tensor';
import { DType } from '../../tensor/dtype';

/**
 * A packed handle in a class instance: immutable once packed, so module copies (nn.deepcopy) share
 * it rather than taking the native handle apart as a plain object.
 */
export class PackedParams {
  constructor(readonly handle: PackedParamsHandle) {
    Object.freeze(this);
  }
}

function toNative(v: unknown): unknown {
  if (v instanceof Tensor) return v._h;
  if (v instanceof PackedParams) return v.handle;
  if (v instanceof DType) return v.code;
  if (Array.isArray(v)) return v.map(toNative);
  return v;
}

function fromNative(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(fromNative);
  if (v !== null && typeof v === 'object') return new Tensor(v as never);
  return v === undefined ? null : v;
}

/** torch.ops.quantized.<name>(...args) for ops returning tensors, numbers or lists ('quantized::conv2d.new'). */
export function qop<T = Tensor>(qualified: string, ...args: unknown[]): T {
  const [name, overload = ''] = qualified.split('.');
  return fromNative(native.quantizedCall(name, overload, args.map(toNative))) as T;
}

/** A prepack op (quantized::conv2d_prepack, ...): its packed-params object. */
export function prepack(name: string, ...args: unknown[]): PackedParams {
  return new PackedParams(native.quantizedCall(name, '', args.map(toNative)) as PackedParamsHandle);
}
