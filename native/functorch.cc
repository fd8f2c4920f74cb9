// torch.func's primitives (Python's torch._C._functorch): libtorch's functorch interpreter stack
// ("dynamic layers"), batched tensors for vmap and grad-tracking wrappers for grad/vjp/jvp.
// The transforms themselves are TypeScript (lib/func); each pushes a layer, wraps its inputs,
// runs the function, unwraps the outputs and pops the layer.
#include <ATen/WrapDimUtils.h>
#include <ATen/functorch/BatchedFallback.h>
#include <ATen/functorch/BatchedTensorImpl.h>
#include <ATen/functorch/DynamicLayer.h>
#include <ATen/functorch/TensorWrapper.h>
#include <ATen/OpMathType.h>
#include <ATen/native/TypeProperties.h>
#include <c10/core/AutogradState.h>
#include <c10/core/GradMode.h>
#include <torch/library.h>

#include "tensor_handle.h"

namespace tn {

using at::functorch::DynamicLayer;
using at::functorch::RandomnessType;
using at::functorch::TransformType;

static const at::Tensor& tensorArg(const Napi::CallbackInfo& info, size_t i, const char* what) {
  return unwrapTensor(info.Env(), info[i], what);
}

static int64_t intArg(const Napi::CallbackInfo& info, size_t i) { return info[i].As<Napi::Number>().Int64Value(); }

static Napi::Value number(Napi::Env env, int64_t v) { return Napi::Number::New(env, static_cast<double>(v)); }

// Results here are mostly values taken out of wrappers that still hold them (see wrapUnwrappedTensor)
static Napi::Value tensorResult(Napi::Env env, const at::Tensor& t) { return Napi::Value(env, wrapUnwrappedTensor(env, t)); }

static RandomnessType randomnessOf(const std::string& name) {
  if (name == "error") return RandomnessType::Error;
  if (name == "same") return RandomnessType::Same;
  if (name == "different") return RandomnessType::Different;
  TORCH_CHECK(false, "randomness argument must be error, same, or different.");
}

// ---- nesting: push and pop the interpreter stack --------------------------------------------

// vmapIncrementNesting(batchSize, randomness) -> level
static Napi::Value vmapIncrementNesting(const Napi::CallbackInfo& info) {
  RandomnessType randomness = randomnessOf(info[1].As<Napi::String>().Utf8Value());
  return number(info.Env(), at::functorch::initAndPushDynamicLayer(TransformType::Vmap, intArg(info, 0), randomness));
}

// gradIncrementNesting() -> level. The layer remembers the grad mode outside it, so a transform
// called under noGrad still differentiates but its results do not track the outer graph.
static Napi::Value gradIncrementNesting(const Napi::CallbackInfo& info) {
  bool gradMode = c10::GradMode::is_enabled();
  return number(info.Env(), at::functorch::initAndPushDynamicLayer(TransformType::Grad, c10::nullopt, c10::nullopt, gradMode));
}

// jvpIncrementNesting() -> level (remembers the forward-grad mode outside it, as grad does)
static Napi::Value jvpIncrementNesting(const Napi::CallbackInfo& info) {
  bool fwdGradMode = c10::AutogradState::get_tls_state().get_fw_grad_mode();
  return number(info.Env(),
                at::functorch::initAndPushDynamicLayer(TransformType::Jvp, c10::nullopt, c10::nullopt, c10::nullopt, fwdGradMode));
}

static const char* transformName(TransformType t) {
  switch (t) {
    case TransformType::Vmap: return "vmap";
    case TransformType::Grad: return "grad";
    case TransformType::Jvp: return "jvp";
    case TransformType::Functionalize: return "functionalize";
    default: return "torch";
  }
}

// decrementNesting(kind) -> the popped layer's level; kind names the transform expected on top
// ('vmap', 'grad', 'jvp'), so a mismatched pop is an error rather than a corrupted stack.
static Napi::Value decrementNesting(const Napi::CallbackInfo& info) {
  std::string kind = info[0].As<Napi::String>().Utf8Value();
  c10::optional<DynamicLayer> top = at::functorch::maybeCurrentDynamicLayer();
  TORCH_CHECK(top.has_value(), "functorch: no transform is active (", kind, "_decrement_nesting)");
  TORCH_CHECK(kind == transformName(top->key()), "functorch: expected a ", kind, " layer on top, found ", transformName(top->key()));
  DynamicLayer layer = at::functorch::popDynamicLayerAndDeleteMetadata();
  return number(info.Env(), layer.layerId());
}

// dynamicLayerDepth() -> how many transforms are active (0: none)
static Napi::Value dynamicLayerDepth(const Napi::CallbackInfo& info) {
  return number(info.Env(), static_cast<int64_t>(at::functorch::getDynamicLayerStack().size()));
}

// currentLevel() -> the innermost transform's level, or null outside every transform
static Napi::Value currentLevel(const Napi::CallbackInfo& info) {
  c10::optional<DynamicLayer> top = at::functorch::maybeCurrentDynamicLayer();
  if (!top.has_value()) return info.Env().Null();
  return number(info.Env(), top->layerId());
}

// ---- vmap: batched tensors ----------------------------------------------------------------

// addBatchDim(t, dim, level): a BatchedTensor hiding dimension `dim` of t as level's batch dim
static Napi::Value addBatchDim(const Napi::CallbackInfo& info) {
  return tensorResult(info.Env(), at::functorch::addBatchDim(tensorArg(info, 0, "self"), intArg(info, 1), intArg(info, 2)));
}

// Moves dimension src to dst, keeping the order of the others (a single-dimension movedim).
static at::Tensor moveDim(const at::Tensor& self, int64_t src, int64_t dst) {
  int64_t rank = self.dim();
  src = at::maybe_wrap_dim(src, rank);
  dst = at::maybe_wrap_dim(dst, rank);
  if (src == dst) return self;
  std::vector<int64_t> order;
  order.reserve(static_cast<size_t>(rank));
  for (int64_t d = 0; d < rank; d++) {
    if (d != src) order.push_back(d);
  }
  order.insert(order.begin() + dst, src);
  return self.permute(order);
}

// removeBatchDim(t, level, batchSize, outDim): the level's batch dim of t made visible again at
// outDim. A tensor that never met the level (a constant the function returned) is expanded to
// batchSize there, as every example would have returned it.
static Napi::Value removeBatchDim(const Napi::CallbackInfo& info) {
  const at::Tensor& self = tensorArg(info, 0, "self");
  int64_t level = intArg(info, 1);
  int64_t batchSize = intArg(info, 2);
  int64_t outDim = intArg(info, 3);
  const at::functorch::BatchedTensorImpl* batched = at::functorch::maybeGetBatchedImpl(self);
  if (batched == nullptr || batched->level() < level) {
    std::vector<int64_t> sizes(self.sizes().begin(), self.sizes().end());
    TORCH_CHECK(outDim >= 0 && outDim <= static_cast<int64_t>(sizes.size()), "Dimension out of range (expected to be in range of [0, ",
                sizes.size(), "], but got ", outDim, ")");
    sizes.insert(sizes.begin() + outDim, batchSize);
    return tensorResult(info.Env(), self.expand(sizes));
  }
  TORCH_INTERNAL_ASSERT(batched->level() == level, "removeBatchDim: a batched tensor of an inner level escaped its vmap");
  return tensorResult(info.Env(), moveDim(batched->value(), batched->bdim(), outDim));
}

static Napi::Value isBatchedTensor(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), at::functorch::maybeGetBatchedImpl(tensorArg(info, 0, "self")) != nullptr);
}

