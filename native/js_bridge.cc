// See js_bridge.h. One JsBridge per JS thread (one Node environment per thread).
#include "js_bridge.h"

#include <ATen/ThreadLocalState.h>
#include <ATen/Context.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "env_state.h"

namespace tn {

// A JS exception on its way through libtorch (possibly across threads): only a raw reference,
// touched on the JS thread alone.
struct JsError : std::runtime_error {
  JsError(std::string message, napi_ref ref) : std::runtime_error(std::move(message)), ref(ref) {}
  napi_ref ref;
};

struct JsRequest {
  std::function<void()> work;
  std::exception_ptr error;
  bool done = false;
};

struct JsBridge {
  napi_env env;
  std::thread::id thread = std::this_thread::get_id();
  EnvState* state;
  std::atomic<int64_t> liveCallbacks{0};
  std::atomic<bool> closed{false};
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<JsRequest*> queue;
  int serving = 0;  // engine calls on this thread now waiting for their helper thread

  explicit JsBridge(napi_env env) : env(env), state(&EnvState::get(Napi::Env(env))) {}
};

static thread_local std::shared_ptr<JsBridge> threadBridge;
static std::atomic<bool> engineOnHelperThread{false};

void setEngineOnHelperThread(bool on) { engineOnHelperThread = on; }

static void closeBridge(void* data) {
  auto* holder = static_cast<std::shared_ptr<JsBridge>*>(data);
  (*holder)->closed = true;
  delete holder;
}

static const std::shared_ptr<JsBridge>& bridgeFor(napi_env env) {
  if (!threadBridge) {
    threadBridge = std::make_shared<JsBridge>(env);
    napi_add_env_cleanup_hook(env, closeBridge, new std::shared_ptr<JsBridge>(threadBridge));
  }
  return threadBridge;
}

JsCallback::JsCallback(Napi::Env env, Napi::Function fn) : bridge_(bridgeFor(env)), ref_(nullptr) {
  napi_create_reference(env, fn, 1, &ref_);
  bridge_->liveCallbacks++;
}

JsCallback::~JsCallback() {
  bridge_->liveCallbacks--;
  if (!bridge_->closed) bridge_->state->queueRelease(ref_);  // deleted on the JS thread
}

// Runs a JS call on the JS thread, catching its exception as a JsError.
static void callOnThisThread(const JsBridge& bridge, napi_ref ref,
                             const std::function<void(Napi::Env, Napi::Function)>& body) {
  Napi::Env env(bridge.env);
  Napi::HandleScope scope(env);
  napi_value fn;
  napi_get_reference_value(bridge.env, ref, &fn);
  try {
    body(env, Napi::Function(env, fn));
  } catch (const Napi::Error& e) {
    napi_ref errorRef;
    napi_create_reference(bridge.env, e.Value(), 1, &errorRef);
    throw JsError(e.Message(), errorRef);
  }
}

void JsCallback::call(const std::function<void(Napi::Env, Napi::Function)>& body) const {
  JsBridge& bridge = *bridge_;
  if (bridge.closed) throw std::runtime_error("a JS autograd callback was called after its thread ended");
  if (std::this_thread::get_id() == bridge.thread) {
    callOnThisThread(bridge, ref_, body);
    return;
  }
  // Another thread (a device thread of the engine): hand the call to the JS thread and wait.
  at::ThreadLocalState callerState;
  JsRequest request;
  request.work = [&] {
    at::ThreadLocalStateGuard guard(callerState);
    callOnThisThread(bridge, ref_, body);
  };
  std::unique_lock<std::mutex> lock(bridge.mutex);
  if (bridge.serving == 0) {
    throw std::runtime_error(
        "a JS autograd callback was called from a libtorch thread while its JS thread was not in "
        "backward() or autograd.grad()");
  }
  bridge.queue.push_back(&request);
  bridge.changed.notify_all();
  bridge.changed.wait(lock, [&] { return request.done; });
  if (request.error) std::rethrow_exception(request.error);
}

// Callbacks can only come from other threads when some device besides the CPU runs nodes.
static bool mayCallFromOtherThreads(const JsBridge& bridge) {
  if (engineOnHelperThread) return true;
  return bridge.liveCallbacks > 0 && (at::hasCUDA() || at::hasMPS());
}

void runAutogradEngine(Napi::Env env, const std::function<void()>& work) {
  const std::shared_ptr<JsBridge>& shared = bridgeFor(env);
  JsBridge& bridge = *shared;
  if (!mayCallFromOtherThreads(bridge)) {
    work();
    return;
  }
  at::ThreadLocalState callerState;  // grad mode etc. travel to the helper thread
  std::exception_ptr error;
  bool finished = false;
  {
    std::lock_guard<std::mutex> lock(bridge.mutex);
    bridge.serving++;
  }
  std::thread helper([&] {
    try {
      at::ThreadLocalStateGuard guard(callerState);
      work();
    } catch (...) {
      error = std::current_exception();
    }
    std::lock_guard<std::mutex> lock(bridge.mutex);
    finished = true;
    bridge.changed.notify_all();
  });
  std::unique_lock<std::mutex> lock(bridge.mutex);
  while (true) {
    bridge.changed.wait(lock, [&] { return finished || !bridge.queue.empty(); });
    if (!bridge.queue.empty()) {
      JsRequest* request = bridge.queue.front();
      bridge.queue.pop_front();
      lock.unlock();
      try {
        request->work();
      } catch (...) {
        request->error = std::current_exception();
      }
      lock.lock();
      request->done = true;
      bridge.changed.notify_all();
      continue;
    }
    break;
  }
  bridge.serving--;
  lock.unlock();
  helper.join();
  if (error) std::rethrow_exception(error);
}

void rethrowJsError(Napi::Env env, std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const JsError& e) {
    napi_value value;
    napi_get_reference_value(env, e.ref, &value);
    napi_delete_reference(env, e.ref);
    throw Napi::Error(env, value);
  }
}

}  // namespace tn
