// Calling JS from libtorch's autograd engine. The engine runs CPU nodes on the thread that called
// backward (the JS thread), but nodes on other devices run on its device threads. A JS callback
// (custom Function backward, tensor hook) called from such a thread is handed to the JS thread,
// which waits for it: while a backward that may need this runs, the engine works on a helper thread
// and the JS thread serves callback requests until the engine is done (runAutogradEngine).
#pragma once
#include <functional>

#include "common.h"

namespace tn {

struct JsBridge;

// A JS function kept alive for as long as libtorch holds the callback (a graph node, a hook).
// Destroyed on any thread: the reference is released later on the JS thread.
class JsCallback {
 public:
  JsCallback(Napi::Env env, Napi::Function fn);
  ~JsCallback();
  JsCallback(const JsCallback&) = delete;
  JsCallback& operator=(const JsCallback&) = delete;

  // Runs body(env, fn) on the JS thread (directly when already on it), with the caller's
  // thread-local state (grad mode, ...). JS exceptions become a C++ JsError carrying the JS value.
  void call(const std::function<void(Napi::Env, Napi::Function)>& body) const;

 private:
  std::shared_ptr<JsBridge> bridge_;
  napi_ref ref_;
};

// Runs one autograd engine call (backward, autograd.grad) from the JS thread. When JS callbacks
// may be called from other threads, the engine runs on a helper thread while this thread serves them.
void runAutogradEngine(Napi::Env env, const std::function<void()>& work);

// A JS exception that passed through libtorch: turns it back into the original JS value.
[[noreturn]] void rethrowJsError(Napi::Env env, std::exception_ptr error);

// For tests on CPU-only machines: always run the engine on a helper thread.
void setEngineOnHelperThread(bool on);

}  // namespace tn
