// nn.ParameterList: parameters registered as '0', '1', ...; plain tensors become Parameters.
import { TorchError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { Module } from '../module';
import { Parameter } from '../parameter';
import { batch, isAssignment, isBuilt, isDeferred, isDerived, isIndexKey, markBuilt, normalizeIndex, numberedKeys, syncIndexProperties } from './numbered';
import { parameterLine } from './parameter-repr';
import { ArgsOf, signature } from '../../keywords';

/** ParameterList's parameters by name: ParameterList(values=None). */
export interface ParameterListArgs {
  values?: Iterable<Tensor> | null;
}
const PARAMETER_LIST = signature<ParameterListArgs>()([], ['values']);

function asParameter(v: Tensor): Parameter {
  if (!(v instanceof Tensor)) throw new TorchError(`ParameterList holds tensors, got ${typeof v}`);
  return v instanceof Parameter ? v : new Parameter(v);
}

export class ParameterList extends Module {
  [index: number]: Parameter;

  /** ParameterList(values?) or ParameterList({ values }) */
  constructor(...args: ArgsOf<typeof PARAMETER_LIST>) {
    super();
    this.extend(PARAMETER_LIST.bind('ParameterList', args).values ?? []);
    markBuilt(this);
  }

  private items(): Parameter[] {
    const self = this as unknown as Record<string, Parameter>;
    return numberedKeys(this).map((k) => self[k]);
  }

  get length(): number {
    return numberedKeys(this).length;
  }

  [Symbol.iterator](): Iterator<Parameter> {
    return this.items()[Symbol.iterator]();
  }

  /** list.at(i): Python's list[i] (pl[-1] reads the same). */
  at(index: number): Parameter {
    const items = this.items();
    return items[normalizeIndex(index, items.length, 'ParameterList')];
  }

  /** Replaces entry i (a plain tensor becomes a Parameter, as Python's __setitem__); `pl[i] = t` does the same. */
  set(index: number, value: Tensor): void {
    const j = normalizeIndex(index, this.length, 'ParameterList');
    (this as unknown as Record<string, Parameter>)[String(j)] = asParameter(value);
  }

  /** @internal `pl[i] = t` (i may be negative): Python's __setitem__, a plain tensor wrapped in a Parameter */
  _defineOwn(key: string, desc: PropertyDescriptor): boolean {
    if (!isIndexKey(key)) return super._defineOwn(key, desc);
    if (isDerived(desc)) return true; // pl[-i] is rebuilt from the members
    let value = desc.value;
    if (value instanceof Tensor && !(value instanceof Parameter)) value = new Parameter(value);
    if (isAssignment(desc) || key.startsWith('-') || isBuilt(this)) {
      return super._defineOwn(String(normalizeIndex(Number(key), this.length, 'ParameterList')), { value });
    }
    return super._defineOwn(key, { ...desc, value }); // a deepcopy filling in its copy
  }

  /** @internal Python's ParameterList has no __delitem__ */
  _deleteOwn(key: string): boolean {
    if (isIndexKey(key)) throw new TorchError('__delitem__');
    return super._deleteOwn(key);
  }

  /** @internal pl[-i] */
  _membersChanged(): void {
    if (isDeferred(this)) return;
    const items = this.items();
    const want = new Map<string, unknown>();
    items.forEach((p, i) => want.set(String(i - items.length), p));
    syncIndexProperties(this, want);
  }

  append(value: Tensor): this {
    this.registerParameter(String(this.length), asParameter(value));
    return this;
  }

  extend(values: Iterable<Tensor>): this {
    if (values instanceof Tensor) throw new TorchError('ParameterList.extend should be called with an iterable, but got Tensor');
    batch(this, () => {
      for (const v of values) this.append(v);
    });
    return this;
  }

  extraRepr(): string {
    return this.items().map((p, k) => `  (${k}): ${parameterLine(p, p.dtype.toString())}`).join('\n');
  }

  forward(..._args: any[]): any {
    throw new TorchError('ParameterList should not be called.');
  }
}
