// torch.jit.ScriptModule (Python's RecursiveScriptModule): an nn.Module over a loaded TorchScript
// module. Its parameters and buffers are the TorchScript module's own tensors, not copies, so
// backward through forward() fills their .grad, an optimizer's in-place step changes the module
// itself, and stateDict/loadStateDict read and write the module's weights, as in Python.
import { native, Handle, ScriptHandle } from '../native';
import { Module } from '../nn/module';
import { Parameter } from '../nn/parameter';
import { Tensor } from '../tensor/tensor';
import { wrapHandle } from '../tensor/aten';
import { keep } from '../memory/scope';
import { isOptions } from '../keywords';
import { toSnake } from '../optim/keys';
import { asScriptError } from './errors';
import { saveHandle, saveHandleToBuffer } from './save';

const HANDLE = Symbol('torch-node script module');

/** A JS value for the native side: tensors as handles, containers converted element by element. */
function toNative(v: unknown): unknown {
  if (v instanceof Tensor) return v._h;
  if (Array.isArray(v)) return v.map(toNative);
  if (v instanceof Map) return [...v].map(([k, e]) => [toNative(k), toNative(e)]); // a dict's [key, value] pairs
  if (isOptions(v)) return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, toNative(e)]));
  return v;
}

/** A dict as the native side returns it. */
function isDict(v: unknown): v is { dict: [unknown, unknown][] } {
  return v !== null && typeof v === 'object' && Array.isArray((v as { dict?: unknown }).dict);
}

/** A TorchScript result in JS: tensors wrapped, tuples and lists as arrays, a dict with string keys as a plain object. */
function fromNative(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(fromNative);
  if (isDict(v)) {
    const entries = v.dict.map(([k, e]) => [fromNative(k), fromNative(e)] as [unknown, unknown]);
    return entries.every(([k]) => typeof k === 'string') ? Object.fromEntries(entries) : new Map(entries);
  }
  if (v !== null && typeof v === 'object') return wrapHandle(v as Handle); // the native side's other objects are tensor handles
  return v;
}

/** The module's own tensor as a JS object of its kind: the same tensor, not a detached alias. */
function shared<T extends Tensor>(h: Handle, kind: { prototype: T }): T {
  const t = wrapHandle(h) as T;
  if (kind.prototype !== Tensor.prototype) Object.setPrototypeOf(t, kind.prototype);
  return keep(t); // module state: a tidy around the load or a call must not dispose it
}

/** A method's parameters: [name, TorchScript type] (self left out). */
type MethodParameters = readonly [string, string][];

/**
 * Splits a call's arguments: a trailing plain object is the keyword arguments (Python's f(x, k=2),
 * in camelCase or snake_case), unless it stands where the method takes a dict.
 */
function splitKeywords(args: unknown[], parameters: MethodParameters): [unknown[], Record<string, unknown>] {
  const last = args[args.length - 1];
  if (!isOptions(last) || parameters[args.length - 1]?.[1].startsWith('Dict[')) return [args, {}];
  const names = parameters.map(([name]) => name);
  return [args.slice(0, -1), Object.fromEntries(Object.entries(last).map(([k, v]) => [names.includes(k) ? k : toSnake(k), v]))];
}

export interface ScriptModule {
  /** Calls forward (with hooks), as Python's m(x). */
  (...args: any[]): any;
}

export class ScriptModule extends Module {
  /** The scripted class's name (Python's original_name). */
  declare readonly originalName: string;
  declare private readonly [HANDLE]: ScriptHandle;
  declare private readonly methodParameters: Map<string, MethodParameters>;

  /** @internal Use torch.jit.load. */
  constructor(handle: ScriptHandle) {
    super();
    const info = native.jitInfo(handle);
    const hidden = (key: string | symbol, value: unknown) => Object.defineProperty(this, key, { value, enumerable: false });
    hidden(HANDLE, handle);
    hidden('originalName', info.name);
    hidden('methodParameters', new Map(info.methods));
    this.training = info.training;
    for (const [name, h] of info.parameters) this.registerParameter(name, shared(h, Parameter));
    for (const [name, h] of info.buffers) this.registerBuffer(name, shared(h, Tensor));
    for (const [name, child] of info.children) this.addModule(name, new ScriptModule(child));
    // exported methods are methods of the object, attributes read the module's current values
    this.addMethods(info.methods);
    for (const name of info.attributes) {
      Object.defineProperty(this, name, { get: () => fromNative(native.jitAttr(handle, name)), enumerable: false, configurable: true });
    }
  }

