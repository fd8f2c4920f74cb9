// Autograd graph nodes as JS objects (Python's tensor.grad_fn, torch.autograd.graph.Node): a handle
// is an external box (external_box.h) owning a std::shared_ptr<torch::autograd::Node>, so a node
// seen from JS stays alive (with what it saved) as long as its JS object, as in Python.
// lib/autograd/grad-fn.ts keeps one JS object per live node (keyed by the node's address), which
// gives Python's identity: `y.gradFn === y.gradFn`.
#include <torch/csrc/autograd/function.h>
#include <torch/csrc/autograd/function_hook.h>
#include <torch/csrc/autograd/functions/accumulate_grad.h>

#include <cstring>
#include <typeinfo>

#include "env_state.h"
#include "external_box.h"
#include "js_bridge.h"
#include "tensor_handle.h"

namespace tn {

using torch::autograd::Node;
using torch::autograd::variable_list;

namespace {
struct NodeBox : HandleBox {
  static constexpr uint64_t kMagic = 0x546f7263684e6f65ULL;  // "TorchNoe"
  explicit NodeBox(std::shared_ptr<Node> node)
      : HandleBox(kMagic, [](HandleBox* box) { delete static_cast<NodeBox*>(box); }), node(std::move(node)) {}
  std::shared_ptr<Node> node;
};
}  // namespace

static Napi::Value wrapNode(Napi::Env env, std::shared_ptr<Node> node) {
  if (!node) return env.Null();
  return Napi::Value(env, newHandle(EnvState::current(), new NodeBox(std::move(node))));
}

static Node& nodeArg(const Napi::CallbackInfo& info) {
  NodeBox* box = externalBox<NodeBox>(info[0]);
  if (!box) throwTorchError(info.Env(), "expected an autograd graph node (a tensor's gradFn)");
  return *box->node;
}

// A node's address as a JS number: user-space pointers have at most 48 bits, exact in a double.
static Napi::Value addressOf(Napi::Env env, const Node* node) {
  return Napi::Number::New(env, static_cast<double>(reinterpret_cast<uintptr_t>(node)));
}

// gradFnAddress(tensor) -> the address of its grad_fn, or null for leaves and tensors outside the
// graph. Lets JS find the object it already made for that node without making a handle.
static Napi::Value gradFnAddress(const Napi::CallbackInfo& info) {
  const auto& fn = unwrapTensor(info.Env(), info[0], "self").grad_fn();
  return fn ? addressOf(info.Env(), fn.get()) : info.Env().Null();
}

// gradFnNode(tensor) -> a node handle, or null.
static Napi::Value gradFnNode(const Napi::CallbackInfo& info) {
  return wrapNode(info.Env(), unwrapTensor(info.Env(), info[0], "self").grad_fn());
}

static Napi::Value nodeAddress(const Napi::CallbackInfo& info) { return addressOf(info.Env(), &nodeArg(info)); }

// nodeName(node) -> Node::name(), what Python's node.name() returns ('AddBackward0',
// 'torch::autograd::AccumulateGrad', a custom Function's 'MyFnBackward').
static Napi::Value nodeName(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), nodeArg(info).name()); }

// nodeIsCustom(node) -> whether it is the node of a custom Function written in JS (JsNode in
// autograd_function.cc), which Python prints as torch.autograd.function.<Name>. Told by its RTTI
// name (Itanium ABI), so that file need not export the type.
static Napi::Value nodeIsCustom(const Napi::CallbackInfo& info) {
  Node& node = nodeArg(info);
  return Napi::Boolean::New(info.Env(), std::strcmp(typeid(node).name(), "N2tn6JsNodeE") == 0);
}

// nodeNextFunctions(node) -> [[node | null, inputNr], ...]: Python's next_functions, one pair per
// input of the forward op; null (input_nr 0) for inputs that do not require grad.
static Napi::Value nodeNextFunctions(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const auto& edges = nodeArg(info).next_edges();
  Napi::Array out = Napi::Array::New(env, edges.size());
  for (uint32_t i = 0; i < edges.size(); i++) {
    Napi::Array pair = Napi::Array::New(env, 2);
    pair.Set(0u, wrapNode(env, edges[i].function));
    pair.Set(1u, Napi::Number::New(env, static_cast<double>(edges[i].input_nr)));
    out.Set(i, pair);
  }
  return out;
}

// nodeVariable(node) -> the leaf tensor of an AccumulateGrad node (Python's node.variable), or
// undefined for any other node.
static Napi::Value nodeVariable(const Napi::CallbackInfo& info) {
  auto* acc = dynamic_cast<torch::autograd::AccumulateGrad*>(&nodeArg(info));
  if (!acc) return info.Env().Undefined();
  return Napi::Value(info.Env(), wrapTensor(info.Env(), acc->variable, /*aliasesLive=*/true));
}

