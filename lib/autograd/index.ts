// torch.autograd: grad, backward, Function (custom backward in TypeScript), and the grad-mode switches.
export { grad, backward } from './grad';
export type { GradOptions } from './grad';
export { AutogradFunction as Function, FunctionCtx } from './function';
export { noGrad, enableGrad, inferenceMode, setGradEnabled, isGradEnabled } from './grad-mode';
