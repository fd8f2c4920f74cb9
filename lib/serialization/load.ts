// torch.load: PyTorch's zip format (torch >= 1.6), the legacy pickle stream (torch 0.4-1.5, or
// _use_new_zipfile_serialization=False) and the tar format (torch < 0.4, legacy-tar.ts), always
// through the restricted unpickler. Each storage is read straight into its own buffer and the tensors
// are built over it without another copy.
import { TorchError } from '../errors';
import { DType } from '../tensor/dtype';
import { LIMITS } from './limits';
import { Plan, ReadRequest, ByteSource, FileSource, BufferSource, runPlanSync, runPlanAsync } from './io';
import { readDirectory, readRecord, recordRequest, recordContent, looksLikeZip, ZipEntry } from './zip-reader';
import { unpickle, unpicklingError, PickleTruncated, UnpicklerHooks } from './unpickler';
import { restrictedHooks, StorageType, ModuleLoading } from './allowlist';
import { ModuleClasses } from './modules/load-module';
import { StorageRef, StorageViews } from './refs';
import { TensorBuilder, MapLocation, materialize } from './materialize';
import { legacyTarPlan } from './legacy-tar';
import { checkKeywords, keysOf } from '../keywords';

export type { MapLocation } from './materialize';

export interface LoadOptions {
  /** where storages go: 'cpu', a device, { 'cuda:0': 'cpu' }, or (location) => device */
  mapLocation?: MapLocation;
  /**
   * `true`: tensors and plain data only, as Python's weights_only=True (whole modules are refused).
   * Otherwise whole modules load too, but only of the library's classes and of `classes`: a file
   * never names anything else that runs (JavaScript cannot rebuild arbitrary Python objects).
   */
  weightsOnly?: boolean;
  /**
   * Whole modules (Python's torch.save(model)): the classes beyond the library's own (nn, torchvision)
   * that may be rebuilt, by the Python qualified name the file gives them:
   * `{ '__main__.Net': Net }`. Only these and the library's classes resolve; `weightsOnly: true`
   * refuses modules altogether, as Python does.
   */
  classes?: ModuleClasses;
}

const LOAD_KEYS = keysOf<LoadOptions>()('mapLocation', 'weightsOnly', 'classes');

/** Whether (and with which extra classes) this load may rebuild whole modules. */
function moduleLoading(options: LoadOptions): ModuleLoading | undefined {
  if (options.weightsOnly === true) return undefined;
  if (options.classes !== undefined && (options.classes === null || typeof options.classes !== 'object')) {
    throw new TorchError('torch.load: classes must be an object of Python qualified names to module classes');
  }
  return { classes: options.classes };
}

/** Registers storages by key as persistent ids name them; the same key is the same storage. */
function storageTable(describeKey: (pid: unknown[]) => { key: unknown; type: unknown; location: unknown; numel: unknown }) {
  const storages = new Map<string, StorageRef>();
  const persistentLoad = (pid: unknown): StorageRef => {
    const { key, type, location, numel } = describeKey(pid as unknown[]);
    if (!(type instanceof StorageType)) throw unpicklingError('persistent id names no storage type');
    if (typeof key !== 'string' || typeof location !== 'string') throw unpicklingError('persistent id needs a string key and location');
    if (typeof numel !== 'number' || !Number.isSafeInteger(numel) || numel < 0) throw unpicklingError(`invalid storage size ${String(numel)}`);
    const known = storages.get(key);
    if (known) {
      if (known.dtype !== type.dtype || known.numel !== numel) throw unpicklingError(`storage ${key} is declared twice with different types or sizes`);
      return known;
    }
    const ref = new StorageRef(key, type.dtype, numel, location);
    storages.set(key, ref);
    return ref;
  };
  return { storages, persistentLoad };
}

/** Big-endian files (byteorder record 'big', or a legacy file saying so): swap each element. */
function toLittleEndian(bytes: Uint8Array, dtype: DType): void {
  const width = dtype.isComplex ? dtype.itemsize / 2 : dtype.itemsize;
  if (width === 1) return;
  for (let i = 0; i + width <= bytes.length; i += width) bytes.subarray(i, i + width).reverse();
}

// ---- zip format ------------------------------------------------------------------------------

