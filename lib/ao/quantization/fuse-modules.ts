// torch.ao.quantization.fuse_modules / fuse_modules_qat: replaces each listed group of submodules
// (by qualified name, 'features.0.0') with one fused module in the first slot and Identity in the
// others, moving the first module's pre-hooks and the last one's hooks onto the fused module.
import { TorchError } from '../../errors';
import { Module } from '../../nn/module';
import { Identity } from '../../nn/layers/linear';
import { deepcopy } from '../../nn/clone';
import { ArgsOf, signature } from '../../keywords';
import { ModuleClass } from './mappings';
import { FuserMethod, getFuserMethod } from './fuser-method-mappings';

// Module keeps its forward hooks in its private state (Python's module._forward_hooks)
function forwardHooksOf(m: Module): Map<number, unknown> {
  return (m as unknown as { _s: { hooks: Map<number, unknown> } })._s.hooks;
}

function getModule(model: Module, key: string): Module {
  let cur: Module = model;
  for (const token of key.split('.')) {
    const next = (cur as unknown as Record<string, unknown>)[token];
    if (!(next instanceof Module)) throw new TorchError(`'${cur._getName()}' object has no attribute '${token}'`);
    cur = next;
  }
  return cur;
}

function setModule(model: Module, key: string, module: Module): void {
  const tokens = key.split('.');
  const parent = tokens.length > 1 ? getModule(model, tokens.slice(0, -1).join('.')) : model;
  parent.addModule(tokens[tokens.length - 1], module);
}

/** fuse_known_modules(modList, isQat, additional = null): [fused, Identity, ...]. */
export function fuseKnownModules(modList: Module[], isQat: boolean, additionalFuserMethodMapping: [ModuleClass[], FuserMethod][] | null = null): Module[] {
  const fuser = getFuserMethod(modList.map((m) => m.constructor as ModuleClass), additionalFuserMethodMapping);
  const fused = fuser(isQat, ...modList);
  const first = modList[0];
  const last = modList[modList.length - 1];
  for (const [id, hook] of [...first._forwardPreHooks]) {
    fused.registerForwardPreHook(hook);
    first._forwardPreHooks.delete(id);
  }
  const lastHooks = forwardHooksOf(last);
  for (const [id, hook] of [...lastHooks]) {
    fused.registerForwardHook(hook as Parameters<Module['registerForwardHook']>[0]);
    lastHooks.delete(id);
  }
  const out: Module[] = [fused];
  for (let i = 1; i < modList.length; i++) {
    const identity = new Identity();
    identity.training = first.training;
    out.push(identity);
  }
  return out;
}

function fuseGroup(model: Module, names: string[], isQat: boolean): void {
  const mods = names.map((n) => getModule(model, n));
  const fused = fuseKnownModules(mods, isQat);
  names.forEach((n, i) => setModule(model, n, fused[i]));
}

function fuse<M extends Module>(model: M, modulesToFuse: string[] | string[][], isQat: boolean, inplace: boolean): M {
  const out = inplace ? model : deepcopy(model);
  if (modulesToFuse.every((m) => typeof m === 'string')) fuseGroup(out, modulesToFuse as string[], isQat);
  else for (const group of modulesToFuse as string[][]) fuseGroup(out, group, isQat);
  return out;
}

export interface FuseModulesArgs {
  model: Module;
  modulesToFuse: string[] | string[][];
  inplace?: boolean;
}
const FUSE = signature<FuseModulesArgs>()(['model', 'modulesToFuse'], ['inplace']);

/**
 * fuseModules(model, modulesToFuse, inplace = false): fuses each group of eval-mode modules
 * ([['conv1', 'bn1', 'relu1'], ['fc', 'relu2']], or one group ['conv', 'bn']); BN folds into the conv.
 */
export function fuseModules<M extends Module>(model: M, modulesToFuse: string[] | string[][], options?: { inplace?: boolean } | boolean): M;
export function fuseModules(...args: ArgsOf<typeof FUSE>): Module;
export function fuseModules(...args: unknown[]): Module {
  const a = FUSE.bind('fuse_modules', args);
  return fuse(a.model, a.modulesToFuse, false, a.inplace ?? false);
}

/** fuseModulesQat(model, modulesToFuse, inplace = false): the same for training-mode models (ConvBn modules for QAT). */
export function fuseModulesQat<M extends Module>(model: M, modulesToFuse: string[] | string[][], options?: { inplace?: boolean } | boolean): M;
export function fuseModulesQat(...args: ArgsOf<typeof FUSE>): Module;
export function fuseModulesQat(...args: unknown[]): Module {
  const a = FUSE.bind('fuse_modules_qat', args);
  return fuse(a.model, a.modulesToFuse, true, a.inplace ?? false);
}
