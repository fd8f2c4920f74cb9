// torch.utils: `torch.utils.data.DataLoader`, `torch.utils.checkpoint.checkpoint` and
// `torch.utils.tensorboard.SummaryWriter` read as in Python.
export * as data from '../data';
export * as checkpoint from './checkpoint';
export * as tensorboard from './tensorboard';
