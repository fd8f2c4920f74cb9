// safetensors: an 8-byte little-endian header length, a JSON header {name: {dtype, shape,
// data_offsets}, __metadata__?}, then the tensors' bytes. Checked as the format requires: header
// cap, offsets contiguous, non-overlapping and covering the data exactly, sizes matching shapes.
import { TorchError } from '../errors';
import { native } from '../native';
import { Tensor } from '../tensor/tensor';
import { DType, toDType, DTypeName } from '../tensor/dtype';
import { aten } from '../tensor/aten';
import { LIMITS } from './limits';
import { Plan, ReadRequest, ByteSource, FileSource, BufferSource, runPlanSync, runPlanAsync } from './io';
import { writeAtomic, writeAtomicSync } from './atomic-write';
import { TensorBuilder, MapLocation } from './materialize';
import { StorageRef } from './refs';
import { checkKeywords, keysOf } from '../keywords';

const CODES: [string, DTypeName][] = [
  ['BOOL', 'bool'],
  ['U8', 'uint8'],
  ['I8', 'int8'],
  ['I16', 'int16'],
  ['I32', 'int32'],
  ['I64', 'int64'],
  ['F16', 'float16'],
  ['BF16', 'bfloat16'],
  ['F32', 'float32'],
  ['F64', 'float64'],
  ['C64', 'complex64'],
];
const DTYPE_OF = new Map(CODES);
const CODE_OF = new Map(CODES.map(([c, d]) => [d, c]));

export type TensorDict = Record<string, Tensor>;
export interface SafetensorsLoadOptions {
  /** where the tensors go (default 'cpu') */
  device?: MapLocation;
}

const LOAD_KEYS = keysOf<SafetensorsLoadOptions>()('device');

function stError(message: string): TorchError {
  return new TorchError(`invalid safetensors data: ${message}`);
}

interface Entry {
  name: string;
  dtype: DType;
  shape: number[];
  begin: number;
  end: number;
}

