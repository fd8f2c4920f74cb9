// torch.utils.data.StackDataset (PyTorch 2.1): several datasets of one length read side by side; an
// item is the tuple of their items (datasets given positionally) or a dict by name (given as one
// options object, Python's keyword arguments).
import { Dataset } from './dataset';
import { ValueError } from './errors';
import { isOptions } from '../keywords';
import { recordConstruction, registerLibraryExports } from './library-ref';

/** A dataset part: a map-style dataset or an array (Python's list). */
export type StackPart<T = unknown> = Dataset<T> | readonly T[];

const lengthOf = (d: StackPart): number => (Array.isArray(d) ? d.length : (d as Dataset).len());
const itemOf = (d: StackPart, i: number): unknown => (Array.isArray(d) ? d[i] : (d as Dataset).getItem(i));

export class StackDataset<T = unknown[] | Record<string, unknown>> extends Dataset<T> {
  /** the parts, as given: an array (tuple items) or an object by name (dict items) */
  readonly datasets: readonly StackPart[] | Readonly<Record<string, StackPart>>;
  private readonly size: number;

  /** StackDataset(...datasets) for tuple items, StackDataset({ name: dataset, ... }) for dict items */
  constructor(...args: (StackPart | Record<string, StackPart>)[]) {
    super();
    recordConstruction(this, new.target, args);
    const last = args[args.length - 1];
    const named = isOptions(last) ? (last as Record<string, StackPart>) : undefined;
    const positional = (named ? args.slice(0, -1) : args) as StackPart[];
    if (positional.length > 0 && named && Object.keys(named).length > 0) {
      throw new ValueError('Supported either ``tuple``- (via ``args``) or``dict``- (via ``kwargs``) like input/output, but both types are given.');
    }
    const parts = positional.length > 0 ? positional : Object.values(named ?? {});
    if (parts.length === 0) throw new ValueError('At least one dataset should be passed');
    this.size = lengthOf(parts[0]);
    if (parts.some((d) => lengthOf(d) !== this.size)) throw new ValueError('Size mismatch between datasets');
    this.datasets = positional.length > 0 ? positional : named!;
  }

  len(): number {
    return this.size;
  }

  /** The parts' items at `index`; a Promise when any part's getItem is async. */
  getItem(index: number): T | Promise<T> {
    const byName = !Array.isArray(this.datasets);
    const names = byName ? Object.keys(this.datasets) : [];
    const parts = byName ? Object.values(this.datasets as Record<string, StackPart>) : (this.datasets as StackPart[]);
    const items = parts.map((d) => itemOf(d, index));
    const assemble = (values: unknown[]): T => (byName ? Object.fromEntries(names.map((k, i) => [k, values[i]])) : values) as T;
    return items.some((v) => v instanceof Promise) ? Promise.all(items).then(assemble) : assemble(items);
  }
}

registerLibraryExports(__filename, module.exports);
