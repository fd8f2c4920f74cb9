// torch.amp.GradScaler / torch.cuda.amp.GradScaler: dynamic loss scaling for mixed precision
// training, PyTorch's algorithm and state machine. Per iteration: scale(loss).backward(), then
// step(optimizer) (unscales the gradients, skips the step when any is inf/NaN), then update()
// (backs the scale off after an overflow, grows it after growthInterval clean steps).
//
// The checks and the scale update stay on the device, as tensors (no host sync but the one step()
// needs to decide). libtorch's fused kernels (_amp_foreach_non_finite_check_and_unscale_,
// _amp_update_scale_) are used where the backend has them (CUDA; CPU from libtorch 2.x); elsewhere
// the same arithmetic runs as ordinary tensor ops.
import { TorchError, warn } from '../errors';
import { Tensor } from '../tensor/tensor';
import { aten } from '../tensor/aten';
import { full } from '../tensor/create';
import { float16, float32, int32 } from '../tensor/dtype';
import { noGrad } from '../autograd/grad-mode';
import { native } from '../native';
import { checkKeywords, keysOf } from '../keywords';

/** What GradScaler needs of an optimizer (lib/optim's Optimizer has it). */
export interface ScalableOptimizer {
  paramGroups: { params: Tensor[] }[];
  step(closure?: () => unknown): unknown;
}

export interface GradScalerOptions {
  initScale?: number;
  growthFactor?: number;
  backoffFactor?: number;
  growthInterval?: number;
  enabled?: boolean;
}
const GRAD_SCALER_KEYS = keysOf<GradScalerOptions>()('initScale', 'growthFactor', 'backoffFactor', 'growthInterval', 'enabled');

/** state_dict() in PyTorch's layout (keys as Python writes them). */
export interface GradScalerState {
  scale: number;
  growth_factor: number;
  backoff_factor: number;
  growth_interval: number;
  _growth_tracker: number;
}

enum Stage {
  READY,
  UNSCALED,
  STEPPED,
}

interface OptimizerState {
  stage: Stage;
  /** device string -> a 1-element float tensor, > 0 when a gradient there was inf/NaN */
  foundInfPerDevice: Map<string, Tensor>;
}

/** Anything scale() accepts: a tensor or arrays/objects of them (PyTorch's iterables). */
export type Scalable = Tensor | Scalable[] | { [key: string]: Scalable };

const ops = {
  unscale: aten('_amp_foreach_non_finite_check_and_unscale_'),
  updateScale: aten('_amp_update_scale_'),
  mul_: aten('mul_', 'Tensor'),
  mul: aten('mul', 'Tensor'),
  isfinite: aten('isfinite'),
  all: aten('all'),
  logicalNot: aten('logical_not'),
  maximum: aten('maximum'),
  copy_: aten('copy_'),
  where: aten('where', 'self'),
  eq: aten('eq', 'Scalar'),
  add: aten('add', 'Scalar'),
  logicalAnd: aten('logical_and'),
  logicalOr: aten('logical_or'),
  gt: aten('gt', 'Scalar'),
} as const;

/** Device types whose backend lacks a fused kernel (learned on first use). */
const missingKernels = new Map<string, boolean>();

function isMissingKernel(e: unknown): boolean {
  return e instanceof TorchError && /Could not run|not implemented for|NotImplementedError/.test(e.message);
}

/** Runs the fused kernel if the device's backend has it, else the fallback. */
function fusedOr(name: string, device: string, fused: () => void, fallback: () => void): void {
  const key = `${name}@${device.replace(/:\d+$/, '')}`;
  if (!missingKernels.get(key)) {
    try {
      fused();
      return;
    } catch (e) {
      if (!isMissingKernel(e)) throw e;
      missingKernels.set(key, true);
    }
  }
  fallback();
}

/** _amp_foreach_non_finite_check_and_unscale_: grads *= invScale; foundInf = 1 if any is inf/NaN. */
function unscaleGrads(grads: Tensor[], foundInf: Tensor, invScale: Tensor): void {
  fusedOr(
    'unscale',
    foundInf.device.toString(),
    () => ops.unscale([grads, foundInf, invScale]),
    () => {
      for (const g of grads) {
        const bad = (ops.logicalNot([ops.all([ops.isfinite([g])])]) as Tensor).to(float32).reshape([1]);
        foundInf.copy_(ops.maximum([foundInf, bad]) as Tensor);
        ops.mul_([g, invScale]);
      }
    },
  );
}

