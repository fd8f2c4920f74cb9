// nn.Sequential: modules applied in order. Built from modules, or from named modules (a Map or a
// plain object, as Python's OrderedDict) whose names become the state_dict keys.
// Indexing is positional whatever the names, as Python's seq[i]: `seq[1]`, `seq[-1]`, at(),
// slice(), length and iteration all count the children in registration order, also after
// addModule, `seq[1] = module` (replaces the second child under its name), `delete seq[1]` (removes
// it and renumbers the rest '0', '1', ..., as Python's del seq[1]) or `delete seq.conv_1`.
import { TorchError } from '../../errors';
import { Module } from '../module';
import { chain } from '../intermediates';
import { batch, isAssignment, isBuilt, isDeferred, isDerived, isIndexKey, markBuilt, normalizeIndex, renumberModules, sliceRange, syncIndexProperties } from './numbered';

export class Sequential extends Module {
  [index: number]: Module;

  constructor(...modules: (Module | Map<string, Module> | Record<string, Module>)[]) {
    super();
    const first = modules[0];
    batch(this, () => {
      if (modules.length === 1 && !(first instanceof Module)) {
        const named = first instanceof Map ? [...first] : Object.entries(first);
        for (const [name, m] of named) this.addModule(name, m);
      } else {
        modules.forEach((m, i) => {
          if (!(m instanceof Module)) throw new TorchError(`${typeof m} is not a Module subclass`);
          this.addModule(String(i), m);
        });
      }
    });
    markBuilt(this);
  }

  get length(): number {
    return this._ownModuleSlots().length;
  }

  [Symbol.iterator](): Iterator<Module> {
    return this._ownModuleSlots().map(([, m]) => m as Module)[Symbol.iterator]();
  }

  /** seq.at(i): Python's seq[i], negatives counting from the end (seq[-1] reads the same). */
  at(index: number): Module {
    const slots = this._ownModuleSlots();
    return slots[normalizeIndex(index, slots.length, 'Sequential')][1] as Module;
  }

  /** seq.slice(1, 3): Python's seq[1:3], a Sequential of the same modules under the same names. */
  slice(start?: number, stop?: number): Sequential {
    const slots = this._ownModuleSlots();
    const [a, b] = sliceRange(slots.length, start, stop);
    return new (this.constructor as typeof Sequential)(new Map(slots.slice(a, b) as [string, Module][]));
  }

  append(module: Module): this {
    this.addModule(String(this.length), module);
    return this;
  }

  extend(modules: Iterable<Module>): this {
    batch(this, () => {
      for (const m of modules) this.append(m);
    });
    return this;
  }

  /** Python's insert: the children from `index` on move up one number ('1' to '2', ...), as its _modules do. */
  insert(index: number, module: Module): this {
    if (!(module instanceof Module)) throw new TorchError("module should be of type: <class 'torch.nn.modules.module.Module'>");
    const n = this.length;
    if (!(-n <= index && index <= n)) throw new TorchError(`Index out of range: ${index}`);
    if (index < 0) index += n;
    const raw = this._rawTarget();
    const slot = (key: string): unknown => {
      if (this._memberKind(key) !== 'module') throw new TorchError(`'${key}'`); // Python's KeyError
      return raw[key];
    };
    for (let i = n; i > index; i--) this._place(String(i), 'module', slot(String(i - 1)));
    this._place(String(index), 'module', module);
    this._membersChanged();
    return this;
  }

  /** Removes and returns the module at index; like Python, the rest are renumbered 0..n-2. */
  pop(index: number): Module {
    const out = this.at(index);
    delete (this as unknown as Record<number, Module>)[index];
    return out;
  }

  forward(input: unknown): any {
    return chain(input, this._ownModuleSlots().map(([, m]) => m as Module));
  }

  /** @internal `seq[i] = module`: Python's __setitem__, the i-th child replaced under its own name. */
  _defineOwn(key: string, desc: PropertyDescriptor): boolean {
    if (!isIndexKey(key)) return super._defineOwn(key, desc);
    if (isDerived(desc)) return true; // the index properties are rebuilt from the members
    const i = Number(key);
    if (isAssignment(desc) || i < 0 || isBuilt(this)) {
      const slots = this._ownModuleSlots();
      const [name] = slots[normalizeIndex(i, slots.length, 'Sequential')];
      return super._defineOwn(name, { value: desc.value });
    }
    return super._defineOwn(key, desc); // a deepcopy filling in its copy: by name
  }

  /** @internal `delete seq[i]`: Python's __delitem__ (the rest renumbered); `delete seq.name` removes that child only. */
  _deleteOwn(key: string): boolean {
    if (!isIndexKey(key)) return super._deleteOwn(key);
    const slots = this._ownModuleSlots();
    const [name] = slots[normalizeIndex(Number(key), slots.length, 'Sequential')];
    this._forget(name);
    renumberModules(this);
    return true;
  }

  /** @internal seq[i] and seq[-i] for every position whose name is not i */
  _membersChanged(): void {
    if (isDeferred(this)) return;
    const slots = this._ownModuleSlots();
    const n = slots.length;
    const want = new Map<string, unknown>();
    slots.forEach(([name, m], i) => {
      if (name !== String(i)) want.set(String(i), m);
      want.set(String(i - n), m);
    });
    syncIndexProperties(this, want);
  }
}
