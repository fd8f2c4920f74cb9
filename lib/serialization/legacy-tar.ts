// torch.load of the tar format written by torch < 0.4, read as PyTorch's own legacy_load reads it:
//   storages  pickled count; per storage a pickled (key, location, storage type), an int64 element
//             count and the elements (always little-endian, whatever sys_info says); then a pickled
//             list of storage views (view key, root key, offset, numel) that alias their root
//   tensors   pickled count; per tensor a pickled (key, storage key, tensor type), an int32 ndim
//             (plus 4 unused bytes), ndim int64 sizes, ndim int64 strides, an int64 storage offset
//   pickle    the object, naming tensors and storages by persistent id str(key)
//   sys_info  not read (PyTorch ignores it too)
// Storages are read straight into their own buffers in one batch at the end, as the other formats do.
import { TorchError } from '../errors';
import { LIMITS } from './limits';
import { Plan, ReadRequest } from './io';
import { readTar, TarMember } from './tar-reader';
import { unpickle, unpicklingError, PickleTruncated, UnpicklerHooks } from './unpickler';
import { isTuple } from './py-types';
import { restrictedHooks, StorageType, STORAGE_TYPES } from './allowlist';
import { StorageRef, StorageViews, TensorRef, tensorRef } from './refs';
import { TensorBuilder, MapLocation, materialize } from './materialize';

const MEMBERS = ['sys_info', 'pickle', 'tensors', 'storages'];
/** bytes read ahead for record headers: a storage or tensor record takes ~100 */
const WINDOW = 4096;
/** smallest record: a 2-byte pickle and an int64 count (storages); ndim and offset too (tensors) */
const MIN_STORAGE_RECORD = 10;
const MIN_TENSOR_RECORD = 18;

function corrupt(message: string): TorchError {
  return new TorchError(`corrupt tar-format torch file: ${message}`);
}

/** Reads pickles and raw fields one after another inside one tar member, through a window of the file. */
class MemberCursor {
  pos: number;
  readonly end: number;
  private window: Uint8Array = new Uint8Array(0);
  private windowAt = 0;
  constructor(private readonly member: TarMember) {
    this.pos = member.offset;
    this.end = member.offset + member.size;
  }

  private *cover(n: number): Plan<void> {
    if (this.pos + n > this.end) throw corrupt(`member ${this.member.name} ends early (needs ${n} bytes at offset ${this.pos - this.member.offset} of ${this.member.size})`);
    if (this.pos >= this.windowAt && this.pos + n <= this.windowAt + this.window.length) return;
    const length = Math.max(n, Math.min(WINDOW, this.end - this.pos));
    this.window = (yield { offset: this.pos, length }) as Uint8Array;
    this.windowAt = this.pos;
  }

  /** `first`: bytes to try before reading more (records are small; the object pickle is its member) */
  *pickle(hooks: UnpicklerHooks, first = WINDOW): Plan<unknown> {
    let want = Math.min(first, this.end - this.pos, LIMITS.maxPickleBytes);
    for (;;) {
      yield* this.cover(want);
      const available = this.window.subarray(this.pos - this.windowAt);
      try {
        const { value, end } = unpickle(available, hooks);
        this.pos += end;
        return value;
      } catch (e) {
        if (!(e instanceof PickleTruncated)) throw e;
        if (available.length >= this.end - this.pos) throw corrupt(`member ${this.member.name} ends inside a pickle`);
        if (available.length >= LIMITS.maxPickleBytes) throw unpicklingError(`a pickle in member ${this.member.name} exceeds the cap of ${LIMITS.maxPickleBytes} bytes`);
        want = Math.min(this.end - this.pos, available.length * 8, LIMITS.maxPickleBytes);
      }
    }
  }

