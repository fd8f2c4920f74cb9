// torch.Generator: an independent random stream (CPU or CUDA), as PyTorch's, so samplers and
// initialisers seeded the same way draw the same numbers in Python and here.
import { native, Handle } from '../native';
import { Device, DeviceLike, toDevice } from './device';

type GeneratorHandle = { readonly __torchNodeGenerator: unique symbol };

interface GeneratorNative {
  generatorNew(device: string): GeneratorHandle;
  generatorDefault(device: string): GeneratorHandle;
  generatorManualSeed(g: GeneratorHandle, seed: number | bigint): void;
  generatorSeed(g: GeneratorHandle): bigint;
  generatorInitialSeed(g: GeneratorHandle): bigint;
  generatorDevice(g: GeneratorHandle): string;
  useThreadGenerator(seed: number | bigint): GeneratorHandle;
}
const gen = native as unknown as GeneratorNative;

export class Generator {
  /** @internal the native handle, passed as-is to operators taking `Generator? generator` */
  readonly _h: Handle;

  /** new torch.Generator(device = 'cpu') */
  constructor(device: DeviceLike = 'cpu', handle?: GeneratorHandle) {
    this._h = (handle ?? gen.generatorNew(toDevice(device).toString())) as unknown as Handle;
  }
  private get g(): GeneratorHandle {
    return this._h as unknown as GeneratorHandle;
  }
  /** Sets the seed; returns this generator, as Python's manual_seed does. */
  manualSeed(seed: number | bigint): this {
    gen.generatorManualSeed(this.g, seed);
    return this;
  }
  /** Reseeds from a non-deterministic source and returns the new seed. */
  seed(): bigint {
    return gen.generatorSeed(this.g);
  }
  initialSeed(): bigint {
    return gen.generatorInitialSeed(this.g);
  }
  get device(): Device {
    return toDevice(gen.generatorDevice(this.g));
  }
}

/** torch.default_generator: the CPU generator torch.manualSeed seeds. */
export const defaultGenerator = new Generator('cpu', gen.generatorDefault('cpu'));

/**
 * @internal DataLoader workers: this thread draws from its own CPU generator, seeded like a PyTorch
 * worker process (baseSeed + id); torch.manualSeed on this thread then seeds only that generator.
 */
export function useThreadGenerator(seed: number | bigint): void {
  threadGenerator = new Generator('cpu', gen.useThreadGenerator(seed));
}

let threadGenerator: Generator | undefined;

/** @internal the generator random factories use when given none: the worker's own, else libtorch's default */
export function implicitGenerator(): Generator | undefined {
  return threadGenerator;
}