/**
 * _amp_update_scale_: after an overflow scale *= backoff and the tracker resets; after
 * growthInterval clean steps in a row scale *= growth (if that stays finite) and the tracker resets.
 */
function updateScale(scale: Tensor, tracker: Tensor, foundInf: Tensor, growth: number, backoff: number, interval: number): void {
  fusedOr(
    'update_scale',
    scale.device.toString(),
    () => ops.updateScale([scale, tracker, foundInf, growth, backoff, interval]),
    () => {
      const found = ops.gt([foundInf, 0]) as Tensor;
      const successful = ops.add([tracker, 1]) as Tensor;
      const grown = scale.mul(growth);
      const grow = ops.logicalAnd([
        ops.logicalAnd([ops.logicalNot([found]), ops.eq([successful, interval])]),
        ops.isfinite([grown]),
      ]) as Tensor;
      const nextScale = ops.where([found, scale.mul(backoff), ops.where([grow, grown, scale])]) as Tensor;
      const reset = ops.logicalOr([found, ops.eq([successful, interval])]) as Tensor;
      const nextTracker = ops.where([reset, full([1], 0, { dtype: int32, device: tracker.device }), successful]) as Tensor;
      scale.copy_(nextScale);
      tracker.copy_(nextTracker);
    },
  );
}

export class GradScaler {
  readonly device: string;
  private enabled: boolean;
  private initScale: number;
  private growthFactor: number;
  private backoffFactor: number;
  private growthInterval: number;
  private initGrowthTracker = 0;
  private scaleTensor: Tensor | null = null;
  private growthTracker: Tensor | null = null;
  private perOptimizer = new Map<ScalableOptimizer, OptimizerState>();

  /**
   * torch.amp.GradScaler(device, { initScale, growthFactor, backoffFactor, growthInterval, enabled });
   * GradScaler({ ... }) alone is for CUDA, as torch.cuda.amp.GradScaler(...) is.
   */
  constructor(options?: GradScalerOptions);
  constructor(device?: 'cuda' | 'cpu' | string, options?: GradScalerOptions);
  constructor(deviceOrOptions: string | GradScalerOptions = 'cuda', options: GradScalerOptions = {}) {
    if (typeof deviceOrOptions === 'object' && deviceOrOptions !== null) [deviceOrOptions, options] = ['cuda', deviceOrOptions];
    if (typeof deviceOrOptions !== 'string') throw new TorchError(`GradScaler: device must be a string such as 'cuda', got ${String(deviceOrOptions)}`);
    const device = deviceOrOptions;
    checkKeywords('GradScaler', options, GRAD_SCALER_KEYS);
    this.device = device;
    this.initScale = options.initScale ?? 2.0 ** 16;
    this.growthFactor = options.growthFactor ?? 2.0;
    this.backoffFactor = options.backoffFactor ?? 0.5;
    this.growthInterval = options.growthInterval ?? 2000;
    this.enabled = options.enabled ?? true;
    if (this.enabled && device === 'cuda' && native.cudaDeviceCount() === 0) {
      warn('torch.cuda.amp.GradScaler is enabled, but CUDA is not available.  Disabling.');
      this.enabled = false;
    }
    if (this.enabled) {
      if (!(this.growthFactor > 1.0)) throw new TorchError('The growth factor must be > 1.0.');
      if (!(this.backoffFactor < 1.0)) throw new TorchError('The backoff factor must be < 1.0.');
    }
  }

  isEnabled(): boolean {
    return this.enabled;
  }

