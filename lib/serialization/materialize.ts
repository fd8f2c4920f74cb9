// After unpickling: storages become tensors over their bytes (no copy), tensor placeholders become
// views of them (shared storages stay shared), a pickled storage itself a TypedStorage over them,
// dicts with string keys become null-prototype objects and the rest Maps. Iterative, so deeply
// nested or cyclic data cannot overflow the JS stack.
import { TorchError } from '../errors';
import { Tensor } from '../tensor/tensor';
import { frombuffer } from '../tensor/create';
import { aten } from '../tensor/aten';
import { DType, intReprDtype } from '../tensor/dtype';
import { Device, DeviceLike, toDevice } from '../tensor/device';
import { cuda } from '../runtime';
import { StorageRef, TensorRef } from './refs';
import { TypedStorage } from '../tensor/storage/typed';
import { UntypedStorage } from '../tensor/storage/untyped';
import { NumpyArray } from './numpy';
import { SparseRef, buildSparse } from './sparse';
import { QTensorRef, buildQuantized } from './quantized';
import { ScriptObject, convertScriptObject } from './script-object';
import { asOrderedDict, asTuple, isTuple, orderedDictAttributes } from './py-types';
import { ModuleRef, PartialRef, PyClass, fillModule, newModuleShell, partialFunction } from './modules/load-module';

/** Where loaded storages go: a device for all, a map from saved location, or a function of it. */
export type MapLocation = DeviceLike | Record<string, DeviceLike> | ((location: string) => DeviceLike);

const asStrided = aten('as_strided', '');

function targetDevice(location: string, mapLocation: MapLocation | undefined): Device {
  let target: DeviceLike = location;
  if (typeof mapLocation === 'function') target = mapLocation(location);
  else if (typeof mapLocation === 'string' || mapLocation instanceof Device) target = mapLocation;
  else if (mapLocation && Object.prototype.hasOwnProperty.call(mapLocation, location)) target = mapLocation[location];
  let dev: Device;
  try {
    dev = toDevice(target);
  } catch {
    throw new TorchError(`don't know how to restore data location ${JSON.stringify(String(target))}`);
  }
  if (dev.type === 'cuda' && !cuda.isAvailable()) {
    throw new TorchError(
      'Attempting to deserialize object on a CUDA device but torch.cuda.is_available() is False. ' +
        "If you are running on a CPU-only machine, please use torch.load with { mapLocation: 'cpu' } to map your storages to the CPU.",
    );
  }
  if (dev.type !== 'cpu' && dev.type !== 'cuda') throw new TorchError(`don't know how to restore data location ${String(target)}`);
  return dev;
}

/** Builds tensors over loaded storage bytes; one base tensor per (storage, dtype), on its device. */
export class TensorBuilder {
  private readonly bases = new Map<string, Tensor>();
  private readonly built = new Map<TensorRef, Tensor>();
  constructor(
    private readonly bytesOf: (storage: StorageRef) => Uint8Array,
    private readonly mapLocation: MapLocation | undefined,
  ) {}

  base(storage: StorageRef, storageDtype: DType): Tensor {
    // a quantized storage holds its integer representation: read as those integers
    const dtype = intReprDtype(storageDtype) ?? storageDtype;
    const id = `${storage.key}\0${dtype.name}`;
    let t = this.bases.get(id);
    if (!t) {
      const bytes = this.bytesOf(storage);
      const count = Math.floor(bytes.length / dtype.itemsize);
      t = count === 0 ? new Tensor(emptyOf(dtype)) : frombuffer(bytes, { dtype, count });
      const dev = targetDevice(storage.location, this.mapLocation);
      if (dev.type !== 'cpu') t = t.to(dev);
      this.bases.set(id, t);
    }
    return t;
  }

  tensor(ref: TensorRef): Tensor {
    let t = this.built.get(ref);
    if (!t) {
      const base = this.base(ref.storage, ref.dtype);
      const whole = ref.offset === 0 && ref.size.length === 1 && ref.stride[0] === 1 && ref.size[0] === base.numel();
      t = whole ? base.detach() : (asStrided([base, ref.size, ref.stride, ref.offset]) as Tensor);
      if (ref.requiresGrad) t.requiresGrad_(true);
      this.built.set(ref, t);
    }
    return t;
  }
}

