// nn.Sequential: modules applied in order. Built from modules, or from named modules (a Map or a
// plain object, as Python's OrderedDict) whose names become the state_dict keys.
import { TorchError } from '../../errors';
import { Module } from '../module';
import { chain } from '../intermediates';
import { normalizeIndex, numberedKeys, sliceRange } from './numbered';

export class Sequential extends Module {
  [index: number]: Module;

  constructor(...modules: (Module | Map<string, Module> | Record<string, Module>)[]) {
    super();
    const first = modules[0];
    if (modules.length === 1 && !(first instanceof Module)) {
      const named = first instanceof Map ? [...first] : Object.entries(first);
      for (const [name, m] of named) this.addModule(name, m);
    } else {
      modules.forEach((m, i) => {
        if (!(m instanceof Module)) throw new TorchError(`${typeof m} is not a Module subclass`);
        this.addModule(String(i), m);
      });
    }
  }

  get length(): number {
    return this._ownModules().length;
  }

  [Symbol.iterator](): Iterator<Module> {
    return this._ownModules().map(([, m]) => m)[Symbol.iterator]();
  }

  /** seq.at(-1): Python's seq[-1]. */
  at(index: number): Module {
    const mods = this._ownModules();
    return mods[normalizeIndex(index, mods.length, 'Sequential')][1];
  }

  /** seq.slice(1, 3): Python's seq[1:3], a Sequential of the same modules under the same names. */
  slice(start?: number, stop?: number): Sequential {
    const mods = this._ownModules();
    const [a, b] = sliceRange(mods.length, start, stop);
    return new (this.constructor as typeof Sequential)(new Map(mods.slice(a, b)));
  }

  append(module: Module): this {
    this.addModule(String(this.length), module);
    return this;
  }

  extend(modules: Iterable<Module>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  insert(index: number, module: Module): this {
    if (!(module instanceof Module)) throw new TorchError(`module should be of type: Module`);
    const mods = numberedKeys(this).map((k) => (this as unknown as Record<string, Module>)[k]);
    const n = mods.length;
    if (index < -n || index > n) throw new TorchError(`Index out of range: ${index}`);
    mods.splice(index < 0 ? index + n : index, 0, module);
    mods.forEach((m, i) => ((this as unknown as Record<string, Module>)[String(i)] = m));
    return this;
  }

  /** Removes and returns the module at index; like Python, the rest are renumbered 0..n-2. */
  pop(index: number): Module {
    const mods = this._ownModules();
    const j = normalizeIndex(index, mods.length, 'Sequential');
    const self = this as unknown as Record<string, Module>;
    for (const [k] of mods) delete self[k];
    const out = mods[j][1];
    mods.filter((_, i) => i !== j).forEach(([, m], i) => (self[String(i)] = m));
    return out;
  }

  forward(input: unknown): any {
    return chain(input, this._ownModules().map(([, m]) => m));
  }
}
