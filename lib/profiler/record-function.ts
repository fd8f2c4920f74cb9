// torch.profiler.record_function: a labelled range in the profile, around a block of code. The
// same torch calls as Python's, in the same order (a zeros(1) placeholder handle, then the
// profiler::_record_function_enter / _exit operators), so a profile lists the same events.
import { TorchError } from '../errors';
import { aten } from '../tensor/aten';
import { zeros } from '../tensor/create';
import type { Tensor } from '../tensor/tensor';

const enterOp = aten('profiler::_record_function_enter');
const exitOp = aten('profiler::_record_function_exit');

/** Python's record_function object: enter() opens the range, exit() closes it. */
export class RecordFunction {
  readonly name: string;
  readonly args: string | null;
  /** the native RecordFunction, held in a tensor as Python holds it */
  private handle: Tensor;
  private open = false;

  constructor(name: string, args: string | null = null) {
    if (typeof name !== 'string') throw new TorchError(`record_function(): name must be a string, got ${typeof name}`);
    this.name = name;
    this.args = args;
    this.handle = zeros(1);
  }

  enter(): this {
    this.handle = enterOp([this.name, this.args]) as Tensor;
    this.open = true;
    return this;
  }

  exit(): void {
    if (!this.open) return;
    this.open = false;
    exitOp([this.handle]);
  }
}

/**
 * recordFunction(name, fn) / recordFunction(name, args, fn): runs fn (sync or async) inside a range
 * labelled name (Python's `with torch.profiler.record_function(name):`); returns fn's result.
 */
export function recordFunction<T>(name: string, fn: () => T): T;
export function recordFunction<T>(name: string, args: string | null, fn: () => T): T;
export function recordFunction<T>(name: string, argsOrFn: string | null | (() => T), maybeFn?: () => T): T {
  const fn = typeof argsOrFn === 'function' ? argsOrFn : maybeFn;
  if (typeof fn !== 'function') throw new TorchError('recordFunction expects a function to run as its last argument');
  const rf = new RecordFunction(name, typeof argsOrFn === 'function' ? null : argsOrFn).enter();
  return runInside(fn, () => rf.exit());
}

/** Runs fn, then `after` once fn's result (a promise's settling, for async fns) is in. */
export function runInside<T>(fn: () => T, after: () => void): T {
  let result: T;
  try {
    result = fn();
  } catch (e) {
    after();
    throw e;
  }
  if (result instanceof Promise) {
    return result.then(
      (v) => {
        after();
        return v;
      },
      (e) => {
        after();
        throw e;
      },
    ) as T;
  }
  after();
  return result;
}