  /** n little-endian int64s (PyTorch writes these little-endian on every machine) */
  *int64s(n: number, what: string): Plan<number[]> {
    yield* this.cover(8 * n);
    const view = new DataView(this.window.buffer, this.window.byteOffset + this.pos - this.windowAt, 8 * n);
    this.pos += 8 * n;
    return Array.from({ length: n }, (_, i) => {
      const v = view.getBigInt64(8 * i, true);
      if (v < BigInt(Number.MIN_SAFE_INTEGER) || v > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt(`${what} ${v} is out of range`);
      return Number(v);
    });
  }

  *int32(): Plan<number> {
    yield* this.cover(4);
    const v = new DataView(this.window.buffer, this.window.byteOffset + this.pos - this.windowAt, 4).getInt32(0, true);
    this.pos += 4;
    return v;
  }

  skip(n: number, what: string): number {
    if (n > this.end - this.pos) throw corrupt(`${what} needs ${n} bytes but member ${this.member.name} has ${this.end - this.pos} left`);
    const at = this.pos;
    this.pos += n;
    return at;
  }
}

/** A key in the storages/tensors members: Python's int (object address); pickled ids are str(key). */
function objectKey(v: unknown, what: string): string {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  if (typeof v === 'bigint') return v.toString();
  throw corrupt(`${what} ${String(v)} is not an integer key`);
}

function count(v: unknown, what: string, member: TarMember, minRecord: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw corrupt(`${what} count ${String(v)} is not a count`);
  const most = Math.floor(member.size / minRecord);
  if (v > most) throw corrupt(`member ${member.name} declares ${v} ${what}s but its ${member.size} bytes hold at most ${most}`);
  return v;
}

function record(v: unknown, length: number, what: string): unknown[] {
  if (!Array.isArray(v) || v.length !== length) throw corrupt(`${what} record is not a ${length}-tuple`);
  return v;
}

// the tensor type each tensor record names (torch.FloatTensor, ...): read, then ignored, as PyTorch does
const TENSOR_TYPE_NAMES = new Set(['torch.Tensor', 'torch._tensor.Tensor']);
for (const [storage] of STORAGE_TYPES) {
  for (const module of ['torch', 'torch.cuda']) TENSOR_TYPE_NAMES.add(`${module}.${storage.replace('Storage', 'Tensor')}`);
}
const noPersistentIds = (): never => {
  throw unpicklingError('unexpected persistent id in a tar member record');
};
const storageRecordHooks: UnpicklerHooks = { ...restrictedHooks(noPersistentIds), persistentLoad: noPersistentIds };
const tensorRecordHooks: UnpicklerHooks = {
  findGlobal: (module, name) => (TENSOR_TYPE_NAMES.has(`${module}.${name}`) ? { qualifiedName: `${module}.${name}`, value: null } : undefined),
  persistentLoad: noPersistentIds,
};

interface Storages {
  objects: Map<string, StorageRef | TensorRef>;
  requests: Map<StorageRef, ReadRequest>;
  /** storage views aliasing their roots */
  views: StorageViews;
}

function* readStorages(member: TarMember): Plan<Storages> {
  const cursor = new MemberCursor(member);
  const objects = new Map<string, StorageRef | TensorRef>();
  const requests = new Map<StorageRef, ReadRequest>();
  const n = count(yield* cursor.pickle(storageRecordHooks), 'storage', member, MIN_STORAGE_RECORD);
  for (let i = 0; i < n; i++) {
    const [rawKey, location, type] = record(yield* cursor.pickle(storageRecordHooks), 3, 'storage');
    const key = objectKey(rawKey, 'storage key');
    if (!(type instanceof StorageType)) throw corrupt(`storage ${key} names no storage type`);
    if (typeof location !== 'string') throw corrupt(`storage ${key} has no location string`);
    if (objects.has(key)) throw corrupt(`storage key ${key} appears twice`);
    const [numel] = yield* cursor.int64s(1, `element count of storage ${key}`);
    if (numel < 0) throw corrupt(`storage ${key} has a negative element count ${numel}`);
    const ref = new StorageRef(key, type.dtype, numel, location);
    const offset = cursor.skip(ref.nbytes, `storage ${key} (${numel} x ${type.dtype.name})`);
    objects.set(key, ref);
    requests.set(ref, { offset, length: ref.nbytes, fresh: true });
  }
  const views = new StorageViews();
  const list = yield* cursor.pickle(storageRecordHooks);
  if (!Array.isArray(list)) throw corrupt('the storage view list is not a list');
  for (const item of list) {
    const [rawKey, rawRoot, offset, numel] = record(item, 4, 'storage view');
    const key = objectKey(rawKey, 'storage view key');
    const root = objects.get(objectKey(rawRoot, 'storage view root'));
    if (!(root instanceof StorageRef)) throw corrupt(`storage view ${key} names no saved storage as its root`);
    if (objects.has(key)) throw corrupt(`storage view key ${key} is already used`);
    objects.set(key, views.add(key, root, offset, numel, corrupt));
  }
  return { objects, requests, views };
}

function* readTensors(member: TarMember, objects: Map<string, StorageRef | TensorRef>): Plan<void> {
  const cursor = new MemberCursor(member);
  const n = count(yield* cursor.pickle(tensorRecordHooks), 'tensor', member, MIN_TENSOR_RECORD);
  for (let i = 0; i < n; i++) {
    const [rawKey, rawStorage] = record(yield* cursor.pickle(tensorRecordHooks), 3, 'tensor');
    const key = objectKey(rawKey, 'tensor key');
    if (objects.has(key)) throw corrupt(`tensor key ${key} is already used`);
    const storage = rawStorage === null ? undefined : objects.get(objectKey(rawStorage, `storage key of tensor ${key}`));
    if (!(storage instanceof StorageRef)) throw corrupt(`tensor ${key} names no saved storage (${String(rawStorage)})`);
    const ndim = yield* cursor.int32();
    cursor.skip(4, 'the high half of ndim'); // written as an int64 once; PyTorch reads 4 bytes and skips 4
    if (ndim < 0 || ndim > LIMITS.maxDims) throw corrupt(`tensor ${key} has ${ndim} dimensions (cap ${LIMITS.maxDims})`);
    const size = yield* cursor.int64s(ndim, `size of tensor ${key}`);
    const stride = yield* cursor.int64s(ndim, `stride of tensor ${key}`);
    const [offset] = yield* cursor.int64s(1, `storage offset of tensor ${key}`);
    objects.set(key, tensorRef(storage, offset, size, stride, false));
  }
}

function pickleHooks(objects: Map<string, StorageRef | TensorRef>): UnpicklerHooks {
  return {
    ...restrictedHooks(noPersistentIds),
    persistentLoad(pid) {
      if (isTuple(pid) || Array.isArray(pid)) {
        throw new TorchError('the file holds a whole nn.Module (its class is a persistent id); torch-node loads tensors and plain data only: save model.state_dict() instead');
      }
      // PyTorch looks ids up as int(saved_id)
      const key = typeof pid === 'string' && /^\s*[+-]?\d+\s*$/.test(pid) ? BigInt(pid.trim()).toString() : objectKey(pid, 'persistent id');
      const found = objects.get(key);
      if (!found) throw corrupt(`persistent id ${JSON.stringify(String(pid))} names no saved tensor or storage`);
      return found;
    },
  };
}

/** The tar format (torch < 0.4) -> the saved object, tensors over their storages' own buffers. */
export function* legacyTarPlan(size: number, mapLocation: MapLocation | undefined): Plan<unknown> {
  const members = yield* readTar(size, MEMBERS);
  for (const name of ['storages', 'tensors', 'pickle']) {
    if (!members.has(name)) throw corrupt(`the archive has no '${name}' member`);
  }
  const { objects, requests, views } = yield* readStorages(members.get('storages')!);
  yield* readTensors(members.get('tensors')!, objects);
  const pickleMember = members.get('pickle')!;
  const value = yield* new MemberCursor(pickleMember).pickle(pickleHooks(objects), pickleMember.size);

  const refs = [...requests.keys()];
  const raw = refs.length ? ((yield refs.map((r) => requests.get(r)!)) as Uint8Array[]) : [];
  const bytes = new Map<StorageRef, Uint8Array>(refs.map((r, i) => [r, raw[i]]));
  return materialize(value, new TensorBuilder(views.bytesOf(bytes), mapLocation));
}
