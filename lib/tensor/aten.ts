// Calling libtorch operators by schema name through the native boxed path, with JS values
// (Tensor, DType, Device, arrays of them) converted on the way in and handles wrapped on the way out.
import { native, Handle, Result } from '../native';
import { DType } from './dtype';
import { Device } from './device';

/** Set by tensor.ts: turns a native handle into a Tensor (breaks the import cycle). */
export let wrapHandle: (h: Handle) => unknown = () => {
  throw new Error('tensor.ts not loaded');
};
export function setHandleWrapper(fn: (h: Handle) => unknown): void {
  wrapHandle = fn;
}

/** Anything with a native handle (Tensor); kept structural to avoid importing tensor.ts. */
interface HasHandle {
  readonly _h: Handle;
}

function toNativeArg(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if ((v as HasHandle)._h !== undefined) return (v as HasHandle)._h;
  if (v instanceof DType) return v.code;
  if (v instanceof Device) return v.toString();
  if (Array.isArray(v)) return v.map(toNativeArg);
  return v;
}

function toNativeKwargs(kw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(kw)) if (kw[k] !== undefined) out[k] = toNativeArg(kw[k]);
  return out;
}

function fromNative(r: Result): unknown {
  if (r === null || typeof r !== 'object') return r;
  if (Array.isArray(r)) return r.map(fromNative);
  return wrapHandle(r as Handle);
}

/** A callable libtorch operator overload: aten('add', 'Tensor')(args, kwargs). */
export type Op = (args: unknown[], kwargs?: Record<string, unknown>) => unknown;

export function aten(name: string, overload = ''): Op {
  const qualified = name.includes('::') ? name : `aten::${name}`;
  // ATen's in-place ops (relu_, add_) write `self` and return it
  const inPlace = name.endsWith('_') && !name.endsWith('__');
  let index = -1;
  return (args, kwargs) => {
    if (index < 0) {
      index = native.opFind(qualified, overload);
      if (index < 0) throw new Error(`libtorch has no operator ${qualified}${overload ? '.' + overload : ''}`);
    }
    const r = native.opCall(index, args.map(toNativeArg), kwargs && toNativeKwargs(kwargs));
    const self = args[0] as HasHandle | undefined;
    if (inPlace && self?._h !== undefined && r !== null && typeof r === 'object' && !Array.isArray(r)) {
      // the very tensor passed in, as in Python; a second handle on it would hold its memory until
      // collected, even after the tensor itself is disposed
      native.dispose(r as Handle);
      return self;
    }
    return fromNative(r);
  };
}
