"""set_threads(n): the thread count torch-node's torch.setNumThreads(n) sets, for the PyTorch side.

torch.set_num_threads caps libtorch's intra-op pool, and in PyTorch's MKL builds MKL's pool too.
Debian's build uses OpenBLAS, whose own pool stays at one thread per core. torch-node caps it as
well, so the PyTorch side of a benchmark does the same to run on the same number of threads.
"""
import ctypes

import torch


def set_threads(n):
    torch.set_num_threads(n)
    with open('/proc/self/maps') as maps:
        paths = sorted({line.split()[-1] for line in maps if 'openblas' in line})
    for path in paths:
        blas = ctypes.CDLL(path)
        if hasattr(blas, 'openblas_set_num_threads'):
            blas.openblas_set_num_threads(n)
