// Filter (dp.filter): the elements for which a predicate (of the element or some of its columns) is true.
import { IterDataPipe, functionalDatapipe } from '../datapipe';
import { ValueError, pyType } from '../../../errors';
import { parse } from '../../../keywords';
import { withArgs, checkCallable, deprecatedArgument, validateInputCol } from '../common';
import type { Column } from './callable';

export interface FilterOptions {
  /** deprecated in 1.12: drop batches that became empty (default true) */
  dropEmptyBatches?: boolean | null;
  inputCol?: Column | Column[] | null;
}

export class FilterIterDataPipe<T = unknown> extends IterDataPipe<T> {
  static readonly _params = ['datapipe', 'filter_fn', 'drop_empty_batches', 'input_col'];
  readonly datapipe: IterDataPipe<T>;
  readonly filterFn: (...args: any[]) => unknown;
  readonly dropEmptyBatches: boolean;
  readonly inputCol: Column | Column[] | null;

  constructor(datapipe: IterDataPipe<T>, filterFn: (x: T) => boolean, dropEmptyBatches?: boolean | null, inputCol?: Column | Column[] | null);
  constructor(datapipe: IterDataPipe<T>, filterFn: (...args: any[]) => boolean, options: FilterOptions);
  constructor(datapipe: IterDataPipe<T>, filterFn: (...args: any[]) => unknown, ...rest: unknown[]) {
    super();
    const o = parse<FilterOptions>('Filter', rest, ['dropEmptyBatches', 'inputCol']);
    this.datapipe = datapipe;
    checkCallable(filterFn);
    this.filterFn = filterFn;
    if (o.dropEmptyBatches === undefined || o.dropEmptyBatches === null) this.dropEmptyBatches = true;
    else {
      deprecatedArgument(this.constructor.name, 'drop_empty_batches');
      this.dropEmptyBatches = o.dropEmptyBatches;
    }
    this.inputCol = o.inputCol ?? null;
    validateInputCol(filterFn, this.inputCol);
  }

  private applyFilterFn(data: any): unknown {
    const col = this.inputCol;
    if (col === null) return this.filterFn(data);
    if (Array.isArray(col)) return this.filterFn(...col.map((c) => data[c]));
    return this.filterFn(data[col]);
  }

  *[Symbol.iterator](): Iterator<T> {
    for (const data of this.datapipe) {
      const condition = this.applyFilterFn(data);
      if (typeof condition !== 'boolean') {
        throw withArgs(new ValueError(''), 'Boolean output is required for `filter_fn` of FilterIterDataPipe, got', pyType(condition));
      }
      const kept = condition ? data : null;
      if (kept !== null && kept !== undefined && !(Array.isArray(kept) && kept.length === 0 && this.dropEmptyBatches)) yield kept;
    }
  }
}
functionalDatapipe('filter')(FilterIterDataPipe);
