// Tensor.apply_(fn), map_(other, fn), map2_(x, y, fn): PyTorch's CPU-only in-place maps that call a
// function per element (slow by design, as in Python; for custom scalar code, not for speed). The
// other tensors broadcast to this one's shape and must have its type; results are cast to the
// dtype as torch.tensor would cast them (integers truncate).
import { PyTypeError, TorchError, pyTypeName } from '../errors';
import { tensor } from './create';
import { typeName } from './type-names';
import { Tensor } from './tensor';

type Element = number | boolean;

function checkInputs(self: Tensor, others: Tensor[], name: string): void {
  if ([self, ...others].some((t) => t.requiresGrad)) throw new TorchError(`Can't call ${name}() on Variable that requires grad. Use var.detach().${name}() instead.`);
  if (self.device.type !== 'cpu') throw new PyTypeError(`${name} is only implemented on CPU tensors`);
  // complex elements have no JS number form (Python passes complex objects)
  if (self.isComplex()) throw new PyTypeError(`${name} does not take complex tensors here: apply it to torch.viewAsReal(x)`);
  const want = self.type() as string;
  others.forEach((o, i) => {
    const argument = others.length === 1 ? "'other'" : `argument '${['x', 'y'][i]}'`;
    if (o.type() !== want) throw new PyTypeError(`${name}: expected ${want} for ${argument} (got ${typeName(o.dtype, o.device.type)})`);
  });
}

/** The elements of t broadcast to shape, in row-major order. */
function elements(t: Tensor, shape: number[]): Element[] {
  return t.expand(shape).flatten().tolist() as Element[];
}

function checked(value: unknown): Element {
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  throw new PyTypeError(`must be real number, not ${pyTypeName(value)}`);
}

function mapInPlace(self: Tensor, name: string, others: Tensor[], fn: (...values: Element[]) => unknown): Tensor {
  checkInputs(self, others, name);
  if (self.numel() === 0) return self;
  if (typeof fn !== 'function') throw new PyTypeError(`'${pyTypeName(fn)}' object is not callable`);
  const own = elements(self, self.shape);
  const columns = others.map((o) => elements(o, self.shape));
  const results = own.map((v, i) => checked(fn(v, ...columns.map((c) => c[i]))));
  self.copy_(tensor(results, { dtype: self.dtype }).view(self.shape));
  return self;
}

declare module './tensor' {
  interface Tensor {
    /** x.apply_(fn): each element v replaced by fn(v), in place (CPU only, no autograd). */
    apply_(fn: (v: Element) => Element): this;
    /** x.map_(other, fn): each element replaced by fn(x, other) with other broadcast, in place. */
    map_(other: Tensor, fn: (a: Element, b: Element) => Element): this;
    /** x.map2_(a, b, fn): each element replaced by fn(x, a, b), a and b broadcast, in place. */
    map2_(x: Tensor, y: Tensor, fn: (a: Element, b: Element, c: Element) => Element): this;
  }
}

const methods: Record<string, (this: Tensor, ...args: never[]) => Tensor> = {
  apply_(this: Tensor, fn: (v: Element) => unknown) {
    return mapInPlace(this, 'apply_', [], fn);
  },
  map_(this: Tensor, other: Tensor, fn: (a: Element, b: Element) => unknown) {
    return mapInPlace(this, 'map_', [other], fn);
  },
  map2_(this: Tensor, x: Tensor, y: Tensor, fn: (a: Element, b: Element, c: Element) => unknown) {
    return mapInPlace(this, 'map2_', [x, y], fn);
  },
};
for (const [name, value] of Object.entries(methods)) {
  Object.defineProperty(Tensor.prototype, name, { value, writable: true, configurable: true });
}
