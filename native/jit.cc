// TorchScript modules (torch.jit.load / save): a loaded torch::jit::Module behind a JS handle. Its
// methods run with arguments bound by the method's schema; its parameters and buffers are handed
// to JS as the very tensors the module holds, so autograd, optimizers and state dicts in JS act on
// the module itself. Loading, saving and the async method call run on the libuv pool.
#include <torch/csrc/jit/api/module.h>
#include <torch/csrc/jit/frontend/tracer.h>
#include <torch/csrc/jit/passes/freeze_module.h>
#include <torch/csrc/jit/passes/frozen_graph_optimizations.h>
#include <torch/csrc/jit/passes/inliner.h>
#include <torch/csrc/jit/runtime/jit_exception.h>
#include <torch/csrc/jit/serialization/import.h>
#include <torch/csrc/jit/serialization/python_print.h>

#include <algorithm>
#include <functional>
#include <sstream>

#include "common.h"
#include "dtypes.h"
#include "env_state.h"
#include "external_box.h"
#include "ivalue_convert.h"
#include "pool_task.h"
#include "tensor_handle.h"

namespace tn {
namespace {

struct ScriptModuleBox : HandleBox {
  static constexpr uint64_t kMagic = 0x546f7263684a6974ULL;  // "TorchJit"
  explicit ScriptModuleBox(torch::jit::Module module)
      : HandleBox(kMagic, [](HandleBox* box) { delete static_cast<ScriptModuleBox*>(box); }), module(std::move(module)) {}
  torch::jit::Module module;
};

Napi::Value wrapModule(Napi::Env env, torch::jit::Module module) {
  return Napi::Value(env, newHandle(EnvState::current(), new ScriptModuleBox(std::move(module))));
}

torch::jit::Module& moduleArg(Napi::Env env, Napi::Value value) {
  auto* box = externalBox<ScriptModuleBox>(value);
  if (box == nullptr) throwTorchError(env, "expected a ScriptModule");
  return box->module;
}

c10::optional<at::Device> optionalDevice(Napi::Env env, Napi::Value value) {
  if (value.IsNull() || value.IsUndefined()) return c10::nullopt;
  return deviceFromJs(env, value, "map_location");
}

// jitLoad(pathOrBuffer, device | null) -> Promise of a module handle. Tensors go to `device` when given.
Napi::Value jitLoad(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  c10::optional<at::Device> device = optionalDevice(env, info[1]);
  auto loaded = std::make_shared<torch::jit::Module>();
  std::function<void()> work;
  if (info[0].IsBuffer()) {
    auto bytes = std::make_shared<std::string>(info[0].As<Napi::Buffer<char>>().Data(), info[0].As<Napi::Buffer<char>>().Length());
    work = [loaded, bytes, device] {
      std::istringstream in(*bytes);
      *loaded = torch::jit::load(in, device);
    };
  } else {
    std::string path = info[0].As<Napi::String>().Utf8Value();
    work = [loaded, path, device] { *loaded = torch::jit::load(path, device); };
  }
  return PoolTask::queue(env, std::move(work), [loaded](Napi::Env env) { return wrapModule(env, *loaded); });
}

// jitSave(handle, path) -> Promise: the module in TorchScript's archive format at path.
Napi::Value jitSave(const Napi::CallbackInfo& info) {
  torch::jit::Module module = moduleArg(info.Env(), info[0]);
  std::string path = info[1].As<Napi::String>().Utf8Value();
  return PoolTask::queue(info.Env(), [module, path] { module.save(path); }, [](Napi::Env env) { return env.Undefined(); });
}

template <typename Named>
Napi::Array namedTensors(Napi::Env env, const Named& list) {
  Napi::Array out = Napi::Array::New(env);
  uint32_t i = 0;
  for (const auto& item : list) {
    Napi::Array pair = Napi::Array::New(env, 2);
    pair.Set(0u, item.name);
    // the module's own tensor: collecting this handle frees nothing
    pair.Set(1u, Napi::Value(env, wrapTensor(env, item.value, /*aliasesLive=*/true)));
    out.Set(i++, pair);
  }
  return out;
}

// jitInfo(handle) -> { name, training, parameters, buffers, children, methods, attributes }: what the JS mirror
// of one module needs (own parameters and buffers as [name, tensor], children as [name, handle]).
Napi::Value jitInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  torch::jit::Module& module = moduleArg(env, info[0]);
  Napi::Object out = Napi::Object::New(env);
  out.Set("name", module.type()->name() ? module.type()->name()->name() : std::string("Module"));
  // a frozen module has no training attribute (libtorch's is_training() would say true)
  out.Set("training", module.hasattr("training") && module.is_training());
  out.Set("parameters", namedTensors(env, module.named_parameters(/*recurse=*/false)));
  out.Set("buffers", namedTensors(env, module.named_buffers(/*recurse=*/false)));
  Napi::Array children = Napi::Array::New(env);
  uint32_t i = 0;
  for (const auto& child : module.named_children()) {
    Napi::Array pair = Napi::Array::New(env, 2);
    pair.Set(0u, child.name);
    pair.Set(1u, wrapModule(env, child.value));
    children.Set(i++, pair);
  }
  out.Set("children", children);
  // [name, [[parameter name, its type], ...] (self left out)] of each method
  Napi::Array methods = Napi::Array::New(env);
  i = 0;
  for (const auto& method : module.get_methods()) {
    const auto& params = method.function().getSchema().arguments();
    Napi::Array names = Napi::Array::New(env, params.size() - 1);
    for (size_t k = 1; k < params.size(); k++) {
      Napi::Array param = Napi::Array::New(env, 2);
      param.Set(0u, params[k].name());
      param.Set(1u, params[k].type()->annotation_str());
      names.Set(static_cast<uint32_t>(k - 1), param);
    }
    Napi::Array pair = Napi::Array::New(env, 2);
    pair.Set(0u, method.name());
    pair.Set(1u, names);
    methods.Set(i++, pair);
  }
  out.Set("methods", methods);
  // the other attributes (ints, floats, strings, lists, tensors that are neither parameter nor buffer)
  Napi::Array attributes = Napi::Array::New(env);
  i = 0;
  const c10::ClassTypePtr& type = module.type();
  for (size_t k = 0; k < type->numAttributes(); k++) {
    const std::string& name = type->getAttributeName(k);
    if (type->is_parameter(k) || type->is_buffer(k) || type->getAttribute(k)->is_module() || name == "training") continue;
    attributes.Set(i++, name);
  }
  out.Set("attributes", attributes);
  return out;
}

// A call's arguments, each converted to the type its schema gives it; libtorch binds them (defaults,
// missing ones) as it does for Python, with Python's messages.
struct Inputs {
  std::vector<c10::IValue> args;
  torch::jit::Kwargs kwargs;
};

std::string schemaText(const c10::FunctionSchema& schema) {
  std::ostringstream out;
  out << schema;
  return out.str();
}

Inputs convertInputs(Napi::Env env, const torch::jit::Method& method, Napi::Array args, Napi::Object kwargs) {
  const c10::FunctionSchema& schema = method.function().getSchema();
  const auto& params = schema.arguments();  // params[0] is self
  if (args.Length() + 1 > params.size()) {
    throwTorchError(env, method.name() + "() expected at most " + std::to_string(params.size()) + " argument(s) but received " +
                             std::to_string(args.Length() + 1) + " argument(s). Declaration: " + schemaText(schema));
  }
  auto where = [&](const std::string& name) { return "argument '" + name + "' of " + method.name() + "()"; };
  Inputs inputs;
  for (uint32_t i = 0; i < args.Length(); i++) {
    const c10::Argument& p = params[i + 1];
    inputs.args.push_back(jsToIValue(env, args.Get(i), p.type(), p.N(), where(p.name())));
  }
  Napi::Array names = kwargs.GetPropertyNames();
  for (uint32_t k = 0; k < names.Length(); k++) {
    std::string name = names.Get(k).As<Napi::String>().Utf8Value();
    auto p = std::find_if(params.begin() + 1, params.end(), [&](const c10::Argument& a) { return a.name() == name; });
    if (p == params.end()) {
      throwTorchError(env, "Unknown keyword argument '" + name + "' for operator '" + method.name() + "'. Schema: " + schemaText(schema));
    }
    inputs.kwargs.emplace(name, jsToIValue(env, kwargs.Get(name), p->type(), p->N(), where(name)));
  }
  return inputs;
}

torch::jit::Method findMethod(Napi::Env env, torch::jit::Module& module, const std::string& name) {
  c10::optional<torch::jit::Method> method = module.find_method(name);
  if (!method) throwTorchError(env, "'RecursiveScriptModule' object has no attribute '" + name + "'");
  return *method;
}

// An exception raised by TorchScript code itself (its `raise`), Python's torch.jit.Error: a TorchError
// with the interpreter's whole message and a flag the JS side turns into that class.
[[noreturn]] void throwScriptError(Napi::Env env, const std::string& message) {
  try {
    throwTorchError(env, message);
  } catch (Napi::Error& e) {
    e.Set("torchScriptError", true);
    throw;
  }
}

// jitCall(handle, method, args, kwargs) -> the method's result, run on this thread.
Napi::Value jitCall(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  torch::jit::Method method = findMethod(env, moduleArg(env, info[0]), info[1].As<Napi::String>().Utf8Value());
  Inputs inputs = convertInputs(env, method, info[2].As<Napi::Array>(), info[3].As<Napi::Object>());
  try {
    return ivalueToJs(env, method(std::move(inputs.args), inputs.kwargs));
  } catch (const torch::jit::JITException& e) {
    throwScriptError(env, e.what());
  }
}

// jitCallAsync(handle, method, args, kwargs) -> Promise of the result, run on the libuv pool under
// this thread's grad and inference modes (they are thread-local in libtorch).
Napi::Value jitCallAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  torch::jit::Method method = findMethod(env, moduleArg(env, info[0]), info[1].As<Napi::String>().Utf8Value());
  auto inputs = std::make_shared<Inputs>(convertInputs(env, method, info[2].As<Napi::Array>(), info[3].As<Napi::Object>()));
  auto result = std::make_shared<c10::IValue>();
  auto scriptError = std::make_shared<c10::optional<std::string>>();
  bool gradEnabled = c10::GradMode::is_enabled();
  bool inference = c10::InferenceMode::is_enabled();
  auto work = [method, inputs, result, scriptError, gradEnabled, inference]() mutable {
    c10::AutoGradMode grad(gradEnabled);
    c10::optional<c10::InferenceMode> inferenceGuard;
    if (inference) inferenceGuard.emplace(true);
    try {
      *result = method(std::move(inputs->args), inputs->kwargs);
    } catch (const torch::jit::JITException& e) {
      *scriptError = std::string(e.what());  // rejected on the JS thread, where the error can be flagged
    }
  };
  return PoolTask::queue(env, std::move(work), [result, scriptError](Napi::Env env) {
    if (*scriptError) throwScriptError(env, **scriptError);
    return ivalueToJs(env, *result);
  });
}

