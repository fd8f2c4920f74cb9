// Storage-level access: which storage a tensor views (so storages shared between tensors are saved
// once), the raw bytes of a whole storage without a copy on the CPU, writing storages into a file
// (torch.save) straight from their memory with their CRC-32s, and what torch.UntypedStorage /
// TypedStorage need (lib/tensor/storage): a JS storage object holds a tensor handle on the storage,
// and reads everything else (size, data pointer) from the storage itself, so resizes show at once.
#include <ATen/MapAllocator.h>
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <random>

#include <cerrno>
#include <cstring>
#include <thread>
#include <vector>

#include "common.h"
#include "dtypes.h"
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

// libtorch's own error for tensors without one: "Cannot access storage of SparseTensorImpl"
static const c10::Storage& storageArg(Napi::Env /*env*/, const at::Tensor& t) { return t.storage(); }

// storageDataPtr(handle) -> the address of the storage's first byte (0 when it has no memory), which
// a tensor's data_ptr() cannot tell for an empty view of it.
static Napi::Value storageDataPtr(const Napi::CallbackInfo& info) {
  const c10::Storage& storage = storageArg(info.Env(), arg(info));
  return Napi::Number::New(info.Env(), static_cast<double>(reinterpret_cast<uintptr_t>(storage.data_ptr().get())));
}

// A new byte-less tensor of dtype on the storage's device, made to view `storage` as `numel` elements.
static at::Tensor viewOf(const c10::Storage& storage, at::ScalarType dtype, int64_t numel) {
  at::Tensor v = at::empty({0}, at::TensorOptions().dtype(dtype).device(storage.device()));
  v.set_(storage, 0, {numel}, {1});
  return v;
}

// storageView(handle, dtype) -> a 1-D tensor of dtype over every whole element of the handle's
// storage, from its first byte: how a storage object reads and writes its elements.
static Napi::Value storageView(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const c10::Storage& storage = storageArg(env, arg(info));
  at::ScalarType dtype = scalarTypeFromJs(env, info[1], "dtype");
  const int64_t numel = static_cast<int64_t>(storage.nbytes()) / static_cast<int64_t>(c10::elementSize(dtype));
  return Napi::Value(env, wrapTensor(env, viewOf(storage, dtype, numel)));
}

// storageResize(handle, nbytes): the storage itself gets new memory of nbytes holding its first
// bytes (as Python's storage.resize_, which may also shrink); every tensor on it sees the change.
static Napi::Value storageResize(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const c10::Storage& storage = storageArg(env, arg(info));
  const int64_t nbytes = info[1].As<Napi::Number>().Int64Value();
  if (nbytes < 0) throwTorchError(env, "size must be non-negative");
  c10::StorageImpl* impl = storage.unsafeGetStorageImpl();
  if (!impl->resizable() || impl->allocator() == nullptr) throwTorchError(env, "Trying to resize storage that is not resizable");
  at::DataPtr fresh = impl->allocator()->allocate(static_cast<size_t>(nbytes));
  const int64_t keep = std::min<int64_t>(nbytes, static_cast<int64_t>(impl->nbytes()));
  if (keep > 0) {
    const auto bytes = at::TensorOptions().dtype(at::kByte).device(impl->device());
    at::from_blob(fresh.get(), {keep}, bytes).copy_(at::from_blob(impl->data_ptr().get(), {keep}, bytes));
  }
  impl->set_data_ptr_noswap(std::move(fresh));
  impl->set_nbytes(static_cast<size_t>(nbytes));
  resyncStorage(info[0]);
  return env.Undefined();
}

