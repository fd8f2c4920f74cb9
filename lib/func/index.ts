// torch.func (functorch): composable function transforms over libtorch's functorch core.
export { vmap } from './vmap';
export type { VmapOptions, InDims, OutDims } from './vmap';
export { grad, gradAndValue } from './grad';
export type { GradOptions } from './grad';
export { vjp } from './vjp';
export type { VjpFn, VjpFnOptions, VjpOptions } from './vjp';
export { jvp } from './jvp';
export type { JvpOptions } from './jvp';
export { jacrev, jacfwd, hessian } from './jacobian';
export { functionalCall, stackModuleState } from './module-state';
export type { Argnums } from './argnums';
export type { Randomness } from './layers';