// jitTrain(handle, mode): the module's and its submodules' training flags (a frozen module has none).
Napi::Value jitTrain(const Napi::CallbackInfo& info) {
  bool on = info[1].As<Napi::Boolean>().Value();
  for (torch::jit::Module m : moduleArg(info.Env(), info[0]).modules()) {
    if (m.hasattr("training")) m.setattr("training", on);
  }
  return info.Env().Undefined();
}

// jitSetTensor(handle, name, tensor): a parameter or buffer slot takes this tensor (after to(), ...).
Napi::Value jitSetTensor(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  torch::jit::Module& module = moduleArg(env, info[0]);
  std::string name = info[1].As<Napi::String>().Utf8Value();
  if (!module.hasattr(name)) throwTorchError(env, "the module has no attribute '" + name + "'");
  module.setattr(name, unwrapTensor(env, info[2], "value"));
  return env.Undefined();
}

// jitAttr(handle, name) -> an attribute that is not a parameter, buffer, module or method (undefined when none).
Napi::Value jitAttr(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  torch::jit::Module& module = moduleArg(env, info[0]);
  std::string name = info[1].As<Napi::String>().Utf8Value();
  if (!module.hasattr(name)) return env.Undefined();
  c10::IValue value = module.attr(name);
  if (value.isObject()) return env.Undefined();
  return ivalueToJs(env, value, /*aliasesInput=*/value.isTensor());
}