// maybeGetBdim(t) -> the batch dim of a BatchedTensor, -1 for any other tensor
static Napi::Value maybeGetBdim(const Napi::CallbackInfo& info) {
  const auto* batched = at::functorch::maybeGetBatchedImpl(tensorArg(info, 0, "self"));
  return number(info.Env(), batched ? batched->bdim() : -1);
}

// ---- grad / vjp / jvp: grad-tracking wrappers ----------------------------------------------

// wrapForGrad(t, level): a TensorWrapper with autograd metadata of its own at level
static Napi::Value wrapForGrad(const Napi::CallbackInfo& info) {
  return tensorResult(info.Env(), at::functorch::makeTensorWrapper(tensorArg(info, 0, "self"), intArg(info, 1)));
}

// unwrapForGrad(t, level): the value under a wrapper of that level; null for any other tensor
// (the caller keeps it as is)
static Napi::Value unwrapForGrad(const Napi::CallbackInfo& info) {
  const at::Tensor& self = tensorArg(info, 0, "self");
  int64_t level = intArg(info, 1);
  at::functorch::TensorWrapper* wrapper = at::functorch::maybeGetTensorWrapper(self);
  if (wrapper != nullptr && wrapper->level().has_value() && *wrapper->level() == level) {
    return tensorResult(info.Env(), wrapper->value());
  }
  return info.Env().Null();
}

