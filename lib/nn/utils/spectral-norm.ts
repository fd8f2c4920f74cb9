// nn.utils.spectral_norm / remove_spectral_norm (the hook-based form), as PyTorch 1.13:
// module.<name> becomes the parameter <name>_orig and the buffers <name>_u, <name>_v (state_dict
// keys 'weight_orig', 'weight_u', 'weight_v'); a forward pre-hook sets the plain attribute
// <name> = <name>_orig / sigma, sigma = u . (W v) after one power-iteration step per training
// forward. The vectors start from normal_ draws, so the same torch.manualSeed gives Python's.
// (Python's state_dict metadata version and the load-time conversion of version-0 checkpoints,
// which stored `weight` instead of `weight_v`, have no counterpart here.)
import { Tensor, TorchError, noGrad, dot, mv } from '../functional/torch';
import { Module } from '../module';
import { Parameter } from '../parameter';
import { normalize } from '../functional/normalization';
import { ArgsOf, signature } from '../../keywords';
import { delattr, getattr, isParameterName, removeTaggedHook, setPlain, taggedHooks } from './members';
import { defaultSpectralDim, SPECTRAL_NORM } from './parametrizations';

const FN = Symbol('torch-node spectral norm');
type Hook = ((module: Module, inputs: unknown[]) => undefined) & { [FN]: SpectralNorm };

const spectralNormHooks = (module: Module): [number, SpectralNorm][] => taggedHooks<SpectralNorm>(module, FN);

/** The spectral-norm hook of one tensor (Python's SpectralNorm). */
export class SpectralNorm {
  readonly name: string;
  readonly dim: number;
  readonly nPowerIterations: number;
  readonly eps: number;

  constructor(name = 'weight', nPowerIterations = 1, dim = 0, eps = 1e-12) {
    this.name = name;
    this.dim = dim;
    if (nPowerIterations <= 0) throw new TorchError(`Expected n_power_iterations to be positive, but got n_power_iterations=${nPowerIterations}`);
    this.nPowerIterations = nPowerIterations;
    this.eps = eps;
  }

  /** The weight as a matrix: `dim` first, the rest flattened. */
  reshapeWeightToMatrix(weight: Tensor): Tensor {
    let mat = weight;
    if (this.dim !== 0) {
      const others = Array.from({ length: mat.dim() }, (_, d) => d).filter((d) => d !== this.dim);
      mat = mat.permute(this.dim, ...others);
    }
    return mat.reshape(mat.size(0), -1);
  }

  /** <name>_orig / sigma, after nPowerIterations steps updating <name>_u and <name>_v in place when asked. */
  computeWeight(module: Module, doPowerIteration: boolean): Tensor {
    const weight = getattr(module, `${this.name}_orig`) as Tensor;
    let u = getattr(module, `${this.name}_u`) as Tensor;
    let v = getattr(module, `${this.name}_v`) as Tensor;
    const weightMat = this.reshapeWeightToMatrix(weight);
    if (doPowerIteration) {
      noGrad(() => {
        for (let i = 0; i < this.nPowerIterations; i++) {
          v.copy_(normalize(mv(weightMat.t(), u), { dim: 0, eps: this.eps }));
          u.copy_(normalize(mv(weightMat, v), { dim: 0, eps: this.eps }));
        }
        if (this.nPowerIterations > 0) {
          u = u.clone({ memoryFormat: 0 });
          v = v.clone({ memoryFormat: 0 });
        }
      });
    }
    const sigma = dot(u, mv(weightMat, v));
    return weight.div(sigma);
  }

  /** module.<name> a parameter again, holding the normalised weight (no power iteration). */
  remove(module: Module): void {
    const weight = noGrad(() => this.computeWeight(module, false));
    delattr(module, this.name);
    delattr(module, `${this.name}_u`);
    delattr(module, `${this.name}_v`);
    delattr(module, `${this.name}_orig`);
    module.registerParameter(this.name, new Parameter(weight.detach()));
  }

  /** Python's __call__(module, inputs), the forward pre-hook (power iteration in training mode). */
  call(module: Module, inputs?: unknown[]): void {
    setPlain(module, this.name, this.computeWeight(module, module.training));
  }

  /** Python's SpectralNorm.apply(module, name, n_power_iterations, dim, eps) */
  static apply(module: Module, name: string, nPowerIterations: number, dim: number, eps: number): SpectralNorm {
    for (const [, hook] of spectralNormHooks(module)) {
      if (hook.name === name) throw new TorchError(`Cannot register two spectral_norm hooks on the same parameter ${name}`);
    }
    const fn = new SpectralNorm(name, nPowerIterations, dim, eps);
    if (!isParameterName(module, name, true)) throw new TorchError(`'${name}'`);
    const weight = (module as unknown as Record<string, unknown>)[name];
    if (weight === null) throw new TorchError(`\`SpectralNorm\` cannot be applied as parameter \`${name}\` is None`);
    const w = weight as Parameter;
    const [u, v] = noGrad(() => {
      const weightMat = fn.reshapeWeightToMatrix(w);
      const [h, wd] = weightMat.shape;
      const uu = normalize(w.newEmpty([h]).normal_(0, 1), { dim: 0, eps: fn.eps });
      const vv = normalize(w.newEmpty([wd]).normal_(0, 1), { dim: 0, eps: fn.eps });
      return [uu, vv];
    });
    delattr(module, fn.name);
    module.registerParameter(`${fn.name}_orig`, w);
    setPlain(module, fn.name, w.detach());
    module.registerBuffer(`${fn.name}_u`, u);
    module.registerBuffer(`${fn.name}_v`, v);
    const hook = ((m: Module) => {
      fn.call(m);
      return undefined;
    }) as unknown as Hook;
    hook[FN] = fn;
    module.registerForwardPreHook(hook);
    return fn;
  }
}

/**
 * nn.utils.spectral_norm(module, name='weight', n_power_iterations=1, eps=1e-12, dim=None): the
 * hook-based spectral normalisation (dim defaults to 1 for transposed convolutions, else 0).
 */
export function spectralNorm<M extends Module>(
  module: M,
  ...rest: ArgsOf<typeof SPECTRAL_NORM>
): M {
  const { name = 'weight', nPowerIterations = 1, eps = 1e-12, dim = null } = SPECTRAL_NORM.bind('spectralNorm', rest);
  SpectralNorm.apply(module, name, nPowerIterations, dim ?? defaultSpectralDim(module), eps);
  return module;
}

/** nn.utils.remove_spectral_norm(module, name='weight') */
export function removeSpectralNorm<M extends Module>(module: M, ...rest: [name?: string] | [options: { name?: string }]): M {
  const { name = 'weight' } = signature<{ name?: string }>()([], ['name']).bind('removeSpectralNorm', rest);
  if (!removeTaggedHook(module, FN, name)) throw new TorchError(`spectral_norm of '${name}' not found in ${module}`);
  return module;
}