// A module built from the JS description of an nn.Module: { name, training, parameters, buffers,
// children }, its parameters and buffers being the JS module's own tensors (shared, not copied).
torch::jit::Module moduleFromJs(Napi::Env env, Napi::Object spec) {
  torch::jit::Module module(c10::QualifiedName(spec.Get("name").As<Napi::String>().Utf8Value()));
  module.register_attribute("training", c10::BoolType::get(), spec.Get("training").As<Napi::Boolean>().Value());
  auto members = [&](const char* key, bool isBuffer) {
    Napi::Array list = spec.Get(key).As<Napi::Array>();
    for (uint32_t i = 0; i < list.Length(); i++) {
      Napi::Array pair = list.Get(i).As<Napi::Array>();
      module.register_parameter(pair.Get(0u).As<Napi::String>().Utf8Value(), unwrapTensor(env, pair.Get(1u), key), isBuffer);
    }
  };
  members("parameters", false);
  members("buffers", true);
  Napi::Array children = spec.Get("children").As<Napi::Array>();
  for (uint32_t i = 0; i < children.Length(); i++) {
    Napi::Array pair = children.Get(i).As<Napi::Array>();
    module.register_module(pair.Get(0u).As<Napi::String>().Utf8Value(), moduleFromJs(env, pair.Get(1u).As<Napi::Object>()));
  }
  return module;
}