static Napi::Value isGradTrackingTensor(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), at::functorch::maybeGetTensorWrapper(tensorArg(info, 0, "self")) != nullptr);
}

// maybeGetLevel(t) -> the level of a BatchedTensor or live wrapper; -2 a dead wrapper; -1 a plain tensor
static Napi::Value maybeGetLevel(const Napi::CallbackInfo& info) {
  const at::Tensor& self = tensorArg(info, 0, "self");
  if (const auto* batched = at::functorch::maybeGetBatchedImpl(self)) return number(info.Env(), batched->level());
  if (const auto* wrapper = at::functorch::maybeGetTensorWrapper(self)) {
    return number(info.Env(), wrapper->level().has_value() ? *wrapper->level() : -2);
  }
  return number(info.Env(), -1);
}

// getUnwrapped(t): the tensor one wrapper (batched or grad-tracking) down
static Napi::Value getUnwrapped(const Napi::CallbackInfo& info) {
  const at::Tensor& self = tensorArg(info, 0, "self");
  if (const auto* batched = at::functorch::maybeGetBatchedImpl(self)) return tensorResult(info.Env(), batched->value());
  if (const auto* wrapper = at::functorch::maybeGetTensorWrapper(self)) return tensorResult(info.Env(), wrapper->value());
  TORCH_CHECK(false, "No wrappers present!");
}

// ---- thread-local switches ------------------------------------------------------------------

// inplaceRequiresGradAllowed(on?) -> the switch, after setting it when given. Inside grad,
// requires_grad_() raises unless the transform itself marks its inputs.
static Napi::Value inplaceRequiresGradAllowed(const Napi::CallbackInfo& info) {
  if (info[0].IsBoolean()) at::functorch::setInplaceRequiresGradAllowed(info[0].As<Napi::Boolean>().Value());
  return Napi::Boolean::New(info.Env(), at::functorch::getInplaceRequiresGradAllowed());
}

// fwdGradEnabled(on?) -> forward-mode AD's switch, after setting it when given
static Napi::Value fwdGradEnabled(const Napi::CallbackInfo& info) {
  if (info[0].IsBoolean()) c10::AutogradState::get_tls_state().set_fw_grad_mode(info[0].As<Napi::Boolean>().Value());
  return Napi::Boolean::New(info.Env(), c10::AutogradState::get_tls_state().get_fw_grad_mode());
}

// functorchDisabled(on?) -> whether the transforms are bypassed on this thread, after setting it
// when given: Python's torch._C._DisableFuncTorch, which tensor printing uses so that formatting a
// tensor inside a transform runs plain ops (and wrappers print their values).
static Napi::Value functorchDisabled(const Napi::CallbackInfo& info) {
  using c10::DispatchKey;
  if (info[0].IsBoolean()) {
    bool on = info[0].As<Napi::Boolean>().Value();
    c10::impl::tls_set_dispatch_key_excluded(DispatchKey::FuncTorchDynamicLayerFrontMode, on);
    c10::impl::tls_set_dispatch_key_excluded(DispatchKey::FuncTorchDynamicLayerBackMode, on);
  }
  return Napi::Boolean::New(info.Env(), c10::impl::tls_is_dispatch_key_excluded(DispatchKey::FuncTorchDynamicLayerFrontMode));
}

// vmapFallback(enabled?, warn?) -> [enabled, warn]: the per-example loop ops without a batch rule use
static Napi::Value vmapFallback(const Napi::CallbackInfo& info) {
  if (info[0].IsBoolean()) at::functorch::setVmapFallbackEnabled(info[0].As<Napi::Boolean>().Value());
  if (info[1].IsBoolean()) at::functorch::setVmapFallbackWarningEnabled(info[1].As<Napi::Boolean>().Value());
  Napi::Array out = Napi::Array::New(info.Env(), 2);
  out.Set(0u, Napi::Boolean::New(info.Env(), at::functorch::isVmapFallbackEnabled()));
  out.Set(1u, Napi::Boolean::New(info.Env(), at::functorch::isVmapFallbackWarningEnabled()));
  return out;
}

