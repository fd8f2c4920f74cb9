// Direct (unboxed) bindings for the hottest ops, skipping schema-driven argument conversion.
// Everything else goes through ops_boxed.cc.
#include <ATen/ScalarOps.h>

#include "tensor_handle.h"

namespace tn {

static at::Scalar scalarArg(napi_env env, napi_value v, const char* what) {
  napi_valuetype type;
  napi_typeof(env, v, &type);
  if (type == napi_number) {
    double d;
    napi_get_value_double(env, v, &d);
    if (d == std::trunc(d) && std::fabs(d) < 9.007199254740992e15) return at::Scalar(static_cast<int64_t>(d));
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
static at::Tensor otherOperand(napi_env env, napi_value v) {
  if (const at::Tensor* t = tryUnwrapTensor(env, v, "other")) return *t;
  return at::native::wrapped_scalar_tensor(scalarArg(env, v, "other"));
}

// Binary ops take (self, other: Tensor | number).
#define TN_BINARY(NAME)                                                                  \
  static napi_value NAME##Fast(napi_env env, napi_value* argv, size_t) {                 \
    return wrapTensor(env, at::NAME(unwrapTensor(env, argv[0], "self"), otherOperand(env, argv[1]))); \
  }

// add/sub also take alpha: (self, other, alpha?)
#define TN_BINARY_ALPHA(NAME)                                                            \
  static napi_value NAME##Fast(napi_env env, napi_value* argv, size_t) {                 \
    const at::Tensor& a = unwrapTensor(env, argv[0], "self");                            \
    at::Scalar alpha = isUndefined(env, argv[2]) ? at::Scalar(1) : scalarArg(env, argv[2], "alpha"); \
    return wrapTensor(env, at::NAME(a, otherOperand(env, argv[1]), alpha));              \
  }

#define TN_UNARY(NAME)                                                    \
  static napi_value NAME##Fast(napi_env env, napi_value* argv, size_t) {  \
    return wrapTensor(env, at::NAME(unwrapTensor(env, argv[0], "self"))); \
  }

#define TN_TENSOR_PAIR(NAME)                                                                   \
  static napi_value NAME##Fast(napi_env env, napi_value* argv, size_t) {                       \
    return wrapTensor(env, at::NAME(unwrapTensor(env, argv[0], "self"), unwrapTensor(env, argv[1], "other"))); \
  }

#define TN_FAST_OPS(BINARY, BINARY_ALPHA, UNARY, PAIR) \
  BINARY_ALPHA(add) BINARY_ALPHA(sub) BINARY(mul) BINARY(div) \
  PAIR(matmul) PAIR(mm) \
  UNARY(relu) UNARY(neg) UNARY(exp) UNARY(log) UNARY(tanh) UNARY(sigmoid) UNARY(sqrt) UNARY(abs)

TN_FAST_OPS(TN_BINARY, TN_BINARY_ALPHA, TN_UNARY, TN_TENSOR_PAIR)

#define TN_EXPORT(NAME) exportRawFunction<NAME##Fast>(env, exports, #NAME "Fast");

void registerOpsFast(Napi::Env env, Napi::Object exports) {
  TN_FAST_OPS(TN_EXPORT, TN_EXPORT, TN_EXPORT, TN_EXPORT)
}

}  // namespace tn
