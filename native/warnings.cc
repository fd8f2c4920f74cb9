// libtorch's warnings (TORCH_WARN) raised on a JS thread reach JS as process.emitWarning(message,
// 'UserWarning'), as PyTorch turns them into Python UserWarnings. Left to libtorch they went to
// stderr through glog, with a C++ source line and no way to filter or catch them. The handler only
// queues them (it runs inside the op); the queue is flushed on the JS thread after the op returns.
// Warnings raised on other threads (intra-op workers, the autograd engine's) still go to glog.
#include <c10/util/Exception.h>
#include <torch/version.h>

#include "common.h"
#include "env_state.h"

namespace tn {
namespace {

// Python appends where a non-verbatim warning came from; so does this.
std::string withOrigin(const c10::SourceLocation& where, const std::string& msg, bool verbatim) {
  if (verbatim) return msg;
  return msg + " (Triggered internally at " + where.file + ":" + std::to_string(where.line) + ".)";
}

class QueueingHandler final : public c10::WarningHandler {
 public:
#if TORCH_VERSION_MAJOR >= 2
  void process(const c10::Warning& w) override { queue(withOrigin(w.source_location(), w.msg(), w.verbatim())); }
#else
  void process(const c10::SourceLocation& where, const std::string& msg, const bool verbatim) override {
    queue(withOrigin(where, msg, verbatim));
  }
#endif
  EnvState* state = nullptr;  // the environment of this thread; null once it has shut down

 private:
  void queue(std::string message) {
    if (state != nullptr) state->pendingWarnings.push_back(std::move(message));
  }
};

thread_local QueueingHandler handler;

void setHandler(c10::WarningHandler* h) {
#if TORCH_VERSION_MAJOR >= 2
  c10::WarningUtils::set_warning_handler(h);
#else
  c10::Warning::set_warning_handler(h);
#endif
}

// setWarningFunction(fn): libtorch's warnings on this thread go to fn(message) from now on.
Napi::Value setWarningFunction(const Napi::CallbackInfo& info) {
  EnvState& state = EnvState::get(info.Env());
  state.emitWarning = Napi::Persistent(info[0].As<Napi::Function>());
  handler.state = &state;
  setHandler(&handler);
  return info.Env().Undefined();
}

}  // namespace

void flushWarnings(napi_env env, EnvState& state) {
  if (state.pendingWarnings.empty() || state.emitWarning.IsEmpty()) return;
  std::vector<std::string> messages;
  messages.swap(state.pendingWarnings);
  Napi::Env e(env);
  for (const std::string& m : messages) state.emitWarning.Call({Napi::String::New(e, m)});
}

void stopWarnings(EnvState& state) {
  if (handler.state != &state) return;
  handler.state = nullptr;
  setHandler(nullptr);  // libtorch's default handler again
}

void registerWarnings(Napi::Env env, Napi::Object exports) {
  exportFunction<setWarningFunction>(env, exports, "setWarningFunction");
}

}  // namespace tn