function parseHeader(bytes: Uint8Array, dataLength: number): { entries: Entry[]; metadata: Record<string, string> | null } {
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw stError(`header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (bytes[0] !== 0x7b || header === null || typeof header !== 'object' || Array.isArray(header)) throw stError('header is not a JSON object');
  let metadata: Record<string, string> | null = null;
  const entries: Entry[] = [];
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (info === null || typeof info !== 'object' || Array.isArray(info) || !Object.values(info).every((v) => typeof v === 'string')) {
        throw stError('__metadata__ must map strings to strings');
      }
      metadata = Object.assign(Object.create(null), info);
      continue;
    }
    const { dtype, shape, data_offsets: offsets } = (info ?? {}) as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const dt = typeof dtype === 'string' ? DTYPE_OF.get(dtype) : undefined;
    if (!dt) throw stError(`tensor ${name}: dtype ${JSON.stringify(dtype)} is not supported (${CODES.map((c) => c[0]).join(', ')})`);
    if (!Array.isArray(shape) || shape.length > LIMITS.maxDims || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw stError(`tensor ${name}: shape must be a list of non-negative integers`);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) || offsets[1] < offsets[0]) {
      throw stError(`tensor ${name}: data_offsets must be [begin, end] with 0 <= begin <= end`);
    }
    const d = toDType(dt);
    const numel = (shape as number[]).reduce((a, b) => a * b, 1);
    if (numel * d.itemsize !== offsets[1] - offsets[0]) {
      throw stError(`tensor ${name}: shape [${shape}] of ${dtype} needs ${numel * d.itemsize} bytes but data_offsets span ${offsets[1] - offsets[0]}`);
    }
    entries.push({ name, dtype: d, shape: shape as number[], begin: offsets[0], end: offsets[1] });
  }
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (const e of sorted) {
    if (e.begin !== at) throw stError(`tensor ${e.name}: data_offsets [${e.begin}, ${e.end}] ${e.begin < at ? 'overlap another tensor' : 'leave a gap'} (expected to begin at ${at})`);
    at = e.end;
  }
  if (at !== dataLength) throw stError(`tensors cover ${at} bytes but the data holds ${dataLength}`);
  return { entries, metadata };
}

function* loadPlan(size: number, options: SafetensorsLoadOptions): Plan<TensorDict> {
  if (size < 8) throw stError(`${size} bytes is too short for the header length`);
  const lengthBytes = (yield { offset: 0, length: 8 }) as Uint8Array;
  const n = new DataView(lengthBytes.buffer, lengthBytes.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(LIMITS.maxSafetensorsHeaderBytes)) throw stError(`header length ${n} exceeds the cap of ${LIMITS.maxSafetensorsHeaderBytes}`);
  if (Number(n) + 8 > size) throw stError(`header length ${n} runs past the end of the data (${size} bytes)`);
  const start = 8 + Number(n);
  const { entries } = parseHeader((yield { offset: 8, length: Number(n) }) as Uint8Array, size - start);
  const reads: ReadRequest[] = entries.map((e) => ({ offset: start + e.begin, length: e.end - e.begin, fresh: true }));
  const raw = reads.length ? ((yield reads) as Uint8Array[]) : [];
  const refs = entries.map((e) => new StorageRef(e.name, e.dtype, (e.end - e.begin) / e.dtype.itemsize, 'cpu'));
  const bytes = new Map(refs.map((r, i) => [r, raw[i]]));
  const builder = new TensorBuilder((r) => bytes.get(r)!, options.device);
  const out: TensorDict = Object.create(null);
  entries.forEach((e, i) => {
    const base = builder.base(refs[i], e.dtype);
    out[e.name] = base.reshape(e.shape);
  });
  return out;
}

/** The metadata of safetensors bytes (null when there is none). */
export function metadata(data: Uint8Array): Record<string, string> | null {
  if (data.length < 8) throw stError('too short');
  const n = Number(new DataView(data.buffer, data.byteOffset, 8).getBigUint64(0, true));
  if (n > LIMITS.maxSafetensorsHeaderBytes || n + 8 > data.length) throw stError('bad header length');
  return parseHeader(data.subarray(8, 8 + n), data.length - 8 - n).metadata;
}

const contiguous = aten('contiguous', '');
const resolveConj = aten('resolve_conj', '');
const resolveNeg = aten('resolve_neg', '');

/** A tensor's elements as bytes, without a copy when it is a plain contiguous CPU tensor. */
function tensorBytes(t: Tensor): Uint8Array {
  let [, , offset, lazy] = native.storageInfo(t._h);
  if (lazy || !t.isContiguous()) {
    t = contiguous([resolveNeg([resolveConj([t])])]) as Tensor;
    [, , offset, lazy] = native.storageInfo(t._h);
  }
  const all = native.storageBytes(t._h);
  const start = offset * t.dtype.itemsize;
  return all.subarray(start, start + t.numel() * t.dtype.itemsize);
}

function serializeChunks(tensors: TensorDict | Map<string, Tensor>, meta?: Record<string, string> | null): Uint8Array[] {
  const items = tensors instanceof Map ? [...tensors] : Object.entries(tensors);
  const header: Record<string, unknown> = {};
  if (meta) {
    for (const [k, v] of Object.entries(meta)) if (typeof v !== 'string') throw new TorchError(`safetensors metadata values must be strings (${k})`);
    header.__metadata__ = meta;
  }
  const chunks: Uint8Array[] = [];
  let at = 0;
  for (const [name, t] of items) {
    if (!(t instanceof Tensor)) throw new TorchError(`safetensors can only save tensors, but ${name} is ${typeof t}`);
    if (name === '__metadata__') throw new TorchError('__metadata__ is reserved in safetensors');
    const code = CODE_OF.get(t.dtype.name);
    if (!code) throw new TorchError(`safetensors cannot store dtype ${t.dtype}`);
    const b = tensorBytes(t);
    header[name] = { dtype: code, shape: t.shape, data_offsets: [at, at + b.length] };
    chunks.push(b);
    at += b.length;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8); // data starts 8-byte aligned
  const head = Buffer.alloc(8 + Buffer.byteLength(json));
  head.writeBigUInt64LE(BigInt(head.length - 8), 0);
  head.write(json, 8, 'utf8');
  return [head, ...chunks];
}

/** safetensors.torch.save: the bytes of a file holding these tensors. */
export function save(tensors: TensorDict | Map<string, Tensor>, meta?: Record<string, string> | null): Buffer {
  return Buffer.concat(serializeChunks(tensors, meta));
}

/** safetensors.torch.load: tensors from bytes (copied: they never alias the input). */
export function load(data: Uint8Array, options: SafetensorsLoadOptions = {}): TensorDict {
  checkKeywords('load', options, LOAD_KEYS);
  return runPlanSync(loadPlan(data.length, options), new BufferSource(data));
}

export async function saveFile(tensors: TensorDict | Map<string, Tensor>, file: string, meta?: Record<string, string> | null): Promise<void> {
  await writeAtomic(file, serializeChunks(tensors, meta));
}

export function saveFileSync(tensors: TensorDict | Map<string, Tensor>, file: string, meta?: Record<string, string> | null): void {
  writeAtomicSync(file, serializeChunks(tensors, meta));
}

export async function loadFile(file: string, options: SafetensorsLoadOptions = {}): Promise<TensorDict> {
  checkKeywords('loadFile', options, LOAD_KEYS);
  const source: ByteSource = await FileSource.open(file);
  try {
    return await runPlanAsync(loadPlan(source.size, options), source);
  } finally {
    await source.close();
  }
}

export function loadFileSync(file: string, options: SafetensorsLoadOptions = {}): TensorDict {
  checkKeywords('loadFileSync', options, LOAD_KEYS);
  const source = FileSource.openSync(file);
  try {
    return runPlanSync(loadPlan(source.size, options), source);
  } finally {
    void source.close();
  }
}
