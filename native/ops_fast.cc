// Direct (unboxed) bindings for the hottest ops, skipping schema-driven argument conversion.
// Everything else goes through ops_boxed.cc.
//
// For plain CPU tensors outside autograd, structured CPU kernels are called directly (at::cpu::*),
// skipping the dispatcher's walk through the autograd and view keys: the same kernel and result,
// ~150 ns less per call. Anything else (autograd, CUDA, conj/neg views, autocast) dispatches normally.
#include <ATen/CPUFunctions.h>
#include <ATen/ScalarOps.h>
#include <ATen/record_function.h>
#include <c10/core/impl/LocalDispatchKeySet.h>

#include "dtypes.h"
#include "tensor_handle.h"

namespace tn {

static at::Scalar scalarArg(napi_env env, napi_value v, const char* what) {
  napi_valuetype type;
  napi_typeof(env, v, &type);
  if (type == napi_number) {
    double d;
    napi_get_value_double(env, v, &d);
    if (isExactInteger(d)) return at::Scalar(static_cast<int64_t>(d));
    return at::Scalar(d);
  }
  if (type == napi_boolean) {
    bool b;
    napi_get_value_bool(env, v, &b);
    return at::Scalar(b);
  }
  throwTorchError(Napi::Env(env), std::string("expected a Tensor or a number for ") + what);
}

static bool isUndefined(napi_env env, napi_value v) {
  napi_valuetype type;
  napi_typeof(env, v, &type);
  return type == napi_undefined;
}

// The `other` operand: a tensor, or a number wrapped as a 0-d "wrapped number" tensor, which is
// what Python's argument parser does for `x * 2` (same overload, same grad_fn name, same promotion).
// Borrowed when it is a tensor: no reference-count traffic on the hot path.
static c10::MaybeOwned<at::Tensor> otherOperand(napi_env env, napi_value v) {
  if (const at::Tensor* t = tryUnwrapTensor(env, v, "other")) return c10::MaybeOwned<at::Tensor>::borrowed(*t);
  return c10::MaybeOwned<at::Tensor>::owned(at::native::wrapped_scalar_tensor(scalarArg(env, v, "other")));
}

// A dense CPU tensor with no autograd metadata and no extra dispatch keys (conj/neg bits, quantized,
// sparse, named, zero tensors all add keys): the dispatcher would send it straight to the CPU kernel.
// The reference key set is read off a fresh CPU tensor, so it follows the libtorch version.
static bool plainCpu(const at::Tensor& t) {
  static const c10::DispatchKeySet kPlain = at::empty({0}).unsafeGetTensorImpl()->key_set();
  if (!t.defined()) return false;
  const c10::TensorImpl* impl = t.unsafeGetTensorImpl();
  return impl->autograd_meta() == nullptr && impl->key_set() == kPlain;
}

// The direct kernel calls skip the dispatcher, so they are taken only when it would add nothing:
// the thread's local dispatch keys are libtorch's defaults (no autocast, inference mode, Python
// mode or functorch layer; the defaults are not empty: BackendSelect and ADInplaceOrView are
// always included, the autocast keys excluded), and no RecordFunction callbacks (the profiler's)
// are registered.
static bool defaultLocalKeys() {
  const c10::impl::LocalDispatchKeySet local = c10::impl::tls_local_dispatch_key_set();
  return local.included_ == c10::default_included_set && local.excluded_ == c10::default_excluded_set && !at::hasCallbacks();
}

static bool plainCpu(const at::Tensor& a, const at::Tensor& b) {
  return plainCpu(a) && plainCpu(b) && defaultLocalKeys();
}

static bool plainCpuUnary(const at::Tensor& a) { return plainCpu(a) && defaultLocalKeys(); }

// Binary ops take (self, other: Tensor | number).
#define TN_BINARY(NAME)                                                                   \
  static napi_value NAME##Fast(napi_env env, napi_value* argv, size_t) {                  \
    const at::Tensor& a = unwrapTensor(env, argv[0], "self");                             \
    c10::MaybeOwned<at::Tensor> b = otherOperand(env, argv[1]);                           \
    return wrapTensor(env, plainCpu(a, *b) ? at::cpu::NAME(a, *b) : at::NAME(a, *b));     \
  }

// add/sub also take alpha: (self, other, alpha?)
#define TN_BINARY_ALPHA(NAME)                                                                      \
  static napi_value NAME##Fast(napi_env env, napi_value* argv, size_t) {                           \
    const at::Tensor& a = unwrapTensor(env, argv[0], "self");                                      \
    c10::MaybeOwned<at::Tensor> b = otherOperand(env, argv[1]);                                    \
    at::Scalar alpha = isUndefined(env, argv[2]) ? at::Scalar(1) : scalarArg(env, argv[2], "alpha"); \
    return wrapTensor(env, plainCpu(a, *b) ? at::cpu::NAME(a, *b, alpha) : at::NAME(a, *b, alpha)); \
  }

#define TN_UNARY(NAME)                                                        \
  static napi_value NAME##Fast(napi_env env, napi_value* argv, size_t) {      \
    const at::Tensor& a = unwrapTensor(env, argv[0], "self");                 \
    return wrapTensor(env, plainCpuUnary(a) ? at::cpu::NAME(a) : at::NAME(a)); \
  }

// Ops without a CPU kernel of their own (composites): always dispatched.
#define TN_UNARY_DISPATCHED(NAME)                                             \
  static napi_value NAME##Fast(napi_env env, napi_value* argv, size_t) {      \
    return wrapTensor(env, at::NAME(unwrapTensor(env, argv[0], "self")));     \
  }

