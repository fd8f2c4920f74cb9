// The single place where C++ exceptions become JS TorchErrors.
#include "common.h"
#include "env_state.h"

namespace tn {

// Built with raw Node-API calls that never throw: while a worker is being terminated JS cannot run,
// and an exception escaping here would abort the process. An empty error is then thrown as nothing.
static Napi::Error makeTorchError(Napi::Env env, const std::string& message) {
  napi_value text = nullptr, error = nullptr, cls = nullptr;
  if (napi_create_string_utf8(env, message.c_str(), message.size(), &text) != napi_ok) return Napi::Error();
  EnvState& state = EnvState::get(env);
  if (!state.torchErrorClass.IsEmpty() && napi_get_reference_value(env, state.torchErrorClass, &cls) == napi_ok &&
      cls != nullptr) {
    napi_new_instance(env, cls, 1, &text, &error);
  }
  if (error == nullptr) napi_create_error(env, nullptr, text, &error);
  return error == nullptr ? Napi::Error() : Napi::Error(env, error);
}

void throwTorchError(Napi::Env env, const std::string& message) {
  throw makeTorchError(env, message);
}

// libtorch messages end with a C++ source location ("Exception raised from ..."); users want the
// sentence PyTorch prints, so keep only what comes before it.
static std::string withoutSourceLocation(std::string msg) {
  size_t cut = msg.find("\nException raised from");
  if (cut == std::string::npos) cut = msg.find("Exception raised from");
  if (cut != std::string::npos) msg.erase(cut);
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  return msg;
}

bool isOutOfMemory(const c10::Error& e) {
  const std::string m = e.what_without_backtrace();
  return m.find("out of memory") != std::string::npos || m.find("can't allocate memory") != std::string::npos ||
         m.find("not enough memory") != std::string::npos;
}

bool collectGarbageAfterOutOfMemory(Napi::Env env) {
  bool outOfMemory = false;
  try {
    throw;
  } catch (const std::bad_alloc&) {
    outOfMemory = true;
  } catch (const c10::Error& e) {
    outOfMemory = isOutOfMemory(e);
  } catch (...) {
  }
  EnvState& state = EnvState::get(env);
  if (!outOfMemory || state.collectGarbage.IsEmpty()) return false;
  try {
    state.collectGarbage.Call({});
  } catch (const Napi::Error&) {
    return false;
  }
  return true;
}

void rethrowAsTorchError(Napi::Env env, const char* where) {
  std::string prefix = where ? std::string(where) + ": " : std::string();
  // Warnings raised before the error (anomaly mode's "Error detected in ...") come first, as in Python.
  EnvState* state = EnvState::onThisThread();
  if (state != nullptr && !state->pendingWarnings.empty()) flushWarnings(env, *state);
  try {
    throw;
  } catch (const Napi::Error&) {
    throw;  // already a JS error (e.g. a TorchError raised by our own checks)
  } catch (const c10::Error& e) {
    throw makeTorchError(env, prefix + withoutSourceLocation(e.what_without_backtrace()));
  } catch (const std::bad_alloc&) {
    throw makeTorchError(env, prefix + "out of memory");
  } catch (const std::exception& e) {
    throw makeTorchError(env, prefix + withoutSourceLocation(e.what()));
  } catch (...) {
    throw makeTorchError(env, prefix + "unknown native error");
  }
}

}  // namespace tn
