// torch.utils.data.datapipes.datapipe: the IterDataPipe and MapDataPipe base classes, their
// functional forms (`dp.map(fn).filter(fn).batch(4)`, registered by functionalDatapipe) and DataChunk.
import { inspect } from 'util';
import { IterableDataset, Dataset } from '../dataset';
import { PyTypeError } from '../errors';
import { hookIterators } from './hook';

type PipeClass = new (source: any, ...args: any[]) => unknown;

/** The message Python's pipes raise from len() when their source has no valid length. */
export function noValidLength(dp: object): PyTypeError {
  return new PyTypeError(`${dp.constructor.name} instance doesn't have valid length`);
}

/**
 * An iterable-style DataPipe: implement `*[Symbol.iterator]()` (and `len()` when the length is known).
 * Only the newest iterator of a pipe is valid; creating one calls `reset()` first.
 */
export abstract class IterDataPipe<T = unknown> extends IterableDataset<T> {
  /** the functional forms, by name (Python's IterDataPipe.functions) */
  static readonly functions: Record<string, (source: IterDataPipe<any>, ...args: any[]) => unknown> = Object.create(null);
  /** Python's constructor parameter names, for messages that describe a pipe */
  static readonly _params: readonly string[] = [];
  /** @internal */
  _validIteratorId: number | null = null;
  /** @internal */
  _numberOfSamplesYielded = 0;

  constructor() {
    super();
    hookIterators(new.target.prototype, IterDataPipe.prototype);
  }

  abstract [Symbol.iterator](): Iterator<T>;

  /** Back to the initial state; called whenever a new iterator is created. */
  reset(): void {}

  /** len(dp): pipes that know their length override this. */
  len(): number {
    throw new PyTypeError(`object of type '${this.constructor.name}' has no len()`);
  }

  /** Registers `cls` as the method `name` of every IterDataPipe: `dp.name(...args)` is `new cls(dp, ...args)`. */
  static registerDatapipeAsFunction(name: string, cls: PipeClass): void {
    registerFunction(IterDataPipe, name, cls);
  }

  toString(): string {
    return this.constructor.name;
  }
  [inspect.custom](): string {
    return this.toString();
  }
}

/** A map-style DataPipe: implement `getItem(index)` and `len()`. */
export abstract class MapDataPipe<T = unknown> extends Dataset<T> {
  static readonly functions: Record<string, (source: MapDataPipe<any>, ...args: any[]) => unknown> = Object.create(null);
  static readonly _params: readonly string[] = [];

  abstract getItem(index: number): T;

  len(): number {
    throw new PyTypeError(`object of type '${this.constructor.name}' has no len()`);
  }

  static registerDatapipeAsFunction(name: string, cls: PipeClass): void {
    registerFunction(MapDataPipe, name, cls);
  }

  toString(): string {
    return this.constructor.name;
  }
  [inspect.custom](): string {
    return this.toString();
  }
}

function registerFunction(base: typeof IterDataPipe | typeof MapDataPipe, name: string, cls: PipeClass): void {
  if (name in base.functions) throw new Error(`Unable to add DataPipe function name ${name} as it is already taken`);
  const fn = (source: any, ...args: unknown[]): unknown => new cls(source, ...args);
  base.functions[name] = fn;
  Object.defineProperty(base.prototype, name, {
    configurable: true,
    writable: true,
    value: function (this: unknown, ...args: unknown[]) {
      return fn(this, ...args);
    },
  });
}

/** Python's @functional_datapipe(name): `functionalDatapipe('map')(MapperIterDataPipe)`. */
export function functionalDatapipe(name: string) {
  return <C extends PipeClass>(cls: C): C => {
    if (cls.prototype instanceof IterDataPipe) IterDataPipe.registerDatapipeAsFunction(name, cls);
    else if (cls.prototype instanceof MapDataPipe) MapDataPipe.registerDatapipeAsFunction(name, cls);
    else throw new PyTypeError('`functional_datapipe` can only decorate IterDataPipe');
    return cls;
  };
}

/** A batch: a list (Python's DataChunk subclasses list) that Batcher and Grouper yield. */
export class DataChunk<T = unknown> extends Array<T> {
  static get [Symbol.species](): ArrayConstructor {
    return Array;
  }
  constructor(items: Iterable<T> = []) {
    super();
    for (const x of items) this.push(x);
    Object.defineProperty(this, 'items', { value: this, enumerable: false });
  }
  declare readonly items: T[];
  /** `[1, 2, 3]`, each item by its String() */
  asStr(indent = ''): string {
    return `${indent}[${this.map((x) => String(x)).join(', ')}]`;
  }
  rawIterator(): IterableIterator<T> {
    return this.values();
  }
}

const ITER_BRAND = Symbol.for('torch-node.data.IterDataPipe');
const MAP_BRAND = Symbol.for('torch-node.data.MapDataPipe');
Object.defineProperty(IterDataPipe.prototype, ITER_BRAND, { value: true });
Object.defineProperty(MapDataPipe.prototype, MAP_BRAND, { value: true });

/** isinstance(x, IterDataPipe), also for pipes of another loaded copy of the library (a worker's dataset module). */
export function isIterDataPipe(x: unknown): x is IterDataPipe<any> {
  return x instanceof IterDataPipe || (typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[ITER_BRAND] === true);
}
/** isinstance(x, MapDataPipe), across library copies too. */
export function isMapDataPipe(x: unknown): x is MapDataPipe<any> {
  return x instanceof MapDataPipe || (typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[MAP_BRAND] === true);
}

/** True for Python's Sized: a list, or an object whose class defines len(). */
export function isSized(x: unknown): boolean {
  if (Array.isArray(x) || typeof x === 'string') return true;
  if (x === null || typeof x !== 'object') return false;
  const len = (x as { len?: unknown }).len;
  if (typeof len !== 'function') return false;
  // the base classes' len() only raises: a pipe is Sized when its class defines its own
  const base = isIterDataPipe(x) ? ITER_BRAND : isMapDataPipe(x) ? MAP_BRAND : null;
  if (base === null) return true;
  for (let p = Object.getPrototypeOf(x); p; p = Object.getPrototypeOf(p)) {
    if (Object.prototype.hasOwnProperty.call(p, base)) return false;
    if (Object.prototype.hasOwnProperty.call(p, 'len')) return true;
  }
  return false;
}

/** len(x) for a list or a pipe. */
export function pyLen(x: unknown): number {
  if (Array.isArray(x) || typeof x === 'string') return x.length;
  const len = (x as { len?: () => number } | null)?.len;
  if (typeof len === 'function') return len.call(x);
  throw new PyTypeError(`object of type '${(x as object)?.constructor?.name ?? typeof x}' has no len()`);
}
