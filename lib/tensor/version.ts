// torch.__version__ and torch.version: the version of the libtorch the addon was built against
// (TORCH_VERSION, e.g. '1.13.0'; Python's wheels add suffixes such as '+cu117' or 'a0').
import { native } from '../native';

export const __version__: string = native.libtorchVersion();

/** The CUDA version libtorch was built with, as Python's '11.7'; null for a CPU build. */
function cudaVersion(): string | null {
  const v = native.backendFlag('cuda.version') as number | null;
  return v === null ? null : `${Math.floor(v / 1000)}.${Math.floor((v % 1000) / 10)}`;
}

/** Python's torch.version module: __version__, cuda (null without CUDA), hip (null: no ROCm builds), debug. */
export const version: { readonly __version__: string; readonly cuda: string | null; readonly hip: null; readonly debug: boolean } = Object.freeze({
  __version__,
  cuda: cudaVersion(),
  hip: null,
  debug: false,
});
