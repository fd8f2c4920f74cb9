// torch.has_cuda, has_cudnn, has_lapack, ...: what the libtorch under this addon was built with,
// as PyTorch's module-level constants (fixed for the process; a GPU need not be present).
import { native } from './native';

const flag = (name: string): boolean => native.backendFlag(name) as boolean;

/** compiled against a CUDA libtorch (GPUs present or not) */
export const hasCuda: boolean = native.cudaIsBuilt();
export const hasCudnn: boolean = flag('cudnn.available');
export const hasLapack: boolean = flag('lapack.available');
export const hasMkl: boolean = flag('mkl.available');
export const hasMkldnn: boolean = flag('mkldnn.available');
export const hasOpenmp: boolean = flag('openmp.available');
/** PyTorch's own FFT (pocketfft or MKL) is always built in */
export const hasSpectral = true;
/** Apple's Metal backend: never in a Linux libtorch */
export const hasMps = false;