// storageSlice(handle, start, nbytes) -> a byte tensor on a new storage that aliases bytes
// [start, start + nbytes) of the handle's storage and keeps it alive (Python's UntypedStorage
// slices: writes through either show in both; the slice cannot be resized).
static Napi::Value storageSlice(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const c10::Storage& storage = storageArg(env, arg(info));
  const int64_t start = info[1].As<Napi::Number>().Int64Value();
  const int64_t nbytes = info[2].As<Napi::Number>().Int64Value();
  if (start < 0 || nbytes < 0 || start + nbytes > static_cast<int64_t>(storage.nbytes())) throwTorchError(env, "storage slice out of range");
  auto* owner = new c10::Storage(storage);
  char* base = static_cast<char*>(storage.data_ptr().get());
  at::DataPtr alias(base == nullptr ? nullptr : base + start, owner, [](void* ctx) { delete static_cast<c10::Storage*>(ctx); }, storage.device());
  c10::Storage slice(c10::Storage::use_byte_size_t(), static_cast<size_t>(nbytes), std::move(alias), nullptr, false);
  return Napi::Value(env, wrapTensor(env, viewOf(slice, at::kByte, nbytes)));
}

namespace {
struct HeldStorage {
  c10::Storage storage;
};
}  // namespace

static void releaseStorage(node_api_basic_env /*env*/, void* /*data*/, void* hint) { delete static_cast<HeldStorage*>(hint); }

// The tensor's whole storage on the CPU: itself there, a copy from other devices.
static c10::Storage cpuStorage(Napi::Env env, const at::Tensor& t) {
  if (!t.has_storage()) throwTorchError(env, "cannot serialize a tensor without storage");
  c10::Storage storage = t.storage();
  if (storage.device().type() == at::kCPU) return storage;
  at::Tensor bytes = at::empty({0}, t.options().dtype(at::kByte));
  bytes.set_(storage, 0, {static_cast<int64_t>(storage.nbytes())}, {1});
  return bytes.to(at::kCPU).storage();
}

// storageBytes(handle) -> Buffer over every byte of the tensor's storage. CPU storages are lent
// without a copy (the Buffer keeps the storage alive); other devices are copied to the CPU first.
static Napi::Value storageBytes(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  c10::Storage storage = cpuStorage(env, arg(info));
  size_t nbytes = storage.nbytes();
  if (nbytes == 0 || storage.data() == nullptr) return Napi::Buffer<uint8_t>::New(env, 0);
  auto* held = new HeldStorage{storage};
  napi_value out;
  // read-only use (saving), so the const data pointer of libtorch 2.x is enough: no copy-on-write
  // materialisation as mutable_data() would do
  napi_status status =
      napi_create_external_buffer(env, nbytes, const_cast<void*>(storage.data()), releaseStorage, held, &out);
  if (status != napi_ok) {
    // runtimes that forbid external buffers (V8 sandbox): copy instead
    delete held;
    return Napi::Buffer<uint8_t>::Copy(env, static_cast<const uint8_t*>(storage.data()), nbytes);
  }
  return Napi::Value(env, out);
}

// ---- writing storages into a file ----------------------------------------------------------------
// torch.save writes each storage from its own memory here rather than through a JS Buffer: an
// external Buffer per storage counts as new V8 external memory and sets off full garbage collections
// (10 ms per 100 MB saved), and the CRC-32 runs on a second thread while the bytes are written.

namespace {
struct StorageWrite {
  c10::Storage storage;  // keeps the bytes alive until written
  int64_t position;
};

struct WriteJob {
  int fd;
  std::vector<StorageWrite> items;
  std::vector<uint32_t> crcs;
  std::string error;  // empty on success

  void run() {
    crcs.assign(items.size(), 0);
    std::thread checksums([this] {
      for (size_t i = 0; i < items.size(); i++) crcs[i] = crc32Of(items[i].storage);
    });
    for (const StorageWrite& item : items) {
      if (!writeAll(item)) break;
    }
    checksums.join();
  }

