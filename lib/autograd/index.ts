// torch.autograd: grad, backward, Function (custom backward in TypeScript), the grad-mode switches,
// anomaly detection (detectAnomaly, setDetectAnomaly),
// graph (graph.Node: the type of tensor.gradFn), functional (jacobian, hessian, vjp, jvp, vhp,
// hvp), forwardAd (Python's torch.autograd.forward_ad), gradcheck and gradgradcheck, and the legacy Variable.
export { grad, backward } from './grad';
export type { GradOptions, GradOutputs } from './grad';
export { AutogradFunction as Function, FunctionCtx } from './function';
export { noGrad, enableGrad, inferenceMode, setGradEnabled, isGradEnabled } from './grad-mode';
export { detectAnomaly, setDetectAnomaly } from './anomaly-mode';
export type { DetectAnomalyOptions } from './anomaly-mode';
export * as graph from './graph';
export * as functional from './functional';
export * as forwardAd from './forward-ad';
export { gradcheck, gradgradcheck, GradcheckError } from './gradcheck';
export type { GradcheckOptions, GradgradcheckOptions } from './gradcheck';
export { Variable } from './variable';
export type { VariableOptions } from './variable';
export * as profiler from '../profiler/autograd-profiler';
