// Python's `with` blocks become callbacks here: the scope's clean-up runs once fn is done, which
// for an async fn means once its promise settles (fulfilled or rejected), not when it returns.

export function isThenable(x: unknown): x is PromiseLike<unknown> {
  return x !== null && typeof x === 'object' && typeof (x as PromiseLike<unknown>).then === 'function';
}

/** fn(), then cleanup() when it has finished: at once for a sync result or throw, else when its promise settles. */
export function thenCleanUp<T>(fn: () => T, cleanup: () => void): T {
  let result: T;
  try {
    result = fn();
  } catch (e) {
    cleanup();
    throw e;
  }
  if (!isThenable(result)) {
    cleanup();
    return result;
  }
  return Promise.resolve(result).finally(cleanup) as T;
}
