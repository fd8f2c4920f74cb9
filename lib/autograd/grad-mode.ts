// torch.noGrad / enableGrad / inferenceMode / setGradEnabled, in sync and async forms.
//
// The mode lives in libtorch's thread-local state (read by every op). A sync scope sets it and
// restores it. An async scope (fn is an async function) must keep its mode across its awaits
// without leaking it into other code that runs between them, so while any async scope is pending
// an async_hooks hook is on: resources created by a scope's code are tagged with the scope, and
// the native mode is switched to the scope's mode whenever one of their callbacks runs (and back
// after). With no async scope pending the hook is off: the sync hot path pays nothing.
// Other thread-local native state (autocast) rides on the same mechanism: carryAcrossAwaits()
// adds it to what a scope saves and switches, and withScope() opens a scope that changes it.
import { createHook, executionAsyncResource } from 'async_hooks';
import { native } from '../native';
import { TorchError } from '../errors';
import { isThenable } from '../settle';

const GRAD = 1;
const INFERENCE = 2;

/** Thread-local native state besides the autograd mode that async scopes carry across awaits. */
export interface CarriedState {
  get(): number;
  set(value: number): void;
}
const carried: CarriedState[] = [];

/** Makes every async scope save and switch this state too (lib/amp's autocast switches). */
export function carryAcrossAwaits(state: CarriedState): void {
  carried.push(state);
}

/** One async scope's mode; mutable so setGradEnabled inside the scope persists across awaits. */
interface ScopeState {
  mode: number;
  /** the values of `carried`, in order */
  carried: number[];
}

function capture(): ScopeState {
  return { mode: native.getAutogradMode(), carried: carried.map((c) => c.get()) };
}

function restore(state: ScopeState): void {
  native.setAutogradMode(state.mode);
  for (let i = 0; i < state.carried.length; i++) carried[i].set(state.carried[i]);
}

const SCOPE = Symbol('torch-node autograd scope');
type Tagged = { [SCOPE]?: ScopeState };

let pendingAsyncScopes = 0;
/** The async scope whose code runs now (its sync part, or one of its callbacks), if any. */
let currentScope: ScopeState | undefined;
/** The native state outside every async scope, for untagged callbacks nested in scoped code. */
let outside: ScopeState = { mode: GRAD, carried: [] };
/** What before() changed, restored by after(): [asyncId, previous state, previous scope]. */
const switches: [number, ScopeState, ScopeState | undefined][] = [];

const hook = createHook({
  init(_id, _type, _trigger, resource) {
    if (currentScope !== undefined) (resource as Tagged)[SCOPE] = currentScope;
  },
  before(asyncId) {
    const scope = (executionAsyncResource() as Tagged)?.[SCOPE];
    if (scope === currentScope) return;
    const previous = capture();
    if (currentScope === undefined) outside = previous;
    switches.push([asyncId, previous, currentScope]);
    currentScope = scope;
    restore(scope === undefined ? outside : scope);
  },
  after(asyncId) {
    // pop up to this callback's entry (a callback that threw may have skipped its after())
    for (let i = switches.length - 1; i >= 0; i--) {
      if (switches[i][0] !== asyncId) continue;
      const [, previous, scope] = switches[i];
      switches.length = i;
      currentScope = scope;
      restore(previous);
      return;
    }
  },
});

function isAsyncFunction(fn: unknown): boolean {
  return (fn as { [Symbol.toStringTag]?: string })[Symbol.toStringTag] === 'AsyncFunction';
}

function endAsyncScope(): void {
  if (--pendingAsyncScopes > 0) return;
  hook.disable();
  switches.length = 0;
}

/**
 * Runs fn in a scope whose native state enter() sets (from the current one); the state before is
 * restored after fn, then leave() runs. An async fn keeps the scope's state across its awaits.
 */
export function withScope<T>(enter: () => void, fn: () => T, leave?: () => void): T {
  const previous = capture();
  const end = (): void => {
    leave?.();
    endAsyncScope();
  };
  if (pendingAsyncScopes === 0 && !isAsyncFunction(fn)) {
    enter();
    try {
      return fn();
    } finally {
      restore(previous);
      leave?.();
    }
  }
  if (pendingAsyncScopes++ === 0) hook.enable();
  const outerScope = currentScope;
  if (outerScope === undefined) outside = previous;
  let result: T;
  try {
    enter();
    currentScope = capture();
    result = fn();
  } catch (e) {
    end();
    throw e;
  } finally {
    currentScope = outerScope;
    restore(previous);
  }
  if (!isThenable(result)) {
    end();
    return result;
  }
  return Promise.resolve(result).finally(end) as T;
}

/** Runs fn with the autograd mode computed from the current one; async fns keep it across awaits. */
function withMode<T>(next: (mode: number) => number, fn: () => T): T {
  if (pendingAsyncScopes === 0 && !isAsyncFunction(fn)) {
    // the hot path: a sync scope with no async scope pending
    const previous = native.getAutogradMode();
    native.setAutogradMode(next(previous));
    try {
      return fn();
    } finally {
      native.setAutogradMode(previous);
    }
  }
  return withScope(() => native.setAutogradMode(next(native.getAutogradMode())), fn);
}

/** torch.no_grad(): runs fn (sync or async) with gradient recording off. */
export function noGrad<T>(fn: () => T): T {
  return withMode((m) => m & ~GRAD, fn);
}

/** torch.enable_grad(): runs fn (sync or async) with gradient recording on. */
export function enableGrad<T>(fn: () => T): T {
  return withMode((m) => m | GRAD, fn);
}

/**
 * torch.inference_mode(): runs fn (sync or async) in inference mode: no autograd recording, and
 * tensors made there are inference tensors (isInference()). inferenceMode(false, fn) leaves it.
 */
export function inferenceMode<T>(fn: () => T): T;
export function inferenceMode<T>(mode: boolean, fn: () => T): T;
export function inferenceMode<T>(modeOrFn: boolean | (() => T), maybeFn?: () => T): T {
  const on = typeof modeOrFn === 'boolean' ? modeOrFn : true;
  const fn = typeof modeOrFn === 'function' ? modeOrFn : maybeFn!;
  // as c10::InferenceMode: entering turns grad off, leaving (mode false) turns it on
  return withMode(() => (on ? INFERENCE : GRAD), fn);
}

export function isGradEnabled(): boolean {
  return native.isGradEnabled();
}

export function isInferenceModeEnabled(): boolean {
  return (native.getAutogradMode() & INFERENCE) !== 0;
}

/** torch.set_grad_enabled(on): inside an async scope it lasts for the rest of that scope. */
export function setGradEnabled(on: boolean): void;
/** Python's `with torch.set_grad_enabled(mode):` runs fn (sync or async) with recording on or off. */
export function setGradEnabled<T>(on: boolean, fn: () => T): T;
export function setGradEnabled<T>(on: boolean, fn?: () => T): T | void {
  if (typeof on !== 'boolean') throw new TorchError(`set_grad_enabled(): argument 'mode' must be bool, not ${typeof on}`);
  if (fn !== undefined) return withMode((m) => (on ? m | GRAD : m & ~GRAD), fn);
  const mode = on ? native.getAutogradMode() | GRAD : native.getAutogradMode() & ~GRAD;
  native.setAutogradMode(mode);
  if (currentScope !== undefined) currentScope.mode = mode;
}

/** @internal the raw mode bits, for code that must switch and restore them (Function.apply). */
export const autogradMode = {
  GRAD,
  get: (): number => native.getAutogradMode(),
  set: (mode: number): void => native.setAutogradMode(mode),
};