  /** Exported methods (and ones define() adds) as methods of the object. */
  private addMethods(methods: [string, MethodParameters][]): void {
    for (const [name, parameters] of methods) {
      this.methodParameters.set(name, parameters);
      if (name === 'forward' || name.startsWith('__') || Object.prototype.hasOwnProperty.call(this, name)) continue;
      Object.defineProperty(this, name, { value: (...args: unknown[]) => this.callMethod(name, args), enumerable: false });
    }
  }

  forward(...args: unknown[]): any {
    return this.callMethod('forward', args);
  }

  /**
   * forward on the libuv pool, under this thread's grad and inference modes: an inference server
   * keeps serving while a batch runs. Hooks do not run (they are JS, on this thread).
   */
  forwardAsync(...args: unknown[]): Promise<any> {
    const [positional, kwargs] = splitKeywords(args, this.methodParameters.get('forward') ?? []);
    return native.jitCallAsync(this[HANDLE], 'forward', positional.map(toNative), toNative(kwargs) as Record<string, unknown>).then(fromNative, asScriptError);
  }

  private callMethod(name: string, args: unknown[]): unknown {
    const [positional, kwargs] = splitKeywords(args, this.methodParameters.get(name) ?? []);
    let result: unknown;
    try {
      result = native.jitCall(this[HANDLE], name, positional.map(toNative), toNative(kwargs) as Record<string, unknown>);
    } catch (e) {
      asScriptError(e);
    }
    return fromNative(result);
  }

  /** forward's graph in TorchScript IR (Python's m.graph, as text) */
  get graph(): string {
    return native.jitGraph(this[HANDLE], 'forward');
  }

  /** forward's graph with every submodule and function call inlined (Python's m.inlined_graph, as text) */
  get inlinedGraph(): string {
    return native.jitInlinedGraph(this[HANDLE], 'forward');
  }

  /** forward as TorchScript source (Python's m.code); constants appear as CONSTANTS.c0, ... */
  get code(): string {
    return native.jitCode(this[HANDLE], 'forward')[0];
  }

  /** [code, { c0, c1, ... }]: the source and the values its CONSTANTS.cN stand for (Python's m.code_with_constants). */
  get codeWithConstants(): [string, Record<string, unknown>] {
    const [code, constants] = native.jitCode(this[HANDLE], 'forward');
    return [code, Object.fromEntries(constants.map((c, i) => [`c${i}`, fromNative(c)]))];
  }

  /** Python's m.save(f): as torch.jit.save(m, f). */
  save(f: string): Promise<void> {
    return saveHandle(this[HANDLE], f);
  }

  /** Python's m.save_to_buffer(): the archive's bytes, which torch.jit.load reads. */
  saveToBuffer(): Promise<Buffer> {
    return saveHandleToBuffer(this[HANDLE]);
  }

  /**
   * Python's m.define(src): compiles TorchScript source (def name(self, ...): ...) into new methods.
   * Without Python's resolver a submodule is called by its method: self.fc.forward(x), not self.fc(x).
   */
  define(src: string): void {
    native.jitDefine(this[HANDLE], src);
    this.addMethods(native.jitInfo(this[HANDLE]).methods);
  }

  /** @internal for torch.jit.save */
  _scriptHandle(): ScriptHandle {
    return this[HANDLE];
  }

  /** The TorchScript module's training flags follow (its forward reads them). */
  train(...args: Parameters<Module['train']>): this {
    super.train(...args);
    native.jitTrain(this[HANDLE], this.training);
    return this;
  }

  /** to(), cuda(), double(), ...: the TorchScript module's slots take the converted tensors too. */
  _apply(fn: (t: Tensor) => Tensor): this {
    super._apply(fn);
    for (const [name, p] of this._ownParameters()) native.jitSetTensor(this[HANDLE], name, p._h);
    for (const [name, b] of this._ownBuffers()) if (b !== null) native.jitSetTensor(this[HANDLE], name, b._h);
    return this;
  }

  extraRepr(): string {
    return `original_name=${this.originalName}`;
  }

  _getName(): string {
    return 'RecursiveScriptModule';
  }
}