function* zipPlan(size: number, options: LoadOptions): Plan<unknown> {
  const dir = yield* readDirectory(size);
  const first = dir.keys().next().value;
  const prefix = first === undefined ? undefined : first.split('/')[0];
  const pklEntry = prefix === undefined ? undefined : dir.get(`${prefix}/data.pkl`);
  if (!pklEntry) {
    throw new TorchError('not a torch.save file: the archive has no data.pkl (a TorchScript archive needs torch.jit.load)');
  }
  // Python's _is_torchscript_zip: torch.load there hands such a file to torch.jit.load; here
  // torch.load reads data only, so it says where the module loads
  if (prefix !== undefined && dir.has(`${prefix}/constants.pkl`)) {
    throw new TorchError('this is a TorchScript archive (torch.jit.save or a traced/scripted module\'s save): load it with torch.jit.load; torch.load reads data only');
  }
  if (pklEntry.size > LIMITS.maxPickleBytes) throw unpicklingError(`data.pkl of ${pklEntry.size} bytes exceeds the cap of ${LIMITS.maxPickleBytes}`);
  let bigEndian = false;
  const order = dir.get(`${prefix}/byteorder`);
  if (order) {
    const text = new TextDecoder().decode(yield* readRecord(order, size));
    if (text !== 'little' && text !== 'big') throw new TorchError(`unknown byteorder ${JSON.stringify(text.slice(0, 20))} in the archive`);
    bigEndian = text === 'big';
  }
  const pkl = yield* readRecord(pklEntry, size);
  const { storages, persistentLoad } = storageTable((pid) => {
    if (pid.length !== 5) throw unpicklingError(`storage persistent id has ${pid.length} fields, expected 5`);
    return { type: pid[1], key: pid[2], location: pid[3], numel: pid[4] };
  });
  const { value } = unpickle(pkl, restrictedHooks(persistentLoad, moduleLoading(options)));

  // storages: local headers (small reads, batched), then every record straight into its own buffer
  const refs = [...storages.values()];
  const entries: ZipEntry[] = refs.map((ref) => {
    const entry = dir.get(`${prefix}/data/${ref.key}`);
    if (!entry) throw new TorchError(`archive has no record data/${ref.key} for a storage the pickle uses`);
    if (entry.size < ref.nbytes) {
      throw new TorchError(`record data/${ref.key} holds ${entry.size} bytes but its storage needs ${ref.nbytes} (${ref.numel} x ${ref.dtype.name})`);
    }
    return entry;
  });
  const headers = (yield entries.map((e) => ({ offset: e.localHeaderOffset, length: 30 }))) as Uint8Array[];
  const requests = entries.map((entry, i) => {
    const plan = recordRequest(entry, size, true);
    plan.next();
    const req = plan.next(headers[i]).value as ReadRequest;
    // stored records: read just the storage's bytes; compressed ones whole (then inflated)
    return entry.method === 0 ? { ...req, length: refs[i].nbytes } : req;
  });
  const raw = requests.length ? ((yield requests) as Uint8Array[]) : [];
  const bytes = new Map<StorageRef, Uint8Array>();
  refs.forEach((ref, i) => {
    let b = recordContent(entries[i], raw[i]);
    if (b.length > ref.nbytes) b = b.subarray(0, ref.nbytes);
    if (bigEndian) toLittleEndian(b, ref.dtype);
    bytes.set(ref, b);
  });
  return materialize(value, new TensorBuilder((ref) => bytes.get(ref)!, options.mapLocation));
}

// ---- legacy format: five pickles, then each storage as (int64 numel, raw bytes) -----------------

const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
const LEGACY_PROTOCOL = 1001;

const plainHooks: UnpicklerHooks = {
  findGlobal: () => undefined,
  persistentLoad: () => {
    throw unpicklingError('unexpected persistent id');
  },
};

function* legacyPlan(size: number, options: LoadOptions): Plan<unknown> {
  let chunk = Math.min(size, 1 << 20);
  for (;;) {
    const head = (yield { offset: 0, length: chunk }) as Uint8Array;
    try {
      return yield* legacyFromHead(head, size, options);
    } catch (e) {
      if (!(e instanceof PickleTruncated) || chunk >= size || chunk >= LIMITS.maxPickleBytes) throw e;
      chunk = Math.min(size, chunk * 8, LIMITS.maxPickleBytes);
    }
  }
}