 private:
  static uint32_t crc32Of(const c10::Storage& s) {
    const auto* p = static_cast<const Bytef*>(s.data());
    uLong crc = crc32(0L, Z_NULL, 0);
    for (size_t done = 0, n = s.nbytes(); done < n;) {
      const size_t step = std::min<size_t>(n - done, 1u << 30);  // crc32_z takes size_t; crc32 uInt
      crc = crc32(crc, p + done, static_cast<uInt>(step));
      done += step;
    }
    return static_cast<uint32_t>(crc);
  }

  bool writeAll(const StorageWrite& item) {
    const char* p = static_cast<const char*>(item.storage.data());
    const size_t n = item.storage.nbytes();
    for (size_t done = 0; done < n;) {
      const ssize_t w = pwrite(fd, p + done, std::min<size_t>(n - done, 1u << 30), item.position + static_cast<int64_t>(done));
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) {
        error = w < 0 ? std::strerror(errno) : "no bytes written";
        return false;
      }
      done += static_cast<size_t>(w);
    }
    return true;
  }
};

// Reads (fd, [[handle, position], ...]) on the JS thread; storages on other devices are copied here.
WriteJob readWriteJob(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsNumber() || !info[1].IsArray()) throwTorchError(env, "writeStorages(fd, [[tensor, position], ...])");
  WriteJob job{info[0].As<Napi::Number>().Int32Value(), {}, {}, {}};
  Napi::Array items = info[1].As<Napi::Array>();
  for (uint32_t i = 0; i < items.Length(); i++) {
    Napi::Array pair = items.Get(i).As<Napi::Array>();
    c10::Storage storage = cpuStorage(env, unwrapTensor(env, pair.Get(0u), "tensor"));
    job.items.push_back({std::move(storage), pair.Get(1u).As<Napi::Number>().Int64Value()});
  }
  return job;
}

Napi::Array crcArray(Napi::Env env, const std::vector<uint32_t>& crcs) {
  Napi::Array out = Napi::Array::New(env, crcs.size());
  for (size_t i = 0; i < crcs.size(); i++) out.Set(static_cast<uint32_t>(i), Napi::Number::New(env, crcs[i]));
  return out;
}

class WriteWorker : public Napi::AsyncWorker {
 public:
  WriteWorker(Napi::Env env, WriteJob job) : Napi::AsyncWorker(env), job_(std::move(job)), deferred_(env) {}
  Napi::Promise promise() { return deferred_.Promise(); }

 protected:
  void Execute() override { job_.run(); }
  void OnOK() override {
    Napi::Env env = Env();
    if (job_.error.empty()) {
      deferred_.Resolve(crcArray(env, job_.crcs));
    } else {
      deferred_.Reject(Napi::Error::New(env, job_.error).Value());
    }
  }

 private:
  WriteJob job_;
  Napi::Promise::Deferred deferred_;
};
}  // namespace

// writeStoragesSync(fd, [[handle, position], ...]) -> CRC-32 of each whole storage, written at position.
static Napi::Value writeStoragesSync(const Napi::CallbackInfo& info) {
  WriteJob job = readWriteJob(info);
  job.run();
  if (!job.error.empty()) throwTorchError(info.Env(), "cannot write the file: " + job.error);
  return crcArray(info.Env(), job.crcs);
}

// writeStorages(fd, [[handle, position], ...]) -> Promise of the CRC-32s; the work runs on the libuv pool.
static Napi::Value writeStorages(const Napi::CallbackInfo& info) {
  auto* worker = new WriteWorker(info.Env(), readWriteJob(info));
  Napi::Promise promise = worker->promise();
  worker->Queue();
  return promise;
}

// ---- shared memory and memory-mapped files (Python's share_memory_, is_shared, from_file) ----------

// A name for a new POSIX shared-memory object, unique in this process and unlikely to collide with
// another's (Python's "/torch_<pid>_<random>").
static std::string sharedMemoryName() {
  static std::atomic<uint64_t> counter{0};
  static const uint64_t seed = std::random_device{}();
  return "/torch_" + std::to_string(getpid()) + "_" + std::to_string(seed) + "_" + std::to_string(counter++);
}

