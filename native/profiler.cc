// torch.profiler over libtorch's profiler (profiler_kineto.h): the same entry points Python's
// torch.autograd._enable_profiler / _disable_profiler bind. This libtorch is built without
// libkineto, so only CPU activity is collected (as in Python's build beside it). The events are
// handed to JS as plain objects; lib/profiler builds FunctionEvents from them as Python does.
#include <ATen/record_function.h>
#include <c10/core/impl/LocalDispatchKeySet.h>
#include <torch/csrc/autograd/profiler_kineto.h>
#include <torch/csrc/profiler/execution_graph_observer.h>

#include <cstring>
#include <memory>
#include <mutex>
#include <set>
#include <unordered_map>
#include <utility>

#include "common.h"
#include "env_state.h"

// kineto_shim.h declares it but needs libkineto's headers, which this libtorch lacks
namespace torch::autograd::profiler {
TORCH_API void addMetadataJson(const std::string& key, const std::string& value);
}

namespace tn {
namespace {

namespace prof = torch::autograd::profiler;
using torch::profiler::impl::ActivityType;
using torch::profiler::impl::ProfilerConfig;
using torch::profiler::impl::ProfilerState;

bool boolArg(const Napi::CallbackInfo& info, size_t i) { return info[i].IsBoolean() && info[i].As<Napi::Boolean>().Value(); }

// withStack: Python's profiler reads the Python stack of each op; ours reads the JS stack. A
// RecordFunction callback, registered before the profiler's own so it runs first on each op, asks
// the JS thread that started the session for its stack (EnvState::captureStack) and tags the op
// with that stack's number as its debug handle; the profiler keeps the handle with the event, and
// its post-processing hook turns the number back into the stack's frames when the session ends.
struct JsStacks {
  std::mutex mutex;
  std::vector<std::string> texts;                 // each distinct stack once: ops in a loop share one
  std::unordered_map<std::string, int64_t> ids;
};

// The session of this thread (each Node environment runs on its own thread, and libtorch's
// profiler state is per thread too); null on libtorch's threads, whose ops get no JS stack.
thread_local std::shared_ptr<JsStacks> tStacks;
thread_local at::CallbackHandle tStackCallback = 0;
thread_local bool tCapturing = false;
// Asking JS for its stack is the cost of withStack: the ops an op runs inside it (no JS runs in
// between) take the stack of the outermost one, and the ops a backward node runs take the stack
// found as the node began (EventList.buildTree gives them their forward op's instead, as Python
// does, unless their times, rounded to microseconds, put them outside the node).
thread_local int tOpDepth = 0;
thread_local int64_t tOuterStack = -1;
thread_local int tBackwardDepth = 0;
thread_local int64_t tBackwardStack = -1;

// The JS stack of the call running on this thread, or "" when there is none to ask.
std::string currentJsStack() {
  EnvState* state = EnvState::onThisThread();
  if (state == nullptr || state->closing || state->captureStack.IsEmpty()) return "";
  Napi::Env env = state->captureStack.Env();
  Napi::HandleScope scope(env);
  napi_value result;
  if (napi_call_function(env, env.Undefined(), state->captureStack.Value(), 0, nullptr, &result) != napi_ok) {
    napi_value ignored;
    napi_get_and_clear_last_exception(env, &ignored);  // a stack is a hint: never fail the op for it
    return "";
  }
  return Napi::Value(env, result).ToString().Utf8Value();
}

// The number of the current JS stack in this session (-1: none).
int64_t captureStackId() {
  if (tCapturing) return -1;  // the capture runs no op, but never recurse if it did
  tCapturing = true;
  std::string text = currentJsStack();
  tCapturing = false;
  if (text.empty()) return -1;
  std::lock_guard<std::mutex> lock(tStacks->mutex);
  auto found = tStacks->ids.find(text);
  if (found != tStacks->ids.end()) return found->second;
  const auto id = static_cast<int64_t>(tStacks->texts.size());
  tStacks->texts.push_back(text);
  tStacks->ids.emplace(std::move(text), id);
  return id;
}

// An aten op runs no JS inside it, so what it runs shares its stack. Not so for the engine's
// events (hooks run inside them) nor user ranges (open while any JS runs): those are asked each.
bool sharesStackWithNested(const at::RecordFunction& fn) {
  static constexpr char kEngine[] = "autograd::engine::";
  return fn.scope() == at::RecordScope::FUNCTION && std::strncmp(fn.name(), kEngine, sizeof(kEngine) - 1) != 0;
}

void tag(const at::RecordFunction& fn, int64_t id) {
  // the callback API hands the op as const, but the guard it refers to is ours to tag (the lite
  // interpreter tags ops with a debug handle the same way, before the profiler reads it)
  if (id >= 0) const_cast<at::RecordFunction&>(fn).setDebugHandle(id);
}

std::unique_ptr<at::ObserverContext> onOpEnter(const at::RecordFunction& fn) {
  if (!tStacks) return nullptr;
  if (fn.scope() == at::RecordScope::BACKWARD_FUNCTION) {
    if (tBackwardDepth++ == 0) tBackwardStack = captureStackId();
    return nullptr;
  }
  if (tBackwardDepth > 0) {
    tag(fn, tBackwardStack);
    return nullptr;
  }
  if (!sharesStackWithNested(fn)) {
    tag(fn, captureStackId());
    return nullptr;
  }
  if (tOpDepth++ == 0) tOuterStack = captureStackId();
  tag(fn, tOuterStack);
  return nullptr;
}

void onOpExit(const at::RecordFunction& fn, at::ObserverContext*) {
  if (!tStacks) return;
  if (fn.scope() == at::RecordScope::BACKWARD_FUNCTION) {
    if (tBackwardDepth > 0) tBackwardDepth--;
    return;
  }
  if (tBackwardDepth == 0 && sharesStackWithNested(fn) && tOpDepth > 0) tOpDepth--;
}

// The frames of one stack, innermost first, as the JS capture gives them (one per line).
std::vector<std::string> stackLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

void stopStackCapture() {
  if (tStackCallback != 0) at::removeCallback(tStackCallback);
  tStackCallback = 0;
  tStacks.reset();
  tOpDepth = 0;
  tBackwardDepth = 0;
}

// profilerStart(recordShapes, profileMemory, withStack, withFlops, withModules, cudaFallback):
// Python's _prepare_profiler then _enable_profiler, CPU activity, ProfilerState.KINETO (or
// KINETO_GPU_FALLBACK, CUDA times from CUDA events, when CUDA is profiled without libkineto).
Napi::Value profilerStart(const Napi::CallbackInfo& info) {
  const ProfilerState state = boolArg(info, 5) ? ProfilerState::KINETO_GPU_FALLBACK : ProfilerState::KINETO;
  ProfilerConfig config(state, boolArg(info, 0), boolArg(info, 1), boolArg(info, 2), boolArg(info, 3), boolArg(info, 4));
  const std::set<ActivityType> activities{ActivityType::CPU};
  prof::prepareProfiler(config, activities);
  if (!config.with_stack) {
    prof::enableProfiler(config, activities);
    return info.Env().Undefined();
  }
  // libtorch refuses a second session on a thread: the running one keeps its stacks then
  auto stacks = std::make_shared<JsStacks>();
  std::shared_ptr<JsStacks> running = std::exchange(tStacks, stacks);
  const at::CallbackHandle callback = at::addThreadLocalCallback(at::RecordFunctionCallback(&onOpEnter, &onOpExit));
  try {
    // after the session, each event's debug handle (our stack number) becomes its stack
    auto toStack = [stacks](int64_t handle, std::vector<std::string>& stack, std::vector<std::string>&) {
      std::lock_guard<std::mutex> lock(stacks->mutex);
      if (handle >= 0 && handle < static_cast<int64_t>(stacks->texts.size())) stack = stackLines(stacks->texts[handle]);
    };
    prof::enableProfilerWithEventPostProcess(config, activities, toStack);
  } catch (...) {
    at::removeCallback(callback);
    tStacks = running;
    throw;
  }
  tStackCallback = callback;
  tOpDepth = 0;
  tBackwardDepth = 0;
  return info.Env().Undefined();
}

Napi::Value profilerEnabled(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), torch::profiler::impl::profilerEnabled());
}

