// Quantized layers: the packed weights of libtorch's quantized engines (LinearPackedParamsBase,
// Conv{2,3}dPackedParamsBase: TorchScript custom classes), any operator that takes or returns them
// called by name through the dispatcher as Python's torch.ops.quantized does, and the engine switch
// behind torch.backends.quantized.engine.
#include <ATen/core/dispatch/Dispatcher.h>

#include "common.h"
#include "env_state.h"
#include "external_box.h"
#include "ivalue_convert.h"
#include "tensor_handle.h"

namespace tn {
namespace {

// A packed-params object (a TorchScript custom class, hence an IValue) owned by a JS handle.
struct PackedParamsBox : HandleBox {
  static constexpr uint64_t kMagic = 0x546f726368517550ULL;  // "TorchQuP"
  explicit PackedParamsBox(c10::IValue packed)
      : HandleBox(kMagic, [](HandleBox* box) { delete static_cast<PackedParamsBox*>(box); }), packed(std::move(packed)) {}
  c10::IValue packed;
};

// A result for JS: custom-class objects become packed-params handles, tuples arrays, the rest as usual.
Napi::Value resultToJs(Napi::Env env, const c10::IValue& value) {
  if (value.isObject() || value.isCapsule()) {
    return Napi::Value(env, newHandle(EnvState::current(), new PackedParamsBox(value)));
  }
  if (value.isTuple()) {
    const auto& elements = value.toTupleRef().elements();
    Napi::Array out = Napi::Array::New(env, elements.size());
    for (size_t i = 0; i < elements.size(); i++) out.Set(i, resultToJs(env, elements[i]));
    return out;
  }
  return ivalueToJs(env, value);
}

// quantizedCall('quantized::conv2d', 'new', [x, packed, scale, zeroPoint]) -> result: any operator,
// positional arguments (defaults fill the rest), packed-params handles where the schema takes an
// object. The generic ops path cannot carry these objects; this one can.
Napi::Value quantizedCall(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string name = info[0].As<Napi::String>().Utf8Value();
  std::string overload = info[1].IsString() ? info[1].As<Napi::String>().Utf8Value() : "";
  if (!info[2].IsArray()) throwTorchError(env, name + ": arguments must be an array");
  Napi::Array args = info[2].As<Napi::Array>();
  auto op = c10::Dispatcher::singleton().findSchema({name, overload});
  if (!op) throwTorchError(env, "libtorch has no operator " + name + (overload.empty() ? "" : "." + overload));
  const auto& schema = op->schema().arguments();
  if (args.Length() > schema.size()) {
    throwTorchError(env, name + ": takes " + std::to_string(schema.size()) + " arguments but " +
                             std::to_string(args.Length()) + " were given");
  }
  torch::jit::Stack stack;
  for (size_t i = 0; i < schema.size(); i++) {
    const c10::Argument& a = schema[i];
    Napi::Value v = i < args.Length() ? args.Get(i) : env.Undefined();
    if (auto* box = externalBox<PackedParamsBox>(v)) {
      // a Linear's packed params given to a conv op (or to a tensor argument): an error, not a bad cast
      if (!box->packed.type()->isSubtypeOf(*a.type())) {
        throwTorchError(env, "expected " + a.type()->str() + " for argument '" + a.name() + "' of " + name + ", got " +
                                 box->packed.type()->str());
      }
      stack.push_back(box->packed);
    } else if (!v.IsUndefined()) {
      stack.push_back(jsToIValue(env, v, a.type(), a.N(), "argument '" + a.name() + "' of " + name));
    } else if (a.default_value()) {
      stack.push_back(*a.default_value());
    } else if (a.type()->kind() == c10::TypeKind::OptionalType) {
      stack.emplace_back();
    } else {
      throwTorchError(env, name + ": missing required argument '" + a.name() + "'");
    }
  }
  op->callBoxed(&stack);
  if (stack.empty()) return env.Undefined();
  if (stack.size() == 1) return resultToJs(env, stack[0]);
  Napi::Array out = Napi::Array::New(env, stack.size());
  for (size_t i = 0; i < stack.size(); i++) out.Set(i, resultToJs(env, stack[i]));
  return out;
}

// quantizedEngine(code?) -> the current engine's code (c10::QEngine), after setting it when given
Napi::Value quantizedEngine(const Napi::CallbackInfo& info) {
  if (info[0].IsNumber()) {
    at::globalContext().setQEngine(static_cast<at::QEngine>(info[0].As<Napi::Number>().Int32Value()));
  }
  return Napi::Number::New(info.Env(), static_cast<int32_t>(at::globalContext().qEngine()));
}

// supportedQuantizedEngines() -> the codes of the engines this libtorch was built with
Napi::Value supportedQuantizedEngines(const Napi::CallbackInfo& info) {
  const auto& engines = at::globalContext().supportedQEngines();
  Napi::Array out = Napi::Array::New(info.Env(), engines.size());
  for (size_t i = 0; i < engines.size(); i++) out.Set(i, static_cast<int32_t>(engines[i]));
  return out;
}

}  // namespace

void registerQuantized(Napi::Env env, Napi::Object exports) {
  exportFunction<quantizedCall>(env, exports, "quantizedCall");
  exportFunction<quantizedEngine>(env, exports, "quantizedEngine");
  exportFunction<supportedQuantizedEngines>(env, exports, "supportedQuantizedEngines");
}

}  // namespace tn