// A traced function's output: a tensor handle, an array (a tuple), or { key: tensor } (a dict).
c10::IValue traceOutput(Napi::Env env, Napi::Value value) {
  if (const at::Tensor* t = tryUnwrapTensor(env, value, "output")) return *t;
  if (value.IsArray()) {
    Napi::Array a = value.As<Napi::Array>();
    std::vector<c10::IValue> elements;
    for (uint32_t i = 0; i < a.Length(); i++) elements.push_back(traceOutput(env, a.Get(i)));
    return c10::ivalue::Tuple::create(std::move(elements));
  }
  if (value.IsObject()) {
    c10::impl::GenericDict dict(c10::StringType::get(), c10::TensorType::get());
    Napi::Object object = value.As<Napi::Object>();
    Napi::Array keys = object.GetPropertyNames();
    for (uint32_t i = 0; i < keys.Length(); i++) {
      Napi::Value key = keys.Get(i);
      dict.insert_or_assign(key.As<Napi::String>().Utf8Value(), traceOutput(env, object.Get(key)));
    }
    return dict;
  }
  throwTorchError(env, "Only tensors, lists, tuples of tensors, or dictionary of tensors can be output from traced functions");
}

// jitTrace(spec, inputs, fn, strict) -> a module handle: the module described by spec, with a
// forward method recorded by libtorch's tracer while fn(...inputs) ran (fn calls the JS module
// and returns its output as handles). Ops on the module's tensors become attribute reads; every
// other value JS computes (shapes read in JS, numbers) is a constant of the trace, as in Python.
Napi::Value jitTrace(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  torch::jit::Module module = moduleFromJs(env, info[0].As<Napi::Object>());
  Napi::Array inputs = info[1].As<Napi::Array>();
  Napi::Function fn = info[2].As<Napi::Function>();
  bool strict = info[3].As<Napi::Boolean>().Value();
  torch::jit::Stack stack;
  for (uint32_t i = 0; i < inputs.Length(); i++) stack.push_back(unwrapTensor(env, inputs.Get(i), "example input"));
  auto run = [&](torch::jit::Stack traced) -> torch::jit::Stack {
    std::vector<napi_value> args;
    for (const c10::IValue& v : traced) args.push_back(wrapTensor(env, v.toTensor()));
    return {traceOutput(env, fn.Call(args))};
  };
  auto noNames = [](const at::Tensor&) { return std::string(); };
  std::shared_ptr<torch::jit::Graph> graph = torch::jit::tracer::trace(std::move(stack), run, noNames, strict, /*force_outplace=*/false, &module).first->graph;
  torch::jit::Function* forward =
      module._ivalue()->compilation_unit()->create_function(c10::QualifiedName(*module.type()->name(), "forward"), graph);
  module.type()->addMethod(forward);
  return wrapModule(env, module);
}

