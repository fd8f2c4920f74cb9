// torch.nn.modules.adaptive
export { AdaptiveLogSoftmaxWithLoss } from '../layers/adaptive';
