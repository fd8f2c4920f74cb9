// torch.__version__ and torch.version: the version of the libtorch the addon was built against
// (TORCH_VERSION, e.g. '1.13.0'; Python's wheels add suffixes such as '+cu117' or 'a0').
import { native } from '../native';

export const __version__: string = native.libtorchVersion();

/** Python's torch.version module: its __version__. */
export const version: { readonly __version__: string } = Object.freeze({ __version__ });
