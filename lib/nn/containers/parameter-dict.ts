// nn.ParameterDict: parameters by name; plain tensors become Parameters.
import { TorchError } from '../../errors';
import { Tensor } from '../../tensor/tensor';
import { Module } from '../module';
import { Parameter } from '../parameter';
import { parameterLine, legacyTypeName } from './parameter-repr';
import { isDerived as isDerivedDesc } from './numbered';

export class ParameterDict extends Module {
  [key: string]: unknown;

  constructor(values?: Map<string, Tensor> | Record<string, Tensor> | Iterable<[string, Tensor]>) {
    super();
    if (values) this.update(values);
  }

  get(key: string): Parameter {
    const p = this._ownParameters().find(([k]) => k === key);
    if (!p || p[1] === null) throw new TorchError(`KeyError: '${key}'`);
    return p[1];
  }

  set(key: string, value: Tensor): this {
    if (!(value instanceof Tensor)) throw new TorchError(`ParameterDict holds tensors, got ${typeof value}`);
    this.registerParameter(key, value instanceof Parameter ? value : new Parameter(value));
    return this;
  }

  has(key: string): boolean {
    return this._ownParameters().some(([k]) => k === key);
  }

  delete(key: string): void {
    if (!this.has(key)) throw new TorchError(`KeyError: '${key}'`);
    delete (this as Record<string, unknown>)[key];
  }

  pop(key: string): Parameter {
    const p = this.get(key);
    this.delete(key);
    return p;
  }

  get size(): number {
    return this._ownParameters().length;
  }

  keys(): string[] {
    return this._ownParameters().map(([k]) => k);
  }

  values(): Parameter[] {
    return this._ownParameters().map(([, p]) => p as Parameter);
  }

  items(): [string, Parameter][] {
    return this._ownParameters() as [string, Parameter][];
  }

  [Symbol.iterator](): Iterator<string> {
    return this.keys()[Symbol.iterator]();
  }

  update(values: Map<string, Tensor> | Record<string, Tensor> | Iterable<[string, Tensor]>): void {
    const entries =
      values instanceof Map || Symbol.iterator in (values as object)
        ? [...(values as Iterable<[string, Tensor]>)]
        : Object.entries(values as Record<string, Tensor>);
    for (const [k, v] of entries) this.set(k, v);
  }

  extraRepr(): string {
    return this.items().map(([k, p]) => `  (${k}): ${parameterLine(p, legacyTypeName(p))}`).join('\n');
  }

  forward(..._args: any[]): any {
    throw new TorchError('ParameterDict should not be called.');
  }

  /** @internal `pd[key] = t`: Python's __setitem__, a plain tensor wrapped in a Parameter */
  _defineOwn(key: string, desc: PropertyDescriptor): boolean {
    const value = desc.value;
    if (!isDerivedDesc(desc) && value instanceof Tensor && !(value instanceof Parameter)) desc = { ...desc, value: new Parameter(value) };
    return super._defineOwn(key, desc);
  }
}
