// A pickler (protocol 2, as torch.save writes) for plain data: null, booleans, numbers (integers as
// int, others as float, and floats where py-types marks them), bigint, strings, arrays (lists, or
// tuples where py-types marks them), Maps and plain objects (dicts), Sets, dtypes, qschemes, TorchScript custom-class
// objects (torch.ScriptObject).
// Objects are memoized, so shared and cyclic references survive. Tensors go through a hook.
import { TorchError } from '../errors';
import { DType } from '../tensor/dtype';
import { QScheme } from '../ao/quantization/qscheme';
import { isFloatKey, isTuple, orderedDictAttributes } from './py-types';
import { ScriptObject, scriptObjectBuildState } from './script-object';

const MAX_DEPTH = 1000;
const BATCH = 1000; // items per APPENDS/SETITEMS, like CPython

export class Pickler {
  private buf = new Uint8Array(1 << 12);
  private view = new DataView(this.buf.buffer);
  private len = 0;
  private readonly memo = new Map<unknown, number>();
  private depth = 0;

  /** custom(v) writes v and returns true, or returns false to let the pickler handle it */
  constructor(private readonly custom: (v: unknown, p: Pickler) => boolean) {
    this.byte(0x80);
    this.byte(2); // PROTO 2
  }

  finish(): Uint8Array {
    this.byte(0x2e); // STOP
    return this.buf.subarray(0, this.len);
  }

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  byte(b: number): void {
    this.reserve(1);
    this.buf[this.len++] = b;
  }
  private bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }
  private u32(v: number): void {
    this.reserve(4);
    this.view.setUint32(this.len, v, true);
    this.len += 4;
  }

  mark(): void {
    this.byte(0x28);
  }
  tuple(): void {
    this.byte(0x74);
  }
  reduce(): void {
    this.byte(0x52);
  }
  binpersid(): void {
    this.byte(0x51);
  }
  /** A tuple of plain values (tensor sizes and strides), not memoized. */
  writeTuple(items: unknown[]): void {
    if (items.length === 0) return this.byte(0x29); // EMPTY_TUPLE
    this.mark();
    for (const item of items) this.write(item);
    this.tuple();
  }

  /** Writes a memo reference when obj was written before; otherwise returns false. */
  private recall(obj: unknown): boolean {
    const i = this.memo.get(obj);
    if (i === undefined) return false;
    if (i < 256) {
      this.byte(0x68); // BINGET
      this.byte(i);
    } else {
      this.byte(0x6a); // LONG_BINGET
      this.u32(i);
    }
    return true;
  }
  /** Remembers the object on top of the pickle stack. */
  memoize(obj: unknown): void {
    const i = this.memo.size;
    this.memo.set(obj, i);
    if (i < 256) {
      this.byte(0x71); // BINPUT
      this.byte(i);
    } else {
      this.byte(0x72); // LONG_BINPUT
      this.u32(i);
    }
  }

  global(module: string, name: string): void {
    const id = `global:${module}.${name}`;
    if (this.recall(id)) return;
    this.byte(0x63); // GLOBAL
    this.bytes(Buffer.from(`${module}\n${name}\n`, 'latin1'));
    this.memoize(id);
  }

  /** Writes a value and memoizes it when it is an object seen once already. */
  write(v: unknown): void {
    if (v === null || v === undefined) return this.byte(0x4e); // NONE
    if (typeof v === 'boolean') return this.byte(v ? 0x88 : 0x89);
    if (typeof v === 'number') return Number.isInteger(v) && !Object.is(v, -0) && Math.abs(v) < 2 ** 63 ? this.int(BigInt(v)) : this.float(v);
    if (typeof v === 'bigint') return this.int(v);
    if (typeof v === 'string') return this.string(v);
    if (v instanceof DType) return this.global('torch', v.name);
    if (v instanceof QScheme) return this.global('torch', v.name); // torch.per_tensor_affine, ...
    if (this.recall(v)) return;
    if (++this.depth > MAX_DEPTH) throw new TorchError(`cannot save: data nested deeper than ${MAX_DEPTH} levels (or cyclic through tensors)`);
    try {
      if (this.custom(v, this)) return;
      if (v instanceof ScriptObject) return this.scriptObject(v);
      if (isTuple(v)) return this.tupleOf(v as unknown[]);
      if (Array.isArray(v)) return this.list(v);
      if (v instanceof Map) return this.dict(v.entries(), v);
      if (v instanceof Set) return this.set(v);
      if (typeof v === 'object' && isPlainObject(v)) return this.dict(Object.entries(v as object), v);
      if (typeof (v as { stateDict?: unknown }).stateDict === 'function') {
        // Python's torch.save(model) pickles the class by reference, which no JS class can give Python
        const name = (v as object).constructor?.name ?? 'Module';
        throw new TorchError(`cannot save a whole module (${name}): save model.stateDict() and load it into a new ${name} with loadStateDict`);
      }
      const what = typeof v === 'object' ? (v as object).constructor?.name ?? 'object' : typeof v;
      throw new TorchError(`cannot save a value of type ${what}: torch.save takes tensors, numbers, strings, booleans, null, arrays, Maps and plain objects`);
    } finally {
      this.depth--;
    }
  }

  private int(v: bigint): void {
    if (v >= 0n && v < 256n) {
      this.byte(0x4b); // BININT1
      this.byte(Number(v));
    } else if (v >= 0n && v < 65536n) {
      this.byte(0x4d); // BININT2
      this.reserve(2);
      this.view.setUint16(this.len, Number(v), true);
      this.len += 2;
    } else if (v >= -(2n ** 31n) && v < 2n ** 31n) {
      this.byte(0x4a); // BININT
      this.reserve(4);
      this.view.setInt32(this.len, Number(v), true);
      this.len += 4;
    } else {
      // LONG1: little-endian two's complement, as short as possible
      const out: number[] = [];
      let x = v;
      for (;;) {
        out.push(Number(x & 0xffn));
        x >>= 8n;
        const sign = out[out.length - 1] & 0x80;
        if ((x === 0n && !sign) || (x === -1n && sign)) break;
      }
      this.byte(0x8a);
      this.byte(out.length);
      this.bytes(Uint8Array.from(out));
    }
  }

  /** A Python float, even when integral (a qtensor's scale). */
  float(v: number): void {
    this.byte(0x47); // BINFLOAT, big-endian
    this.reserve(8);
    this.view.setFloat64(this.len, v, false);
    this.len += 8;
  }

  private string(s: string): void {
    const b = Buffer.from(s, 'utf8');
    this.byte(0x58); // BINUNICODE
    this.u32(b.length);
    this.bytes(b);
  }

  private list(items: unknown[]): void {
    this.byte(0x5d); // EMPTY_LIST
    this.memoize(items);
    for (let i = 0; i < items.length; i += BATCH) {
      this.mark();
      for (const item of items.slice(i, i + BATCH)) this.write(item);
      this.byte(0x65); // APPENDS
    }
  }

  /** A tuple, memoized after its items as Python does (a tuple cannot contain itself). */
  private tupleOf(items: unknown[]): void {
    this.writeTuple(items);
    this.memoize(items);
  }

  /** As protocol 2 pickles a set: builtins.set([items]) (a module's _non_persistent_buffers_set). */
  private set(items: Set<unknown>): void {
    this.global('builtins', 'set');
    this.list([...items]);
    this.byte(0x85); // TUPLE1
    this.reduce();
    this.memoize(items);
  }

  /** As Python pickles one: torch.ScriptObject.__new__, then BUILD with (state, qualified name). */
  private scriptObject(v: ScriptObject): void {
    this.global('torch', 'ScriptObject');
    this.byte(0x29); // EMPTY_TUPLE
    this.byte(0x81); // NEWOBJ
    this.memoize(v);
    this.write(scriptObjectBuildState(v));
    this.byte(0x62); // BUILD
  }

  private dict(entries: Iterable<[unknown, unknown]>, obj: object): void {
    const attributes = orderedDictAttributes(obj);
    if (attributes) {
      // OrderedDict(), its items, then BUILD with its __dict__ (as Python's OrderedDict.__reduce__)
      this.global('collections', 'OrderedDict');
      this.writeTuple([]);
      this.reduce();
    } else {
      this.byte(0x7d); // EMPTY_DICT
    }
    this.memoize(obj);
    let n = 0;
    for (const [k, v] of entries) {
      if (n === 0) this.mark();
      this.write(k);
      if (typeof v === 'number' && isFloatKey(obj, k)) this.float(v);
      else this.write(v);
      if (++n === BATCH) {
        this.byte(0x75); // SETITEMS
        n = 0;
      }
    }
    if (n > 0) this.byte(0x75);
    if (attributes && Object.keys(attributes).length > 0) {
      this.write(attributes);
      this.byte(0x62); // BUILD
    }
  }
}

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === null || proto === Object.prototype;
}
