// torch.profiler.record_function: a labelled range in the profile, around a block of code. The
// same torch calls as Python's, in the same order (a zeros(1) placeholder handle, then the
// profiler::_record_function_enter / _exit operators), so a profile lists the same events.
import { TorchError } from '../errors';
import { aten } from '../tensor/aten';
import { zeros } from '../tensor/create';
import type { Tensor } from '../tensor/tensor';

const enterOp = aten('profiler::_record_function_enter');
const exitOp = aten('profiler::_record_function_exit');

/** Opens a range in the profile; the function returned closes it. */
function openRange(name: string, args: string | null): () => void {
  const handle = enterOp([name, args]) as Tensor;
  return () => void exitOp([handle]);
}

/** Python's record_function object: enter() opens the range, exit() closes it. */
export class RecordFunction {
  readonly name: string;
  readonly args: string | null;
  private close: (() => void) | null = null;

  constructor(name: string, args: string | null = null) {
    if (typeof name !== 'string') throw new TorchError(`record_function(): name must be a string, got ${typeof name}`);
    this.name = name;
    this.args = args;
    // Python makes a placeholder handle here, an op a profile running now records too
    zeros(1);
  }

  enter(): this {
    this.close = openRange(this.name, this.args);
    return this;
  }

  exit(): void {
    const close = this.close;
    this.close = null;
    close?.();
  }

  /**
   * Python's decorator form, `@record_function(name)`: fn, each call of it run (sync or async)
   * inside a range of this name. Calls may nest or overlap: each has a range of its own.
   */
  wrap<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
    const { name, args } = this;
    return function (this: unknown, ...callArgs: A): R {
      return runInside(() => fn.apply(this, callArgs), openRange(name, args));
    };
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
