// torch.FloatStorage, torch.LongStorage, ...: the legacy storage classes. As in Python, calling one
// makes a TypedStorage of its dtype (new torch.FloatStorage(3), new torch.FloatStorage([1, 2]),
// new torch.FloatStorage({ wrapStorage })), and `s instanceof torch.FloatStorage` holds for any
// TypedStorage of that dtype on that kind of device; x.storageType() returns one of them.
import { TorchError, PyTypeError, pyType } from '../../errors';
import { checkKeywords, isOptions, parse, Rest } from '../../keywords';
import { DType, toDType } from '../dtype';
import { TensorData } from '../nested';
import { TypedStorage, pyClassOf } from './typed';
import { UntypedStorage, FromBufferOptions } from './untyped';
import { bufferStorage } from './from-buffer';
import { LEGACY_STORAGE_NAMES, LegacyStorageName } from './legacy-names';

/** A legacy storage class: `new` makes a TypedStorage of its dtype. */
export interface LegacyStorageClass {
  new (sizeOrData?: number | TensorData): TypedStorage;
  new (options: { wrapStorage: UntypedStorage }): TypedStorage;
  fromBuffer(buffer: ArrayBufferView | ArrayBuffer, ...rest: Rest<FromBufferOptions, ['byteOrder', 'count', 'offset']>): TypedStorage;
  fromFile(filename: string, ...args: [shared: boolean, size: number] | [shared: boolean, options: { size: number }] | [options: { shared: boolean; size: number }]): TypedStorage;
  readonly dtype: DType;
  /** 'torch' or 'torch.cuda', as Python's cls.__module__ */
  readonly module: string;
  readonly name: string;
}

function legacyClass(name: string, dtype: DType, module: 'torch' | 'torch.cuda'): LegacyStorageClass {
  const device = module === 'torch' ? 'cpu' : 'cuda';
  const argError =
    `<class '${module}.${name}'>.__new__ received an invalid combination of arguments. Expected one of:\n` +
    ' * no arguments\n * (int size)\n * (Sequence data)\n * (*, UntypedStorage wrap_storage)';
  const cls = class {
    static readonly dtype = dtype;
    static readonly module = module;
    constructor(...args: unknown[]) {
      const last = args[args.length - 1];
      const options = isOptions(last) ? (args.pop() as Record<string, unknown>) : {};
      checkKeywords(name, options, ['wrapStorage', 'device', 'dtype']);
      if (options.device !== undefined) throw new TorchError(`${argError}\nKeyword argument 'device' cannot be specified`);
      if (options.dtype !== undefined) throw new TorchError(`${argError}\nKeyword argument 'dtype' cannot be specified`);
      const wrap = options.wrapStorage;
      if (wrap === undefined) {
        if (args.length > 1) throw new TorchError(`${argError}\nToo many positional arguments`);
        const [first] = args;
        if (args.length === 1 && !Number.isInteger(first) && !Array.isArray(first) && typeof first !== 'string') throw new PyTypeError(`${argError}\nArgument type not recognized: ${pyType(first)}`);
        return new TypedStorage(first as number | TensorData | undefined, { dtype, device });
      }
      if (args.length !== 0) throw new TorchError(`${argError}\nNo positional arguments should be given when using 'wrap_storage'`);
      if (!(wrap instanceof UntypedStorage)) throw new PyTypeError(`${argError}\nArgument 'wrap_storage' must be UntypedStorage, but got ${pyClassOf(wrap)}`);
      if (wrap.device.type !== device) throw new TorchError(`${argError}\nDevice of 'wrap_storage' must be ${device}, but got ${wrap.device.type}`);
      return TypedStorage._wrap(wrap, dtype);
    }
    /** Python's FloatStorage.from_buffer(buffer, byteOrder?, count = -1, offset = 0): a CPU copy read as this dtype. */
    static fromBuffer(buffer: ArrayBufferView | ArrayBuffer, ...rest: Rest<FromBufferOptions, ['byteOrder', 'count', 'offset']>): TypedStorage {
      const o = parse<FromBufferOptions & { dtype?: unknown; device?: unknown }>('from_buffer', rest, ['byteOrder', 'count', 'offset'], ['dtype', 'device']);
      if (o.dtype !== undefined) throw new TorchError("from_buffer: 'dtype' can only be specified in UntypedStorage.from_buffer and TypedStorage.from_buffer");
      if (o.device !== undefined) throw new TorchError("from_buffer: 'device' can only be specified in UntypedStorage.from_buffer and TypedStorage.from_buffer");
      return TypedStorage._wrap(bufferStorage(buffer, o.byteOrder, o.count ?? -1, o.offset ?? 0, dtype), dtype);
    }
    /** Python's FloatStorage.from_file(filename, shared, size): size elements of the file mapped into memory (see UntypedStorage.fromFile). */
    static fromFile(filename: string, ...rest: unknown[]): TypedStorage {
      const o = parse<{ shared?: boolean; size?: number }>('from_file', rest, ['shared', 'size']);
      const missing = (['shared', 'size'] as const).filter((k) => o[k] === undefined).map((k) => `'${k}'`);
      if (missing.length) {
        const n = missing.length;
        throw new PyTypeError(`TypedStorage.from_file() missing ${n} required positional argument${n > 1 ? 's' : ''}: ${missing.join(' and ')}`);
      }
      // through the constructor, so a CUDA class refuses the CPU mapping as Python's does
      return new this({ wrapStorage: UntypedStorage.fromFile(filename, o.shared!, o.size! * dtype.itemsize) }) as unknown as TypedStorage;
    }
    // Python's _LegacyStorageMeta.__instancecheck__: a TypedStorage of this dtype on this device kind
    static [Symbol.hasInstance](v: unknown): boolean {
      return v instanceof TypedStorage && v.dtype === dtype && v.device.type === device;
    }
    static toString(): string {
      return `<class '${module}.${name}'>`;
    }
  };
  Object.defineProperty(cls, 'name', { value: name });
  return cls as unknown as LegacyStorageClass;
}

function classes(module: 'torch' | 'torch.cuda'): Record<LegacyStorageName, LegacyStorageClass> {
  // one entry per name of LEGACY_STORAGE_NAMES, so every LegacyStorageName is there
  return Object.fromEntries(LEGACY_STORAGE_NAMES.map(([name, dtype]) => [name, legacyClass(name, toDType(dtype), module)])) as Record<LegacyStorageName, LegacyStorageClass>;
}

/** torch.FloatStorage, ... (CPU); exported by name in ./cpu-classes. */
export const cpuStorageClasses = classes('torch');
/** torch.cuda.FloatStorage, ...; exported by name in ./cuda-classes. */
export const cudaStorageClasses = classes('torch.cuda');

/** Python's storage._get_legacy_storage_class(): the class of its dtype and device, or null. */
export function legacyStorageClass(s: TypedStorage): LegacyStorageClass | null {
  const type = s.device.type;
  if (type !== 'cpu' && type !== 'cuda') return null;
  const table = type === 'cpu' ? cpuStorageClasses : cudaStorageClasses;
  return Object.values(table).find((cls) => cls.dtype === s.dtype) ?? null;
}
