// torch.save: PyTorch's zip format (data.pkl, byteorder, data/<key> per storage, version), which
// Python's torch.load(weights_only=True) reads. Each storage is written once, however many tensors
// view it, straight from its memory; the file appears atomically (temp file + rename).
import { TorchError } from '../errors';
import { native } from '../native';
import { Tensor } from '../tensor/tensor';
import { DType } from '../tensor/dtype';
import { aten } from '../tensor/aten';
import { Pickler } from './pickler';
import { STORAGE_TYPES } from './allowlist';
import { zipChunks, ZipRecord } from './zip-writer';
import * as zlib from 'zlib';
import { writeAtomicSync, withAtomicFile, writePieces, positioned } from './io';

export interface SaveOptions {
  /** @internal write zip64 fields everywhere (tests the large-file path with small files) */
  forceZip64?: boolean;
}

const STORAGE_CLASS = new Map(STORAGE_TYPES.map(([cls, dtype]) => [dtype, cls]));
const resolveConj = aten('resolve_conj', '');
const resolveNeg = aten('resolve_neg', '');
const clone = aten('clone', '');

interface SavedStorage {
  key: string;
  dtype: DType;
  nbytes: number;
  tensor: Tensor;
}

type StorageInfo = [key: number, nbytes: number, offset: number, lazy: boolean];

function pickleTensor(t: Tensor, p: Pickler, storages: Map<number, SavedStorage>): void {
  let info = native.storageInfo(t._h) as StorageInfo;
  if (info[3]) {
    // conj/neg views and autograd zero tensors: save the values they show
    t = clone([resolveNeg([resolveConj([t])])]) as Tensor;
    info = native.storageInfo(t._h) as StorageInfo;
  }
  const [id, nbytes, offset] = info;
  const dtype = t.dtype;
  let s = storages.get(id);
  if (!s) {
    s = { key: String(storages.size), dtype, nbytes, tensor: t };
    storages.set(id, s);
  } else if (s.dtype !== dtype) {
    throw new TorchError('Cannot save multiple tensors or storages that view the same data as different types');
  }
  const cls = STORAGE_CLASS.get(dtype.name);
  if (!cls) throw new TorchError(`cannot save tensors of dtype ${dtype}`);
  const dev = t.device;
  const location = dev.type === 'cuda' ? `cuda:${dev.index ?? 0}` : dev.toString();
  p.global('torch._utils', '_rebuild_tensor_v2');
  p.mark();
  p.mark(); // the persistent id: ('storage', torch.FloatStorage, key, location, numel)
  p.write('storage');
  p.global('torch', cls);
  p.write(s.key);
  p.write(location);
  p.write(Math.floor(nbytes / dtype.itemsize));
  p.tuple();
  p.binpersid();
  p.write(offset);
  p.writeTuple(t.shape);
  p.writeTuple(t.stride());
  p.write(t.requiresGrad);
  p.global('collections', 'OrderedDict');
  p.writeTuple([]);
  p.reduce();
  p.tuple();
  p.reduce();
}

/** The zip records of obj: its pickle and every storage it uses (bytes lent, not copied). */
export function serialize(obj: unknown): ZipRecord[] {
  const storages = new Map<number, SavedStorage>();
  const p = new Pickler((v, pickler) => {
    if (!(v instanceof Tensor)) return false;
    pickleTensor(v, pickler, storages);
    pickler.memoize(v);
    return true;
  });
  p.write(obj);
  const records: ZipRecord[] = [
    { name: 'archive/data.pkl', data: p.finish() },
    { name: 'archive/byteorder', data: Buffer.from('little') },
  ];
  for (const s of storages.values()) {
    records.push({ name: `archive/data/${s.key}`, data: native.storageBytes(s.tensor._h) as Uint8Array });
  }
  records.push({ name: 'archive/version', data: Buffer.from('3\n') });
  return records;
}

function checkPath(f: unknown): asserts f is string {
  if (typeof f !== 'string') throw new TorchError('torch.save expects a file path (string)');
}

/** torch.save, synchronous. */
export function saveSync(obj: unknown, f: string, options: SaveOptions = {}): void {
  checkPath(f);
  writeAtomicSync(f, zipChunks(serialize(obj), options.forceZip64));
}

/** CRC-32 of each record, yielding to the event loop every few MB so parallel writes keep going. */
async function crcsOf(records: ZipRecord[]): Promise<number[]> {
  const STEP = 16 * 1024 * 1024;
  const out: number[] = [];
  for (const { data } of records) {
    let crc = 0;
    for (let at = 0; at < data.length; at += STEP) {
      crc = zlib.crc32(data.subarray(at, at + STEP), crc);
      if (data.length > STEP) await new Promise(setImmediate);
    }
    out.push(crc >>> 0);
  }
  return out;
}

/**
 * torch.save: pickles now; the storages' bytes are written on the libuv pool (several pieces at once)
 * while their CRCs are computed here, then the headers; resolves when the file is in place.
 */
export async function save(obj: unknown, f: string, options: SaveOptions = {}): Promise<void> {
  checkPath(f);
  const records = serialize(obj);
  const data = new Set<Uint8Array>(records.map((r) => r.data));
  const placeholder = records.map(() => 0);
  await withAtomicFile(f, async (handle) => {
    const writing = writePieces(handle, positioned(zipChunks(records, options.forceZip64, placeholder), (c) => data.has(c)));
    const crcs = await crcsOf(records).finally(() => writing.catch(() => undefined));
    await writing;
    await writePieces(handle, positioned(zipChunks(records, options.forceZip64, crcs), (c) => !data.has(c)));
  });
}