// jitTraceScope(name | null): while tracing, enters (or, given null, leaves) a submodule's forward,
// as Python's Module._slow_forward does; the tracer turns each scope into that submodule's method.
Napi::Value jitTraceScope(const Napi::CallbackInfo& info) {
  const std::shared_ptr<torch::jit::tracer::TracingState>& state = torch::jit::tracer::getTracingState();
  if (state) {
    if (info[0].IsString()) state->graph->push_scope(info[0].As<Napi::String>().Utf8Value());
    else state->graph->pop_scope();
  }
  return info.Env().Undefined();
}

// jitGraph(handle, method) -> the method's graph as TorchScript IR text (Python's m.graph).
Napi::Value jitGraph(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  torch::jit::Method method = findMethod(env, moduleArg(env, info[0]), info[1].As<Napi::String>().Utf8Value());
  return Napi::String::New(env, method.graph()->toString());
}


// A graph value for jitGraphNodes: its debug name, use count, whether it is a module (ClassType),
// and its sizes where its type knows them (complete: every sizes/strides/dtype/device known).
Napi::Object graphValue(Napi::Env env, const torch::jit::Value* v) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("name", v->debugName());
  o.Set("uses", static_cast<double>(v->uses().size()));
  o.Set("classType", v->type()->kind() == c10::TypeKind::ClassType);
  auto tensorType = v->type()->cast<c10::TensorType>();
  o.Set("isTensor", tensorType != nullptr);
  o.Set("complete", tensorType != nullptr && tensorType->isComplete());
  Napi::Value sizes = env.Null();
  if (tensorType) {
    if (auto concrete = tensorType->sizes().concrete_sizes()) {
      Napi::Array a = Napi::Array::New(env, concrete->size());
      for (size_t i = 0; i < concrete->size(); i++) a.Set(static_cast<uint32_t>(i), static_cast<double>((*concrete)[i]));
      sizes = a;
    }
  }
  o.Set("sizes", sizes);
  return o;
}

// One attribute of a graph node as { kind, value }: ints as decimal strings (they may pass 2^53),
// tensors as handles, other kinds as libtorch prints them.
Napi::Object graphAttribute(Napi::Env env, const torch::jit::Node* node, c10::Symbol name) {
  Napi::Object o = Napi::Object::New(env);
  torch::jit::AttributeKind kind = node->kindOf(name);
  o.Set("kind", torch::jit::toString(kind));
  switch (kind) {
    case torch::jit::AttributeKind::i:
      o.Set("value", std::to_string(node->i(name)));
      break;
    case torch::jit::AttributeKind::f:
      o.Set("value", node->f(name));
      break;
    case torch::jit::AttributeKind::s:
      o.Set("value", node->s(name));
      break;
    case torch::jit::AttributeKind::t:
      o.Set("value", Napi::Value(env, wrapTensor(env, node->t(name))));
      break;
    case torch::jit::AttributeKind::is: {
      const std::vector<int64_t>& xs = node->is(name);
      Napi::Array a = Napi::Array::New(env, xs.size());
      for (size_t i = 0; i < xs.size(); i++) a.Set(static_cast<uint32_t>(i), std::to_string(xs[i]));
      o.Set("value", a);
      break;
    }
    case torch::jit::AttributeKind::ival: {
      std::ostringstream text;
      text << node->ival(name);
      o.Set("value", text.str());
      break;
    }
    case torch::jit::AttributeKind::fs: {
      const std::vector<double>& xs = node->fs(name);
      Napi::Array a = Napi::Array::New(env, xs.size());
      for (size_t i = 0; i < xs.size(); i++) a.Set(static_cast<uint32_t>(i), xs[i]);
      o.Set("value", a);
      break;
    }
    case torch::jit::AttributeKind::ss: {
      const std::vector<std::string>& xs = node->ss(name);
      Napi::Array a = Napi::Array::New(env, xs.size());
      for (size_t i = 0; i < xs.size(); i++) a.Set(static_cast<uint32_t>(i), xs[i]);
      o.Set("value", a);
      break;
    }
    case torch::jit::AttributeKind::ty:
      o.Set("value", node->ty(name)->repr_str());
      break;
    default:  // graphs, complex numbers and lists of tensors or types: not in traced modules' graphs
      o.Set("value", env.Null());
  }
  return o;
}

