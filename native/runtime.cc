// Process-wide switches: seeds, threads, CUDA presence, versions, the TorchError class.
#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/detail/CUDAHooksInterface.h>
#include <torch/version.h>
#include <dlfcn.h>
#include <link.h>
// node_version.h (for NODE_MODULE_VERSION) also defines NAPI_VERSION: keep the build's own.
#pragma push_macro("NAPI_VERSION")
#undef NAPI_VERSION
#include <node_version.h>
#undef NAPI_VERSION
#pragma pop_macro("NAPI_VERSION")

#include "common.h"
#include "dtypes.h"
#include "env_state.h"
#include "generators.h"

namespace tn {

static int cudaDeviceCount() { return at::hasCUDA() ? at::detail::getCUDAHooks().getNumGPUs() : 0; }

// manualSeed(seed): seeds the CPU generator and every CUDA generator, as torch.manual_seed.
static Napi::Value manualSeed(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uint64_t seed = seedArg(info, 0);
  if (at::Generator* own = threadGenerator()) {  // a DataLoader worker: seed its own stream only
    seedGenerator(*own, seed);
    return env.Undefined();
  }
  seedGenerator(at::detail::getDefaultCPUGenerator(), seed);
  for (int i = 0; i < cudaDeviceCount(); i++) seedGenerator(cudaGenerator(i), seed);
  return env.Undefined();
}

static Napi::Value initialSeed(const Napi::CallbackInfo& info) {
  at::Generator* own = threadGenerator();
  return Napi::BigInt::New(info.Env(), (own ? *own : at::detail::getDefaultCPUGenerator()).current_seed());
}

// OpenBLAS keeps its own thread pool (as many threads as cores) that at::set_num_threads does not
// reach, so setNumThreads(1) still ran matrix products on every core, spinning the spare ones.
// PyTorch's MKL builds cap MKL there; we cap OpenBLAS the same way when a loaded library has it.
struct OpenBlas {
  void (*setThreads)(int) = nullptr;
  int (*getThreads)() = nullptr;
};

static int findOpenBlas(dl_phdr_info* object, size_t, void* out) {
  if (object->dlpi_name == nullptr || object->dlpi_name[0] == '\0') return 0;
  void* handle = dlopen(object->dlpi_name, RTLD_LAZY | RTLD_NOLOAD);  // only looks, never loads
  if (handle == nullptr) return 0;
  OpenBlas blas;
  blas.setThreads = reinterpret_cast<void (*)(int)>(dlsym(handle, "openblas_set_num_threads"));
  blas.getThreads = reinterpret_cast<int (*)()>(dlsym(handle, "openblas_get_num_threads"));
  dlclose(handle);  // drops the reference NOLOAD took; libtorch keeps the library loaded
  if (blas.setThreads == nullptr || blas.getThreads == nullptr) return 0;
  *static_cast<OpenBlas*>(out) = blas;
  return 1;
}

static const OpenBlas& openBlas() {
  static const OpenBlas found = [] {
    OpenBlas blas;
    dl_iterate_phdr(findOpenBlas, &blas);
    return blas;
  }();
  return found;
}

static Napi::Value setNumThreads(const Napi::CallbackInfo& info) {
  int n = info[0].As<Napi::Number>().Int32Value();
  if (n <= 0) throwTorchError(info.Env(), "setNumThreads expects a positive integer");
  at::set_num_threads(n);
  if (openBlas().setThreads) openBlas().setThreads(n);
  return info.Env().Undefined();
}

// blasNumThreads(): OpenBLAS's thread count, or 0 when libtorch does not use OpenBLAS (tests).
static Napi::Value blasNumThreads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), openBlas().getThreads ? openBlas().getThreads() : 0);
}

static Napi::Value getNumThreads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), at::get_num_threads());
}

// The inter-op pool (at::launch) can be sized once, before its first use: later calls are
// libtorch's error, as Python's RuntimeError.
static Napi::Value setNumInteropThreads(const Napi::CallbackInfo& info) {
  int n = info[0].As<Napi::Number>().Int32Value();
  if (n <= 0) throwTorchError(info.Env(), "setNumInteropThreads expects a positive integer");
  at::set_num_interop_threads(n);
  return info.Env().Undefined();
}

static Napi::Value getNumInteropThreads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), at::get_num_interop_threads());
}

static Napi::Value cudaDeviceCountJs(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), cudaDeviceCount());
}

static Napi::Value version(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), TORCH_VERSION);
}

// setErrorClass(TorchError): native errors are raised as instances of this JS class.
static Napi::Value setErrorClass(const Napi::CallbackInfo& info) {
  EnvState::get(info.Env()).torchErrorClass = Napi::Persistent(info[0].As<Napi::Function>());
  return info.Env().Undefined();
}

// setGcFunctions(full, young): a full garbage collection, run before retrying an allocation that
// failed, and a minor one, run every few MB of new tensors.
static Napi::Value setGcFunctions(const Napi::CallbackInfo& info) {
  EnvState& state = EnvState::get(info.Env());
  state.collectGarbage = info[0].IsFunction() ? Napi::Persistent(info[0].As<Napi::Function>()) : Napi::FunctionReference();
  state.collectYoung = info[1].IsFunction() ? Napi::Persistent(info[1].As<Napi::Function>()) : Napi::FunctionReference();
  return info.Env().Undefined();
}