function* legacyFromHead(head: Uint8Array, size: number, options: LoadOptions): Plan<unknown> {
  let pos = 0;
  const next = (hooks: UnpicklerHooks): unknown => {
    const r = unpickle(head, hooks, pos);
    pos = r.end;
    return r.value;
  };
  if (next(plainHooks) !== LEGACY_MAGIC) throw new TorchError('Invalid magic number; corrupt file?');
  const protocol = next(plainHooks);
  if (protocol !== LEGACY_PROTOCOL) throw new TorchError(`Invalid protocol version: ${String(protocol)}`);
  next(plainHooks); // sys_info: storages are little-endian whatever it says, as PyTorch reads them
  const { storages, persistentLoad: rootLoad } = storageTable((pid) => {
    if (pid.length !== 6) throw unpicklingError(`storage persistent id has ${pid.length} fields, expected 6`);
    return { type: pid[1], key: pid[2], location: pid[3], numel: pid[4] };
  });
  // a storage slice (older torch) is saved as its root's id plus (view key, offset, numel)
  const views = new StorageViews();
  const viewsByKey = new Map<string, StorageRef>();
  const persistentLoad = (pid: unknown): StorageRef => {
    const root = rootLoad(pid);
    const slice = (pid as unknown[])[5];
    if (slice === null) return root;
    if (!Array.isArray(slice) || slice.length !== 3 || typeof slice[0] !== 'string') throw unpicklingError('storage view metadata must be (key, offset, numel)');
    const [key, offset, numel] = slice as [string, unknown, unknown];
    const known = viewsByKey.get(key);
    if (known) return known;
    const ref = views.add(key, root, offset, numel, unpicklingError);
    viewsByKey.set(key, ref);
    return ref;
  };
  const value = next(restrictedHooks(persistentLoad, moduleLoading(options)));
  const keys = next(plainHooks);
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) throw new TorchError('corrupt legacy file: storage key list is not a list of strings');
  let offset = pos;
  const requests: ReadRequest[] = [];
  const refs: StorageRef[] = [];
  for (const key of keys as string[]) {
    const ref = storages.get(key);
    if (!ref) throw new TorchError(`corrupt legacy file: storage ${key} is listed but never used`);
    const headerBytes = (yield { offset, length: 8 }) as Uint8Array;
    const header = new DataView(headerBytes.buffer, headerBytes.byteOffset, 8);
    const numel = header.getBigInt64(0, true);
    if (numel !== BigInt(ref.numel)) throw new TorchError(`corrupt legacy file: storage ${key} holds ${numel} elements, the pickle says ${ref.numel}`);
    requests.push({ offset: offset + 8, length: ref.nbytes, fresh: true });
    refs.push(ref);
    offset += 8 + ref.nbytes;
    if (offset > size) throw new TorchError(`file is truncated: storage ${key} runs past the end (${offset} > ${size})`);
  }
  if (refs.length !== storages.size) throw new TorchError('corrupt legacy file: a storage the pickle uses has no data');
  const raw = requests.length ? ((yield requests) as Uint8Array[]) : [];
  const bytes = new Map<StorageRef, Uint8Array>(refs.map((ref, i) => [ref, raw[i]]));
  return materialize(value, new TensorBuilder(views.bytesOf(bytes), options.mapLocation));
}

// ---- entry points ----------------------------------------------------------------------------

function isTar(head: Uint8Array): boolean {
  return head.length >= 262 && new TextDecoder().decode(head.subarray(257, 262)) === 'ustar';
}

function* loadPlan(size: number, options: LoadOptions): Plan<unknown> {
  if (size === 0) throw new TorchError('cannot load an empty file (Ran out of input)');
  const head = (yield { offset: 0, length: Math.min(size, 512) }) as Uint8Array;
  if (looksLikeZip(head)) return yield* zipPlan(size, options);
  if (isTar(head)) return yield* legacyTarPlan(size, options.mapLocation);
  if (head[0] === 0x80) return yield* legacyPlan(size, options);
  throw new TorchError('not a file written by torch.save (neither a zip archive nor a legacy pickle)');
}

function sourceError(e: unknown): never {
  if (e instanceof TorchError) throw e;
  if (e instanceof RangeError) throw new TorchError(`cannot load: ${e.message}`);
  throw e;
}

/**
 * The loaded value is typed `any`, as JSON.parse's is: whatever the file holds, so that
 * `model.loadStateDict(await torch.load(p))` and `checkpoint.model_state_dict` port as written.
 */
type Loaded = any;

/** torch.load, synchronous. */
export function loadSync(f: string | Uint8Array, options: LoadOptions = {}): Loaded {
  checkKeywords('loadSync', options, LOAD_KEYS);
  const source: ByteSource = typeof f === 'string' ? FileSource.openSync(f) : new BufferSource(f);
  try {
    return runPlanSync(loadPlan(source.size, options), source);
  } catch (e) {
    sourceError(e);
  } finally {
    void source.close();
  }
}

/** torch.load: reads on the libuv pool (several storages at once); resolves to the loaded object. */
export async function load(f: string | Uint8Array, options: LoadOptions = {}): Promise<Loaded> {
  checkKeywords('load', options, LOAD_KEYS);
  const source: ByteSource = typeof f === 'string' ? await FileSource.open(f) : new BufferSource(f);
  try {
    return await runPlanAsync(loadPlan(source.size, options), source);
  } catch (e) {
    sourceError(e);
  } finally {
    await source.close();
  }
}