Napi::Array strings(Napi::Env env, c10::ArrayRef<std::string> list) {
  Napi::Array a = Napi::Array::New(env, list.size());
  for (size_t i = 0; i < list.size(); i++) a.Set(static_cast<uint32_t>(i), list[i]);
  return a;
}

Napi::Object eventObject(Napi::Env env, const prof::KinetoEvent& e) {
  auto num = [&](double v) { return Napi::Number::New(env, v); };
  Napi::Object o = Napi::Object::New(env);
  o.Set("name", e.name());
  o.Set("startUs", num(double(e.startUs())));
  o.Set("durationUs", num(double(e.durationUs())));
  o.Set("startThreadId", num(double(e.startThreadId())));
  o.Set("endThreadId", num(double(e.endThreadId())));
  o.Set("fwdThreadId", num(double(e.fwdThreadId())));
  o.Set("correlationId", num(double(e.correlationId())));
  o.Set("linkedCorrelationId", num(double(e.linkedCorrelationId())));
  o.Set("sequenceNr", num(double(e.sequenceNr())));
  o.Set("scope", num(double(e.scope())));
  o.Set("deviceType", num(double(static_cast<int>(e.deviceType()))));
  o.Set("deviceIndex", num(double(e.deviceIndex())));
  o.Set("nBytes", num(double(e.nBytes())));
  o.Set("flops", num(double(e.flops())));
  o.Set("isAsync", Napi::Boolean::New(env, e.isAsync()));
  o.Set("cudaElapsedUs", num(double(e.cudaElapsedUs())));
  Napi::Array shapes = Napi::Array::New(env);
  if (e.hasShapes()) {
    auto list = e.shapes();
    for (size_t i = 0; i < list.size(); i++) {
      Napi::Array dims = Napi::Array::New(env, list[i].size());
      for (size_t d = 0; d < list[i].size(); d++) dims.Set(static_cast<uint32_t>(d), num(double(list[i][d])));
      shapes.Set(static_cast<uint32_t>(i), dims);
    }
  }
  o.Set("shapes", shapes);
  o.Set("dtypes", e.hasTypes() ? strings(env, e.dtypes()) : Napi::Array::New(env));
  o.Set("stack", e.hasStack() ? strings(env, e.stack()) : Napi::Array::New(env));
  return o;
}