// ---- batch rules Python supplies as decompositions ---------------------------------------------
// functorch's Python package registers these two at the FuncTorchBatched key (eager_transforms.py);
// without them libtorch runs its per-example fallback loop and warns. They are the decompositions
// of torch._decomp / torch._refs, in ATen ops whose own batch rules then apply.

// mse_loss_backward: norm * (input - target) * grad_output, computed at the inputs' opmath precision
static at::Tensor mseLossBackwardDecomposed(const at::Tensor& gradOutput, const at::Tensor& input, const at::Tensor& target,
                                            int64_t reduction) {
  at::ScalarType resultType = at::native::result_type({gradOutput, input, target});
  at::ScalarType computeType = at::toOpMathType(resultType);
  double norm = reduction == at::Reduction::Mean ? 2.0 / static_cast<double>(input.numel()) : 2.0;
  at::Tensor diff = input.to(computeType) - target.to(computeType);
  return (diff * norm * gradOutput.to(computeType)).to(resultType);
}

// addr: beta * self + alpha * outer(vec1, vec2) (beta 0 drops self, NaNs included); or for bools
static at::Tensor addrDecomposed(const at::Tensor& self, const at::Tensor& vec1, const at::Tensor& vec2, const at::Scalar& beta,
                                 const at::Scalar& alpha) {
  TORCH_CHECK(vec1.dim() == 1, "addr: Expected 1-D argument vec1, but got ", vec1.dim(), "-D");
  TORCH_CHECK(vec2.dim() == 1, "addr: Expected 1-D argument vec2, but got ", vec2.dim(), "-D");
  at::ScalarType type = at::native::result_type({self, vec1, vec2});
  at::Tensor base = self.to(type).expand({vec1.size(0), vec2.size(0)});
  at::Tensor outer = at::outer(vec1.to(type), vec2.to(type));
  if (type == at::kBool) {
    at::Tensor product = alpha.toBool() ? outer : at::full_like(base, false);
    return beta.toBool() ? at::logical_or(base, product) : product;
  }
  at::Tensor scaled = outer * alpha;
  return beta.equal(0) ? scaled : base * beta + scaled;
}

TORCH_LIBRARY_IMPL(aten, FuncTorchBatched, m) {
  m.impl("mse_loss_backward", TORCH_FN(mseLossBackwardDecomposed));
  m.impl("addr", TORCH_FN(addrDecomposed));
}

void registerFunctorch(Napi::Env env, Napi::Object exports) {
  exportFunction<vmapIncrementNesting>(env, exports, "functorchVmapIncrementNesting");
  exportFunction<gradIncrementNesting>(env, exports, "functorchGradIncrementNesting");
  exportFunction<jvpIncrementNesting>(env, exports, "functorchJvpIncrementNesting");
  exportFunction<decrementNesting>(env, exports, "functorchDecrementNesting");
  exportFunction<dynamicLayerDepth>(env, exports, "functorchDepth");
  exportFunction<currentLevel>(env, exports, "functorchCurrentLevel");
  exportFunction<addBatchDim>(env, exports, "functorchAddBatchDim");
  exportFunction<removeBatchDim>(env, exports, "functorchRemoveBatchDim");
  exportFunction<isBatchedTensor>(env, exports, "functorchIsBatchedTensor");
  exportFunction<maybeGetBdim>(env, exports, "functorchMaybeGetBdim");
  exportFunction<wrapForGrad>(env, exports, "functorchWrapForGrad");
  exportFunction<unwrapForGrad>(env, exports, "functorchUnwrapForGrad");
  exportFunction<isGradTrackingTensor>(env, exports, "functorchIsGradTrackingTensor");
  exportFunction<maybeGetLevel>(env, exports, "functorchMaybeGetLevel");
  exportFunction<getUnwrapped>(env, exports, "functorchGetUnwrapped");
  exportFunction<inplaceRequiresGradAllowed>(env, exports, "functorchInplaceRequiresGradAllowed");
  exportFunction<fwdGradEnabled>(env, exports, "functorchFwdGradEnabled");
  exportFunction<vmapFallback>(env, exports, "functorchVmapFallback");
  exportFunction<functorchDisabled>(env, exports, "functorchDisabled");
}

}  // namespace tn
