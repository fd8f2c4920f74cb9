// What Inception v3 and GoogLeNet share besides BasicConv2d: their outputs named tuples,
// transform_input and the FutureWarning of their default init.
import { Tensor } from '../../tensor/tensor';
import { cat } from '../../tensor/functions';
import { warn } from '../../errors';

/**
 * A Python namedtuple of tensors: the array of `values`, which also answers to the camelCase names and
 * prints as Python's `Type(name=tensor(...), ...)`.
 */
export function outputsTuple<T extends (Tensor | null)[]>(typeName: string, pyNames: readonly string[], values: T): T {
  pyNames.forEach((name, i) => Object.defineProperty(values, camelName(name), { value: values[i], enumerable: false }));
  const repr = (): string => `${typeName}(${pyNames.map((n, i) => `${n}=${values[i] === null ? 'None' : String(values[i])}`).join(', ')})`;
  Object.defineProperty(values, 'toString', { value: repr, enumerable: false });
  Object.defineProperty(values, Symbol.for('nodejs.util.inspect.custom'), { value: repr, enumerable: false });
  return values;
}
const camelName = (name: string): string => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * Inception3's and GoogLeNet's transform_input: ImageNet-normalised input re-normalised to the
 * [-1, 1] scaling of the weights ported from TensorFlow. `x` itself when off.
 */
export function transformInputOf(x: Tensor, on: boolean): Tensor {
  if (!on) return x;
  const ch = (i: number, std: number, mean: number) => x.select(1, i).unsqueeze(1).mul(std / 0.5).add((mean - 0.5) / 0.5);
  const parts = [ch(0, 0.229, 0.485), ch(1, 0.224, 0.456), ch(2, 0.225, 0.406)];
  const out = cat(parts, 1);
  for (const p of parts) p.dispose();
  return out;
}

/** torchvision's FutureWarning about the default init (initWeights: null), once, as Python shows it once per place. */
export function warnDefaultInit(model: string): void {
  warn(
    `The default weight initialization of ${model} will be changed in future releases of torchvision. If you wish to keep the old behavior ` +
      '(which leads to long initialization times due to scipy/scipy#11299), please set initWeights=True.',
    'FutureWarning',
  );
}
