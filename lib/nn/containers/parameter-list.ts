// nn.ParameterList: parameters registered as '0', '1', ...; plain tensors become Parameters.
import { TorchError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { Module } from '../module';
import { Parameter } from '../parameter';
import { normalizeIndex, numberedKeys } from './numbered';
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

  at(index: number): Parameter {
    const items = this.items();
    return items[normalizeIndex(index, items.length, 'ParameterList')];
  }

  /** Replaces entry i (a plain tensor becomes a Parameter, as Python's __setitem__). */
  set(index: number, value: Tensor): void {
    const j = normalizeIndex(index, this.length, 'ParameterList');
    (this as unknown as Record<string, Parameter>)[String(j)] = asParameter(value);
  }

  append(value: Tensor): this {
    this.registerParameter(String(this.length), asParameter(value));
    return this;
  }

  extend(values: Iterable<Tensor>): this {
    if (values instanceof Tensor) throw new TorchError('ParameterList.extend should be called with an iterable, but got Tensor');
    for (const v of values) this.append(v);
    return this;
  }

  extraRepr(): string {
    return this.items().map((p, k) => `  (${k}): ${parameterLine(p, p.dtype.toString())}`).join('\n');
  }

  forward(..._args: any[]): any {
    throw new TorchError('ParameterList should not be called.');
  }
}
