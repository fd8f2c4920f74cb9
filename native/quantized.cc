// Quantized linear layers: the packed weights of libtorch's quantized engines (quantized::linear_prepack,
// linear_dynamic, linear_unpack, called through the dispatcher as Python's torch.ops.quantized does)
// and the engine switch behind torch.backends.quantized.engine.
#include <ATen/core/dispatch/Dispatcher.h>

#include "common.h"
#include "env_state.h"
#include "external_box.h"
#include "ivalue_convert.h"
#include "tensor_handle.h"

namespace tn {
namespace {

// A LinearPackedParamsBase (a TorchScript custom class, hence an IValue) owned by a JS handle.
struct PackedParamsBox : HandleBox {
  static constexpr uint64_t kMagic = 0x546f726368517550ULL;  // "TorchQuP"
  explicit PackedParamsBox(c10::IValue packed)
      : HandleBox(kMagic, [](HandleBox* box) { delete static_cast<PackedParamsBox*>(box); }), packed(std::move(packed)) {}
  c10::IValue packed;
};

const c10::IValue& packedArg(Napi::Env env, Napi::Value value) {
  auto* box = externalBox<PackedParamsBox>(value);
  if (box == nullptr) throwTorchError(env, "expected packed linear parameters");
  return box->packed;
}

// Runs a quantized:: operator on a stack; libtorch's message becomes the TorchError's.
torch::jit::Stack callQuantized(Napi::Env env, const char* name, torch::jit::Stack stack) {
  auto op = c10::Dispatcher::singleton().findSchema({name, ""});
  if (!op) throwTorchError(env, std::string("libtorch has no operator ") + name);
  op->callBoxed(&stack);
  return stack;
}

c10::optional<at::Tensor> optionalTensor(Napi::Env env, Napi::Value value, const char* what) {
  if (value.IsNull() || value.IsUndefined()) return c10::nullopt;
  return unwrapTensor(env, value, what);
}

// linearPrepack(qweight, bias | null) -> packed params for the current engine
Napi::Value linearPrepack(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  torch::jit::Stack stack{unwrapTensor(env, info[0], "weight"), optionalTensor(env, info[1], "bias")};
  stack = callQuantized(env, "quantized::linear_prepack", std::move(stack));
  return Napi::Value(env, newHandle(EnvState::current(), new PackedParamsBox(std::move(stack[0]))));
}

// linearUnpack(packed) -> [qweight, bias | undefined]
Napi::Value linearUnpack(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  torch::jit::Stack stack = callQuantized(env, "quantized::linear_unpack", {packedArg(env, info[0])});
  Napi::Array out = Napi::Array::New(env, 2);
  out.Set(0u, ivalueToJs(env, stack[0]));
  out.Set(1u, ivalueToJs(env, stack[1]));
  return out;
}

// linearDynamic(x, packed, reduceRange) -> float output (inputs quantized on the fly)
Napi::Value linearDynamic(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  torch::jit::Stack stack{unwrapTensor(env, info[0], "input"), packedArg(env, info[1]), info[2].ToBoolean().Value()};
  stack = callQuantized(env, "quantized::linear_dynamic", std::move(stack));
  return ivalueToJs(env, stack[0]);
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
  exportFunction<linearPrepack>(env, exports, "linearPrepack");
  exportFunction<linearUnpack>(env, exports, "linearUnpack");
  exportFunction<linearDynamic>(env, exports, "linearDynamic");
  exportFunction<quantizedEngine>(env, exports, "quantizedEngine");
  exportFunction<supportedQuantizedEngines>(env, exports, "supportedQuantizedEngines");
}

}  // namespace tn