// profilerStop() -> { traceStartUs, events }: Python's _disable_profiler and the result's events().
Napi::Value profilerStop(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  stopStackCapture();  // the post-processing hook keeps the stacks it needs
  std::unique_ptr<prof::ProfilerResult> result = prof::disableProfiler();
  Napi::Object out = Napi::Object::New(env);
  out.Set("traceStartUs", Napi::Number::New(env, double(result->trace_start_us())));
  const auto& events = result->events();
  Napi::Array list = Napi::Array::New(env, events.size());
  for (size_t i = 0; i < events.size(); i++) list.Set(static_cast<uint32_t>(i), eventObject(env, events[i]));
  out.Set("events", list);
  return out;
}

// profilerAddMetadataJson(key, json): Python's torch.autograd._add_metadata_json (this libtorch,
// without libkineto, logs that metadata needs it, as Python's build beside it does).
Napi::Value profilerAddMetadataJson(const Napi::CallbackInfo& info) {
  prof::addMetadataJson(info[0].As<Napi::String>().Utf8Value(), info[1].As<Napi::String>().Utf8Value());
  return info.Env().Undefined();
}

// torch.profiler.ExecutionGraphObserver: libtorch's observer, one per process, writing each op
// (inputs, outputs, schema, nesting) as JSON while enabled. The same four calls Python binds.
Napi::Value executionGraphObserverAdd(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), torch::profiler::impl::addExecutionGraphObserver(info[0].As<Napi::String>().Utf8Value()));
}

Napi::Value executionGraphObserverRemove(const Napi::CallbackInfo& info) {
  torch::profiler::impl::removeExecutionGraphObserver();
  return info.Env().Undefined();
}

Napi::Value executionGraphObserverEnable(const Napi::CallbackInfo& info) {
  torch::profiler::impl::enableExecutionGraphObserver();
  return info.Env().Undefined();
}

Napi::Value executionGraphObserverDisable(const Napi::CallbackInfo& info) {
  torch::profiler::impl::disableExecutionGraphObserver();
  return info.Env().Undefined();
}

}  // namespace

void registerProfiler(Napi::Env env, Napi::Object exports) {
  exportFunction<profilerStart>(env, exports, "profilerStart");
  exportFunction<profilerStop>(env, exports, "profilerStop");
  exportFunction<profilerEnabled>(env, exports, "profilerEnabled");
  exportFunction<profilerAddMetadataJson>(env, exports, "profilerAddMetadataJson");
  exportFunction<executionGraphObserverAdd>(env, exports, "executionGraphObserverAdd");
  exportFunction<executionGraphObserverRemove>(env, exports, "executionGraphObserverRemove");
  exportFunction<executionGraphObserverEnable>(env, exports, "executionGraphObserverEnable");
  exportFunction<executionGraphObserverDisable>(env, exports, "executionGraphObserverDisable");
}

}  // namespace tn
