// torch.nn.modules.container
export { Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict } from '../containers';
export { Container } from '../layers/legacy';
