// torch.utils: `torch.utils.data.DataLoader` and `torch.utils.checkpoint.checkpoint` read as in Python.
export * as data from '../data';
export * as checkpoint from './checkpoint';
