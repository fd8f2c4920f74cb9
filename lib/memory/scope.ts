// Deterministic release: torch.tidy(fn) (sync) and await torch.scope(async fn) dispose every tensor
// created inside them except those returned (or kept with torch.keep). Parameters and registered
// buffers are module state (as tf.Variable in tfjs): a module built inside a scope keeps them. Without
// scopes, the GC-time native finalizer frees tensors; both paths are safe to mix.
// A tidy keeps its list natively (scopes.cc), where a tensor that loses its last JS reference is
// still freed by the GC before the tidy ends; async scopes, which follow fn across await, keep a JS
// Set (as does a tidy opened while one of them is pending).
import { AsyncLocalStorage } from 'async_hooks';
import { native, Handle } from '../native';
import { TorchError } from '../errors';

/** What the lifetime tracker needs of a tensor (Tensor implements it; no import cycle). */
export interface Disposable {
  dispose(): void;
  readonly _h: Handle;
}

class Scope {
  readonly tracked = new Set<Disposable>();
  closed = false;
  constructor(readonly parent: Scope | undefined) {}
}

const syncStack: Scope[] = [];
const asyncStore = new AsyncLocalStorage<Scope>();
let openAsyncScopes = 0;
/** Tensors marked by keep() are never disposed by a scope. */
const kept = new WeakSet<Disposable>();

function currentScope(): Scope | undefined {
  if (syncStack.length) return syncStack[syncStack.length - 1];
  return openAsyncScopes ? asyncStore.getStore() : undefined;
}

/** Called by every new Tensor; O(1) and free when no scope is open. */
export function track(t: Disposable): void {
  if (syncStack.length === 0 && openAsyncScopes === 0) return;
  const s = currentScope();
  // Callbacks started inside a scope may outlive it; their tensors are left to the GC.
  if (s && !s.closed) s.tracked.add(t);
}

/** Forgets t in the open scope: a temporary whose handle another tensor object has taken over. */
export function untrack(t: Disposable): void {
  currentScope()?.tracked.delete(t);
}

/** torch.keep(t): t survives the enclosing tidy/scope. */
export function keep<T extends Disposable>(t: T): T {
  kept.add(t);
  native.keepHandle(t._h);
  return t;
}

// Tensors reachable from a scope's result (arrays, plain objects, Maps) survive it.
function collect(value: unknown, into: Set<unknown>, depth = 0): void {
  if (value === null || typeof value !== 'object' || depth > 16 || into.has(value)) return;
  into.add(value);
  if (Array.isArray(value)) for (const v of value) collect(v, into, depth + 1);
  else if (value instanceof Map) for (const v of value.values()) collect(v, into, depth + 1);
  else if (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null) {
    for (const v of Object.values(value)) collect(v, into, depth + 1);
  }
}

function close(scope: Scope, result: unknown): void {
  scope.closed = true;
  const survivors = new Set<unknown>();
  collect(result, survivors);
  for (const t of scope.tracked) {
    if (survivors.has(t) || kept.has(t)) scope.parent?.tracked.add(t);
    else t.dispose();
  }
  scope.tracked.clear();
}

function isDisposable(v: unknown): v is Disposable {
  return typeof (v as Partial<Disposable>).dispose === 'function' && (v as Partial<Disposable>)._h !== undefined;
}

/** The handles of the tensors reachable from a scope's result. */
function survivorHandles(result: unknown): Handle[] {
  const found = new Set<unknown>();
  collect(result, found);
  return [...found].filter(isDisposable).map((t) => t._h);
}

/** Runs fn synchronously between open() and close(result); close runs also when fn throws. */
function runSync<T, S>(fn: () => T, open: () => S, closeWith: (s: S, result: T | undefined) => void): T {
  const s = open();
  let result: T | undefined;
  try {
    result = fn();
    if (result instanceof Promise) {
      throw new TorchError('torch.tidy(fn) needs a synchronous fn; use await torch.scope(async () => ...)');
    }
    return result;
  } finally {
    closeWith(s, result);
  }
}

/** torch.tidy(fn): runs fn synchronously, then disposes the tensors it made but did not return. */
export function tidy<T>(fn: () => T): T {
  if (syncStack.length === 0 && openAsyncScopes === 0) {
    return runSync(fn, () => native.scopeEnter(), (depth, result) => native.scopeExit(depth, survivorHandles(result)));
  }
  // inside an async scope: a JS Set, whose survivors go back to that scope
  const open = () => {
    const s = new Scope(currentScope());
    syncStack.push(s);
    return s;
  };
  return runSync(fn, open, (s, result) => {
    syncStack.pop();
    close(s, result);
  });
}

/** await torch.scope(async fn): like tidy, and it follows fn across await. */
export async function scope<T>(fn: () => Promise<T> | T): Promise<T> {
  const s = new Scope(currentScope());
  openAsyncScopes++;
  let result: T | undefined;
  try {
    result = await asyncStore.run(s, fn);
    return result;
  } finally {
    openAsyncScopes--;
    close(s, result);
  }
}
