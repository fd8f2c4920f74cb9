// A JS tensor handle is an external box (external_box.h) owning one at::Tensor. It is freed inside
// garbage collection, touching only C++, so collecting a handle releases native memory at once.
#pragma once
#include "common.h"
#include "external_box.h"

namespace tn {

struct EnvState;

struct TensorBox : HandleBox {
  static constexpr uint64_t kMagic = 0x546f7263684e6f64ULL;  // "TorchNod"
  TensorBox();
  at::Tensor tensor;
  int64_t bytes = 0;          // its storage's size (memory() counts each storage once)
  int64_t pressureBytes = 0;  // the storage bytes it brought (0 for views and aliases of live
                              // tensors), counted toward the next scavenge
  const void* storage = nullptr;  // its key in EnvState::storages (null: no storage)
  bool onDevice = false;
  bool disposed = false;
  // torch.tidy's bookkeeping (scopes.cc): the open scope that made it (-1: none), its list links,
  // and torch.keep's mark
  int32_t scope = -1;
  bool kept = false;
  TensorBox* scopePrev = nullptr;
  TensorBox* scopeNext = nullptr;
};

// Frees the box's tensor now, as dispose() does; later use is a TorchError.
void disposeBox(TensorBox* box);

// scopes.cc: a new handle joins the innermost open scope; a released one leaves its scope.
void scopeAdopt(EnvState& state, TensorBox* box);
void scopeForget(EnvState& state, TensorBox* box);

// Wraps a tensor in a new JS handle (an undefined tensor becomes JS null). `aliasesLive`: the
// tensor is one something else already owns (a parameter's .grad, the self an in-place op returns),
// so the handle adds no GC pressure: collecting it frees nothing.
napi_value wrapTensor(napi_env env, at::Tensor tensor, bool aliasesLive = false);
// A tensor taken out of a wrapper that still holds it (torch.func's batched and grad-tracking
// tensors). wrapTensor would see the wrapper's reference to the storage and count nothing toward
// GC pacing, so vmap's results piled up uncounted (2 GB of garbage at 25 MB a call); here the
// storage counts unless a live handle already holds it.
napi_value wrapUnwrappedTensor(napi_env env, at::Tensor tensor);

// After an op wrote a tensor argument: set_data, set_, resize_ and out= arguments may have given it
// another storage, size or device, and its handle is counted by those (memory(), the GC pacers).
void resyncStorage(napi_value value);

// The tensor behind a handle; raises TorchError naming `what` for anything else.
const at::Tensor& unwrapTensor(napi_env env, napi_value value, const char* what);

// The tensor behind a handle, or nullptr when value is not a handle (disposed -> TorchError).
const at::Tensor* tryUnwrapTensor(napi_env env, napi_value value, const char* what);

// True when value is a tensor handle (a napi external made by this addon).
bool isTensorHandle(napi_env env, napi_value value);

}  // namespace tn
