// Autograd extras: custom Functions written in JS (a graph node whose apply() calls the JS
// backward), tensor hooks, torch.autograd.grad, and inference mode. JS calls from the engine go
// through js_bridge (safe from any thread).
#include <c10/core/AutogradState.h>
#include <c10/core/impl/LocalDispatchKeySet.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/custom_function.h>
#include <torch/csrc/autograd/function.h>
#include <torch/csrc/autograd/saved_variable.h>

#include <mutex>
#include <unordered_set>

#include "js_bridge.h"
#include "tensor_handle.h"

namespace tn {

using torch::autograd::variable_list;

static Napi::Value tensorOrNull(Napi::Env env, const at::Tensor& t) { return Napi::Value(env, wrapTensor(env, t)); }

static Napi::Array tensorsToJs(Napi::Env env, const variable_list& tensors) {
  Napi::Array out = Napi::Array::New(env, tensors.size());
  for (uint32_t i = 0; i < tensors.size(); i++) out.Set(i, tensorOrNull(env, tensors[i]));
  return out;
}

// A JS array of handles; null/undefined entries become undefined tensors when allowed.
static variable_list tensorsFromJs(Napi::Env env, Napi::Value value, const char* what, bool allowNull) {
  if (!value.IsArray()) throwTorchError(env, std::string(what) + " must be an array of tensors");
  Napi::Array array = value.As<Napi::Array>();
  variable_list out(array.Length());
  for (uint32_t i = 0; i < array.Length(); i++) {
    Napi::Value v = array.Get(i);
    if (v.IsNull() || v.IsUndefined()) {
      if (!allowNull) throwTorchError(env, std::string(what) + "[" + std::to_string(i) + "] is not a Tensor");
      continue;
    }
    out[i] = unwrapTensor(env, v, what);
  }
  return out;
}

// Turns a JS exception that went through the engine back into the JS value it was.
template <typename F>
static void withJsErrors(Napi::Env env, F&& fn) {
  try {
    fn();
  } catch (...) {
    rethrowJsError(env, std::current_exception());
  }
}

// ---- custom Function ------------------------------------------------------------------------

// The graph node of one custom Function call ("MyFnBackward"), like PyTorch's PyNode.
struct JsNode : torch::autograd::Node {
  std::string name_;
  std::shared_ptr<JsCallback> backward_;  // (grads, savedTensors) => grads of the tensor inputs
  std::vector<torch::autograd::VariableInfo> outputInfo_;
  std::vector<torch::autograd::SavedVariable> saved_;
  bool materializeGrads_ = true;
  bool savedFreed_ = false;
  std::mutex mutex_;

  std::string name() const override { return name_; }

  void release_variables() override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!saved_.empty()) savedFreed_ = true;
    saved_.clear();
  }

  variable_list apply(variable_list&& grads) override {
    at::OptionalDeviceGuard deviceGuard;
    for (size_t i = 0; i < grads.size(); i++) {
      if (!grads[i].defined() && materializeGrads_ && i < outputInfo_.size()) grads[i] = outputInfo_[i].zeros(deviceGuard);
    }
    std::lock_guard<std::mutex> lock(mutex_);
    TORCH_CHECK(!savedFreed_, torch::autograd::ERR_BACKWARD_TWICE);
    variable_list saved;
    std::shared_ptr<Node> self = shared_from_this();
    for (const auto& s : saved_) saved.push_back(s.unpack(self));
    variable_list result;
    const size_t expected = num_outputs();
    backward_->call([&](Napi::Env env, Napi::Function fn) {
      Napi::Value r = fn.Call({tensorsToJs(env, grads), tensorsToJs(env, saved)});
      result = tensorsFromJs(env, r, "gradients returned by backward", true);
    });
    TORCH_CHECK(result.size() == expected, "function ", name_, " returned an incorrect number of gradients (expected ",
                expected, ", got ", result.size(), ")");
    return result;
  }
};

static std::unordered_set<at::TensorImpl*> implSet(const variable_list& tensors) {
  std::unordered_set<at::TensorImpl*> out;
  for (const auto& t : tensors) if (t.defined()) out.insert(t.unsafeGetTensorImpl());
  return out;
}

// torch::autograd::_wrap_outputs grew parameters over the releases: 1.13 takes six; 2.x adds the
// tensors saved by a setup_context (none here: saved tensors are given separately), how to view an
// input returned as-is (view_as, as C++ Functions do) and, later, whether the Function is a pure view.
using ImplSet = std::unordered_set<at::TensorImpl*>;
// (A template, so that the branches not taken are never compiled.)
template <typename NodePtr, typename... Extra>
using WrapTakes = std::is_invocable<decltype(&torch::autograd::_wrap_outputs), const variable_list&,
                                    const ImplSet&, const ImplSet&, at::ArrayRef<c10::optional<at::Tensor>>,
                                    const NodePtr&, const torch::autograd::_jvp_fn_t&, Extra...>;

