// torch.autograd.graph: Node, the type of tensor.gradFn (PyTorch 2.x's torch.autograd.graph.Node;
// libtorch 1.13's Python has the nodes but not this name).
export { GradFn as Node } from './grad-fn';
export type { RemovableHandle } from './grad-fn';
