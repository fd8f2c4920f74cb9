// Autocast (AMP): libtorch's thread-local autocast switches, read and written as one packed number
// so that lib/amp can set, save and restore them in one call, and async scopes can carry them.
//
// Packed state: bit 0 CPU autocast on, bit 1 CUDA autocast on, bit 2 cast cache on,
// bits 8..15 the CPU lower-precision dtype, bits 16..23 the CUDA one (at::ScalarType codes).
#include <ATen/autocast_mode.h>
#include <torch/version.h>

#include "common.h"

// libtorch 2.4 replaced the per-device functions with ones taking the device type.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
#define TN_AUTOCAST_BY_DEVICE 1
#endif

namespace tn {

namespace {

constexpr uint32_t kCpuOn = 1u << 0;
constexpr uint32_t kCudaOn = 1u << 1;
constexpr uint32_t kCacheOn = 1u << 2;

bool enabled(c10::DeviceType type) {
#ifdef TN_AUTOCAST_BY_DEVICE
  return at::autocast::is_autocast_enabled(type);
#else
  return type == c10::DeviceType::CPU ? at::autocast::is_cpu_enabled() : at::autocast::is_enabled();
#endif
}

void setEnabled(c10::DeviceType type, bool on) {
#ifdef TN_AUTOCAST_BY_DEVICE
  at::autocast::set_autocast_enabled(type, on);
#else
  if (type == c10::DeviceType::CPU) at::autocast::set_cpu_enabled(on);
  else at::autocast::set_enabled(on);
#endif
}

at::ScalarType dtypeOf(c10::DeviceType type) {
#ifdef TN_AUTOCAST_BY_DEVICE
  return at::autocast::get_autocast_dtype(type);
#else
  return type == c10::DeviceType::CPU ? at::autocast::get_autocast_cpu_dtype() : at::autocast::get_autocast_gpu_dtype();
#endif
}

void setDtype(c10::DeviceType type, at::ScalarType dtype) {
#ifdef TN_AUTOCAST_BY_DEVICE
  at::autocast::set_autocast_dtype(type, dtype);
#else
  if (type == c10::DeviceType::CPU) at::autocast::set_autocast_cpu_dtype(dtype);
  else at::autocast::set_autocast_gpu_dtype(dtype);
#endif
}

uint32_t packState() {
  uint32_t s = 0;
  if (enabled(c10::DeviceType::CPU)) s |= kCpuOn;
  if (enabled(c10::DeviceType::CUDA)) s |= kCudaOn;
  if (at::autocast::is_autocast_cache_enabled()) s |= kCacheOn;
  s |= static_cast<uint32_t>(dtypeOf(c10::DeviceType::CPU)) << 8;
  s |= static_cast<uint32_t>(dtypeOf(c10::DeviceType::CUDA)) << 16;
  return s;
}

void unpackState(uint32_t s) {
  setDtype(c10::DeviceType::CPU, static_cast<at::ScalarType>((s >> 8) & 0xff));
  setDtype(c10::DeviceType::CUDA, static_cast<at::ScalarType>((s >> 16) & 0xff));
  setEnabled(c10::DeviceType::CPU, (s & kCpuOn) != 0);
  setEnabled(c10::DeviceType::CUDA, (s & kCudaOn) != 0);
  at::autocast::set_autocast_cache_enabled((s & kCacheOn) != 0);
}

}  // namespace

static Napi::Value getAutocastState(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), packState());
}

// setAutocastState(packed): the dtype codes must name floating types (checked on the JS side too).
static Napi::Value setAutocastState(const Napi::CallbackInfo& info) {
  if (!info[0].IsNumber()) throwTorchError(info.Env(), "setAutocastState expects a number");
  uint32_t s = info[0].As<Napi::Number>().Uint32Value();
  for (int shift : {8, 16}) {
    auto code = static_cast<int>((s >> shift) & 0xff);
    if (code >= static_cast<int>(at::ScalarType::NumOptions) ||
        !at::isFloatingType(static_cast<at::ScalarType>(code))) {
      throwTorchError(info.Env(), "autocast dtype must be a floating point dtype");
    }
  }
  unpackState(s);
  return info.Env().Undefined();
}

// Entering an autocast region counts nesting; leaving the outermost one clears the cast cache
// (casts of leaf tensors such as weights, reused while the region lasts), as Python's __exit__.
static Napi::Value autocastIncrementNesting(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), at::autocast::increment_nesting());
}

static Napi::Value autocastDecrementNesting(const Napi::CallbackInfo& info) {
  int left = at::autocast::decrement_nesting();
  if (left == 0) at::autocast::clear_cache();
  return Napi::Number::New(info.Env(), left);
}

static Napi::Value clearAutocastCache(const Napi::CallbackInfo& info) {
  at::autocast::clear_cache();
  return info.Env().Undefined();
}

void registerAutocast(Napi::Env env, Napi::Object exports) {
  exportFunction<getAutocastState>(env, exports, "getAutocastState");
  exportFunction<setAutocastState>(env, exports, "setAutocastState");
  exportFunction<autocastIncrementNesting>(env, exports, "autocastIncrementNesting");
  exportFunction<autocastDecrementNesting>(env, exports, "autocastDecrementNesting");
  exportFunction<clearAutocastCache>(env, exports, "clearAutocastCache");
}

}  // namespace tn
