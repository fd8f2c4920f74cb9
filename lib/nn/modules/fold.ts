// torch.nn.modules.fold
export { Fold, Unfold } from '../layers/fold';
