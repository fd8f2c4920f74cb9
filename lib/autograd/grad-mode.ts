// torch.noGrad / enableGrad / inferenceMode / setGradEnabled, in sync and async forms.
//
// The mode lives in libtorch's thread-local state (read by every op). A sync scope sets it and
// restores it. An async scope (fn is an async function) must keep its mode across its awaits
// without leaking it into other code that runs between them, so while any async scope is pending
// an async_hooks hook is on: resources created by a scope's code are tagged with the scope, and
// the native mode is switched to the scope's mode whenever one of their callbacks runs (and back
// after). With no async scope pending the hook is off: the sync hot path pays nothing.
import { createHook, executionAsyncResource } from 'async_hooks';
import { native } from '../native';

const GRAD = 1;
const INFERENCE = 2;

/** One async scope's mode; mutable so setGradEnabled inside the scope persists across awaits. */
interface ScopeState {
  mode: number;
}

const SCOPE = Symbol('torch-node autograd scope');
type Tagged = { [SCOPE]?: ScopeState };

let pendingAsyncScopes = 0;
/** The async scope whose code runs now (its sync part, or one of its callbacks), if any. */
let currentScope: ScopeState | undefined;
/** The native mode outside every async scope, for untagged callbacks nested in scoped code. */
let outsideMode = GRAD;
/** What before() changed, restored by after(): [asyncId, previous mode, previous scope]. */
const switches: [number, number, ScopeState | undefined][] = [];

const hook = createHook({
  init(_id, _type, _trigger, resource) {
    if (currentScope !== undefined) (resource as Tagged)[SCOPE] = currentScope;
  },
  before(asyncId) {
    const scope = (executionAsyncResource() as Tagged)?.[SCOPE];
    if (scope === currentScope) return;
    const previous = native.getAutogradMode();
    if (currentScope === undefined) outsideMode = previous;
    switches.push([asyncId, previous, currentScope]);
    currentScope = scope;
    native.setAutogradMode(scope === undefined ? outsideMode : scope.mode);
  },
  after(asyncId) {
    // pop up to this callback's entry (a callback that threw may have skipped its after())
    for (let i = switches.length - 1; i >= 0; i--) {
      if (switches[i][0] !== asyncId) continue;
      const [, mode, scope] = switches[i];
      switches.length = i;
      currentScope = scope;
      native.setAutogradMode(mode);
      return;
    }
  },
});

function isAsyncFunction(fn: unknown): boolean {
  return (fn as { [Symbol.toStringTag]?: string })[Symbol.toStringTag] === 'AsyncFunction';
}

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return x !== null && typeof x === 'object' && typeof (x as PromiseLike<unknown>).then === 'function';
}

function endAsyncScope(): void {
  if (--pendingAsyncScopes > 0) return;
  hook.disable();
  switches.length = 0;
}

/** Runs fn with the autograd mode computed from the current one; async fns keep it across awaits. */
function withMode<T>(next: (mode: number) => number, fn: () => T): T {
  const previous = native.getAutogradMode();
  const mode = next(previous);
  if (pendingAsyncScopes === 0 && !isAsyncFunction(fn)) {
    // the hot path: a sync scope with no async scope pending
    native.setAutogradMode(mode);
    try {
      return fn();
    } finally {
      native.setAutogradMode(previous);
    }
  }
  if (pendingAsyncScopes++ === 0) hook.enable();
  const outerScope = currentScope;
  if (outerScope === undefined) outsideMode = previous;
  currentScope = { mode };
  native.setAutogradMode(mode);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    endAsyncScope();
    throw e;
  } finally {
    currentScope = outerScope;
    native.setAutogradMode(previous);
  }
  if (!isThenable(result)) {
    endAsyncScope();
    return result;
  }
  return Promise.resolve(result).finally(endAsyncScope) as T;
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
export function setGradEnabled(on: boolean): void {
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