// jitGraphNodes(handle, method) -> the method's graph with submodule calls inlined (Python's
// torch._C._jit_pass_inline on m.graph): { inputs, nodes, outputs } as plain values, for
// torch.utils.tensorboard's add_graph.
Napi::Value jitGraphNodes(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  torch::jit::Method method = findMethod(env, moduleArg(env, info[0]), info[1].As<Napi::String>().Utf8Value());
  std::shared_ptr<torch::jit::Graph> graph = method.graph()->copy();
  torch::jit::Inline(*graph);
  auto values = [&](c10::ArrayRef<torch::jit::Value*> list) {
    Napi::Array a = Napi::Array::New(env, list.size());
    for (size_t i = 0; i < list.size(); i++) a.Set(static_cast<uint32_t>(i), graphValue(env, list[i]));
    return a;
  };
  Napi::Array nodes = Napi::Array::New(env);
  for (torch::jit::Node* node : graph->nodes()) {
    Napi::Object n = Napi::Object::New(env);
    n.Set("kind", node->kind().toQualString());
    n.Set("scope", node->scopeName());
    n.Set("inputs", values(node->inputs()));
    n.Set("outputs", values(node->outputs()));
    Napi::Array attributes = Napi::Array::New(env);
    for (c10::Symbol name : node->attributeNames()) {
      Napi::Array pair = Napi::Array::New(env, 2);
      pair.Set(0u, name.toUnqualString());
      pair.Set(1u, graphAttribute(env, node, name));
      attributes.Set(attributes.Length(), pair);
    }
    n.Set("attributes", attributes);
    nodes.Set(nodes.Length(), n);
  }
  Napi::Object out = Napi::Object::New(env);
  out.Set("inputs", values(graph->inputs()));
  out.Set("nodes", nodes);
  out.Set("outputs", values(graph->outputs()));
  return out;
}

std::vector<std::string> stringList(Napi::Value value) {
  Napi::Array a = value.As<Napi::Array>();
  std::vector<std::string> out;
  for (uint32_t i = 0; i < a.Length(); i++) out.push_back(a.Get(i).As<Napi::String>().Utf8Value());
  return out;
}

// jitFreeze(handle, preservedAttrs, optimizeNumerics) -> a frozen clone (Python's torch.jit.freeze
// after its checks): attributes inlined as constants, then the frozen-graph passes on forward and
// on each preserved method.
Napi::Value jitFreeze(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  torch::jit::Module& module = moduleArg(env, info[0]);
  std::vector<std::string> preserved = stringList(info[1]);
  bool optimizeNumerics = info[2].As<Napi::Boolean>().Value();
  torch::jit::Module frozen = torch::jit::freeze_module(module, preserved);
  std::vector<std::string> methods;
  if (frozen.find_method("forward")) methods.push_back("forward");
  for (const std::string& name : preserved) {
    if (module.find_method(name)) methods.push_back(name);
  }
  for (const std::string& name : methods) {
    std::shared_ptr<torch::jit::Graph> graph = frozen.get_method(name).graph();
    torch::jit::OptimizeFrozenGraph(graph, optimizeNumerics);
  }
  return wrapModule(env, frozen);
}

// jitOptimizeForInference(handle, otherMethods): rewrites the frozen module's forward and other
// methods in place with libtorch's inference passes (the JS side freezes first, as Python does, so
// libtorch's own freezing, which would make a clone, does not run).
Napi::Value jitOptimizeForInference(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  torch::jit::Module& module = moduleArg(env, info[0]);
  if (module.hasattr("training")) throwTorchError(env, "optimize_for_inference: the module must be frozen first");
  torch::jit::optimize_for_inference(module, stringList(info[1]));
  return env.Undefined();
}

