// IterableWrapper: any JS iterable (an array, a Set, a generator) as an IterDataPipe.
import { IterDataPipe } from '../datapipe';
import { PyTypeError, warn } from '../../../errors';
import { deepCopy, isOneShot } from '../common';

export class IterableWrapperIterDataPipe<T = unknown> extends IterDataPipe<T> {
  static readonly _params = ['iterable', 'deepcopy'];
  readonly iterable: Iterable<T>;
  readonly deepcopy: boolean;
  /** deepcopy: iterate a copy (made at each iteration), so changes to the items do not reach the source */
  constructor(iterable: Iterable<T>, deepcopy = true) {
    super();
    this.iterable = iterable;
    this.deepcopy = deepcopy;
  }
  *[Symbol.iterator](): Iterator<T> {
    let source = this.iterable;
    if (this.deepcopy) {
      if (isOneShot(source)) warn('The input iterable can not be deepcopied, please be aware of in-place modification would affect source data.');
      else source = deepCopy(source);
    }
    yield* source;
  }
  len(): number {
    const it = this.iterable as unknown;
    if (Array.isArray(it) || typeof it === 'string') return it.length;
    if (it instanceof Set || it instanceof Map) return it.size;
    const len = (it as { len?: () => number }).len;
    if (typeof len === 'function') return len.call(it);
    const type = isOneShot(it) ? 'generator' : ((it as object)?.constructor?.name ?? typeof it);
    throw new PyTypeError(`object of type '${type}' has no len()`);
  }
}
