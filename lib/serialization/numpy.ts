// numpy values in a pickle (Python's torch.save(np_array, f)), decoded as data: numpy never runs.
// An ndarray pickles as _reconstruct(ndarray, (0,), b'b') followed by BUILD with
// (version, shape, dtype, is_fortran, raw bytes); a dtype as dtype('f8', False, True) followed by
// BUILD with (version, byteorder, subarray, names, fields, elsize, alignment, flags[, metadata]);
// a numpy scalar as scalar(dtype, raw bytes). Arrays become tensors of the same dtype, shape and
// values (Fortran order keeps its strides, as torch.from_numpy does); scalars become numbers.
import { DType, toDType, DTypeName } from '../tensor/dtype';
import { Tensor } from '../tensor/tensor';
import { frombuffer } from '../tensor/create';
import { aten } from '../tensor/aten';
import { PyGlobal, unpicklingError, describe } from './unpickler';
import { LIMITS } from './limits';

/** numpy's kind + itemsize -> the torch dtype holding the same values. */
const DTYPES: Record<string, DTypeName> = {
  f2: 'float16',
  f4: 'float32',
  f8: 'float64',
  i1: 'int8',
  i2: 'int16',
  i4: 'int32',
  i8: 'int64',
  u1: 'uint8',
  b1: 'bool',
  c8: 'complex64',
  c16: 'complex128',
};

/** numpy.dtype(name, align, copy), completed by BUILD (byte order). */
export class NumpyDType {
  byteorder: string | undefined;
  constructor(readonly name: string) {}

  setState(state: unknown): void {
    if (!Array.isArray(state) || (state.length !== 8 && state.length !== 9)) throw unpicklingError('numpy dtype state must be an 8- or 9-tuple');
    const [, byteorder, subarray, names, fields] = state as unknown[];
    if (subarray !== null || names !== null || fields !== null) throw unpicklingError(`numpy structured or subarray dtypes cannot be loaded (dtype ${this.name})`);
    if (byteorder !== '<' && byteorder !== '>' && byteorder !== '|') throw unpicklingError(`numpy dtype byte order ${JSON.stringify(byteorder)} is not supported`);
    this.byteorder = byteorder;
  }

  /** The torch dtype, or a clear refusal (object, string, datetime, unsigned > 8 bit dtypes). */
  torchDType(): DType {
    const name = DTYPES[this.name];
    if (!name) throw unpicklingError(`numpy arrays of dtype ${JSON.stringify(this.name)} cannot be loaded (torch has no such dtype)`);
    return toDType(name);
  }

  /** Little-endian copy of raw element bytes in its own aligned memory (never a view of the pickle). */
  littleEndian(raw: Uint8Array): Uint8Array {
    const out = new Uint8Array(Buffer.allocUnsafeSlow(raw.length).buffer, 0, raw.length);
    out.set(raw);
    const dtype = this.torchDType();
    const width = dtype.isComplex ? dtype.itemsize / 2 : dtype.itemsize;
    if (this.byteorder === '>' && width > 1) {
      for (let i = 0; i + width <= out.length; i += width) out.subarray(i, i + width).reverse();
    }
    return out;
  }
}

const emptyOp = aten('empty', 'memory_format');

/** An ndarray placeholder: filled by BUILD, turned into a tensor by materialize. */
export class NumpyArray {
  private state: { shape: number[]; dtype: NumpyDType; fortran: boolean; raw: Uint8Array } | undefined;