// ---- hooks -------------------------------------------------------------------------------

static Napi::Array gradsToJs(Napi::Env env, const variable_list& grads) {
  Napi::Array out = Napi::Array::New(env, grads.size());
  for (uint32_t i = 0; i < grads.size(); i++) out.Set(i, Napi::Value(env, wrapTensor(env, grads[i])));
  return out;
}

// A hook's result: null/undefined keeps `grads`; an array of tensors (or nulls) of the same length
// replaces them, as PyTorch's _call_hooks checks.
static void replaceGrads(Napi::Env env, Napi::Value r, variable_list& grads) {
  if (r.IsNull() || r.IsUndefined()) return;
  if (!r.IsArray()) throwTorchError(env, "a graph node hook must return an array of gradients or null");
  Napi::Array array = r.As<Napi::Array>();
  if (array.Length() != grads.size()) {
    throwTorchError(env, "hook has returned an incorrect number of values (got " + std::to_string(array.Length()) +
                             ", but expected " + std::to_string(grads.size()) + ")");
  }
  variable_list out(grads.size());
  for (uint32_t i = 0; i < array.Length(); i++) {
    Napi::Value v = array.Get(i);
    if (!v.IsNull() && !v.IsUndefined()) out[i] = unwrapTensor(env, v, "a gradient returned by a hook");
  }
  grads = std::move(out);
}

// Runs after the node's backward: fn(gradInputs, gradOutputs). Removal is done in JS (the hook
// then returns null): erasing from post_hooks_ could race with an engine iterating over them.
struct JsPostHook : torch::autograd::FunctionPostHook {
  explicit JsPostHook(std::shared_ptr<JsCallback> callback) : callback(std::move(callback)) {}
  std::shared_ptr<JsCallback> callback;
  variable_list operator()(const variable_list& gradInputs, const variable_list& gradOutputs) override {
    variable_list result = gradInputs;
    callback->call([&](Napi::Env env, Napi::Function fn) {
      replaceGrads(env, fn.Call({gradsToJs(env, gradInputs), gradsToJs(env, gradOutputs)}), result);
    });
    return result;
  }
};

// Runs before the node's backward: fn(gradOutputs).
struct JsPreHook : torch::autograd::FunctionPreHook {
  explicit JsPreHook(std::shared_ptr<JsCallback> callback) : callback(std::move(callback)) {}
  std::shared_ptr<JsCallback> callback;
  variable_list operator()(const variable_list& gradOutputs) override {
    variable_list result = gradOutputs;
    callback->call([&](Napi::Env env, Napi::Function fn) {
      replaceGrads(env, fn.Call({gradsToJs(env, gradOutputs)}), result);
    });
    return result;
  }
};

static std::shared_ptr<JsCallback> hookArg(const Napi::CallbackInfo& info) {
  if (!info[1].IsFunction()) throwTorchError(info.Env(), "registerHook: the hook must be a function");
  return std::make_shared<JsCallback>(info.Env(), info[1].As<Napi::Function>());
}

// nodeRegisterHook(node, fn)
static Napi::Value nodeRegisterHook(const Napi::CallbackInfo& info) {
  Node& node = nodeArg(info);
  node.add_post_hook(std::make_unique<JsPostHook>(hookArg(info)));
  return info.Env().Undefined();
}

// nodeRegisterPrehook(node, fn)
static Napi::Value nodeRegisterPrehook(const Napi::CallbackInfo& info) {
  Node& node = nodeArg(info);
  node.add_pre_hook(std::make_unique<JsPreHook>(hookArg(info)));
  return info.Env().Undefined();
}

void registerGradFn(Napi::Env env, Napi::Object exports) {
  exportFunction<gradFnAddress>(env, exports, "gradFnAddress");
  exportFunction<gradFnNode>(env, exports, "gradFnNode");
  exportFunction<nodeAddress>(env, exports, "nodeAddress");
  exportFunction<nodeName>(env, exports, "nodeName");
  exportFunction<nodeIsCustom>(env, exports, "nodeIsCustom");
  exportFunction<nodeNextFunctions>(env, exports, "nodeNextFunctions");
  exportFunction<nodeVariable>(env, exports, "nodeVariable");
  exportFunction<nodeRegisterHook>(env, exports, "nodeRegisterHook");
  exportFunction<nodeRegisterPrehook>(env, exports, "nodeRegisterPrehook");
}

}  // namespace tn
