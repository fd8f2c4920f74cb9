// torch.autograd: grad, backward, Function (custom backward in TypeScript), the grad-mode switches,
// and graph (graph.Node: the type of tensor.gradFn).
export { grad, backward } from './grad';
export type { GradOptions } from './grad';
export { AutogradFunction as Function, FunctionCtx } from './function';
export { noGrad, enableGrad, inferenceMode, setGradEnabled, isGradEnabled } from './grad-mode';
export * as graph from './graph';
