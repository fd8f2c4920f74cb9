// Tensor.cfloat() / cdouble(): Python's casts to complex64 / complex128 (like float() and double()).
import { Tensor } from './tensor';
import { complex64, complex128 } from './dtype';

declare module './tensor' {
  interface Tensor {
    /** x.cfloat(): x as complex64 (itself when it already is). */
    cfloat(): Tensor;
    /** x.cdouble(): x as complex128 (itself when it already is). */
    cdouble(): Tensor;
  }
}

for (const [name, dtype] of [['cfloat', complex64], ['cdouble', complex128]] as const) {
  Object.defineProperty(Tensor.prototype, name, {
    value: function (this: Tensor): Tensor {
      return this.to(dtype);
    },
    writable: true,
    configurable: true,
  });
}
