// torch.Generator: an independent random stream (CPU or CUDA), as PyTorch's, so samplers and
// initialisers seeded the same way draw the same numbers in Python and here.
import { TorchError, warn } from '../errors';
import { native, Handle } from '../native';
import { Device, DeviceLike, toDevice } from './device';
import { Tensor } from './tensor';
import { checkKeywords, keysOf } from '../keywords';
import { thenCleanUp } from '../settle';

type GeneratorHandle = { readonly __torchNodeGenerator: unique symbol };

interface GeneratorNative {
  generatorNew(device: string): GeneratorHandle;
  generatorDefault(device: string): GeneratorHandle;
  generatorManualSeed(g: GeneratorHandle, seed: number | bigint): void;
  generatorSeed(g: GeneratorHandle): bigint;
  generatorInitialSeed(g: GeneratorHandle): bigint;
  generatorDevice(g: GeneratorHandle): string;
  useThreadGenerator(seed: number | bigint): GeneratorHandle;
  generatorGetState(g: GeneratorHandle): Handle;
  generatorSetState(g: GeneratorHandle, state: Handle | unknown): void;
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
  /** A copy of the generator's state as a uint8 tensor (PyTorch's byte layout). */
  getState(): Tensor {
    return new Tensor(gen.generatorGetState(this.g));
  }
  /** Restores a state from getState() (here or from Python); returns this, as Python does. */
  setState(state: Tensor): this {
    gen.generatorSetState(this.g, state instanceof Tensor ? state._h : state);
    return this;
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

/** The CPU generator that torch.manualSeed seeds on this thread (a DataLoader worker's own one). */
function currentCpuGenerator(): Generator {
  return threadGenerator ?? defaultGenerator;
}

/** torch.get_rng_state(): the CPU random state as a uint8 tensor, byte-equal to Python's. */
export function getRngState(): Tensor {
  return currentCpuGenerator().getState();
}

/** torch.set_rng_state(state): restores a state from getRngState() (or Python's get_rng_state()). */
export function setRngState(newState: Tensor): void {
  currentCpuGenerator().setState(newState);
}

/** torch.cuda.default_generators[index]: the generator CUDA random ops on that device draw from. */
export function defaultCudaGenerator(index: number): Generator {
  return new Generator(`cuda:${index}`, gen.generatorDefault(`cuda:${index}`));
}

export interface ForkRngOptions {
  /** CUDA device indices whose generators are forked too; default: every CUDA device */
  devices?: Iterable<number>;
  /** false: fn runs without forking */
  enabled?: boolean;
}

const FORK_RNG_KEYS = keysOf<ForkRngOptions>()('devices', 'enabled');

let forkRngWarned = false;

/**
 * torch.random.fork_rng: runs fn (sync or async) and then puts the CPU random state (and that of
 * the CUDA devices given) back as it was before, whatever fn drew.
 */
export function forkRng<T>(fn: () => T): T;
export function forkRng<T>(options: ForkRngOptions, fn: () => T): T;
export function forkRng<T>(optionsOrFn: ForkRngOptions | (() => T), maybeFn?: () => T): T {
  const options = typeof optionsOrFn === 'function' ? {} : optionsOrFn;
  const fn = typeof optionsOrFn === 'function' ? optionsOrFn : maybeFn;
  if (typeof fn !== 'function') throw new TorchError('forkRng expects a function to run as its last argument');
  checkKeywords('forkRng', options, FORK_RNG_KEYS);
  if (options.enabled === false) return fn();
  let devices = options.devices;
  if (devices === undefined) {
    const count = native.cudaDeviceCount();
    if (count > 1 && !forkRngWarned) {
      warn(
        `CUDA reports that you have ${count} available devices, and you have used forkRng without explicitly specifying which ` +
          'devices are being used. For safety, we initialize *every* CUDA device by default, which can be quite slow if you have ' +
          "a lot of GPUs. Pass the 'devices' option with the devices you actually use (devices: [] for CPU only).",
      );
      forkRngWarned = true;
    }
    devices = Array.from({ length: count }, (_, i) => i);
  }
  const cuda = [...devices].map(defaultCudaGenerator);
  const cpuState = getRngState();
  const cudaStates = cuda.map((g) => g.getState());
  const restore = (): void => {
    setRngState(cpuState);
    cuda.forEach((g, i) => g.setState(cudaStates[i]));
  };
  return thenCleanUp(fn, restore);
}
