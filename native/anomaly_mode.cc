// torch.autograd.detect_anomaly: libtorch's AnomalyMode (the engine checks each backward output for
// NaN and names the node that produced it) plus where each node was made. libtorch's own metadata
// records a C++ backtrace; like Python, which swaps in an engine that records the Python stack, we
// install an engine whose metadata records the JS stack of the op that made the node, printed as a
// warning when that node's backward fails.
#include <c10/util/Exception.h>
#include <torch/csrc/autograd/anomaly_mode.h>
#include <torch/csrc/autograd/engine.h>
#include <torch/csrc/autograd/function.h>
#include <torch/version.h>

#include <mutex>

#include "common.h"
#include "env_state.h"

namespace tn {
namespace {

using torch::autograd::AnomalyMetadata;
using torch::autograd::Node;

void warnVerbatim(const std::string& message) {
  c10::SourceLocation here{__func__, __FILE__, static_cast<uint32_t>(__LINE__)};
#if TORCH_VERSION_MAJOR >= 2
  c10::warn(c10::Warning(c10::UserWarning(), here, message, /*verbatim=*/true));
#else
  c10::Warning::warn(here, message, /*verbatim=*/true);
#endif
}

// The JS stack, when this thread runs a Node environment that gave us its capture function; nodes
// made on libtorch's threads (a backward of a backward) get their parent's stack instead.
std::string jsStack() {
  EnvState* state = EnvState::onThisThread();
  if (state == nullptr || state->closing || state->captureStack.IsEmpty()) return "";
  Napi::Env env = state->captureStack.Env();
  napi_value result;
  napi_status status = napi_call_function(env, env.Undefined(), state->captureStack.Value(), 0, nullptr, &result);
  if (status != napi_ok) {
    napi_value ignored;
    napi_get_and_clear_last_exception(env, &ignored);  // a stack is a hint: never fail the op for it
    return "";
  }
  return Napi::Value(env, result).ToString().Utf8Value();
}

struct JsAnomalyMetadata final : AnomalyMetadata {
  std::string stack;
  std::shared_ptr<Node> parent;

  void store_stack() override { stack = jsStack(); }

  // What Python warns: where the failing node was made, then (one warning each) where the nodes
  // whose backward made it (double backward) were made.
  void print_stack(const std::string& name) override {
    warnVerbatim("Error detected in " + name + ". Traceback of forward call that caused the error:\n" + stack);
    for (std::shared_ptr<Node> p = parent; p;) {
      auto* meta = dynamic_cast<JsAnomalyMetadata*>(p->metadata());
      if (meta == nullptr) break;
      warnVerbatim("\n\nPrevious calculation was induced by " + p->name() + ". Traceback of forward call that induced the previous calculation:\n" + meta->stack);
      p = meta->parent;
    }
  }

  void assign_parent(const std::shared_ptr<Node>& node) override { parent = node; }
};

struct JsStackEngine final : torch::autograd::Engine {
  std::unique_ptr<AnomalyMetadata> make_anomaly_metadata() override { return std::make_unique<JsAnomalyMetadata>(); }
};

// One engine for the process (libtorch's engine must be unique): made on first use, as the base one is.
torch::autograd::Engine& jsStackEngine() {
  static JsStackEngine engine;
  return engine;
}

// anomalyMode(enabled?, checkNan?) -> [enabled, checkNan], after setting them when given
Napi::Value anomalyMode(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info[0].IsBoolean()) {
    torch::autograd::AnomalyMode::set_enabled(info[0].As<Napi::Boolean>().Value(), info[1].ToBoolean().Value());
  }
  Napi::Array out = Napi::Array::New(env, 2);
  out.Set(0u, torch::autograd::AnomalyMode::is_enabled());
  out.Set(1u, torch::autograd::AnomalyMode::should_check_nan());
  return out;
}

// setAnomalyStackFunction(fn): fn() returns the JS stack to keep with each node made on this thread.
Napi::Value setAnomalyStackFunction(const Napi::CallbackInfo& info) {
  EnvState::get(info.Env()).captureStack = Napi::Persistent(info[0].As<Napi::Function>());
  return info.Env().Undefined();
}

}  // namespace

void registerAnomalyMode(Napi::Env env, Napi::Object exports) {
  static std::once_flag installed;
  std::call_once(installed, [] { torch::autograd::set_default_engine_stub(&jsStackEngine); });
  exportFunction<anomalyMode>(env, exports, "anomalyMode");
  exportFunction<setAnomalyStackFunction>(env, exports, "setAnomalyStackFunction");
}

}  // namespace tn
