// torch.Generator handles: a napi external owning an at::Generator, freed by a GC-time finalizer.
#pragma once
#include "common.h"

namespace tn {

// The generator behind a handle, or nullptr when value is not a generator handle.
const at::Generator* tryUnwrapGenerator(napi_env env, napi_value value);

// The CPU generator of this thread when it is a DataLoader worker (set by useThreadGenerator), else
// nullptr. libtorch's default generator is one per process; PyTorch's workers are processes, each
// seeded base_seed + id. Here workers are threads, so each gets its own generator that ops without
// an explicit generator draw from, and that manualSeed seeds on that thread.
at::Generator* threadGenerator();

// A seed argument (BigInt or integer Number) at position `at`; TorchError otherwise.
uint64_t seedArg(const Napi::CallbackInfo& info, size_t at);

// Sets a generator's seed under its lock, as Generator.manual_seed does.
void seedGenerator(at::Generator generator, uint64_t seed);

// The default generator of CUDA device `index`.
at::Generator cudaGenerator(int index);

}  // namespace tn
