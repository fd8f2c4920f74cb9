// Autograd surface: libtorch's engine does the work; this exposes its switches to JS.
#include <ATen/FuncTorchTLS.h>
#include <c10/core/GradMode.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/function.h>
#include <torch/csrc/autograd/functions/basic_ops.h>

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
  // inside torch.func.grad, Python refuses requires_grad_ on the transform's inputs: same check
  if (const auto& functorch = at::functorch::functorchTLSAccessor()) functorch->checkSupportsInplaceRequiresGrad();
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

// ---- forward-mode AD (torch.autograd.forward_ad) ---------------------------------------------
// Levels are libtorch's process-wide ForwardADLevel list, as Python's torch._C._enter_dual_level
// and _exit_dual_level use; dual tensors themselves are made by aten::_make_dual / _unpack_dual.

// enterDualLevel() -> the new level's index
static Napi::Value enterDualLevel(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(torch::autograd::forward_ad::enter_dual_level()));
}

// exitDualLevel(level): deletes the tangents of that level (only the innermost one may exit)
static Napi::Value exitDualLevel(const Napi::CallbackInfo& info) {
  int64_t idx = info[0].As<Napi::Number>().Int64Value();
  TORCH_CHECK(idx >= 0, "Dual level must be a positive number.");
  torch::autograd::forward_ad::exit_dual_level(static_cast<uint64_t>(idx));
  return info.Env().Undefined();
}

// undefinedGrad(t): Python's torch._C._functions.UndefinedGrad()(t): a copy of t whose backward
// hands an undefined gradient to what t came from (gradcheck's check_undefined_grad).
static Napi::Value undefinedGrad(const Napi::CallbackInfo& info) {
  auto node = std::make_shared<torch::autograd::UndefinedGrad>();
  torch::autograd::variable_list out = (*node)({self(info)});
  return Napi::Value(info.Env(), wrapTensor(info.Env(), out.at(0)));
}

// variableData(t): Python's t.data: the same storage outside autograd, with a version counter of its
// own, so writing it (gradcheck's perturbations) does not invalidate graphs that saved t.
static Napi::Value variableData(const Napi::CallbackInfo& info) {
  return Napi::Value(info.Env(), wrapTensor(info.Env(), self(info).variable_data(), /*aliasesLive=*/true));
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
  exportFunction<enterDualLevel>(env, exports, "enterDualLevel");
  exportFunction<exitDualLevel>(env, exports, "exitDualLevel");
  exportFunction<undefinedGrad>(env, exports, "undefinedGrad");
  exportFunction<variableData>(env, exports, "variableData");
  registerAutogradFunction(env, exports);  // autograd_function.cc
  registerGradFn(env, exports);            // grad_fn.cc
}

}  // namespace tn
