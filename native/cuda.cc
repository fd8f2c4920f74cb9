// torch.cuda: devices, synchronization, the caching allocator's statistics, CUDA generators.
//
// Builds in both kinds of libtorch. Against a CPU-only one (Debian's) everything that needs a GPU
// raises PyTorch's "Torch not compiled with CUDA enabled", and the memory statistics read 0 as in
// PyTorch before CUDA is initialised. TORCH_NODE_WITH_CUDA (set by CMakeLists.txt / binding.gyp
// only when the found libtorch has CUDA) brings in the CUDA headers for the rest.
#include <ATen/Context.h>
#include <ATen/detail/CUDAHooksInterface.h>

#include "common.h"
#include "generators.h"

#ifdef TORCH_NODE_WITH_CUDA
#include <ATen/cuda/CUDAContext.h>
#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAFunctions.h>
#include <c10/cuda/CUDAGuard.h>
#endif

namespace tn {

namespace {

int deviceCount() { return at::hasCUDA() ? at::detail::getCUDAHooks().getNumGPUs() : 0; }

// What Python's torch.cuda._lazy_init says when there is no GPU to use.
void requireCuda(Napi::Env env) {
#ifdef TORCH_NODE_WITH_CUDA
  if (deviceCount() == 0) throwTorchError(env, "No CUDA GPUs are available");
#else
  throwTorchError(env, "Torch not compiled with CUDA enabled");
#endif
}

// The device argument: an index, or undefined/null/-1 for the current device.
int deviceArg(const Napi::CallbackInfo& info, size_t i) {
  requireCuda(info.Env());
  int index = -1;
  if (info.Length() > i && info[i].IsNumber()) index = info[i].As<Napi::Number>().Int32Value();
#ifdef TORCH_NODE_WITH_CUDA
  if (index < 0) index = c10::cuda::current_device();
#endif
  if (index >= deviceCount()) throwTorchError(info.Env(), "Invalid device id");
  return index;
}

}  // namespace

// Whether this addon was compiled against a CUDA libtorch (GPUs present or not).
static Napi::Value cudaIsBuilt(const Napi::CallbackInfo& info) {
#ifdef TORCH_NODE_WITH_CUDA
  return Napi::Boolean::New(info.Env(), true);
#else
  return Napi::Boolean::New(info.Env(), false);
#endif
}

static Napi::Value cudaCurrentDevice(const Napi::CallbackInfo& info) {
  requireCuda(info.Env());
#ifdef TORCH_NODE_WITH_CUDA
  return Napi::Number::New(info.Env(), c10::cuda::current_device());
#else
  return info.Env().Undefined();
#endif
}

static Napi::Value cudaSetDevice(const Napi::CallbackInfo& info) {
  int index = deviceArg(info, 0);
#ifdef TORCH_NODE_WITH_CUDA
  c10::cuda::set_device(static_cast<c10::DeviceIndex>(index));
#endif
  (void)index;
  return info.Env().Undefined();
}

// synchronize(device?): waits for every kernel queued on that device.
static Napi::Value cudaSynchronize(const Napi::CallbackInfo& info) {
  int index = deviceArg(info, 0);
#ifdef TORCH_NODE_WITH_CUDA
  c10::cuda::CUDAGuard guard(static_cast<c10::DeviceIndex>(index));
  c10::cuda::device_synchronize();
#endif
  (void)index;
  return info.Env().Undefined();
}

static Napi::Value cudaGetDeviceName(const Napi::CallbackInfo& info) {
  int index = deviceArg(info, 0);
#ifdef TORCH_NODE_WITH_CUDA
  return Napi::String::New(info.Env(), at::cuda::getDeviceProperties(static_cast<c10::DeviceIndex>(index))->name);
#else
  (void)index;
  return info.Env().Undefined();
#endif
}

// memoryStats(device?): the caching allocator's aggregate byte counters (all zero without CUDA).
static Napi::Value cudaMemoryStats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object out = Napi::Object::New(env);
  double allocated = 0, peakAllocated = 0, reserved = 0, peakReserved = 0;
#ifdef TORCH_NODE_WITH_CUDA
  if (deviceCount() > 0) {
    int index = deviceArg(info, 0);
    auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(static_cast<c10::DeviceIndex>(index));
    constexpr size_t aggregate = 0;  // StatType::AGGREGATE: all pools together
    allocated = static_cast<double>(stats.allocated_bytes[aggregate].current);
    peakAllocated = static_cast<double>(stats.allocated_bytes[aggregate].peak);
    reserved = static_cast<double>(stats.reserved_bytes[aggregate].current);
    peakReserved = static_cast<double>(stats.reserved_bytes[aggregate].peak);
  }
#endif
  out.Set("allocated", allocated);
  out.Set("peakAllocated", peakAllocated);
  out.Set("reserved", reserved);
  out.Set("peakReserved", peakReserved);
  return out;
}

// emptyCache(): gives cached, unused blocks back to the driver (a no-op without CUDA, as PyTorch).
static Napi::Value cudaEmptyCache(const Napi::CallbackInfo& info) {
#ifdef TORCH_NODE_WITH_CUDA
  if (deviceCount() > 0) c10::cuda::CUDACachingAllocator::emptyCache();
#endif
  return info.Env().Undefined();
}

static Napi::Value cudaResetPeakMemoryStats(const Napi::CallbackInfo& info) {
  int index = deviceArg(info, 0);
#ifdef TORCH_NODE_WITH_CUDA
  c10::cuda::CUDACachingAllocator::resetPeakStats(static_cast<c10::DeviceIndex>(index));
#endif
  (void)index;
  return info.Env().Undefined();
}

// manualSeed(seed, device): seeds one CUDA generator (device >= 0), the current device's (-1), or
// every one (-2, manual_seed_all). Without GPUs it does nothing, as PyTorch's lazy seeding.
static Napi::Value cudaManualSeed(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint64_t seed = seedArg(info, 0);
  int which = info[1].IsNumber() ? info[1].As<Napi::Number>().Int32Value() : -1;
  int count = deviceCount();
  if (count == 0) return env.Undefined();
  if (which == -2) {
    for (int i = 0; i < count; i++) seedGenerator(cudaGenerator(i), seed);
  } else {
    seedGenerator(cudaGenerator(deviceArg(info, 1)), seed);
  }
  return env.Undefined();
}

void registerCuda(Napi::Env env, Napi::Object exports) {
  exportFunction<cudaIsBuilt>(env, exports, "cudaIsBuilt");
  exportFunction<cudaCurrentDevice>(env, exports, "cudaCurrentDevice");
  exportFunction<cudaSetDevice>(env, exports, "cudaSetDevice");
  exportFunction<cudaSynchronize>(env, exports, "cudaSynchronize");
  exportFunction<cudaGetDeviceName>(env, exports, "cudaGetDeviceName");
  exportFunction<cudaMemoryStats>(env, exports, "cudaMemoryStats");
  exportFunction<cudaEmptyCache>(env, exports, "cudaEmptyCache");
  exportFunction<cudaResetPeakMemoryStats>(env, exports, "cudaResetPeakMemoryStats");
  exportFunction<cudaManualSeed>(env, exports, "cudaManualSeed");
}

}  // namespace tn
