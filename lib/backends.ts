// torch.backends: ATen's global switches, set as Python sets them (torch.backends.cudnn.benchmark =
// true before training lets cuDNN pick the fastest convolution algorithms), and
// torch.useDeterministicAlgorithms / setFloat32MatmulPrecision.
import { TorchError } from './errors';
import { native } from './native';
import { checkKeywords } from './keywords';

/** A boolean switch as a get/set property. */
function flag(name: string): PropertyDescriptor {
  return {
    get: () => native.backendFlag(name) as boolean,
    set: (on: unknown) => {
      if (typeof on !== 'boolean') throw new TorchError(`torch.backends.${name} must be set to a boolean, got ${typeof on}`);
      native.backendFlag(name, on);
    },
    enumerable: true,
  };
}

/** What an object of switches looks like to TypeScript. */
type Switches<K extends string> = { [key in K]: boolean };

export const cudnn = Object.defineProperties(
  {
    /** cuDNN's version (e.g. 8902), null without cuDNN */
    version: (): number | null => native.backendFlag('cudnn.version') as number | null,
    isAvailable: (): boolean => native.backendFlag('cudnn.available') as boolean,
  },
  {
    enabled: flag('cudnn.enabled'),
    benchmark: flag('cudnn.benchmark'),
    deterministic: flag('cudnn.deterministic'),
    allowTf32: flag('cudnn.allowTf32'),
  },
) as { version(): number | null; isAvailable(): boolean } & Switches<'enabled' | 'benchmark' | 'deterministic' | 'allowTf32'>;

export const cuda = {
  /** whether this libtorch was built with CUDA (torch.has_cuda), whether or not a GPU is present */
  isBuilt: (): boolean => native.cudaIsBuilt(),
  matmul: Object.defineProperties({}, { allowTf32: flag('cuda.matmul.allowTf32') }) as Switches<'allowTf32'>,
};

export const mkldnn = Object.defineProperties(
  { isAvailable: (): boolean => native.backendFlag('mkldnn.available') as boolean },
  { enabled: flag('mkldnn.enabled') },
) as { isAvailable(): boolean } & Switches<'enabled'>;

/** torch.backends.mps: Apple's Metal backend, never built into this addon (libtorch for Linux). */
export const mps = { isAvailable: (): boolean => false, isBuilt: (): boolean => false };

export const mkl = { isAvailable: (): boolean => native.backendFlag('mkl.available') as boolean };
export const openmp = { isAvailable: (): boolean => native.backendFlag('openmp.available') as boolean };

/** torch.use_deterministic_algorithms(mode, warn_only=False) */
export function useDeterministicAlgorithms(mode: boolean, options: { warnOnly?: boolean } = {}): void {
  checkKeywords('useDeterministicAlgorithms', options, ['warnOnly']);
  if (typeof mode !== 'boolean') throw new TorchError(`useDeterministicAlgorithms(): argument 'mode' must be bool, not ${typeof mode}`);
  native.backendFlag('deterministicAlgorithms', mode, options.warnOnly ?? false);
}

export function areDeterministicAlgorithmsEnabled(): boolean {
  return (native.backendFlag('deterministicAlgorithms') as [boolean, boolean])[0];
}

export function isDeterministicAlgorithmsWarnOnlyEnabled(): boolean {
  return (native.backendFlag('deterministicAlgorithms') as [boolean, boolean])[1];
}

const PRECISIONS = ['highest', 'high', 'medium'];

/** torch.set_float32_matmul_precision('highest' | 'high' | 'medium') */
export function setFloat32MatmulPrecision(precision: 'highest' | 'high' | 'medium'): void {
  if (!PRECISIONS.includes(precision)) {
    throw new TorchError(`setFloat32MatmulPrecision(): expected one of 'highest', 'high', 'medium', got ${JSON.stringify(precision)}`);
  }
  native.backendFlag('float32MatmulPrecision', precision);
}

export function getFloat32MatmulPrecision(): 'highest' | 'high' | 'medium' {
  return native.backendFlag('float32MatmulPrecision') as 'highest' | 'high' | 'medium';
}

// torch.backends.quantized: the quantized engine (onednn, qnnpack, ...)
export { quantized } from './ao/quantization/engine';
