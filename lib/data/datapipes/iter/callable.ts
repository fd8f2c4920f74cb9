// Mapper (dp.map) and Collator (dp.collate): a function applied to each element, or to some of its columns.
import { IterDataPipe, functionalDatapipe, isSized, noValidLength } from '../datapipe';
import { ValueError } from '../../../errors';
import { parse } from '../../../keywords';
import { defaultCollate } from '../../collate';
import { checkCallable, validateInputCol } from '../common';

/** An element's column: a list index (negative from the end) or a dict key. */
export type Column = number | string;
export interface MapperOptions {
  /** the columns fn is applied to (several: fn takes them as arguments); null: the whole element */
  inputCol?: Column | Column[] | null;
  /** where the result goes: null replaces the (first) input column, -1 appends to a list */
  outputCol?: Column | Column[] | null;
}

function at(data: any, col: Column): unknown {
  if (Array.isArray(data) && typeof col === 'number') return data[col < 0 ? col + data.length : col];
  return data instanceof Map ? data.get(col) : data[col];
}
function put(data: any, col: Column, value: unknown): void {
  if (Array.isArray(data) && typeof col === 'number') data[col < 0 ? col + data.length : col] = value;
  else if (data instanceof Map) data.set(col, value);
  else data[col] = value;
}
function remove(data: any, col: Column): void {
  if (Array.isArray(data) && typeof col === 'number') data.splice(col < 0 ? col + data.length : col, 1);
  else if (data instanceof Map) data.delete(col);
  else delete data[col];
}

export class MapperIterDataPipe<T = unknown, R = unknown> extends IterDataPipe<R> {
  static readonly _params = ['datapipe', 'fn', 'input_col', 'output_col'];
  readonly datapipe: IterDataPipe<T>;
  readonly fn: (...args: any[]) => any;
  readonly inputCol: Column | Column[] | null;
  readonly outputCol: Column | null;

  constructor(datapipe: IterDataPipe<T>, fn: (x: T) => R, inputCol?: Column | Column[] | null, outputCol?: Column | Column[] | null);
  constructor(datapipe: IterDataPipe<T>, fn: (...args: any[]) => unknown, options: MapperOptions);
  constructor(datapipe: IterDataPipe<T>, fn: (...args: any[]) => any, ...rest: unknown[]) {
    super();
    const o = parse<MapperOptions>('Mapper', rest, ['inputCol', 'outputCol']);
    const inputCol = o.inputCol ?? null;
    let outputCol = o.outputCol ?? null;
    this.datapipe = datapipe;
    checkCallable(fn);
    this.fn = fn;
    this.inputCol = inputCol;
    if (inputCol === null && outputCol !== null) throw new ValueError('`output_col` must be None when `input_col` is None.');
    if (Array.isArray(outputCol)) {
      if (outputCol.length > 1) throw new ValueError('`output_col` must be a single-element list or tuple');
      outputCol = outputCol[0];
    }
    this.outputCol = outputCol as Column | null;
    validateInputCol(fn, inputCol);
  }

  /** @internal */
  _applyFn(data: any): any {
    const { inputCol, outputCol } = this;
    if (inputCol === null && outputCol === null) return this.fn(data);
    let res: unknown;
    if (inputCol === null) res = this.fn(data);
    else if (Array.isArray(inputCol)) res = this.fn(...inputCol.map((c) => at(data, c)));
    else res = this.fn(at(data, inputCol));
    if (outputCol === null) {
      if (Array.isArray(inputCol)) {
        put(data, inputCol[0], res);
        const rest = inputCol.slice(1).sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
        for (const col of rest) remove(data, col);
      } else {
        put(data, inputCol as Column, res);
      }
    } else if (outputCol === -1) {
      (data as unknown[]).push(res);
    } else {
      put(data, outputCol, res);
    }
    return data;
  }

  *[Symbol.iterator](): Iterator<R> {
    for (const data of this.datapipe) yield this._applyFn(data);
  }

  len(): number {
    if (isSized(this.datapipe)) return this.datapipe.len();
    throw noValidLength(this);
  }
}
functionalDatapipe('map')(MapperIterDataPipe);

export interface CollatorOptions {
  conversion?: ((batch: any) => unknown) | null;
  collateFn?: ((batch: any) => unknown) | null;
}

/** dp.collate(): each element (a batch) through a collate function, defaultCollate unless given. */
export class CollatorIterDataPipe<T = unknown, R = unknown> extends MapperIterDataPipe<T, R> {
  static readonly _params = ['datapipe', 'conversion', 'collate_fn'];
  constructor(datapipe: IterDataPipe<T>, conversion?: ((batch: T) => R) | null, collateFn?: ((batch: T) => R) | null);
  constructor(datapipe: IterDataPipe<T>, options: CollatorOptions);
  constructor(datapipe: IterDataPipe<T>, ...rest: unknown[]) {
    const o = parse<CollatorOptions>('Collator', rest, ['conversion', 'collateFn']);
    const conversion = o.conversion === undefined ? defaultCollate : o.conversion;
    const fn = o.collateFn ?? conversion;
    if (typeof fn !== 'function') throw new ValueError('Collator: a dict of column conversions needs DataFrames, which torch-node does not have');
    super(datapipe, fn as (x: T) => R);
  }
}
functionalDatapipe('collate')(CollatorIterDataPipe);
