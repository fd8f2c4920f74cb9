// torch.save: PyTorch's zip format (data.pkl, byteorder, data/<key> per storage, version), which
// Python's torch.load(weights_only=True) reads. Each storage is written once, however many tensors
// view it, straight from its memory by the addon (which computes its CRC-32 meanwhile on a second
// thread); the headers follow once the CRCs are known. The file appears atomically (temp + rename).
// Without a path (Python's io.BytesIO / file objects), the archive is built from copies of the
// storages' bytes: returned as a Buffer, or written to a stream in order (write-target.ts).
// Storage objects (x.storage(), torch.UntypedStorage) are saved as Python saves them: their
// persistent id alone, sharing the record of any tensor on the same storage.
import { TorchError } from '../errors';
import { native, Handle } from '../native';
import { Tensor } from '../tensor/tensor';
import { DType } from '../tensor/dtype';
import { aten } from '../tensor/aten';
import { Pickler } from './pickler';
import { STORAGE_TYPES } from './allowlist';
import { zipLayout, ZipRecord } from './zip-writer';
import { withAtomicFileSync, withAtomicFile, writePiecesSync, writePieces } from './atomic-write';
import { checkKeywords, keysOf } from '../keywords';
import { WritableTarget, isWritableTarget, writeChunks, writeChunksSync } from './write-target';
import { pickleSparse } from './sparse';
import { pickleQuantized } from './quantized';
import { TypedStorage } from '../tensor/storage/typed';
import { UntypedStorage, UNTYPED_DTYPE } from '../tensor/storage/untyped';
import { PyValue, classPaths, isModule, isParameter, pickleModule } from './modules/save-module';
import { ModuleClass } from './modules/registry';

export interface SaveOptions {
  /** @internal write zip64 fields everywhere (tests the large-file path with small files) */
  forceZip64?: boolean;
  /**
   * Whole modules: the Python path to write for classes of your own, `{ 'mypkg.models.Net': Net }`
   * (a class not named here is written as `__main__.<Name>`, as Python writes a class of the main script).
   */
  classes?: Record<string, ModuleClass>;
}

const SAVE_KEYS = keysOf<SaveOptions>()('forceZip64', 'classes');

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

/**
 * The persistent id of t's storage: ('storage', torch.FloatStorage, key, location, numel), read as
 * dtype (t's own unless a storage object says otherwise).
 */
function persistentStorage(t: Tensor, p: Pickler, storages: Map<number, SavedStorage>, dtype: DType = t.dtype): void {
  const [id, nbytes] = native.storageInfo(t._h) as StorageInfo;
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
  p.mark();
  p.write('storage');
  p.global('torch', cls);
  p.write(s.key);
  p.write(location);
  p.write(Math.floor(nbytes / dtype.itemsize));
  p.tuple();
  p.binpersid();
}

/**
 * A storage object pickles as its persistent id alone, as Python's persistent_id gives it. An
 * UntypedStorage goes as a ByteStorage: Python loads both as a uint8 TypedStorage, but its
 * weights_only loader refuses the torch.storage.UntypedStorage class Python itself writes.
 */
function pickleStorage(v: TypedStorage | UntypedStorage, p: Pickler, storages: Map<number, SavedStorage>): void {
  if (v instanceof TypedStorage) persistentStorage(v.untyped()._holder, p, storages, v.dtype);
  else persistentStorage(v._holder, p, storages, UNTYPED_DTYPE);
}

