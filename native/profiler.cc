// torch.profiler over libtorch's profiler (profiler_kineto.h): the same entry points Python's
// torch.autograd._enable_profiler / _disable_profiler bind. This libtorch is built without
// libkineto, so only CPU activity is collected (as in Python's build beside it). The events are
// handed to JS as plain objects; lib/profiler builds FunctionEvents from them as Python does.
#include <c10/core/impl/LocalDispatchKeySet.h>
#include <torch/csrc/autograd/profiler_kineto.h>

#include <set>

#include "common.h"

namespace tn {
namespace {

namespace prof = torch::autograd::profiler;
using torch::profiler::impl::ActivityType;
using torch::profiler::impl::ProfilerConfig;
using torch::profiler::impl::ProfilerState;

bool boolArg(const Napi::CallbackInfo& info, size_t i) { return info[i].IsBoolean() && info[i].As<Napi::Boolean>().Value(); }

// profilerStart(recordShapes, profileMemory, withStack, withFlops, withModules, cudaFallback):
// Python's _prepare_profiler then _enable_profiler, CPU activity, ProfilerState.KINETO (or
// KINETO_GPU_FALLBACK, CUDA times from CUDA events, when CUDA is profiled without libkineto).
Napi::Value profilerStart(const Napi::CallbackInfo& info) {
  const ProfilerState state = boolArg(info, 5) ? ProfilerState::KINETO_GPU_FALLBACK : ProfilerState::KINETO;
  ProfilerConfig config(state, boolArg(info, 0), boolArg(info, 1), boolArg(info, 2), boolArg(info, 3), boolArg(info, 4));
  const std::set<ActivityType> activities{ActivityType::CPU};
  prof::prepareProfiler(config, activities);
  prof::enableProfiler(config, activities);
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
  std::unique_ptr<prof::ProfilerResult> result = prof::disableProfiler();
  Napi::Object out = Napi::Object::New(env);
  out.Set("traceStartUs", Napi::Number::New(env, double(result->trace_start_us())));
  const auto& events = result->events();
  Napi::Array list = Napi::Array::New(env, events.size());
  for (size_t i = 0; i < events.size(); i++) list.Set(static_cast<uint32_t>(i), eventObject(env, events[i]));
  out.Set("events", list);
  return out;
}

}  // namespace

void registerProfiler(Napi::Env env, Napi::Object exports) {
  exportFunction<profilerStart>(env, exports, "profilerStart");
  exportFunction<profilerStop>(env, exports, "profilerStop");
  exportFunction<profilerEnabled>(env, exports, "profilerEnabled");
}

}  // namespace tn
