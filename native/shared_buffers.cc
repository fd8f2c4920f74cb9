// Memory shared between tensors and JS buffers, without a copy, both ways.
// torch.frombuffer: a tensor over a JS buffer's memory. The tensor's storage holds a strong reference
// to the buffer; when the storage dies (on whatever thread), the reference is queued and released by
// the JS thread at its next tensor allocation.
// Tensor.numpy(): a TypedArray over a tensor's memory. The ArrayBuffer holds a tensor (so the
// storage) until the GC collects the buffer.
#include "dtypes.h"
#include "env_state.h"
#include "tensor_handle.h"

namespace tn {

namespace {
struct LentBuffer {
  napi_ref ref;
  EnvState* state;
};
}  // namespace

// fromBuffer(uint8View, shape, dtypeCode): the view's bytes, reinterpreted as a tensor of shape.
static Napi::Value fromBuffer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsTypedArray()) throwTorchError(env, "frombuffer expects an ArrayBuffer, SharedArrayBuffer or view");
  Napi::TypedArray view = info[0].As<Napi::TypedArray>();
  void* data = nullptr;
  size_t length = 0;
  napi_typedarray_type type;
  napi_value arrayBuffer;
  size_t byteOffset = 0;
  napi_get_typedarray_info(env, view, &type, &length, &data, &arrayBuffer, &byteOffset);

  Napi::Array jsShape = info[1].As<Napi::Array>();
  std::vector<int64_t> shape(jsShape.Length());
  for (uint32_t i = 0; i < jsShape.Length(); i++) shape[i] = jsShape.Get(i).As<Napi::Number>().Int64Value();
  const DtypeInfo& dt = dtypeInfo(scalarTypeFromJs(env, info[2], "dtype"));
  size_t needed = static_cast<size_t>(c10::multiply_integers(shape)) * c10::elementSize(dt.scalarType);
  if (needed > length || (needed > 0 && data == nullptr)) {
    throwTorchError(env, "frombuffer: the buffer holds " + std::to_string(length) + " bytes but " +
                             std::to_string(needed) + " are needed (a detached buffer holds 0)");
  }

  auto* lent = new LentBuffer{nullptr, &EnvState::current()};
  napi_create_reference(env, view, 1, &lent->ref);
  auto release = [lent](void*) {
    if (!lent->state->closing) lent->state->queueRelease(lent->ref);
    delete lent;
  };
  at::Tensor t;
  try {
    t = at::from_blob(data, shape, release, at::TensorOptions().dtype(dt.scalarType));
  } catch (...) {
    napi_delete_reference(env, lent->ref);
    delete lent;
    throw;
  }
  return Napi::Value(env, wrapTensor(env, std::move(t)));
}

// sharedTypedArray(handle) -> a TypedArray over the elements of a contiguous CPU tensor (the caller
// checks); writes through either side are seen by the other, as with Python's tensor.numpy().
static Napi::Value sharedTypedArray(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const at::Tensor& t = unwrapTensor(env, info[0], "self");
  const DtypeInfo& dt = dtypeInfo(t.scalar_type());
  if (dt.scalarType == at::ScalarType::Undefined) {
    throwTorchError(env, std::string("dtype ") + c10::toString(t.scalar_type()) + " has no TypedArray form");
  }
  size_t bytes = t.nbytes();
  size_t length = static_cast<size_t>(t.numel()) * dt.elementsPerItem;
  napi_value buffer;
  if (bytes == 0) {
    napi_create_arraybuffer(env, 0, nullptr, &buffer);
  } else {
    auto* keeper = new at::Tensor(t.detach());  // the storage lives as long as the buffer
    auto finalize = [](napi_env, void*, void* hint) { delete static_cast<at::Tensor*>(hint); };
    if (napi_create_external_arraybuffer(env, keeper->data_ptr(), bytes, finalize, keeper, &buffer) != napi_ok) {
      delete keeper;
      throwTorchError(env, "numpy(): this Node.js does not allow buffers over native memory; use toTypedArray() (a copy)");
    }
  }
  napi_value out;
  napi_create_typedarray(env, dt.arrayType, length, buffer, 0, &out);
  return Napi::Value(env, out);
}

void registerSharedBuffers(Napi::Env env, Napi::Object exports) {
  exportFunction<fromBuffer>(env, exports, "fromBuffer");
  exportFunction<sharedTypedArray>(env, exports, "sharedTypedArray");
}

}  // namespace tn
