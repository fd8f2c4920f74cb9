// torch.nn.modules.container
export { Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict } from '../containers';
