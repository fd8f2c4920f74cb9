// Tensor.gradFn: a node of the autograd graph, as Python's tensor.grad_fn
// (torch.autograd.graph.Node). The JS object holds a native handle that owns a
// std::shared_ptr<torch::autograd::Node> (native/grad_fn.cc), so the node and what it saved live
// as long as the object, as in Python.
//
// Identity: one JS object per live node, kept in a map from the node's address to a WeakRef, so
// `y.gradFn === y.gradFn` and `z.gradFn.nextFunctions[0][0] === y.gradFn` hold, as Python's `is`
// does. (A collected object's node may be freed and its address reused; the map then simply
// makes a new object, since no one can still hold the old one.)
import { TorchError } from '../errors';
import { native, Handle, NodeHandle } from '../native';
import { Tensor } from '../tensor/tensor';

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

type GradHandles = (Handle | null)[];


const NODE_TOKEN = Symbol('GradFn');

const live = new Map<number, WeakRef<GradFn>>();
const forget = new FinalizationRegistry<number>((address) => {
  // only when no newer object took the address over
  if (live.get(address)?.deref() === undefined) live.delete(address);
});

function cached(address: number): GradFn | undefined {
  return live.get(address)?.deref();
}

function wrapNode(h: NodeHandle | null): GradFn | null {
  if (h === null) return null;
  const address = native.nodeAddress(h);
  const known = cached(address);
  if (known) return known;
  const fn = new GradFn(NODE_TOKEN, h, address);
  live.set(address, new WeakRef(fn));
  forget.register(fn, address);
  return fn;
}

/** The grad_fn of the tensor behind a handle, or null (leaves, tensors outside the graph). */
export function gradFnOf(tensor: Handle): GradFn | null {
  const address = native.gradFnAddress(tensor);
  if (address === null) return null;
  return cached(address) ?? wrapNode(native.gradFnNode(tensor));
}

function gradsToJs(grads: GradHandles): (Tensor | null)[] {
  return grads.map((h) => (h === null ? null : new Tensor(h)));
}

function gradsFromJs(r: unknown, what: string): GradHandles | null {
  if (r === null || r === undefined) return null;
  if (!Array.isArray(r)) throw new TorchError(`${what} must return an array of gradients (Tensor or null), or null`);
  return r.map((g) => {
    if (g === null || g === undefined) return null;
    if (!(g instanceof Tensor)) throw new TorchError(`${what} must return an array of gradients (Tensor or null), or null`);
    return g._h;
  });
}

/** Python's RemovableHandle. */
export interface RemovableHandle {
  remove(): void;
}

/**
 * A node of the autograd graph: what `tensor.gradFn` returns, Python's `tensor.grad_fn`
 * (`torch.autograd.graph.Node`). `String(node)` is `<AddBackward0 object at 0x...>`.
 */
export class GradFn {
  /** @internal the native node handle */
  readonly _h: NodeHandle;
  /** @internal the node's address (printed in the repr, key of the identity map) */
  readonly _address: number;

  /** @internal made by tensor.gradFn and nextFunctions only */
  constructor(token: symbol, h: NodeHandle, address: number) {
    if (token !== NODE_TOKEN) throw new TorchError('graph nodes are made by autograd: use tensor.gradFn');
    this._h = h;
    this._address = address;
  }

  /** The node's name, as Python's node.name(): 'AddBackward0', 'torch::autograd::AccumulateGrad'. */
  name(): string {
    return native.nodeName(this._h);
  }

  /**
   * Python's next_functions: one [node, inputNr] pair per input of the forward op, the node that
   * gets that input's gradient (AccumulateGrad for leaves) and which of its inputs; [null, 0] for
   * inputs that do not require grad.
   */
  get nextFunctions(): [GradFn | null, number][] {
    return native.nodeNextFunctions(this._h).map(([h, inputNr]) => [wrapNode(h), inputNr]);
  }

  /** The leaf tensor an AccumulateGrad node accumulates into (Python's node.variable); undefined for other nodes. */
  get variable(): Tensor | undefined {
    const h = native.nodeVariable(this._h);
    return h === undefined ? undefined : new Tensor(h);
  }

  /**
   * Python's register_hook: hook(gradInputs, gradOutputs) runs after this node's backward, with the
   * gradients it computed for its inputs and those it received; an array it returns (same length)
   * replaces gradInputs.
   */
  registerHook(
    hook: (gradInputs: (Tensor | null)[], gradOutputs: (Tensor | null)[]) => (Tensor | null)[] | null | undefined | void,
  ): RemovableHandle {
    if (typeof hook !== 'function') throw new TorchError('registerHook: the hook must be a function');
    const state = { removed: false };
    // (The closure must not hold this node: the native hook keeps it alive as long as the node.)
    native.nodeRegisterHook(this._h, (gi, go) =>
      state.removed ? null : gradsFromJs(hook(gradsToJs(gi), gradsToJs(go)), 'a graph node hook'),
    );
    return removable(state);
  }

  /**
   * Python's register_prehook: hook(gradOutputs) runs before this node's backward; an array it
   * returns (same length) replaces gradOutputs.
   */
  registerPrehook(hook: (gradOutputs: (Tensor | null)[]) => (Tensor | null)[] | null | undefined | void): RemovableHandle {
    if (typeof hook !== 'function') throw new TorchError('registerPrehook: the hook must be a function');
    const state = { removed: false };
    native.nodeRegisterPrehook(this._h, (go) =>
      state.removed ? null : gradsFromJs(hook(gradsToJs(go)), 'a graph node pre-hook'),
    );
    return removable(state);
  }

  /** Python's repr: `<AddBackward0 object at 0x7f...>` (custom Functions: torch.autograd.function.<Name>). */
  toString(): string {
    const name = typeName(this);
    const type = native.nodeIsCustom(this._h) ? `torch.autograd.function.${name}` : name;
    return `<${type} object at 0x${this._address.toString(16)}>`;
  }

  [inspectSymbol](): string {
    return this.toString();
  }
}

// Removing a hook leaves the native one in place, answering null (no change): erasing it could
// race with a backward running over the node. It goes with the node.
function removable(state: { removed: boolean }): RemovableHandle {
  return { remove: () => void (state.removed = true) };
}

/** Python's type(node).__name__ (what tensor printing shows in grad_fn=<...>): the name without C++ namespaces. */
export function typeName(node: GradFn): string {
  return node.name().split('::').pop()!;
}
