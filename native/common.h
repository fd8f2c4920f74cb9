// Shared includes and helpers for every native file. ATen only: torch/torch.h costs ~30 s per file.
#pragma once
#include <ATen/ATen.h>
#include <napi.h>

#include <cmath>
#include <string>

namespace tn {

// Converts any C++ exception thrown while serving a JS call into a JS TorchError.
// Every exported function is registered through exportFunction(), which applies this one guard.
[[noreturn]] void rethrowAsTorchError(Napi::Env env, const char* where);

// Throws a TorchError with a message of our own (argument checks on the JS side of the boundary).
[[noreturn]] void throwTorchError(Napi::Env env, const std::string& message);

// A JS number read as an integer: no fractional part and exactly representable (|d| < 2^53).
// JS cannot tell 2 from 2.0, so such numbers become integral Scalars and int arguments.
inline bool isExactInteger(double d) { return d == std::trunc(d) && std::fabs(d) < 9.007199254740992e15; }

// CPU allocator failures and CUDA out-of-memory errors, told apart by libtorch's messages.
bool isOutOfMemory(const c10::Error& e);

// Called inside a catch block: when the exception in flight is an out-of-memory error, runs a full
// garbage collection (whose finalizers free unreachable tensors) and returns true.
bool collectGarbageAfterOutOfMemory(Napi::Env env);

// The one guard: runs fn; after an out-of-memory error collects garbage and runs it once more;
// any exception left becomes a TorchError.
template <typename F>
auto runGuarded(Napi::Env env, F&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (...) {
    if (!collectGarbageAfterOutOfMemory(env)) rethrowAsTorchError(env, nullptr);
  }
  try {
    return fn();
  } catch (...) {
    rethrowAsTorchError(env, nullptr);
  }
}

// Hands a caught error to JS. When another exception is already pending (one that rose while this
// one was being made, or a worker's termination), node-addon-api would throw a C++ exception
// out of the callback, which aborts the process; that pending exception reaches JS instead.
inline void throwToJs(const Napi::Error& e) {
  try {
    e.ThrowAsJavaScriptException();
  } catch (const Napi::Error&) {
  }
}

using Handler = Napi::Value (*)(const Napi::CallbackInfo&);

template <Handler Fn>
Napi::Value guarded(const Napi::CallbackInfo& info) {
  try {
    return runGuarded(info.Env(), [&info] { return Fn(info); });
  } catch (const Napi::Error& e) {
    throwToJs(e);
  }
  return Napi::Value();
}

template <Handler Fn>
void exportFunction(Napi::Env env, Napi::Object exports, const char* name) {
  exports.Set(name, Napi::Function::New(env, guarded<Fn>, name));
}

// Each native file registers its functions here (called from addon.cc).
void registerTensorHandle(Napi::Env env, Napi::Object exports);
void registerTensorData(Napi::Env env, Napi::Object exports);
void registerDtypes(Napi::Env env, Napi::Object exports);
void registerOpsBoxed(Napi::Env env, Napi::Object exports);
void registerOpsFast(Napi::Env env, Napi::Object exports);
void registerAutograd(Napi::Env env, Napi::Object exports);
void registerAutogradFunction(Napi::Env env, Napi::Object exports);
void registerRuntime(Napi::Env env, Napi::Object exports);
void registerSharedBuffers(Napi::Env env, Napi::Object exports);
void registerGenerators(Napi::Env env, Napi::Object exports);

}  // namespace tn

namespace tn {

// Raw Node-API form for the hottest entry points (ops_fast.cc): no CallbackInfo allocation.
// Same guard as guarded<>: every exception becomes a JS TorchError, thrown here by hand.
using RawHandler = napi_value (*)(napi_env env, napi_value* argv, size_t argc);

template <RawHandler Fn>
napi_value rawGuarded(napi_env env, napi_callback_info info) {
  napi_value argv[6];
  size_t argc = 6;
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);  // fills missing ones with undefined
  try {
    return runGuarded(Napi::Env(env), [&] { return Fn(env, argv, argc); });
  } catch (const Napi::Error& e) {
    throwToJs(e);
  }
  return nullptr;
}

template <RawHandler Fn>
void exportRawFunction(Napi::Env env, Napi::Object exports, const char* name) {
  napi_value fn;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, rawGuarded<Fn>, nullptr, &fn);
  exports.Set(name, Napi::Value(env, fn));
}

}  // namespace tn
