// torch.jit.fork / wait and torch.jit.Future. Outside TorchScript Python's fork runs the function at
// once and hands back a completed Future; so does this one (JS code never runs on TorchScript's
// inter-op threads). A Future can also be completed by hand (setResult), as torch.futures.Future.
import { TorchError } from '../errors';

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export class Future<T = unknown> {
  private outcome: Outcome<T> | null = null;
  private callbacks: ((f: Future<T>) => void)[] = [];

  /** Whether the future holds a result or an error. */
  done(): boolean {
    return this.outcome !== null;
  }

  /**
   * The result (an error is thrown). Nothing else runs while this thread waits, so a future no one
   * has completed cannot complete: that is an error here rather than a hang.
   */
  wait(): T {
    if (this.outcome === null) {
      throw new TorchError('Future.wait(): the future is not completed, and nothing can complete it while this thread waits (complete it with setResult first)');
    }
    return this.value();
  }

  /** The result of a completed future (its error is thrown). */
  value(): T {
    const outcome = this.outcome;
    if (outcome === null) throw new TorchError('Future.value(): the future is not completed yet');
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  /** Completes the future with a result; the callbacks run. */
  setResult(result: T): void {
    this.complete({ ok: true, value: result });
  }

  /** Completes the future with an error, thrown by wait() and value(). */
  setException(error: unknown): void {
    this.complete({ ok: false, error });
  }

  /** A future of callback(this), run when this one completes (at once when it already has); an error the callback throws completes it. */
  then<S>(callback: (f: Future<T>) => S): Future<S> {
    const next = new Future<S>();
    this.addDoneCallback((f) => {
      let value: S;
      try {
        value = callback(f);
      } catch (e) {
        next.setException(e);
        return;
      }
      next.setResult(value);
    });
    return next;
  }

  /** Runs callback(this) when the future completes (at once when it already has). */
  addDoneCallback(callback: (f: Future<T>) => void): void {
    if (this.outcome !== null) callback(this);
    else this.callbacks.push(callback);
  }

  private complete(outcome: Outcome<T>): void {
    if (this.outcome !== null) throw new TorchError('Future can only be marked completed once.');
    this.outcome = outcome;
    const callbacks = this.callbacks;
    this.callbacks = [];
    for (const cb of callbacks) cb(this);
  }
}

/** torch.jit.fork(fn, ...args): fn(...args) run now, its result in a completed Future (its error is thrown, as in Python). */
export function fork<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Future<R> {
  const future = new Future<R>();
  future.setResult(fn(...args));
  return future;
}

/** torch.jit.wait(future): the future's result. */
export function wait<T>(future: Future<T>): T {
  return future.wait();
}
