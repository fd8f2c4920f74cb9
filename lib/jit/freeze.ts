// torch.jit.freeze and torch.jit.optimize_for_inference for TorchScript modules (loaded or traced):
// a frozen clone has its parameters, buffers and attributes folded into its graph as constants (so
// they are gone from the module, as in Python), and libtorch's graph passes run on the result.
import { native } from '../native';
import { TorchError } from '../errors';
import { ArgsOf, signature } from '../keywords';
import { ScriptModule } from './script-module';

export interface FreezeOptions {
  mod: ScriptModule;
  /** attributes and methods kept (forward always is) */
  preservedAttrs?: string[] | null;
  /** let the frozen-graph passes change numerics slightly (conv-batchnorm folding); default true */
  optimizeNumerics?: boolean;
}
const FREEZE = signature<FreezeOptions>()(['mod'], ['preservedAttrs', 'optimizeNumerics']);

export interface OptimizeForInferenceOptions {
  mod: ScriptModule;
  /** methods besides forward to optimize (and keep, when the module is frozen here) */
  otherMethods?: string[] | null;
}
const OPTIMIZE = signature<OptimizeForInferenceOptions>()(['mod'], ['otherMethods']);

const SCRIPT_ONLY = "Please use torch.jit.script or torch.jit.trace to script your 'nn.Module'.";

/**
 * torch.jit.freeze(mod, { preservedAttrs, optimizeNumerics }): a frozen clone of a module in eval
 * mode; submodules, parameters and attributes are inlined into forward (and the preserved methods).
 */
export function freeze(...args: ArgsOf<typeof FREEZE>): ScriptModule {
  const { mod, preservedAttrs, optimizeNumerics = true } = FREEZE.bind('jit.freeze', args);
  if (!(mod instanceof ScriptModule)) throw new TorchError(`Freezing expects a ScriptModule as input. ${SCRIPT_ONLY}`);
  if (mod.training) {
    throw new TorchError('Freezing is currently only implemented for modules in eval mode. Please call .eval() on your module before freezing.');
  }
  return new ScriptModule(native.jitFreeze(mod._scriptHandle(), [...(preservedAttrs ?? [])], optimizeNumerics));
}

/**
 * torch.jit.optimize_for_inference(mod, { otherMethods }): freezes a module not yet frozen (after
 * setting it to eval mode, as Python does), then runs libtorch's inference passes (conv-add-relu
 * fusion, MKLDNN conversion, linear transposition) on forward and the other methods.
 */
export function optimizeForInference(...args: ArgsOf<typeof OPTIMIZE>): ScriptModule {
  const { mod, otherMethods } = OPTIMIZE.bind('jit.optimize_for_inference', args);
  if (!(mod instanceof ScriptModule)) throw new TorchError(`optimize_for_inference expects a ScriptModule as input. ${SCRIPT_ONLY}`);
  const methods = [...(otherMethods ?? [])];
  const frozen = native.jitHasTraining(mod._scriptHandle()) ? freeze(mod.eval(), { preservedAttrs: methods }) : mod;
  native.jitOptimizeForInference(frozen._scriptHandle(), methods);
  return frozen;
}
