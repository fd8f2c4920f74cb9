// nn.ModuleList: a list of submodules, registered as '0', '1', ... (not callable, as in PyTorch).
import { TorchError } from '../../errors';
import { Module } from '../module';
import { batch, isAssignment, isBuilt, isDeferred, isDerived, isIndexKey, markBuilt, normalizeIndex, renumberModules, sliceRange, syncIndexProperties } from './numbered';
import { Call, signature } from '../../keywords';

/** ModuleList's parameters by name: ModuleList(modules=None). */
export interface ModuleListArgs<M extends Module = Module> {
  modules?: Iterable<M> | null;
}
const MODULE_LIST = signature<ModuleListArgs>()([], ['modules']);

export class ModuleList<M extends Module = Module> extends Module {
  [index: number]: M;

  /** ModuleList(modules?) or ModuleList({ modules }) */
  constructor(...args: Call<ModuleListArgs<M>, [], typeof MODULE_LIST.positional>) {
    super();
    const { modules } = MODULE_LIST.bind('ModuleList', args) as ModuleListArgs<M>;
    this.extend(modules ?? []);
    markBuilt(this);
  }

  /** Python's _modules.values(), in order */
  private items(): M[] {
    return this._ownModuleSlots().map(([, m]) => m as M);
  }

  /** Python's _get_abs_string_index: the name list[i] reads ('2' for -1 of three), IndexError out of range */
  private absName(index: number): string {
    return String(normalizeIndex(index, this.length, 'ModuleList'));
  }

  get length(): number {
    return this._ownModuleSlots().length;
  }

  [Symbol.iterator](): Iterator<M> {
    return this.items()[Symbol.iterator]();
  }

  /** list.at(i): Python's list[i] (ml[-1] reads the same). */
  at(index: number): M {
    const name = this.absName(index);
    if (this._memberKind(name) !== 'module') throw new TorchError(`'${name}'`); // Python's KeyError
    return this._rawTarget()[name] as M;
  }

  /** Python's list[a:b]: a new ModuleList of the same modules. */
  slice(start?: number, stop?: number): ModuleList<M> {
    const items = this.items();
    const [a, b] = sliceRange(items.length, start, stop);
    return new ModuleList(items.slice(a, b));
  }

  append(module: M): this {
    this.addModule(String(this.length), module);
    return this;
  }

  extend(modules: Iterable<M>): this {
    if (!modules || typeof (modules as Iterable<M>)[Symbol.iterator] !== 'function') {
      throw new TorchError(`ModuleList.extend should be called with an iterable, but got ${typeof modules}`);
    }
    batch(this, () => {
      for (const m of modules) this.append(m);
    });
    return this;
  }

  insert(index: number, module: M): void {
    const items = this.items();
    const n = items.length;
    const at = index < 0 ? Math.max(index + n, 0) : Math.min(index, n);
    items.splice(at, 0, module);
    for (const [k] of this._ownModuleSlots()) this._forget(k);
    items.forEach((m, i) => this._place(String(i), 'module', m));
    this._membersChanged();
  }

  /** Removes and returns the module at index (the last by default); the rest are renumbered, as Python's. */
  pop(index = -1): M {
    const out = this.at(index);
    delete (this as unknown as Record<string, M>)[this.absName(index)];
    return out;
  }

  forward(..._args: any[]): any {
    throw new TorchError('ModuleList is not callable: iterate over it in your forward');
  }

  /** @internal `list[i] = module` (i may be negative): Python's __setitem__, setattr(self, str(i), module) */
  _defineOwn(key: string, desc: PropertyDescriptor): boolean {
    if (!isIndexKey(key)) return super._defineOwn(key, desc);
    if (isDerived(desc)) return true; // list[-i] is rebuilt from the members
    if (isAssignment(desc) || key.startsWith('-') || isBuilt(this)) return super._defineOwn(this.absName(Number(key)), { value: desc.value });
    return super._defineOwn(key, desc); // a deepcopy filling in its copy
  }

  /** @internal `delete list[i]`: Python's __delitem__, the rest renumbered */
  _deleteOwn(key: string): boolean {
    if (!isIndexKey(key)) return super._deleteOwn(key);
    this._forget(this.absName(Number(key)));
    renumberModules(this);
    return true;
  }

  /** @internal list[-i]: Python's _modules[str(len - i)] */
  _membersChanged(): void {
    if (isDeferred(this)) return;
    const n = this.length;
    const raw = this._rawTarget();
    const want = new Map<string, unknown>();
    for (let i = 1; i <= n; i++) {
      const name = String(n - i);
      if (this._memberKind(name) === 'module') want.set(String(-i), raw[name]);
    }
    syncIndexProperties(this, want);
  }
}
