// nn.ModuleDict: submodules by name; the names are the state_dict key parts.
import { TorchError } from '../../errors';
import { Module } from '../module';

export class ModuleDict<M extends Module = Module> extends Module {
  [key: string]: unknown;

  constructor(modules?: Map<string, M> | Record<string, M> | Iterable<[string, M]>) {
    super();
    if (modules) this.update(modules);
  }

  get(key: string): M {
    const m = this._ownModules().find(([k]) => k === key);
    if (!m) throw new TorchError(`KeyError: '${key}'`);
    return m[1] as M;
  }

  set(key: string, module: M): this {
    this.addModule(key, module);
    return this;
  }

  has(key: string): boolean {
    return this._ownModules().some(([k]) => k === key);
  }

  delete(key: string): void {
    if (!this.has(key)) throw new TorchError(`KeyError: '${key}'`);
    delete (this as Record<string, unknown>)[key];
  }

  pop(key: string): M {
    const m = this.get(key);
    this.delete(key);
    return m;
  }

  clear(): void {
    for (const k of this.keys()) this.delete(k);
  }

  get size(): number {
    return this._ownModules().length;
  }

  keys(): string[] {
    return this._ownModules().map(([k]) => k);
  }

  values(): M[] {
    return this._ownModules().map(([, m]) => m as M);
  }

  items(): [string, M][] {
    return this._ownModules() as [string, M][];
  }

  [Symbol.iterator](): Iterator<string> {
    return this.keys()[Symbol.iterator]();
  }

  update(modules: Map<string, M> | Record<string, M> | Iterable<[string, M]>): void {
    const entries =
      modules instanceof Map || Symbol.iterator in (modules as object)
        ? [...(modules as Iterable<[string, M]>)]
        : Object.entries(modules as Record<string, M>);
    for (const [k, m] of entries) this.set(k, m);
  }

  forward(..._args: any[]): any {
    throw new TorchError('ModuleDict is not callable: look modules up by name in your forward');
  }
}
