// The Python path of each nn class (torch.nn.modules.<file>.<Name>, from lib/nn/modules' per-file
// namespaces), registered with the serialization layer so that torch.save(model) writes, and
// torch.load rebuilds, whole modules by Python's class names; and the functions module attributes
// may hold (a transformer layer's activation).
import { Module } from './module';
import { Parameter } from './parameter';
import { UninitializedBuffer, UninitializedParameter, isLazy, lazyInit, LazyModule } from './lazy';
import * as modules from './modules';
import { relu, gelu } from './functional/activation';
import { registerPythonFunction, registerPythonModules, registeredPath, setModuleSupport } from '../serialization/modules/registry';

setModuleSupport({
  Module,
  Parameter,
  lazy: {
    UninitializedParameter,
    UninitializedBuffer,
    isLazy,
    lazyInit: (m, clsToBecome) => lazyInit(m as LazyModule, clsToBecome as unknown as { prototype: Module }),
  },
});
registerPythonModules('torch.nn.modules', modules);
registerPythonFunction('torch.nn.functional.relu', relu);
registerPythonFunction('torch.nn.functional.gelu', gelu);
// F.gelu is a builtin: Python pickles it by its own name
registerPythonFunction('torch._C._nn.gelu', gelu);

/**
 * The Python qualified name of a module class: its torch.nn / torchvision path for the library's
 * classes, else `__main__.<Name>` (what Python writes for a class defined in the main script).
 */
export function pythonClassPath(cls: { readonly name: string }): string {
  return registeredPath(cls) ?? `__main__.${cls.name}`;
}
