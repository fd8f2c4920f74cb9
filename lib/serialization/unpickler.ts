// A restricted unpickler (pickle protocols 2-5), in the spirit of torch.load(weights_only=True):
// GLOBAL/STACK_GLOBAL only resolve names the caller allows, REDUCE/NEWOBJ only call those, BUILD only
// touches allowed objects. Nothing in a file can run code. Sizes, MARK depth and memo are capped.
// Python values become: None -> null, bool, int -> number (bigint beyond 2^53), float -> number,
// str -> string, bytes -> Uint8Array, tuple/list -> array, dict -> Map (converted later), set -> Set.
import { TorchError } from '../errors';
import { LIMITS } from './limits';
import { asTuple, isTuple } from './py-types';

/** What a GLOBAL may resolve to: a value, or something callable by REDUCE / NEWOBJ. */
export interface PyGlobal {
  readonly qualifiedName: string;
  /** REDUCE / NEWOBJ: builds a value from the argument tuple */
  call?(args: unknown[]): unknown;
  /** NEWOBJ, where it differs from call (cls.__new__ of an object BUILD fills in) */
  newObj?(args: unknown[]): unknown;
  /** the value itself when the global is used as a value (dtypes, storage types) */
  value?: unknown;
}

export interface UnpicklerHooks {
  /** resolves module.name, or returns undefined when it is not allowed */
  findGlobal(module: string, name: string): PyGlobal | undefined;
  /** BINPERSID: the persistent id tuple -> a value (storages) */
  persistentLoad(pid: unknown): unknown;
  /** BUILD on an allowed object; return false to refuse */
  build?(target: unknown, state: unknown): boolean;
}


const MARK = Symbol('mark');

export function unpicklingError(message: string): TorchError {
  return new TorchError(`Weights only load failed: ${message}`);
}

/** The pickle ended early: the legacy reader then reads more of the file and tries again. */
export class PickleTruncated extends TorchError {}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

