// Autograd surface: libtorch's engine does the work; this exposes its switches to JS.
#include <c10/core/GradMode.h>
#include <torch/csrc/autograd/function.h>

#include "tensor_handle.h"

namespace tn {

static const at::Tensor& self(const Napi::CallbackInfo& info) { return unwrapTensor(info.Env(), info[0], "self"); }

static Napi::Value optionalTensor(Napi::Env env, Napi::Value v, const char* what, c10::optional<at::Tensor>& out) {
  if (!v.IsNull() && !v.IsUndefined()) out = unwrapTensor(env, v, what);
  return v;
}

// backward() lives in autograd_function.cc: it runs the engine through js_bridge.

static Napi::Value grad(const Napi::CallbackInfo& info) {
  return Napi::Value(info.Env(), wrapTensor(info.Env(), self(info).grad(), /*aliasesLive=*/true));
}

// setGrad(handle, gradient|null): assigning x.grad, as Python allows.
static Napi::Value setGrad(const Napi::CallbackInfo& info) {
  c10::optional<at::Tensor> g;
  optionalTensor(info.Env(), info[1], "grad", g);
  self(info).mutable_grad() = g.value_or(at::Tensor());
  return info.Env().Undefined();
}

static Napi::Value requiresGrad(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), self(info).requires_grad());
}

static Napi::Value setRequiresGrad(const Napi::CallbackInfo& info) {
  self(info).requires_grad_(info[1].ToBoolean().Value());
  return info.Env().Undefined();
}

static Napi::Value isLeaf(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), self(info).is_leaf());
}

static Napi::Value retainGrad(const Napi::CallbackInfo& info) {
  self(info).retain_grad();
  return info.Env().Undefined();
}

static Napi::Value isGradEnabled(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), c10::GradMode::is_enabled());
}

static Napi::Value setGradEnabled(const Napi::CallbackInfo& info) {
  c10::GradMode::set_enabled(info[0].ToBoolean().Value());
  return info.Env().Undefined();
}

void registerGradFn(Napi::Env env, Napi::Object exports);  // grad_fn.cc

void registerAutograd(Napi::Env env, Napi::Object exports) {
  exportFunction<grad>(env, exports, "grad");
  exportFunction<setGrad>(env, exports, "setGrad");
  exportFunction<requiresGrad>(env, exports, "requiresGrad");
  exportFunction<setRequiresGrad>(env, exports, "setRequiresGrad");
  exportFunction<isLeaf>(env, exports, "isLeaf");
  exportFunction<retainGrad>(env, exports, "retainGrad");
  exportFunction<isGradEnabled>(env, exports, "isGradEnabled");
  exportFunction<setGradEnabled>(env, exports, "setGradEnabled");
  registerAutogradFunction(env, exports);  // autograd_function.cc
  registerGradFn(env, exports);            // grad_fn.cc
}

}  // namespace tn
