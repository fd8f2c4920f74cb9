// torch.nn.modules.flatten
export { Flatten, Unflatten } from '../layers/flatten';