/** Python's decode_long: little-endian two's complement. */
function decodeLong(bytes: Uint8Array): number | bigint {
  if (bytes.length === 0) return 0;
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
  if (bytes[bytes.length - 1] & 0x80) v -= 1n << BigInt(bytes.length * 8);
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/**
 * Unpickles one pickle starting at `start` of `data`; returns the value and the offset after STOP
 * (legacy files hold several pickles back to back).
 */
export function unpickle(data: Uint8Array, hooks: UnpicklerHooks, start = 0): { value: unknown; end: number } {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let pos = start;
  let stack: unknown[] = [];
  const metastack: unknown[][] = [];
  const memo = new Map<number, unknown>();

  const need = (n: number): number => {
    if (!Number.isSafeInteger(n) || n < 0 || pos + n > data.length) {
      throw new PickleTruncated(`Weights only load failed: pickle data was truncated (needs ${n} bytes at offset ${pos}, has ${data.length - pos})`);
    }
    const at = pos;
    pos += n;
    return at;
  };
  const u8 = (): number => data[need(1)];
  const u16 = (): number => view.getUint16(need(2), true);
  const u32 = (): number => view.getUint32(need(4), true);
  const u64 = (): number => {
    const at = need(8);
    const v = view.getBigUint64(at, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw unpicklingError(`length ${v} is too large`);
    return Number(v);
  };
  const bytes = (n: number): Uint8Array => {
    const at = need(n);
    return data.subarray(at, at + n);
  };
  const line = (): string => {
    const end = data.indexOf(0x0a, pos);
    if (end < 0) throw new PickleTruncated('Weights only load failed: pickle data was truncated (no end of line)');
    const s = latin1.decode(data.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  const push = (v: unknown): void => {
    stack.push(v);
  };
  const pop = (): unknown => {
    if (stack.length === 0) throw unpicklingError('unpickling stack underflow');
    return stack.pop();
  };
  const top = (): unknown => {
    if (stack.length === 0) throw unpicklingError('unpickling stack underflow');
    return stack[stack.length - 1];
  };
  const popMark = (): unknown[] => {
    const items = stack;
    const outer = metastack.pop();
    if (!outer) throw unpicklingError('could not find MARK');
    stack = outer;
    return items;
  };
  const putMemo = (i: number): void => {
    if (memo.size >= LIMITS.maxMemoEntries && !memo.has(i)) throw unpicklingError(`memo exceeds ${LIMITS.maxMemoEntries} entries`);
    memo.set(i, top());
  };
  const getMemo = (i: number): void => {
    if (!memo.has(i)) throw unpicklingError(`memo key ${i} not found`);
    push(memo.get(i));
  };
  const str = (b: Uint8Array): string => {
    try {
      return utf8.decode(b);
    } catch {
      throw unpicklingError('string is not valid UTF-8');
    }
  };
  const global = (module: string, name: string): void => {
    const g = hooks.findGlobal(module, name);
    if (!g) throw unpicklingError(`unsupported global ${module}.${name}: only tensors (sparse COO too), storages, dtypes, OrderedDict, torch.Size, argparse.Namespace, numpy arrays and scalars and TorchScript custom-class objects (torch.ScriptObject) may be loaded, and whole modules of torch-node's classes or of classes passed in torch.load's { classes } option (nothing in a file can run code)`);
    push(g);
  };
  const callable = (f: unknown, what: string): PyGlobal => {
    const g = f as PyGlobal;
    if (!g || typeof g !== 'object' || typeof g.call !== 'function') {
      throw unpicklingError(`${what} of something that is not an allowed callable (${describe(f)})`);
    }
    return g;
  };
  const setItems = (target: unknown, items: unknown[]): void => {
    if (!(target instanceof Map)) throw unpicklingError(`can only set items of dicts, but got ${describe(target)}`);
    if (items.length % 2) throw unpicklingError('odd number of items for SETITEMS');
    for (let i = 0; i < items.length; i += 2) target.set(hashKey(items[i]), items[i + 1]);
  };
  const extend = (target: unknown, items: unknown[]): void => {
    if (target instanceof Set) {
      for (const v of items) target.add(v);
      return;
    }
    if (!Array.isArray(target) || isTuple(target)) throw unpicklingError(`can only append to lists, but got ${describe(target)}`);
    for (const v of items) target.push(v);
  };

  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        if (u8() > 5) throw unpicklingError('unsupported pickle protocol');
        break;
      case 0x95: // FRAME (protocol 4): a length hint only
        u64();
        break;
      case 0x2e: // STOP
        return { value: pop(), end: pos };
      case 0x28: // MARK
        if (metastack.length >= LIMITS.maxMarkDepth) throw unpicklingError(`nesting deeper than ${LIMITS.maxMarkDepth}`);
        metastack.push(stack);
        stack = [];
        break;
      case 0x30: // POP
        if (stack.length) stack.pop();
        else popMark();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        push(top());
        break;
      // ---- constants ----
      case 0x4e: // NONE
        push(null);
        break;
      case 0x88: // NEWTRUE
        push(true);
        break;
      case 0x89: // NEWFALSE
        push(false);
        break;
      case 0x4a: // BININT
        push(view.getInt32(need(4), true));
        break;
      case 0x4b: // BININT1
        push(u8());
        break;
      case 0x4d: // BININT2
        push(u16());
        break;
      case 0x8a: // LONG1
        push(decodeLong(bytes(u8())));
        break;
      case 0x8b: {
        // LONG4
        const n = view.getInt32(need(4), true);
        if (n < 0 || n > 1 << 16) throw unpicklingError(`LONG4 of ${n} bytes`);
        push(decodeLong(bytes(n)));
        break;
      }
      case 0x47: // BINFLOAT (big-endian double)
        push(view.getFloat64(need(8), false));
        break;
      // ---- strings and bytes ----
      case 0x58: // BINUNICODE
        push(str(bytes(u32())));
        break;
      case 0x8c: // SHORT_BINUNICODE
        push(str(bytes(u8())));
        break;
      case 0x8d: // BINUNICODE8
        push(str(bytes(u64())));
        break;
      case 0x55: // SHORT_BINSTRING (Python 2 str)
        push(latin1.decode(bytes(u8())));
        break;
      case 0x54: {
        // BINSTRING
        const n = view.getInt32(need(4), true);
        if (n < 0) throw unpicklingError('negative BINSTRING length');
        push(latin1.decode(bytes(n)));
        break;
      }
      case 0x43: // SHORT_BINBYTES
        push(new Uint8Array(bytes(u8())));
        break;
      case 0x42: // BINBYTES
        push(new Uint8Array(bytes(u32())));
        break;
      case 0x8e: // BINBYTES8
        push(new Uint8Array(bytes(u64())));
        break;
      // ---- containers ----
      case 0x29: // EMPTY_TUPLE
        push(asTuple([]));
        break;
      case 0x85: // TUPLE1
        push(asTuple([pop()]));
        break;
      case 0x86: {
        // TUPLE2
        const b = pop();
        push(asTuple([pop(), b]));
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop();
        const b = pop();
        push(asTuple([pop(), b, c]));
        break;
      }
      case 0x74: // TUPLE
        push(asTuple(popMark()));
        break;
      case 0x5d: // EMPTY_LIST
        push([]);
        break;
      case 0x6c: // LIST
        push(popMark());
        break;
      case 0x7d: // EMPTY_DICT
        push(new Map());
        break;
      case 0x64: {
        // DICT
        const m = new Map();
        setItems(m, popMark());
        push(m);
        break;
      }
      case 0x8f: // EMPTY_SET
        push(new Set());
        break;
      case 0x91: // FROZENSET
        push(new Set(popMark()));
        break;
      case 0x90: {
        // ADDITEMS
        const items = popMark();
        extend(top(), items);
        break;
      }
      case 0x61: {
        // APPEND
        const v = pop();
        extend(top(), [v]);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        extend(top(), items);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = pop();
        const k = pop();
        setItems(top(), [k, v]);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        setItems(top(), items);
        break;
      }
      // ---- memo ----
      case 0x71: // BINPUT
        putMemo(u8());
        break;
      case 0x72: // LONG_BINPUT
        putMemo(u32());
        break;
      case 0x94: // MEMOIZE
        putMemo(memo.size);
        break;
      case 0x68: // BINGET
        getMemo(u8());
        break;
      case 0x6a: // LONG_BINGET
        getMemo(u32());
        break;
      // ---- the risky ones: restricted ----
      case 0x63: {
        // GLOBAL
        const module = line();
        global(module, line());
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') throw unpicklingError('STACK_GLOBAL requires str');
        global(module, name);
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop();
        const f = callable(pop(), 'REDUCE');
        if (!Array.isArray(args)) throw unpicklingError(`REDUCE arguments must be a tuple, got ${describe(args)}`);
        push(f.call!(args));
        break;
      }
      case 0x81: {
        // NEWOBJ
        const args = pop();
        const cls = callable(pop(), 'NEWOBJ');
        if (!Array.isArray(args)) throw unpicklingError('NEWOBJ arguments must be a tuple');
        push(cls.newObj ? cls.newObj(args) : cls.call!(args));
        break;
      }
      case 0x62: {
        // BUILD
        const state = pop();
        if (!hooks.build || !hooks.build(top(), state)) throw unpicklingError(`BUILD is only allowed on tensors, OrderedDicts and torch.ScriptObjects, got ${describe(top())}`);
        break;
      }
      case 0x51: // BINPERSID
        push(hooks.persistentLoad(pop()));
        break;
      default:
        throw unpicklingError(`unsupported pickle opcode 0x${op.toString(16).padStart(2, '0')} at offset ${pos - 1}`);
    }
  }
}

/** Dict keys: tuples and numbers compare by value in Python; strings and numbers suffice here. */
function hashKey(k: unknown): unknown {
  if (k instanceof Map || k instanceof Set || (Array.isArray(k) && !isTuple(k))) throw unpicklingError('unhashable dict key');
  return k;
}

export function describe(v: unknown): string {
  if (v === null) return 'None';
  if (Array.isArray(v)) return isTuple(v) ? 'tuple' : 'list';
  if (v instanceof Map) return 'dict';
  if (typeof v === 'object' && 'qualifiedName' in (v as object)) return (v as PyGlobal).qualifiedName;
  return typeof v;
}