const emptyOp = aten('empty', 'memory_format');
function emptyOf(dtype: DType) {
  return (emptyOp([[0]], { dtype: dtype.code }) as Tensor)._h;
}

/** Keys JS objects order before all others (array indices): dicts with them load as Maps, in order. */
const INDEX_LIKE = /^(0|[1-9][0-9]*)$/;

/** Python values -> the JS values torch.load returns. */
export function materialize(root: unknown, builder: TensorBuilder): unknown {
  const done = new Map<object, unknown>();
  const tasks: [unknown, (v: unknown) => void][] = [];
  // whole modules: each shell exists at once (shared and cyclic references), filled at the end
  const modules: (() => void)[] = [];
  const parameters = new Map<object, object>();
  const visit = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (done.has(v)) return done.get(v);
    let out: unknown;
    if (v instanceof ModuleRef) {
      const shell = newModuleShell(v);
      done.set(v, shell);
      const state = visit(v.state);
      modules.push(() => fillModule(shell, state, v, parameters));
      return shell;
    } else if (v instanceof PyClass) {
      out = v.cls; // a class as a value (torchvision's _norm_layer)
    } else if (v instanceof PartialRef) {
      out = partialFunction(v);
    } else if (v instanceof TensorRef) {
      out = builder.tensor(v);
    } else if (v instanceof SparseRef) {
      out = buildSparse(v, (part) => builder.tensor(part));
    } else if (v instanceof QTensorRef) {
      out = buildQuantized(v, (part) => builder.tensor(part), (storage) => builder.base(storage, storage.dtype));
    } else if (v instanceof NumpyArray) {
      out = v.toTensor(); // numpy arrays load as tensors (torch.from_numpy's dtype, shape, strides)
    } else if (v instanceof ScriptObject) {
      out = convertScriptObject(v, visit); // its state's tensors as tensors
    } else if (v instanceof StorageRef) {
      // a bare storage: a TypedStorage (an UntypedStorage was saved as uint8), sharing memory
      // with the loaded tensors on it, as Python's torch.load gives back
      out = TypedStorage._wrap(UntypedStorage._of(builder.base(v, v.dtype)), v.dtype);
    } else if (Array.isArray(v)) {
      const arr: unknown[] = new Array(v.length);
      v.forEach((item, i) => tasks.push([item, (x) => (arr[i] = x)]));
      out = isTuple(v) ? asTuple(arr) : arr; // saved back as a tuple
    } else if (v instanceof Map) {
      // string keys become an object's, unless JS would move integer-like ones ('0', '1') first
      if ([...v.keys()].every((k) => typeof k === 'string' && !INDEX_LIKE.test(k))) {
        const obj: Record<string, unknown> = Object.create(null);
        for (const [k, item] of v) {
          obj[k as string] = undefined; // keeps insertion order before values are filled in
          tasks.push([item, (x) => (obj[k as string] = x)]);
        }
        out = obj;
      } else {
        const m = new Map<unknown, unknown>();
        for (const [k, item] of v) {
          const key = visit(k);
          m.set(key, undefined);
          tasks.push([item, (x) => m.set(key, x)]);
        }
        out = m;
      }
    } else if (v instanceof Set) {
      out = new Set([...v].map(visit));
    } else {
      out = v;
    }
    const attributes = v instanceof Map ? orderedDictAttributes(v) : undefined;
    if (attributes) {
      // an OrderedDict stays one, with its attributes (a state_dict's _metadata) materialized too
      const materialized: Record<string, unknown> = {};
      for (const [k, a] of Object.entries(attributes)) tasks.push([a, (x) => (materialized[k] = x)]);
      asOrderedDict(out as object, materialized);
    }
    done.set(v, out);
    return out;
  };
  const result = visit(root);
  while (tasks.length) {
    const [v, assign] = tasks.pop()!;
    assign(visit(v));
  }
  // children before their parents
  for (let i = modules.length - 1; i >= 0; i--) modules[i]();
  return result;
}