// jitHasTraining(handle) -> whether the module has its training attribute (a frozen one has not).
Napi::Value jitHasTraining(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), moduleArg(info.Env(), info[0]).hasattr("training"));
}

// jitCode(handle, method) -> [the method as TorchScript source, its constants (CONSTANTS.c0, ...)],
// Python's m.code and m.code_with_constants.
Napi::Value jitCode(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  torch::jit::Method method = findMethod(env, moduleArg(env, info[0]), info[1].As<Napi::String>().Utf8Value());
  std::vector<c10::IValue> constants;
  torch::jit::PrintDepsTable deps;
  torch::jit::PythonPrint printer(constants, deps);
  printer.printMethod(method.function());
  Napi::Array values = Napi::Array::New(env, constants.size());
  for (size_t i = 0; i < constants.size(); i++) values.Set(static_cast<uint32_t>(i), ivalueToJs(env, constants[i]));
  Napi::Array out = Napi::Array::New(env, 2);
  out.Set(0u, printer.str());
  out.Set(1u, values);
  return out;
}

// jitInlinedGraph(handle, method) -> the method's graph with every call inlined, as text (Python's m.inlined_graph).
Napi::Value jitInlinedGraph(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  torch::jit::Method method = findMethod(env, moduleArg(env, info[0]), info[1].As<Napi::String>().Utf8Value());
  std::shared_ptr<torch::jit::Graph> graph = method.graph()->copy();
  torch::jit::Inline(*graph);
  return Napi::String::New(env, graph->toString());
}

// jitSaveToBuffer(handle) -> Promise of the archive's bytes (Python's m.save_to_buffer()).
Napi::Value jitSaveToBuffer(const Napi::CallbackInfo& info) {
  torch::jit::Module module = moduleArg(info.Env(), info[0]);
  auto bytes = std::make_shared<std::string>();
  return PoolTask::queue(
      info.Env(),
      [module, bytes] {
        std::ostringstream out;
        module.save(out);
        *bytes = out.str();
      },
      [bytes](Napi::Env env) { return Napi::Buffer<char>::Copy(env, bytes->data(), bytes->size()); });
}

// jitDefine(handle, source): compiles TorchScript source into new methods of the module (Python's m.define).
Napi::Value jitDefine(const Napi::CallbackInfo& info) {
  moduleArg(info.Env(), info[0]).define(info[1].As<Napi::String>().Utf8Value());
  return info.Env().Undefined();
}

// jitIsTracing() -> whether libtorch's tracer is recording on this thread (inside jit.trace).
Napi::Value jitIsTracing(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), torch::jit::tracer::isTracing());
}

}  // namespace

void registerJit(Napi::Env env, Napi::Object exports) {
  exportFunction<jitLoad>(env, exports, "jitLoad");
  exportFunction<jitSave>(env, exports, "jitSave");
  exportFunction<jitInfo>(env, exports, "jitInfo");
  exportFunction<jitCall>(env, exports, "jitCall");
  exportFunction<jitCallAsync>(env, exports, "jitCallAsync");
  exportFunction<jitTrain>(env, exports, "jitTrain");
  exportFunction<jitSetTensor>(env, exports, "jitSetTensor");
  exportFunction<jitAttr>(env, exports, "jitAttr");
  exportFunction<jitTrace>(env, exports, "jitTrace");
  exportFunction<jitGraph>(env, exports, "jitGraph");
  exportFunction<jitGraphNodes>(env, exports, "jitGraphNodes");
  exportFunction<jitTraceScope>(env, exports, "jitTraceScope");
  exportFunction<jitFreeze>(env, exports, "jitFreeze");
  exportFunction<jitOptimizeForInference>(env, exports, "jitOptimizeForInference");
  exportFunction<jitHasTraining>(env, exports, "jitHasTraining");
  exportFunction<jitCode>(env, exports, "jitCode");
  exportFunction<jitInlinedGraph>(env, exports, "jitInlinedGraph");
  exportFunction<jitSaveToBuffer>(env, exports, "jitSaveToBuffer");
  exportFunction<jitDefine>(env, exports, "jitDefine");
  exportFunction<jitIsTracing>(env, exports, "jitIsTracing");
}

}  // namespace tn