#define TN_PAIR(NAME)                                                                        \
  static napi_value NAME##Fast(napi_env env, napi_value* argv, size_t) {                     \
    const at::Tensor& a = unwrapTensor(env, argv[0], "self");                                \
    const at::Tensor& b = unwrapTensor(env, argv[1], "other");                               \
    return wrapTensor(env, plainCpu(a, b) ? at::cpu::NAME(a, b) : at::NAME(a, b));           \
  }

#define TN_PAIR_DISPATCHED(NAME)                                                              \
  static napi_value NAME##Fast(napi_env env, napi_value* argv, size_t) {                      \
    return wrapTensor(env, at::NAME(unwrapTensor(env, argv[0], "self"), unwrapTensor(env, argv[1], "other"))); \
  }

// Integer arguments (dims, indices, sizes). lib/tensor/tensor.ts sends plain numbers here and
// anything else (a 0-dim tensor, a BigInt) through the boxed path, which takes what Python's int takes.
static int64_t intArg(napi_env env, napi_value v, const char* what) {
  double d;
  if (napi_get_value_double(env, v, &d) == napi_ok && isExactInteger(d)) {
    return static_cast<int64_t>(d);
  }
  throwTorchError(Napi::Env(env), std::string("expected an integer for ") + what);
}

static std::vector<int64_t> intListArg(napi_env env, napi_value v, const char* what) {
  uint32_t n = 0;
  if (napi_get_array_length(env, v, &n) != napi_ok) throwTorchError(Napi::Env(env), std::string("expected a list of integers for ") + what);
  std::vector<int64_t> out(n);
  for (uint32_t i = 0; i < n; i++) {
    napi_value item;
    napi_get_element(env, v, i, &item);
    out[i] = intArg(env, item, what);
  }
  return out;
}

// Views and shape changes: tiny ops that data pipelines and forward passes call all the time,
// dispatched as usual (autograd, view tracking, any device) but without the boxed path's schema
// matching and IValue stack.
#define TN_SELF(argv) unwrapTensor(env, argv[0], "self")
#define TN_INT(i, what) intArg(env, argv[i], what)
#define TN_INTS(i, what) intListArg(env, argv[i], what)
// The list, expanded once to define the functions and once to export them.
#define TN_SHAPE_OPS(X)                                                                                          \
  X(select, at::select(TN_SELF(argv), TN_INT(1, "dim"), TN_INT(2, "index")))                                   \
  X(narrow, at::narrow(TN_SELF(argv), TN_INT(1, "dim"), TN_INT(2, "start"), TN_INT(3, "length")))              \
  X(unsqueeze, at::unsqueeze(TN_SELF(argv), TN_INT(1, "dim")))                                                  \
  X(squeeze, isUndefined(env, argv[1]) ? at::squeeze(TN_SELF(argv)) : at::squeeze(TN_SELF(argv), TN_INT(1, "dim"))) \
  X(transpose, at::transpose(TN_SELF(argv), TN_INT(1, "dim0"), TN_INT(2, "dim1")))                              \
  X(t, at::t(TN_SELF(argv)))                                                                                    \
  X(flatten, at::flatten(TN_SELF(argv), TN_INT(1, "start_dim"), TN_INT(2, "end_dim")))                          \
  X(view, TN_SELF(argv).view(TN_INTS(1, "size")))                                                               \
  X(reshape, at::reshape(TN_SELF(argv), TN_INTS(1, "shape")))                                                   \
  X(permute, at::permute(TN_SELF(argv), TN_INTS(1, "dims")))                                                    \
  /* to(dtype): x.float(), x.long(), ... (the tensor itself when it has that dtype already) */                  \
  X(toDtype, TN_SELF(argv).to(scalarTypeFromJs(Napi::Env(env), Napi::Value(env, argv[1]), "dtype")))

#define TN_SHAPE_OP(NAME, CALL) \
  static napi_value NAME##Fast(napi_env env, napi_value* argv, size_t) { return wrapTensor(env, CALL); }
TN_SHAPE_OPS(TN_SHAPE_OP)

// The list, expanded once to define the functions and once to export them.
#define TN_FAST_OPS(BINARY, BINARY_ALPHA, UNARY, UNARY_DISPATCHED, PAIR, PAIR_DISPATCHED)      \
  BINARY_ALPHA(add) BINARY_ALPHA(sub) BINARY(mul) BINARY(div)                                  \
  PAIR(mm) PAIR_DISPATCHED(matmul)                                                             \
  UNARY(relu) UNARY(neg) UNARY(exp) UNARY(log) UNARY(tanh) UNARY(sigmoid) UNARY(sqrt)          \
  UNARY_DISPATCHED(abs)

TN_FAST_OPS(TN_BINARY, TN_BINARY_ALPHA, TN_UNARY, TN_UNARY_DISPATCHED, TN_PAIR, TN_PAIR_DISPATCHED)

#define TN_EXPORT(NAME) exportRawFunction<NAME##Fast>(env, exports, #NAME "Fast");

#define TN_EXPORT_SHAPE_OP(NAME, CALL) TN_EXPORT(NAME)

void registerOpsFast(Napi::Env env, Napi::Object exports) {
  TN_FAST_OPS(TN_EXPORT, TN_EXPORT, TN_EXPORT, TN_EXPORT, TN_EXPORT, TN_EXPORT)
  TN_SHAPE_OPS(TN_EXPORT_SHAPE_OP)
  plainCpu(at::Tensor());  // builds the reference key set now, not inside a user's profile
}

}  // namespace tn
