export { Sequential } from './sequential';
export { ModuleList } from './module-list';
export { ModuleDict } from './module-dict';
export { ParameterList } from './parameter-list';
export { ParameterDict } from './parameter-dict';