  /** Multiplies outputs (a tensor, or arrays/objects of them) by the scale factor. */
  scale<T extends Scalable>(outputs: T): T {
    if (!this.enabled) return outputs;
    if (outputs instanceof Tensor) {
      const scale = this.lazyInit(outputs);
      return outputs.mul(scale.device.equals(outputs.device) ? scale : scale.to(outputs.device, { nonBlocking: true })) as T;
    }
    if (Array.isArray(outputs)) return outputs.map((o) => this.scale(o)) as T;
    if (outputs !== null && typeof outputs === 'object') {
      const out: Record<string, Scalable> = {};
      for (const [k, v] of Object.entries(outputs)) out[k] = this.scale(v);
      return out as T;
    }
    throw new TorchError('outputs must be a Tensor or an iterable of Tensors');
  }

  private lazyInit(like: Tensor): Tensor {
    if (this.scaleTensor === null) {
      this.scaleTensor = full([1], this.initScale, { dtype: float32, device: like.device });
      this.growthTracker = full([1], this.initGrowthTracker, { dtype: int32, device: like.device });
    }
    return this.scaleTensor;
  }

  private checkInitialized(funcname: string): [Tensor, Tensor] {
    const fix = 'This may indicate your script did not use scaler.scale(loss or outputs) earlier in the iteration.';
    if (this.scaleTensor === null) throw new TorchError(`Attempted ${funcname} but _scale is None.  ${fix}`);
    if (this.growthTracker === null) throw new TorchError(`Attempted ${funcname} but _growth_tracker is None.  ${fix}`);
    return [this.scaleTensor, this.growthTracker];
  }

  private stateOf(optimizer: ScalableOptimizer): OptimizerState {
    let state = this.perOptimizer.get(optimizer);
    if (!state) this.perOptimizer.set(optimizer, (state = { stage: Stage.READY, foundInfPerDevice: new Map() }));
    return state;
  }

  /** Divides the optimizer's gradients by the scale in place (e.g. before clipping them). */
  unscale_(optimizer: ScalableOptimizer): void {
    if (!this.enabled) return;
    const [scale] = this.checkInitialized('unscale_');
    const state = this.stateOf(optimizer);
    if (state.stage === Stage.UNSCALED) throw new TorchError('unscale_() has already been called on this optimizer since the last update().');
    if (state.stage === Stage.STEPPED) throw new TorchError('unscale_() is being called after step().');
    noGrad(() => {
      // as PyTorch: the reciprocal in double, then float
      const invScale = scale.double().reciprocal().float();
      const foundInf = full([1], 0.0, { dtype: float32, device: scale.device });
      state.foundInfPerDevice = this.unscaleGrads(optimizer, invScale, foundInf);
    });
    state.stage = Stage.UNSCALED;
  }

  private unscaleGrads(optimizer: ScalableOptimizer, invScale: Tensor, foundInf: Tensor): Map<string, Tensor> {
    // gradients grouped by device and dtype, as the fused kernel wants them
    const groups = new Map<string, { device: string; grads: Tensor[] }>();
    for (const group of optimizer.paramGroups) {
      for (const p of group.params) {
        const g = p.grad;
        if (g === null) continue;
        if (g.dtype === float16) throw new TorchError('Attempting to unscale FP16 gradients.');
        const device = g.device.toString();
        const key = `${device}/${g.dtype.name}`;
        let entry = groups.get(key);
        if (!entry) groups.set(key, (entry = { device, grads: [] }));
        entry.grads.push(g);
      }
    }
    const perDevice = new Map<string, { foundInf: Tensor; invScale: Tensor }>();
    for (const { device, grads } of groups.values()) {
      let d = perDevice.get(device);
      if (!d) {
        const same = foundInf.device.toString() === device;
        d = {
          foundInf: same ? foundInf : foundInf.to(device, { copy: true }),
          invScale: same ? invScale : invScale.to(device),
        };
        perDevice.set(device, d);
      }
      unscaleGrads(grads, d.foundInf, d.invScale);
    }
    return new Map([...perDevice].map(([device, d]) => [device, d.foundInf]));
  }

