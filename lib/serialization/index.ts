// torch.save / torch.load (PyTorch's zip format; legacy files read) and torch.safetensors.
export { load, loadSync } from './load';
export type { LoadOptions, MapLocation } from './load';
export { save, saveSync } from './save';
export type { SaveOptions } from './save';
export type { WritableTarget } from './write-target';
export * as safetensors from './safetensors';
// torch.ScriptObject: a TorchScript custom-class object in a state_dict (its class name and state)
export { ScriptObject } from './script-object';
// whole modules: the { classes } option of torch.load / torch.save (Python qualified name -> class)
export type { ModuleClasses } from './modules/load-module';