template <typename NodePtr>
static std::vector<c10::optional<at::Tensor>> wrapOutputs(const variable_list& inputs, const ImplSet& nonDiff,
                                                          const ImplSet& dirty,
                                                          const std::vector<c10::optional<at::Tensor>>& raw,
                                                          const NodePtr& node, const torch::autograd::_jvp_fn_t& jvp) {
  auto viewAsSelf = [](const at::Tensor& t) { return t.view_as(t); };
  if constexpr (WrapTakes<NodePtr, const ImplSet&, decltype(viewAsSelf), bool>::value) {
    return torch::autograd::_wrap_outputs(inputs, nonDiff, dirty, raw, node, jvp, {}, viewAsSelf, false);
  } else if constexpr (WrapTakes<NodePtr, const ImplSet&, decltype(viewAsSelf)>::value) {
    return torch::autograd::_wrap_outputs(inputs, nonDiff, dirty, raw, node, jvp, {}, viewAsSelf);
  } else {
    return torch::autograd::_wrap_outputs(inputs, nonDiff, dirty, raw, node, jvp);
  }
}

// fnWrap(name, backward, inputs, outputs, dirty, nonDifferentiable, saved, materializeGrads)
// Called after the JS forward ran (in no-grad mode) with its tensor inputs and outputs (null for
// non-tensor outputs): connects the outputs to a new JsNode, as PyTorch's Function.apply does.
static Napi::Value fnWrap(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string name = info[0].As<Napi::String>().Utf8Value();
  if (!info[1].IsFunction()) throwTorchError(env, "fnWrap: backward must be a function");
  variable_list inputs = tensorsFromJs(env, info[2], "inputs", false);
  variable_list outputs = tensorsFromJs(env, info[3], "outputs", true);
  variable_list dirty = tensorsFromJs(env, info[4], "dirty tensors", false);
  variable_list nonDiff = tensorsFromJs(env, info[5], "non-differentiable tensors", false);
  variable_list toSave = tensorsFromJs(env, info[6], "saved tensors", true);
  bool materialize = info[7].ToBoolean().Value();

  bool executable = c10::GradMode::is_enabled() && torch::autograd::any_variable_requires_grad(inputs);
  std::shared_ptr<JsNode> node;
  if (executable) {
    node = std::shared_ptr<JsNode>(new JsNode(), torch::autograd::deleteNode);
    node->name_ = name;
    node->backward_ = std::make_shared<JsCallback>(env, info[1].As<Napi::Function>());
    node->materializeGrads_ = materialize;
    node->set_next_edges(torch::autograd::collect_next_edges(inputs));
  }
  auto dirtySet = implSet(dirty);
  for (const auto& t : dirty) t.unsafeGetTensorImpl()->bump_version();
  std::vector<c10::optional<at::Tensor>> raw;
  for (const auto& t : outputs) raw.push_back(t.defined() ? c10::optional<at::Tensor>(t) : c10::nullopt);
  torch::autograd::_jvp_fn_t jvp = [](variable_list, variable_list) -> variable_list {
    TORCH_CHECK(false, "forward-mode AD (jvp) is not implemented for custom Functions written in JS");
  };
  auto wrapped = wrapOutputs(inputs, implSet(nonDiff), dirtySet, raw, node, jvp);
  Napi::Array out = Napi::Array::New(env, wrapped.size());
  for (uint32_t i = 0; i < wrapped.size(); i++) {
    out.Set(i, wrapped[i].has_value() ? tensorOrNull(env, *wrapped[i]) : env.Null());
    if (node) node->outputInfo_.emplace_back(wrapped[i].has_value() ? torch::autograd::VariableInfo(*wrapped[i])
                                                                   : torch::autograd::VariableInfo());
  }
  if (node) {
    for (const auto& t : toSave) {
      if (!t.defined()) node->saved_.emplace_back();
      else node->saved_.emplace_back(t, t.grad_fn().get() == node.get());
    }
  }
  return out;
}

// ---- hooks -------------------------------------------------------------------------------

// registerHook(handle, fn) -> hook id; fn(gradHandle) returns a replacement handle or null.
static Napi::Value registerHook(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const at::Tensor& t = unwrapTensor(env, info[0], "self");
  if (!info[1].IsFunction()) throwTorchError(env, "registerHook: the hook must be a function");
  auto callback = std::make_shared<JsCallback>(env, info[1].As<Napi::Function>());
  std::function<at::Tensor(const at::Tensor&)> hook = [callback](const at::Tensor& grad) {
    at::Tensor replacement;
    callback->call([&](Napi::Env env, Napi::Function fn) {
      Napi::Value r = fn.Call({tensorOrNull(env, grad)});
      if (!r.IsNull() && !r.IsUndefined()) replacement = unwrapTensor(env, r, "the value returned by a hook");
    });
    return replacement;
  };
  unsigned id = t.register_hook(std::move(hook));
  return Napi::Number::New(env, id);
}

static Napi::Value removeHook(const Napi::CallbackInfo& info) {
  unwrapTensor(info.Env(), info[0], "self").remove_hook(info[1].As<Napi::Number>().Uint32Value());
  return info.Env().Undefined();
}