// storageShareMemory(handle): a CPU storage moves into POSIX shared memory (its bytes copied; the
// name unlinked at once, the mapping kept) and can no longer be resized, as Python's file-descriptor
// strategy; every tensor on it sees the new memory. Already mapped storages and CUDA ones stay.
static Napi::Value storageShareMemory(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const c10::Storage& storage = storageArg(env, arg(info));
  c10::StorageImpl* impl = storage.unsafeGetStorageImpl();
  if (impl->device().type() != at::kCPU || at::MapAllocator::fromDataPtr(impl->data_ptr()) != nullptr) return env.Undefined();
  const size_t nbytes = impl->nbytes();
  const int flags = at::ALLOCATOR_MAPPED_SHAREDMEM | at::ALLOCATOR_MAPPED_EXCLUSIVE | at::ALLOCATOR_MAPPED_KEEPFD | at::ALLOCATOR_MAPPED_UNLINK;
  at::DataPtr shared = at::MapAllocator::makeDataPtr(sharedMemoryName(), flags, nbytes, nullptr);
  if (nbytes > 0) std::memcpy(shared.get(), impl->data_ptr().get(), nbytes);
  impl->set_data_ptr_noswap(std::move(shared));
  impl->set_resizable(false);
  resyncStorage(info[0]);
  return env.Undefined();
}

// storageIsShared(handle): CUDA storages always (they need no moving to be shared); CPU ones when
// their memory is a mapping (share_memory_ or from_file), as Python's is_shared.
static Napi::Value storageIsShared(const Napi::CallbackInfo& info) {
  const c10::Storage& storage = storageArg(info.Env(), arg(info));
  const bool shared = storage.device().type() == at::kCUDA || at::MapAllocator::fromDataPtr(storage.data_ptr()) != nullptr;
  return Napi::Boolean::New(info.Env(), shared);
}

// storageFromFile(filename, shared, nbytes) -> a byte tensor over a new CPU storage of nbytes mapped
// from the file: with shared, writes reach the file (created or grown when needed); without, they
// stay private and the file must hold nbytes. The storage cannot be resized.
static Napi::Value storageFromFile(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const std::string filename = info[0].As<Napi::String>().Utf8Value();
  const bool shared = info[1].As<Napi::Boolean>().Value();
  const int64_t nbytes = info[2].As<Napi::Number>().Int64Value();
  if (nbytes < 0) throwTorchError(env, "size must be non-negative");
  at::DataPtr mapped = at::MapAllocator::makeDataPtr(filename, shared ? at::ALLOCATOR_MAPPED_SHARED : 0, static_cast<size_t>(nbytes), nullptr);
  c10::Storage storage(c10::Storage::use_byte_size_t(), static_cast<size_t>(nbytes), std::move(mapped), nullptr, false);
  return Napi::Value(env, wrapTensor(env, viewOf(storage, at::kByte, nbytes)));
}

void registerStorage(Napi::Env env, Napi::Object exports) {
  exportFunction<storageInfo>(env, exports, "storageInfo");
  exportFunction<storageBytes>(env, exports, "storageBytes");
  exportFunction<storageDataPtr>(env, exports, "storageDataPtr");
  exportFunction<storageView>(env, exports, "storageView");
  exportFunction<storageResize>(env, exports, "storageResize");
  exportFunction<storageSlice>(env, exports, "storageSlice");
  exportFunction<writeStoragesSync>(env, exports, "writeStoragesSync");
  exportFunction<writeStorages>(env, exports, "writeStorages");
  exportFunction<storageShareMemory>(env, exports, "storageShareMemory");
  exportFunction<storageIsShared>(env, exports, "storageIsShared");
  exportFunction<storageFromFile>(env, exports, "storageFromFile");
}

}  // namespace tn
