// Python's Storage.from_buffer(buffer, byte_order, count=-1, offset=0): a new CPU storage holding a
// copy of the buffer's bytes read as elements of a dtype in the given byte order, for
// torch.UntypedStorage.fromBuffer, torch.TypedStorage.fromBuffer and torch.FloatStorage.fromBuffer.
import { TorchError, ValueError } from '../../errors';
import { DType, intReprDtype, uint8, int8, bool } from '../dtype';
import { tensor } from '../create';
import { UntypedStorage } from './untyped';

export type ByteOrder = 'native' | 'little' | 'big';

const SCALAR_TYPE_NAMES: Record<string, string> = { qint8: 'QInt8', quint8: 'QUInt8', qint32: 'QInt32', quint4x2: 'QUInt4x2', quint2x4: 'QUInt2x4' };

function bytesOf(buffer: ArrayBufferView | ArrayBuffer): Uint8Array {
  if (ArrayBuffer.isView(buffer)) return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  if ((buffer as unknown) instanceof ArrayBuffer || (buffer as unknown) instanceof SharedArrayBuffer) return new Uint8Array(buffer);
  throw new TorchError('from_buffer() expects a Buffer, a TypedArray, a DataView or an ArrayBuffer');
}

/** The bytes of count elements of dtype from offset, in this machine's (little-endian) order. */
export function bufferStorage(buffer: ArrayBufferView | ArrayBuffer, byteOrder: ByteOrder | undefined, count: number, offset: number, dtype: DType): UntypedStorage {
  if (intReprDtype(dtype)) throw new TorchError(`Unknown type: ${SCALAR_TYPE_NAMES[dtype.name]}`);
  const all = bytesOf(buffer);
  const width = dtype.itemsize;
  if (byteOrder === undefined && dtype !== uint8 && dtype !== int8) throw new TorchError("function missing required argument 'byte_order' (pos 2)");
  if (byteOrder !== undefined && byteOrder !== 'native' && byteOrder !== 'little' && byteOrder !== 'big') {
    throw new ValueError(`invalid byte_order '${byteOrder}' (expected 'big', 'little', or 'native')`);
  }
  const length = all.length;
  if (offset < 0 || offset > length) throw new ValueError(`offset must be non-negative and no greater than buffer length (${offset}) , but got ${length}`);
  let n = count;
  if (n < 0) {
    if ((length - offset) % width !== 0) throw new ValueError(`buffer size (${length - offset}) must be a multiple of element size (${width})`);
    n = (length - offset) / width;
  }
  if (offset + n * width > length) throw new ValueError(`buffer has only ${length - offset} elements after offset ${offset}, but specified a size of ${n}`);
  const bytes = all.slice(offset, offset + n * width);
  // big-endian input: each element (each component of a complex one) reversed into little-endian
  const part = dtype.isComplex ? width / 2 : width;
  if (byteOrder === 'big' && part > 1) {
    for (let i = 0; i < bytes.length; i += part) bytes.subarray(i, i + part).reverse();
  }
  if (dtype === bool) for (let i = 0; i < bytes.length; i++) bytes[i] = bytes[i] !== 0 ? 1 : 0;
  return UntypedStorage._of(tensor(bytes, { dtype: uint8 }));
}