// ---- engine entry points --------------------------------------------------------------------

// autogradGrad(outputs, inputs, gradOutputs|null, retainGraph|null, createGraph, allowUnused)
static Napi::Value autogradGrad(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  variable_list outputs = tensorsFromJs(env, info[0], "outputs", false);
  variable_list inputs = tensorsFromJs(env, info[1], "inputs", false);
  variable_list gradOutputs;
  if (!info[2].IsNull() && !info[2].IsUndefined()) gradOutputs = tensorsFromJs(env, info[2], "gradOutputs", true);
  c10::optional<bool> retainGraph;
  if (info[3].IsBoolean()) retainGraph = info[3].As<Napi::Boolean>().Value();
  bool createGraph = info[4].ToBoolean().Value();
  bool allowUnused = info[5].ToBoolean().Value();
  variable_list result;
  withJsErrors(env, [&] {
    runAutogradEngine(env, [&] {
      result = torch::autograd::grad(outputs, inputs, gradOutputs, retainGraph, createGraph, allowUnused);
    });
  });
  return tensorsToJs(env, result);
}

// backward(tensors, gradients (entries may be null), retainGraph|null, createGraph, inputs?): one
// engine pass from every root, as torch.autograd.backward (Tensor.backward is the one-root case);
// with inputs, only their .grad accumulates.
static Napi::Value backward(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  variable_list tensors = tensorsFromJs(env, info[0], "tensors", false);
  variable_list gradients = tensorsFromJs(env, info[1], "gradients", true);
  c10::optional<bool> retainGraph;
  if (info[2].IsBoolean()) retainGraph = info[2].As<Napi::Boolean>().Value();
  bool createGraph = info[3].ToBoolean().Value();
  variable_list inputs = info[4].IsArray() ? tensorsFromJs(env, info[4], "inputs", false) : variable_list{};
  withJsErrors(env, [&] {
    runAutogradEngine(env, [&] { torch::autograd::backward(tensors, gradients, retainGraph, createGraph, inputs); });
  });
  return env.Undefined();
}

static Napi::Value setEngineOnHelperThreadJs(const Napi::CallbackInfo& info) {
  setEngineOnHelperThread(info[0].ToBoolean().Value());
  return info.Env().Undefined();
}

// ---- grad / inference mode -------------------------------------------------------------------

// The autograd mode as bits (1: grad enabled, 2: inference mode), so JS can save and restore it
// around each async continuation.
static Napi::Value getAutogradMode(const Napi::CallbackInfo& info) {
  const c10::AutogradState& s = c10::AutogradState::get_tls_state();
  return Napi::Number::New(info.Env(), (s.get_grad_mode() ? 1 : 0) | (s.get_inference_mode() ? 2 : 0));
}

// Like c10::InferenceMode's constructor, but as a state to switch to rather than a scope.
static Napi::Value setAutogradMode(const Napi::CallbackInfo& info) {
  uint32_t bits = info[0].As<Napi::Number>().Uint32Value();
  bool grad = bits & 1, inference = bits & 2;
  if (c10::AutogradState::get_tls_state().get_inference_mode() != inference) {
    c10::impl::LocalDispatchKeySet current = c10::impl::tls_local_dispatch_key_set();
    c10::impl::PODLocalDispatchKeySet next;
    if (inference) {
      next.set_included(current.included_.remove(c10::DispatchKey::ADInplaceOrView));
      next.set_excluded(current.excluded_ | c10::autograd_dispatch_keyset_with_ADInplaceOrView);
    } else {
      next.set_included(current.included_);
      next.set_excluded(current.excluded_ - c10::autograd_dispatch_keyset_with_ADInplaceOrView);
    }
    c10::impl::_force_tls_local_dispatch_key_set(next);
  }
  // change only these three: libtorch 2.x keeps more in the state (multithreading, view replay)
  c10::AutogradState state = c10::AutogradState::get_tls_state();
  state.set_grad_mode(grad);
  state.set_inference_mode(inference);
  state.set_fw_grad_mode(!inference);
  c10::AutogradState::set_tls_state(state);
  return info.Env().Undefined();
}

static Napi::Value isInference(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), unwrapTensor(info.Env(), info[0], "self").is_inference());
}

void registerIndexing(Napi::Env env, Napi::Object exports);  // indexing.cc

void registerAutogradFunction(Napi::Env env, Napi::Object exports) {
  registerIndexing(env, exports);
  exportFunction<fnWrap>(env, exports, "fnWrap");
  exportFunction<registerHook>(env, exports, "registerHook");
  exportFunction<removeHook>(env, exports, "removeHook");
  exportFunction<autogradGrad>(env, exports, "autogradGrad");
  exportFunction<backward>(env, exports, "backward");
  exportFunction<setEngineOnHelperThreadJs>(env, exports, "setEngineOnHelperThread");
  exportFunction<getAutogradMode>(env, exports, "getAutogradMode");
  exportFunction<setAutogradMode>(env, exports, "setAutogradMode");
  exportFunction<isInference>(env, exports, "isInference");
}

}  // namespace tn
