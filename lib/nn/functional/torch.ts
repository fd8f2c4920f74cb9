// The tensor surface nn code is written against, imported from the modules under lib/index.ts
// (importing lib/index itself would be a cycle once it re-exports nn). Internal: not re-exported.
import '../../ops/generated/methods';
export * from '../../ops/generated/functions';
export { linalg, special } from '../../ops/generated/namespaces';
export * from '../../tensor/create';
export * from '../../tensor/functions';
export * from '../../tensor/dtype';
export { Tensor } from '../../tensor/tensor';
export type { Scalar } from '../../tensor/tensor';
export { aten } from '../../tensor/aten';
export { noGrad, isGradEnabled } from '../../autograd/grad-mode';
export { TorchError } from '../../errors';