// backendFlag(name[, value]): reads (and with a value, first sets) one of ATen's global switches,
// what Python's torch.backends.* attributes and torch.use_deterministic_algorithms reach.
static Napi::Value backendFlag(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  at::Context& ctx = at::globalContext();
  std::string name = info[0].As<Napi::String>().Utf8Value();
  bool set = info.Length() > 1 && !info[1].IsUndefined();
  bool on = set && info[1].ToBoolean().Value();
  struct Flag {
    const char* name;
    bool (at::Context::*get)() const;
    void (at::Context::*put)(bool);
  };
  static const Flag flags[] = {
      {"cudnn.enabled", &at::Context::userEnabledCuDNN, &at::Context::setUserEnabledCuDNN},
      {"cudnn.benchmark", &at::Context::benchmarkCuDNN, &at::Context::setBenchmarkCuDNN},
      {"cudnn.deterministic", &at::Context::deterministicCuDNN, &at::Context::setDeterministicCuDNN},
      {"cudnn.allowTf32", &at::Context::allowTF32CuDNN, &at::Context::setAllowTF32CuDNN},
      {"cuda.matmul.allowTf32", &at::Context::allowTF32CuBLAS, &at::Context::setAllowTF32CuBLAS},
      {"mkldnn.enabled", &at::Context::userEnabledMkldnn, &at::Context::setUserEnabledMkldnn},
  };
  for (const Flag& f : flags) {
    if (name != f.name) continue;
    if (set) (ctx.*f.put)(on);
    return Napi::Boolean::New(env, (ctx.*f.get)());
  }
  if (name == "deterministicAlgorithms") {
    if (set) ctx.setDeterministicAlgorithms(on, info.Length() > 2 && info[2].ToBoolean().Value());
    Napi::Array out = Napi::Array::New(env, 2);
    out.Set(0u, Napi::Boolean::New(env, ctx.deterministicAlgorithms()));
    out.Set(1u, Napi::Boolean::New(env, ctx.deterministicAlgorithmsWarnOnly()));
    return out;
  }
  // torch.set_flush_denormal: returns whether this CPU supports it (set only; nothing reads it back)
  if (name == "flushDenormal") return Napi::Boolean::New(env, ctx.setFlushDenormal(on));
  // torch.set_warn_always: libtorch's TORCH_WARN_ONCE warnings then fire every time
  if (name == "warnAlways") {
#if TORCH_VERSION_MAJOR >= 2
    if (set) c10::WarningUtils::set_warnAlways(on);
    return Napi::Boolean::New(env, c10::WarningUtils::get_warnAlways());
#else
    if (set) c10::Warning::set_warnAlways(on);
    return Napi::Boolean::New(env, c10::Warning::get_warnAlways());
#endif
  }
  if (name == "float32MatmulPrecision") {
    if (set) ctx.setFloat32MatmulPrecision(info[1].As<Napi::String>().Utf8Value());
    switch (ctx.float32MatmulPrecision()) {
      case at::Float32MatmulPrecision::HIGHEST: return Napi::String::New(env, "highest");
      case at::Float32MatmulPrecision::HIGH: return Napi::String::New(env, "high");
      default: return Napi::String::New(env, "medium");
    }
  }
  if (name == "cudnn.version") return at::Context::hasCuDNN() ? Napi::Number::New(env, static_cast<double>(at::Context::versionCuDNN())) : env.Null();
  // the CUDA runtime libtorch was built with (11070 for 11.7); null without CUDA
  if (name == "cuda.version") {
    const auto& hooks = at::detail::getCUDAHooks();
    return hooks.hasCUDART() ? Napi::Number::New(env, static_cast<double>(hooks.versionCUDART())) : env.Null();
  }
  if (name == "cudnn.available") return Napi::Boolean::New(env, at::Context::hasCuDNN());
  if (name == "mkldnn.available") return Napi::Boolean::New(env, at::hasMKLDNN());
  if (name == "mkl.available") return Napi::Boolean::New(env, at::hasMKL());
  if (name == "openmp.available") return Napi::Boolean::New(env, at::hasOpenMP());
  if (name == "lapack.available") return Napi::Boolean::New(env, at::hasLAPACK());
  throwTorchError(env, "unknown backend flag " + name);
}

// setDefaultDtype(code): c10's default dtype, which libtorch's factories use when given none
// (torch.ones(2) after torch.set_default_dtype(torch.float64) is float64, as in Python); the default
// complex dtype follows it. Process-wide, as in Python.
static Napi::Value setDefaultDtype(const Napi::CallbackInfo& info) {
  const at::ScalarType type = scalarTypeFromJs(info.Env(), info[0], "dtype");
  c10::set_default_dtype(c10::scalarTypeToTypeMeta(type));
  return info.Env().Undefined();
}

void registerRuntime(Napi::Env env, Napi::Object exports) {
  exportFunction<setDefaultDtype>(env, exports, "setDefaultDtype");
  exportFunction<backendFlag>(env, exports, "backendFlag");
  exportFunction<manualSeed>(env, exports, "manualSeed");
  exportFunction<initialSeed>(env, exports, "initialSeed");
  exportFunction<setNumThreads>(env, exports, "setNumThreads");
  exportFunction<getNumThreads>(env, exports, "getNumThreads");
  exportFunction<blasNumThreads>(env, exports, "blasNumThreads");
  exportFunction<setNumInteropThreads>(env, exports, "setNumInteropThreads");
  exportFunction<getNumInteropThreads>(env, exports, "getNumInteropThreads");
  exportFunction<cudaDeviceCountJs>(env, exports, "cudaDeviceCount");
  exportFunction<version>(env, exports, "libtorchVersion");
  exportFunction<setErrorClass>(env, exports, "setErrorClass");
  exportFunction<setGcFunctions>(env, exports, "setGcFunctions");
  // The Node ABI (process.versions.modules) of the headers built against: handles use V8 directly.
  exports.Set("nodeModuleVersion", Napi::Number::New(env, NODE_MODULE_VERSION));
}

}  // namespace tn
