// Storage-level access for serialization: which storage a tensor views (so storages shared between
// tensors are saved once), and the raw bytes of a whole storage without a copy on the CPU.
#include "common.h"
#include "tensor_handle.h"

namespace tn {

static const at::Tensor& arg(const Napi::CallbackInfo& info) { return unwrapTensor(info.Env(), info[0], "tensor"); }

// storageInfo(handle) -> [key, nbytes, storageOffset (elements), lazy]: key identifies the storage
// (its StorageImpl address) while both tensors live; lazy: a conj/neg view whose bytes are not its values.
static Napi::Value storageInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const at::Tensor& t = arg(info);
  Napi::Array out = Napi::Array::New(env, 4);
  if (!t.has_storage()) throwTorchError(env, "cannot serialize a tensor without storage (sparse, meta or functional tensors)");
  const c10::Storage& s = t.storage();
  out.Set(0u, Napi::Number::New(env, static_cast<double>(reinterpret_cast<uintptr_t>(s.unsafeGetStorageImpl()))));
  out.Set(1u, Napi::Number::New(env, static_cast<double>(s.nbytes())));
  out.Set(2u, Napi::Number::New(env, static_cast<double>(t.storage_offset())));
  out.Set(3u, Napi::Boolean::New(env, t.is_conj() || t.is_neg() || t._is_zerotensor()));
  return out;
}

namespace {
struct HeldStorage {
  c10::Storage storage;
};
}  // namespace

static void releaseStorage(node_api_basic_env /*env*/, void* /*data*/, void* hint) { delete static_cast<HeldStorage*>(hint); }

// storageBytes(handle) -> Buffer over every byte of the tensor's storage. CPU storages are lent
// without a copy (the Buffer keeps the storage alive); other devices are copied to the CPU first.
static Napi::Value storageBytes(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const at::Tensor& t = arg(info);
  if (!t.has_storage()) throwTorchError(env, "cannot serialize a tensor without storage");
  c10::Storage storage = t.storage();
  size_t nbytes = storage.nbytes();
  if (storage.device().type() != at::kCPU) {
    at::Tensor bytes = at::empty({0}, t.options().dtype(at::kByte));
    bytes.set_(storage, 0, {static_cast<int64_t>(nbytes)}, {1});
    storage = bytes.to(at::kCPU).storage();
  }
  if (nbytes == 0 || storage.data() == nullptr) return Napi::Buffer<uint8_t>::New(env, 0);
  auto* held = new HeldStorage{storage};
  napi_value out;
  napi_status status = napi_create_external_buffer(env, nbytes, storage.data(), releaseStorage, held, &out);
  if (status != napi_ok) {
    // runtimes that forbid external buffers (V8 sandbox): copy instead
    delete held;
    return Napi::Buffer<uint8_t>::Copy(env, static_cast<const uint8_t*>(storage.data()), nbytes);
  }
  return Napi::Value(env, out);
}

void registerStorage(Napi::Env env, Napi::Object exports) {
  exportFunction<storageInfo>(env, exports, "storageInfo");
  exportFunction<storageBytes>(env, exports, "storageBytes");
}

}  // namespace tn