function pickleTensor(t: Tensor, p: Pickler, storages: Map<number, SavedStorage>): void {
  let info = native.storageInfo(t._h) as StorageInfo;
  if (info[3]) {
    // conj/neg views and autograd zero tensors: save the values they show
    t = clone([resolveNeg([resolveConj([t])])]) as Tensor;
    info = native.storageInfo(t._h) as StorageInfo;
  }
  const offset = info[2];
  p.global('torch._utils', '_rebuild_tensor_v2');
  p.mark();
  persistentStorage(t, p, storages);
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

/** The zip records of obj (its pickle and every storage it uses) and the storages, by record index. */
interface Archive {
  records: ZipRecord[];
  storages: Map<number, Tensor>;
}

/** A Parameter as Python pickles one: _rebuild_parameter(data, requires_grad, OrderedDict()). */
function pickleParameter(t: Tensor, p: Pickler, storages: Map<number, SavedStorage>): void {
  p.global('torch._utils', '_rebuild_parameter');
  p.mark();
  pickleTensor(t.detach(), p, storages);
  p.write(t.requiresGrad);
  p.global('collections', 'OrderedDict');
  p.writeTuple([]);
  p.reduce();
  p.tuple();
  p.reduce();
}

function serialize(obj: unknown, classes?: Record<string, ModuleClass>): Archive {
  const storages = new Map<number, SavedStorage>();
  const paths = classPaths(classes);
  const p = new Pickler((v, pickler) => {
    if (v instanceof PyValue) {
      v.write(pickler);
      return true;
    }
    if (isModule(v)) {
      pickleModule(v, pickler, paths); // memoized there, before its state (shared submodules)
      return true;
    }
    if (v instanceof Tensor && isParameter(v) && !v.isSparse && !v.isQuantized) {
      pickleParameter(v, pickler, storages);
      pickler.memoize(v);
      return true;
    }
    if (v instanceof TypedStorage || v instanceof UntypedStorage) {
      pickleStorage(v, pickler, storages);
      return true;
    }
    if (!(v instanceof Tensor)) return false;
    if (v.isSparse) pickleSparse(v, pickler);
    else if (v.isQuantized) pickleQuantized(v, pickler, (t) => persistentStorage(t, pickler, storages));
    else pickleTensor(v, pickler, storages);
    pickler.memoize(v);
    return true;
  });
  p.write(obj);
  const records: ZipRecord[] = [
    { name: 'archive/data.pkl', data: p.finish() },
    { name: 'archive/byteorder', data: Buffer.from('little') },
  ];
  const byRecord = new Map<number, Tensor>();
  for (const s of storages.values()) {
    byRecord.set(records.length, s.tensor);
    records.push({ name: `archive/data/${s.key}`, size: s.nbytes });
  }
  records.push({ name: 'archive/version', data: Buffer.from('3\n') });
  return { records, storages: byRecord };
}

/** What the addon writes: each storage's tensor and where its record's bytes start. */
function storageWrites({ records, storages }: Archive, forceZip64?: boolean): [Handle, number][] {
  const { dataOffsets } = zipLayout(records, [], forceZip64);
  return [...storages].map(([record, t]) => [t._h, dataOffsets[record]]);
}

/** The CRC-32 of each record, from the addon's CRCs of the storages (same order). */
function recordCrcs({ records, storages }: Archive, storageCrcs: number[]): number[] {
  const crcs = records.map(() => 0);
  [...storages.keys()].forEach((record, i) => (crcs[record] = storageCrcs[i]));
  return crcs;
}

/**
 * The whole archive in order, for a Buffer or a stream. Each storage is copied now, so later
 * in-place changes to the tensors cannot reach bytes a stream has not flushed yet.
 */
function archiveChunks({ records, storages }: Archive, forceZip64?: boolean): Uint8Array[] {
  const full: ZipRecord[] = records.map((r, i) => {
    const t = storages.get(i);
    return t ? { name: r.name, data: Buffer.from(native.storageBytes(t._h)) } : r;
  });
  return zipLayout(full, [], forceZip64).pieces.map((p) => p.bytes);
}

/** Where torch.save writes: a path, a writable stream, or nothing (the bytes are returned). */
type SaveTarget = string | WritableTarget | undefined;

function checkTarget(f: unknown): asserts f is SaveTarget {
  if (f !== undefined && typeof f !== 'string' && !isWritableTarget(f)) {
    throw new TorchError('torch.save expects a file path (string), a writable stream (an object with write()), or no target to return the bytes as a Buffer');
  }
}

/** torch.save, synchronous: to a path, to a stream (chunks handed to write() now), or as a Buffer. */
export function saveSync(obj: unknown): Buffer;
export function saveSync(obj: unknown, f: string | WritableTarget, options?: SaveOptions): void;
export function saveSync(obj: unknown, f?: SaveTarget, options: SaveOptions = {}): Buffer | void {
  checkKeywords('saveSync', options, SAVE_KEYS);
  checkTarget(f);
  const archive = serialize(obj, options.classes);
  if (typeof f !== 'string') {
    const chunks = archiveChunks(archive, options.forceZip64);
    if (f === undefined) return Buffer.concat(chunks);
    return writeChunksSync(f, chunks);
  }
  withAtomicFileSync(f, (fd) => {
    const crcs = native.writeStoragesSync(fd, storageWrites(archive, options.forceZip64));
    writePiecesSync(fd, zipLayout(archive.records, recordCrcs(archive, crcs), options.forceZip64).pieces);
  });
}

/**
 * torch.save: pickles now. To a path: the storages are written on the libuv pool, then the headers;
 * resolves when the file is in place. To a stream (fs.createWriteStream, any { write }): resolves
 * when the stream has taken the last chunk, the stream left open. Without a target: resolves to the
 * bytes (a Buffer, what torch.load takes back).
 */
export async function save(obj: unknown): Promise<Buffer>;
export async function save(obj: unknown, f: string | WritableTarget, options?: SaveOptions): Promise<void>;
export async function save(obj: unknown, f?: SaveTarget, options: SaveOptions = {}): Promise<Buffer | void> {
  checkKeywords('save', options, SAVE_KEYS);
  checkTarget(f);
  const archive = serialize(obj, options.classes);
  if (typeof f !== 'string') {
    const chunks = archiveChunks(archive, options.forceZip64);
    if (f === undefined) return Buffer.concat(chunks);
    return writeChunks(f, chunks);
  }
  await withAtomicFile(f, async (handle) => {
    const crcs = await native.writeStorages(handle.fd, storageWrites(archive, options.forceZip64)).catch((e: Error) => {
      throw new TorchError(`cannot write the file: ${e.message}`);
    });
    await writePieces(handle, zipLayout(archive.records, recordCrcs(archive, crcs), options.forceZip64).pieces);
  });
}
