// torch.Generator handles: a napi external owning an at::Generator, freed by a GC-time finalizer.
#pragma once
#include "common.h"

namespace tn {

// The generator behind a handle, or nullptr when value is not a generator handle.
const at::Generator* tryUnwrapGenerator(napi_env env, napi_value value);

}  // namespace tn
