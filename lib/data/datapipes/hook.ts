// PyTorch's _hook_iterator: every IterDataPipe class's [Symbol.iterator] is wrapped once so that
// only the newest iterator of a pipe is valid (creating one resets the pipe), and an error thrown
// while iterating names the pipe it came through.
import { TorchError } from '../../errors';
import { argsMessage } from './common';

/** What the hook needs of a pipe (IterDataPipe, kept structural to avoid an import cycle). */
export interface HookedPipe {
  _validIteratorId: number | null;
  _numberOfSamplesYielded: number;
  reset(): void;
  /** _ChildDataPipe (fork / demux outputs) keep their id in step with their parent */
  _isChildDatapipe?: boolean;
  _setMainDatapipeValidIteratorId?(): number;
  _checkValidIteratorId?(id: number): boolean;
  mainDatapipe?: unknown;
}

/** Python's repr of a constructor argument in these messages (a function by its name). */
export function simplifiedName(v: unknown): string {
  if (typeof v === 'function') return v.name || '<lambda>';
  return pyValueRepr(v);
}

/** Python's repr of the plain values datapipes hold: lists, None, bools, strings, numbers, pipes. */
export function pyValueRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return `[${v.map(pyValueRepr).join(', ')}]`;
  if (typeof v === 'function') return `<function ${v.name || '<lambda>'}>`;
  return String(v);
}

const camel = (name: string): string => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** `Mapper(datapipe=..., fn=...)` as Python's _generate_iterdatapipe_msg prints it: the constructor's
 *  parameters that are attributes of the pipe, sorted by name. */
export function describePipe(dp: object): string {
  const params = ((dp.constructor as { _params?: readonly string[] })._params ?? []).slice().sort();
  const parts: string[] = [];
  for (const name of params) {
    const value = (dp as Record<string, unknown>)[camel(name)];
    if (value === undefined) continue;
    parts.push(`${name}=${simplifiedName(value)}`);
  }
  return `${dp.constructor.name}(${parts.join(', ')})`;
}

const FEEDBACK =
  '\nFor feedback regarding this single iterator per IterDataPipe constraint, feel free to comment on this issue: https://github.com/pytorch/data/issues/45.';

function invalidMessage(dp: object): string {
  return (
    'This iterator has been invalidated because another iterator has been created ' +
    `from the same IterDataPipe: ${describePipe(dp)}\n` +
    'This may be caused multiple references to the same IterDataPipe. We recommend using `.fork()` if that is necessary.'
  );
}

function checkIteratorValid(dp: HookedPipe, id: number): void {
  if (dp._isChildDatapipe === true) {
    if (!dp._checkValidIteratorId!(id)) {
      throw new TorchError(
        'This iterator has been invalidated, because a new iterator has been created from one of the ChildDataPipes of ' +
          `${describePipe(dp.mainDatapipe as object)}.` +
          FEEDBACK,
      );
    }
  } else if (dp._validIteratorId !== id) {
    throw new TorchError(invalidMessage(dp) + FEEDBACK);
  }
}

/** A new iterator becomes the valid one; the pipe is reset (a child resets its parent when due). */
function setValidIteratorId(dp: HookedPipe): number {
  if (dp._isChildDatapipe === true) return dp._setMainDatapipeValidIteratorId!();
  dp._validIteratorId = dp._validIteratorId === null ? 0 : dp._validIteratorId + 1;
  dp.reset();
  return dp._validIteratorId;
}

const THROWN_BY = 'thrown by __iter__ of';
const SINGLE_ITERATOR = 'single iterator per IterDataPipe constraint';

/** Appends which pipe's iteration an error passed through (once: the innermost generator pipe). */
function annotate(e: unknown, dp: object): void {
  if (!(e instanceof Error)) return;
  // Python's OSErrors print their errno and strerror, whatever their args become
  if ((e as NodeJS.ErrnoException).errno !== undefined) return;
  const full = `${THROWN_BY} ${describePipe(dp)}`;
  const pyArgs = (e as { pyArgs?: string[] }).pyArgs;
  if (pyArgs) {
    // raised with several arguments: the note goes into the first, a str
    if (!pyArgs[0].includes(THROWN_BY) && !pyArgs[0].includes(SINGLE_ITERATOR)) pyArgs[0] += `\nThis exception is ${full}`;
    e.message = argsMessage(pyArgs);
  } else if (!e.message) e.message = `\nThis exception is ${full}`;
  else if (!e.message.includes(THROWN_BY) && !e.message.includes(SINGLE_ITERATOR)) e.message += `\nThis exception is ${full}`;
}

type IterFn = (this: HookedPipe) => Iterator<unknown>;

function isGeneratorFunction(fn: unknown): boolean {
  return typeof fn === 'function' && fn.constructor?.name === 'GeneratorFunction';
}

/** A generator pipe: the id is taken (and the pipe reset) at the first next(), as Python's generators run lazily. */
function wrapGenerator(fn: IterFn): IterFn {
  return function* hooked(this: HookedPipe): Generator<unknown> {
    const gen = fn.call(this);
    const id = setValidIteratorId(this);
    let finished = false;
    try {
      let r = gen.next();
      while (!r.done) {
        this._numberOfSamplesYielded++;
        yield r.value;
        checkIteratorValid(this, id);
        r = gen.next();
      }
      finished = true;
    } catch (e) {
      finished = true;
      annotate(e, this);
      throw e;
    } finally {
      // closed early (break, return()): close the inner generator too, so its finally blocks run
      if (!finished) gen.return?.(undefined);
    }
  };
}

/** A pipe whose iterator is not a generator (it returns another iterator): checked on every next(). */
function wrapIterator(fn: IterFn): IterFn {
  return function hooked(this: HookedPipe): Iterator<unknown> {
    const inner = fn.call(this);
    const id = setValidIteratorId(this);
    const dp = this;
    const it: IterableIterator<unknown> = {
      next() {
        checkIteratorValid(dp, id);
        const r = inner.next();
        if (!r.done) dp._numberOfSamplesYielded++;
        return r;
      },
      return(value?: unknown) {
        return inner.return ? inner.return(value) : { done: true, value };
      },
      [Symbol.iterator]() {
        return it;
      },
    };
    return it;
  };
}

const hooked = new WeakSet<object>();

/** Wraps the own [Symbol.iterator] of each prototype from `proto` up to (not including) `base`. */
export function hookIterators(proto: object, base: object): void {
  for (let p = proto; p && p !== base; p = Object.getPrototypeOf(p)) {
    if (hooked.has(p)) break; // its ancestors were hooked with it
    hooked.add(p);
    const own = Object.getOwnPropertyDescriptor(p, Symbol.iterator);
    if (!own || typeof own.value !== 'function') continue;
    const fn = own.value as IterFn;
    Object.defineProperty(p, Symbol.iterator, { ...own, value: isGeneratorFunction(fn) ? wrapGenerator(fn) : wrapIterator(fn) });
  }
}