  /**
   * Unscales the gradients (unless unscale_ was called) and runs optimizer.step() unless one of
   * them was inf/NaN; returns what step returned (undefined when skipped).
   */
  step(optimizer: ScalableOptimizer, ...args: unknown[]): unknown {
    if (!this.enabled) return (optimizer.step as (...a: unknown[]) => unknown)(...args);
    if (args.some((a) => typeof a === 'function')) {
      throw new TorchError('Closure use is not currently supported if GradScaler is enabled.');
    }
    this.checkInitialized('step');
    const state = this.stateOf(optimizer);
    if (state.stage === Stage.STEPPED) throw new TorchError('step() has already been called since the last update().');
    if (state.stage === Stage.READY) this.unscale_(optimizer);
    if (state.foundInfPerDevice.size === 0) throw new TorchError('No inf checks were recorded for this optimizer.');
    let retval: unknown;
    let infs = 0;
    for (const f of state.foundInfPerDevice.values()) infs += f.item() as number;
    if (!infs) retval = (optimizer.step as (...a: unknown[]) => unknown)(...args);
    state.stage = Stage.STEPPED;
    return retval;
  }

  /** Updates the scale after the iteration's steps (or sets it to newScale). */
  update(newScale?: number | Tensor): void {
    if (!this.enabled) return;
    const [scale, tracker] = this.checkInitialized('update');
    noGrad(() => {
      if (newScale !== undefined) {
        if (typeof newScale === 'number') scale.fill_(newScale);
        else {
          const reason = 'new_scale should be a float or a 1-element torch.cuda.FloatTensor with requires_grad=False.';
          if (newScale.numel() !== 1 || newScale.requiresGrad || newScale.dtype !== float32) throw new TorchError(reason);
          scale.copy_(newScale);
        }
      } else {
        const foundInfs: Tensor[] = [];
        for (const state of this.perOptimizer.values()) {
          for (const f of state.foundInfPerDevice.values()) foundInfs.push(f.to(scale.device, { nonBlocking: true }));
        }
        if (foundInfs.length === 0) throw new TorchError('No inf checks were recorded prior to update.');
        let combined = foundInfs[0];
        for (let i = 1; i < foundInfs.length; i++) combined = combined.add(foundInfs[i]);
        updateScale(scale, tracker, combined, this.growthFactor, this.backoffFactor, this.growthInterval);
      }
    });
    this.perOptimizer = new Map();
  }

  /** The current scale as a number (a host sync); 1 when disabled. */
  getScale(): number {
    if (!this.enabled) return 1.0;
    return this.scaleTensor === null ? this.initScale : (this.scaleTensor.item() as number);
  }

  getGrowthFactor(): number {
    return this.growthFactor;
  }
  setGrowthFactor(value: number): void {
    this.growthFactor = value;
  }
  getBackoffFactor(): number {
    return this.backoffFactor;
  }
  setBackoffFactor(value: number): void {
    this.backoffFactor = value;
  }
  getGrowthInterval(): number {
    return this.growthInterval;
  }
  setGrowthInterval(value: number): void {
    this.growthInterval = value;
  }

  private getGrowthTracker(): number {
    if (!this.enabled) return 0;
    return this.growthTracker === null ? this.initGrowthTracker : (this.growthTracker.item() as number);
  }

  /** state_dict(): PyTorch's keys; {} when disabled. */
  stateDict(): GradScalerState | Record<string, never> {
    if (!this.enabled) return {};
    return {
      scale: this.getScale(),
      growth_factor: this.growthFactor,
      backoff_factor: this.backoffFactor,
      growth_interval: this.growthInterval,
      _growth_tracker: this.getGrowthTracker(),
    };
  }

  loadStateDict(stateDict: Partial<GradScalerState>): void {
    if (!this.enabled) return;
    if (Object.keys(stateDict).length === 0) {
      throw new TorchError(
        'The source state dict is empty, possibly because it was saved from a disabled instance of GradScaler.',
      );
    }
    const need = (k: keyof GradScalerState): number => {
      const v = stateDict[k];
      if (typeof v !== 'number') throw new TorchError(`GradScaler state dict is missing '${k}'`);
      return v;
    };
    this.initScale = need('scale');
    this.growthFactor = need('growth_factor');
    this.backoffFactor = need('backoff_factor');
    this.growthInterval = need('growth_interval');
    this.initGrowthTracker = need('_growth_tracker');
    noGrad(() => {
      this.scaleTensor?.fill_(this.initScale);
      this.growthTracker?.fill_(this.initGrowthTracker);
    });
  }
}
