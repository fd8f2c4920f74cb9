// nn.ModuleList: a list of submodules, registered as '0', '1', ... (not callable, as in PyTorch).
import { TorchError } from '../../errors';
import { Module } from '../module';
import { normalizeIndex, numberedKeys, renumber, sliceRange } from './numbered';
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
  }

  private items(): M[] {
    const self = this as unknown as Record<string, M>;
    return numberedKeys(this).map((k) => self[k]);
  }

  get length(): number {
    return numberedKeys(this).length;
  }

  [Symbol.iterator](): Iterator<M> {
    return this.items()[Symbol.iterator]();
  }

  at(index: number): M {
    const items = this.items();
    return items[normalizeIndex(index, items.length, 'ModuleList')];
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
    for (const m of modules) this.append(m);
    return this;
  }

  insert(index: number, module: M): void {
    const items = this.items();
    const n = items.length;
    const at = index < 0 ? Math.max(index + n, 0) : Math.min(index, n);
    items.splice(at, 0, module);
    renumber(this, items);
  }

  pop(index = -1): M {
    const items = this.items();
    const j = normalizeIndex(index, items.length, 'ModuleList');
    const [out] = items.splice(j, 1);
    renumber(this, items);
    return out;
  }

  forward(..._args: any[]): any {
    throw new TorchError('ModuleList is not callable: iterate over it in your forward');
  }
}