  setState(state: unknown): void {
    if (!Array.isArray(state) || (state.length !== 4 && state.length !== 5)) throw unpicklingError('numpy array state must be a 4- or 5-tuple');
    const [shape, dtype, fortran, raw] = (state.length === 5 ? state.slice(1) : state) as unknown[];
    if (!Array.isArray(shape) || shape.length > LIMITS.maxDims || !shape.every((n) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0)) {
      throw unpicklingError('numpy array shape must be a tuple of non-negative ints');
    }
    if (!(dtype instanceof NumpyDType) || dtype.byteorder === undefined) throw unpicklingError('numpy array state needs a numpy dtype');
    if (typeof fortran !== 'boolean') throw unpicklingError('numpy array fortran flag must be a bool');
    if (!(raw instanceof Uint8Array)) throw unpicklingError(`numpy array data must be bytes, got ${describe(raw)} (object arrays cannot be loaded)`);
    const numel = (shape as number[]).reduce((a, b) => a * b, 1);
    const needed = numel * dtype.torchDType().itemsize;
    if (raw.length !== needed) throw unpicklingError(`numpy array of shape (${shape}) and dtype ${dtype.name} needs ${needed} bytes, got ${raw.length}`);
    this.state = { shape: shape as number[], dtype, fortran, raw };
  }

  toTensor(): Tensor {
    if (!this.state) throw unpicklingError('numpy array was never given its state');
    const { shape, dtype, fortran, raw } = this.state;
    const torchDType = dtype.torchDType();
    const numel = shape.reduce((a, b) => a * b, 1);
    const flat = numel === 0 ? (emptyOp([[0]], { dtype: torchDType.code }) as Tensor) : frombuffer(dtype.littleEndian(raw), { dtype: torchDType });
    if (!fortran) return flat.view(shape);
    // Fortran order: the reversed shape in C order, its dimensions reversed (torch.from_numpy's strides)
    const reversed = [...shape].reverse();
    return flat.view(reversed).permute(reversed.map((_, i) => reversed.length - 1 - i));
  }
}


/** A numpy scalar's value: a number (bigint past 2^53 for 64-bit ints) or a boolean. */
function scalar(args: unknown[]): unknown {
  const [dtype, raw] = args;
  if (!(dtype instanceof NumpyDType) || dtype.byteorder === undefined) throw unpicklingError('numpy scalar needs a numpy dtype');
  if (!(raw instanceof Uint8Array)) throw unpicklingError('numpy scalar data must be bytes');
  const torchDType = dtype.torchDType();
  if (raw.length !== torchDType.itemsize) throw unpicklingError(`numpy scalar of dtype ${dtype.name} needs ${torchDType.itemsize} bytes, got ${raw.length}`);
  if (torchDType.isComplex) throw unpicklingError('numpy complex scalars cannot be loaded (JavaScript has no complex number)');
  const bytes = dtype.littleEndian(raw);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  switch (torchDType.name) {
    case 'bool':
      return bytes[0] !== 0;
    case 'uint8':
      return v.getUint8(0);
    case 'int8':
      return v.getInt8(0);
    case 'int16':
      return v.getInt16(0, true);
    case 'int32':
      return v.getInt32(0, true);
    case 'int64': {
      const n = v.getBigInt64(0, true);
      return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
    }
    case 'float16':
      return frombuffer(bytes, { dtype: torchDType }).item();
    case 'float32':
      return v.getFloat32(0, true);
    default:
      return v.getFloat64(0, true);
  }
}

/** The class numpy.ndarray, only as _reconstruct's first argument. */
const NDARRAY: PyGlobal = { qualifiedName: 'numpy.ndarray' };

/** The numpy globals a weights-only load may name (numpy 1.x 'numpy.core', 2.x 'numpy._core'). */
export function numpyGlobals(): PyGlobal[] {
  const out: PyGlobal[] = [
    NDARRAY,
    {
      qualifiedName: 'numpy.dtype',
      call(args) {
        if (typeof args[0] !== 'string' || args.length > 3) throw unpicklingError('numpy.dtype expects a type name');
        return new NumpyDType(args[0]);
      },
    },
  ];
  for (const core of ['numpy.core.multiarray', 'numpy._core.multiarray']) {
    out.push({
      qualifiedName: `${core}._reconstruct`,
      call(args) {
        if (args.length !== 3 || args[0] !== NDARRAY) throw unpicklingError(`_reconstruct only rebuilds numpy.ndarray, got ${describe(args[0])}`);
        return new NumpyArray();
      },
    });
    out.push({ qualifiedName: `${core}.scalar`, call: scalar });
  }
  return out;
}
