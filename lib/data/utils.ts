// torch.utils: so that `torch.utils.data.DataLoader` reads as in Python.
export * as data from './index';
