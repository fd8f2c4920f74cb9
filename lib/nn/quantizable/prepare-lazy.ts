// The observed modules' fromFloat ends with prepare(observed, inplace); prepare's module imports these
// classes (its default custom config), so it is loaded on first use rather than at import.
import type { Module } from '../module';

export function prepareInPlace<M extends Module>(observed: M): M {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { prepare } = require('../../ao/quantization/quantize') as typeof import('../../ao/quantization/quantize');
  return prepare(observed, { inplace: true });
}
