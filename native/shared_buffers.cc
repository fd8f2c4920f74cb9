// torch.frombuffer: a tensor over a JS buffer's memory, without a copy. The tensor's storage holds a
// strong reference to the buffer; when the storage dies (on whatever thread), the reference is
// queued and released by the JS thread at its next tensor allocation.
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

void registerSharedBuffers(Napi::Env env, Napi::Object exports) {
  exportFunction<fromBuffer>(env, exports, "fromBuffer");
}

}  // namespace tn
