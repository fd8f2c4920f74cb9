// torch.ops.aten.<name>(...): any operator of the running libtorch by its aten name, resolved like
// the generated functions; torch.ops.aten.<name>.<overload>(...) calls one overload exactly
// (`.default` is the unnamed one), numbers accepted for its tensors as in Python's torch.ops.
import { TorchError } from '../errors';
import { Resolver, resolverOf } from './resolve';
import { overloadNamed, schemaTexts } from './registry';

export type AtenOp = ((...args: unknown[]) => any) & { readonly [overload: string]: (...args: unknown[]) => any };

function overloadFn(name: string, overload: string): ((...args: unknown[]) => any) | undefined {
  const o = overloadNamed(name, overload);
  if (!o) return undefined;
  const r = new Resolver(`aten::${name}${o.schema.overload ? '.' + o.schema.overload : ''}()`, () => [o], true);
  return (...args: unknown[]) => r.call(args);
}

const packets = new Map<string, AtenOp>();

function packet(name: string): AtenOp | undefined {
  let p = packets.get(name);
  if (p) return p;
  if (!schemaTexts().has(name)) return undefined;
  const call = (...args: unknown[]): unknown => resolverOf(name).call(args);
  const overloads = new Map<string, (...args: unknown[]) => any>();
  p = new Proxy(call, {
    get(target, prop, receiver) {
      if (typeof prop !== 'string' || prop in target) return Reflect.get(target, prop, receiver);
      let f = overloads.get(prop);
      if (!f) {
        f = overloadFn(name, prop);
        if (!f) throw new TorchError(`aten::${name} has no overload '${prop}'`);
        overloads.set(prop, f);
      }
      return f;
    },
  }) as AtenOp;
  packets.set(name, p);
  return p;
}

/** torch.ops: the aten namespace of the operator registry. */
export const ops: { readonly aten: Readonly<Record<string, AtenOp>> } = {
  aten: new Proxy({} as Record<string, AtenOp>, {
    get(_, prop) {
      if (typeof prop !== 'string') return undefined;
      const p = packet(prop);
      if (!p) throw new TorchError(`torch.ops.aten has no operator '${prop}'`);
      return p;
    },
    has: (_, prop) => typeof prop === 'string' && schemaTexts().has(prop),
  }),
};
