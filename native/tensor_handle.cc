// Tensor handles: creation, GC-time release, explicit dispose, and memory accounting.
#include "tensor_handle.h"

#include <algorithm>
#include <mutex>
#include <unordered_set>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "env_state.h"

namespace tn {

// Most tensors die young. A full mark-compact collection takes milliseconds; a scavenge every few
// MB of new tensors frees them for a fraction of that, so the full collections rarely come.
// Measured (bench/memory, 10k iterations): 5.3 s -> 3.8 s and peak RSS 301 -> 220 MB; matmul
// 64x64: 8.6 -> 6.5 us per op. Much smaller steps promote tensors that are still in use to the old
// generation (1 MB: 6.1 s, 347 MB). Once handles cost one weak V8 handle each (external_box.h),
// 4 MB beat 8 MB, alternating runs: the 256x256 loop 4.7-4.9 vs 5.0-5.2 s (peak RSS 235 vs 234 MB),
// matmul 64x64 6.05 vs 6.13-6.24 us, the main job's epoch on 20,000 images 5.5-5.8 vs 5.8-6.2 s.
static constexpr int64_t kYoungGcStep = 4 << 20;

// With large tensors the step grows to half the host bytes live handles own: under a 4 MB step
// every activation of a large model outlived a scavenge or two, was promoted, and waited for a full
// GC (ResNet-50 batch 8: 45 mark-compacts in 9 passes; with a larger step and the pacing below, 18).
// The bytes counted include garbage not yet collected, so garbage stays below the live bytes.
// Alternating runs, median ms per pass, a half against a quarter: ResNet-50 b1 62-65 vs 68-69,
// ResNet-18 b1 24.9-25.1 vs 25.4, ResNet-50 b8 484 vs 484, the main job's 20,000 images 5.2-5.7 vs
// 5.4-5.5 s. The whole live size instead let garbage feed the step: 5.4 GB RSS at ResNet-50 b8.
static int64_t youngGcStep(const EnvState& state) { return std::max(kYoungGcStep, state.host.bytes / 2); }

// Each handle also counts as 4 KB toward the next scavenge, so even tiny tensors are collected every
// ~1,000 handles, while their TensorImpl and storage are still in cache. Measured (bench/overhead,
// add of 1-element tensors): 0 B -> 1.39 us, 1 KB -> 1.29 us, 4 KB -> 1.23 us, 64 KB -> 1.62 us.
static constexpr int64_t kHandleWeight = 4096;

// Tensors die in batches here (a scavenge frees the few MB made since the last one), not one by one as
// under Python's refcounting. glibc returns the free top of its heap to the OS once it passes a trim
// threshold that it sizes for one-by-one frees (twice the largest freed block), so every batch was
// handed back and faulted in again by the next one. Fixed thresholds keep blocks up to 32 MB (glibc's
// own ceiling for that threshold) in the heap and 64 MB of free top before trimming. Measured
// (10 ops on 256x256 tensors, 15,000 iterations): page faults 250k -> 26k, 7.5-8.2 s -> 5.8-6.5 s;
// peak RSS unchanged (231 -> 233 MB). Process-wide, set once.
static void tuneAllocatorForBatchedFrees() {
#ifdef __GLIBC__
  static std::once_flag once;
  std::call_once(once, [] {
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
  });
#endif
}

// Full collections are paced here, not by V8. Reported to V8 as external memory, tensor bytes
// started a mark-compact whenever they grew 64 MB past what the last one left, as the activations of
// one forward pass do: ResNet-50 batch 8, 45 mark-compacts in 9 passes, each freeing a few hundred
// MB that glibc handed back and the next pass faulted in again. On an H100, CUDA tensors reported
// the same way made ResNet-50 inference 2.2x slower than PyTorch's. So a full GC runs when the bytes
// that live handles own grow past what survived the last one by as much again, and by a headroom at
// least (V8 paces its own old generation that way): host bytes are checked after each scavenge,
// when what is left is live tensors and promoted garbage; device bytes at each device allocation,
// as they count only 1/256 toward scavenges (one per GB of new CUDA storage besides the per-handle
// weight; with host pacing, 25 MB allocations took 48-79 us each against 10 us with this one,
// PyTorch 6 us). An allocation that still fails collects and retries (errors.cc).
// Measured with the young step at a quarter, alternating runs, 2 threads, ms per pass (PyTorch in
// brackets): ResNet-50 b8 434 vs 480-528 (457-502), ResNet-18 b8 168-170 vs 181-186 (180-187),
// ResNet-50 b1 unchanged; the main job's epoch on 20,000 images 5.2-5.3 vs 5.7-5.9 s (5.0);
// bench/memory unchanged (peak RSS 0.96 of PyTorch's).
static constexpr int64_t kDeviceBytesPerYoungByte = 256;

static int64_t youngWeight(const TensorBox* box) {
  return box->onDevice ? box->pressureBytes / kDeviceBytesPerYoungByte : box->pressureBytes;
}

static FullGcPacer& pacerOf(EnvState& state, const TensorBox* box) {
  return box->onDevice ? state.device : state.host;
}

static void collectFullIfGrown(EnvState& state, const FullGcPacer& pacer) {
  if (pacer.bytes < pacer.fullGcAt || state.collectGarbage.IsEmpty()) return;
  try {
    state.collectGarbage.Call({});  // weak callbacks run inside: the pacers now hold what survived
  } catch (const Napi::Error&) {
    // as for scavenges: memory is only released later
  }
  for (FullGcPacer* p : {&state.host, &state.device}) {
    p->fullGcAt = p->bytes + std::max(p->headroom, p->bytes);
  }
}

static void collectYoungIfDue(EnvState& state, int64_t newBytes) {
  state.bytesSinceYoungGc += newBytes;
  if (state.bytesSinceYoungGc < youngGcStep(state) || state.collectYoung.IsEmpty()) return;
  state.bytesSinceYoungGc = 0;
  try {
    state.collectYoung.Call({});
  } catch (const Napi::Error&) {
    // a failed collection only means memory is released later
  }
  collectFullIfGrown(state, state.host);  // what the scavenge left: live tensors and old garbage
}

// The bytes a new handle adds to GC pressure: its storage's, unless another tensor already holds
// that storage (a view: select, narrow, detach, ...). Counting views again made every select of a
// 188 MB tensor trigger a scavenge (0.4 ms each).
static int64_t newStorageBytes(const at::Tensor& t) {
  const c10::TensorImpl* impl = t.unsafeGetTensorImpl();
  if (!impl->has_storage() || impl->storage().use_count() > 1) return 0;
  return static_cast<int64_t>(impl->storage().nbytes());
}

static int64_t storageBytes(const at::Tensor& t) {
  const c10::TensorImpl* impl = t.unsafeGetTensorImpl();  // no refcount traffic, unlike t.storage()
  if (!impl->has_storage()) return 0;
  return static_cast<int64_t>(impl->storage().nbytes());
}

// The pacers count each storage once, while any live handle holds it. Counting only the handle that
// brought it lost a model's weights: a parameter is an alias made while its source was alive, and
// once the source was collected nothing counted them, so ResNet-50's 100 MB of weights were paced
// as if absent, and the scavenge step stayed at its 4 MB floor.
static void countStorage(EnvState& state, const TensorBox* box) {
  state.handleBytes += box->bytes;
  if (state.handleBytes > state.peakHandleBytes) state.peakHandleBytes = state.handleBytes;
  if (box->storage != nullptr && state.storages.add(box->storage, box->bytes)) {
    pacerOf(state, box).bytes += box->bytes;
  }
}

static void uncountStorage(EnvState& state, const TensorBox* box) {
  state.handleBytes -= box->bytes;
  if (box->storage != nullptr) pacerOf(state, box).bytes -= state.storages.remove(box->storage);
}

// What a handle is counted by, read off its tensor.
struct StorageFacts {
  int64_t bytes;
  const void* storage;  // the StorageImpl: the key in EnvState::storages (null: no memory behind it)
  bool onDevice;
};

static StorageFacts storageFacts(const at::Tensor& t) {
  int64_t bytes = storageBytes(t);
  bool backed = bytes > 0 && !t.is_meta();
  return {bytes, backed ? t.unsafeGetTensorImpl()->storage().unsafeGetStorageImpl() : nullptr, !t.is_cpu()};
}

static void setFacts(TensorBox* box, const StorageFacts& f) {
  box->bytes = f.bytes;
  box->storage = f.storage;
  box->onDevice = f.onDevice;
}

void resyncStorage(napi_value value) {
  TensorBox* box = externalBox<TensorBox>(value);
  if (box == nullptr || box->disposed) return;
  StorageFacts now = storageFacts(box->tensor);
  if (now.storage == box->storage && now.bytes == box->bytes && now.onDevice == box->onDevice) return;
  EnvState& state = *box->env;
  if (now.storage == box->storage && now.storage != nullptr && now.onDevice == box->onDevice) {
    // Resized in place: other handles may share this storage, so only its counted size changes.
    pacerOf(state, box).bytes += state.storages.resize(now.storage, now.bytes);
    state.handleBytes += now.bytes - box->bytes;
    state.peakHandleBytes = std::max(state.peakHandleBytes, state.handleBytes);
    box->bytes = now.bytes;
    return;
  }
  uncountStorage(state, box);
  setFacts(box, now);
  countStorage(state, box);
}

// Releases the tensor's native memory without touching JS; runs synchronously during GC.
static void releaseBox(TensorBox* box) {
  if (box->disposed) return;
  EnvState& state = *box->env;
  state.liveCount--;
  uncountStorage(state, box);
  scopeForget(state, box);
  box->tensor = at::Tensor();
  box->disposed = true;
}

// An explicit release (dispose, torch.tidy) needs no GC, so the handle's bytes no longer count
// toward the next scavenge. A tidy around each iteration of a loop then runs no
// scavenges for its temporaries (10 ops on 256x256 tensors in a tidy: one scavenge per 32 ops before).
void disposeBox(TensorBox* box) {
  if (box->disposed) return;
  EnvState& state = *box->env;
  state.bytesSinceYoungGc = std::max<int64_t>(0, state.bytesSinceYoungGc - youngWeight(box));
  releaseBox(box);
}

// The handle was collected (or the environment is closing).
static void destroyBox(HandleBox* handle) {
  auto* box = static_cast<TensorBox*>(handle);
  releaseBox(box);
  delete box;
}

TensorBox::TensorBox() : HandleBox(kMagic, destroyBox) {}

// What a new handle's storage adds toward the next scavenge (see pressureBytes): its bytes when no
// other tensor holds it (kNewStorage), nothing (kNone: an alias of a live tensor), or its bytes
// unless a live handle holds it (kUnlessHeld: wrapUnwrappedTensor).
enum class Pressure { kNewStorage, kNone, kUnlessHeld };

static napi_value wrapWithPressure(napi_env env, at::Tensor tensor, Pressure pressure) {
  napi_value result;
  if (!tensor.defined()) {
    napi_get_null(env, &result);
    return result;
  }
  EnvState& state = EnvState::current();
  auto* box = new TensorBox();
  setFacts(box, storageFacts(tensor));
  if (tensor.is_meta() || pressure == Pressure::kNone) {  // a meta tensor has no memory behind it
    box->pressureBytes = 0;
  } else if (pressure == Pressure::kNewStorage) {
    box->pressureBytes = newStorageBytes(tensor);
  } else {
    box->pressureBytes = box->storage != nullptr && !state.storages.holds(box->storage) ? box->bytes : 0;
  }
  // before this handle exists: GC cannot touch it
  collectYoungIfDue(state, youngWeight(box) + kHandleWeight);
  if (box->onDevice) collectFullIfGrown(state, state.device);
  box->tensor = std::move(tensor);
  result = newHandle(state, box);
  state.drainReleases(env);
  state.liveCount++;
  countStorage(state, box);
  scopeAdopt(state, box);
  if (!state.pendingWarnings.empty()) flushWarnings(env, state);  // JS runs: last, once the handle is whole
  return result;
}

napi_value wrapTensor(napi_env env, at::Tensor tensor, bool aliasesLive) {
  return wrapWithPressure(env, std::move(tensor), aliasesLive ? Pressure::kNone : Pressure::kNewStorage);
}

napi_value wrapUnwrappedTensor(napi_env env, at::Tensor tensor) {
  return wrapWithPressure(env, std::move(tensor), Pressure::kUnlessHeld);
}

const at::Tensor* tryUnwrapTensor(napi_env env, napi_value value, const char* what) {
  TensorBox* box = externalBox<TensorBox>(value);
  if (box == nullptr) return nullptr;
  if (box->disposed) throwTorchError(Napi::Env(env), std::string("Tensor used after dispose() (") + what + ")");
  return &box->tensor;
}

bool isTensorHandle(napi_env /*env*/, napi_value value) { return externalBox<TensorBox>(value) != nullptr; }

static std::string describeJsValue(napi_env env, napi_value value) {
  napi_valuetype type;
  napi_typeof(env, value, &type);
  switch (type) {
    case napi_undefined: return "undefined";
    case napi_null: return "null";
    case napi_boolean: return "boolean";
    case napi_number: return "number";
    case napi_string: return "string";
    case napi_symbol: return "symbol";
    case napi_object: return "object";
    case napi_function: return "function";
    case napi_bigint: return "bigint";
    default: return "external";
  }
}

const at::Tensor& unwrapTensor(napi_env env, napi_value value, const char* what) {
  TensorBox* box = externalBox<TensorBox>(value);
  if (box == nullptr) {
    throwTorchError(Napi::Env(env), std::string("expected a Tensor for ") + what + " but got " +
                                        describeJsValue(env, value));
  }
  if (box->disposed) {
    throwTorchError(Napi::Env(env), std::string("Tensor used after dispose() (") + what + ")");
  }
  return box->tensor;
}

// dispose(handle): frees the native tensor now; later use raises TorchError.
static Napi::Value dispose(const Napi::CallbackInfo& info) {
  TensorBox* box = externalBox<TensorBox>(info[0]);
  if (box != nullptr) disposeBox(box);
  return info.Env().Undefined();
}

static Napi::Value isDisposed(const Napi::CallbackInfo& info) {
  TensorBox* box = externalBox<TensorBox>(info[0]);
  return Napi::Boolean::New(info.Env(), box == nullptr || box->disposed);
}

// memory(): what this environment's live handles hold, each storage counted once.
static Napi::Value memory(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  EnvState& state = EnvState::get(env);
  std::unordered_set<const void*> seen;
  int64_t cpuBytes = 0, cudaBytes = 0;
  for (HandleBox* handle = state.handles; handle != nullptr; handle = handle->nextHandle) {
    if (handle->magic != TensorBox::kMagic) continue;  // a generator
    const auto* box = static_cast<const TensorBox*>(handle);
    const at::Tensor& t = box->tensor;  // undefined once disposed
    if (!t.defined() || !t.has_storage() || t.is_meta()) continue;
    if (!seen.insert(t.storage().unsafeGetStorageImpl()).second) continue;
    // read off the storage: another handle's resize_ may have grown it since this one was counted
    (t.is_cuda() ? cudaBytes : cpuBytes) += storageBytes(t);
  }
  Napi::Object out = Napi::Object::New(env);
  out.Set("liveTensors", Napi::Number::New(env, static_cast<double>(state.liveCount)));
  out.Set("cpuBytes", Napi::Number::New(env, static_cast<double>(cpuBytes)));
  out.Set("cudaBytes", Napi::Number::New(env, static_cast<double>(cudaBytes)));
  out.Set("handleBytes", Napi::Number::New(env, static_cast<double>(state.handleBytes)));
  out.Set("peakHandleBytes", Napi::Number::New(env, static_cast<double>(state.peakHandleBytes)));
  return out;
}

void registerTensorHandle(Napi::Env env, Napi::Object exports) {
  tuneAllocatorForBatchedFrees();
  exportFunction<dispose>(env, exports, "dispose");
  exportFunction<isDisposed>(env, exports, "isDisposed");
  exportFunction<memory>(env, exports, "memory");
}

}  // namespace tn
