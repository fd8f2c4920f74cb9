// Tensor indexing (x[...] and x[...] = v) through ATen's own translation (ATen/TensorIndexing.h),
// the code Python's __getitem__/__setitem__ use: basic indices become select/slice/unsqueeze
// views, then one aten::index / index_put_ for the advanced part. lib/tensor/indexing.ts turns
// JS index items into the forms read here.
#include "tensor_handle.h"

namespace tn {

using at::indexing::TensorIndex;

static c10::optional<int64_t> optionalInt(napi_env env, napi_value v) {
  napi_valuetype type;
  napi_typeof(env, v, &type);
  if (type == napi_null || type == napi_undefined) return c10::nullopt;
  double d;
  napi_get_value_double(env, v, &d);
  return static_cast<int64_t>(d);
}

// One index item: an integer, null (newaxis), a boolean, a tensor handle, '...', ':' or a slice
// as [start, stop, step] (entries may be null). Validation of kinds happens in indexing.ts.
static TensorIndex toTensorIndex(napi_env env, napi_value v) {
  napi_valuetype type;
  napi_typeof(env, v, &type);
  switch (type) {
    case napi_number: {
      double d;
      napi_get_value_double(env, v, &d);
      return TensorIndex(static_cast<int64_t>(d));
    }
    case napi_null:
    case napi_undefined:
      return TensorIndex(at::indexing::None);
    case napi_boolean: {
      bool b;
      napi_get_value_bool(env, v, &b);
      return TensorIndex(b);
    }
    case napi_string: {
      char text[4] = {0};
      size_t len = 0;
      napi_get_value_string_utf8(env, v, text, sizeof(text), &len);
      if (len == 3 && std::string(text) == "...") return TensorIndex(at::indexing::Ellipsis);
      return TensorIndex(at::indexing::Slice());
    }
    default:
      break;
  }
  bool isArray = false;
  napi_is_array(env, v, &isArray);
  if (isArray) {
    napi_value start, stop, step;
    napi_get_element(env, v, 0, &start);
    napi_get_element(env, v, 1, &stop);
    napi_get_element(env, v, 2, &step);
    return TensorIndex(at::indexing::Slice(optionalInt(env, start), optionalInt(env, stop), optionalInt(env, step)));
  }
  return TensorIndex(unwrapTensor(env, v, "index"));
}

static std::vector<TensorIndex> indicesFromJs(napi_env env, napi_value array) {
  uint32_t n = 0;
  napi_get_array_length(env, array, &n);
  std::vector<TensorIndex> out;
  out.reserve(n);
  for (uint32_t i = 0; i < n; i++) {
    napi_value item;
    napi_get_element(env, array, i, &item);
    out.push_back(toTensorIndex(env, item));
  }
  return out;
}

// indexGet(self, items) -> self[items]
static napi_value indexGet(napi_env env, napi_value* argv, size_t) {
  const at::Tensor& self = unwrapTensor(env, argv[0], "self");
  return wrapTensor(env, self.index(indicesFromJs(env, argv[1])));
}

// indexSet(self, items, value: Tensor | number | boolean) -> undefined; self[items] = value
static napi_value indexSet(napi_env env, napi_value* argv, size_t) {
  at::Tensor self = unwrapTensor(env, argv[0], "self");
  std::vector<TensorIndex> indices = indicesFromJs(env, argv[1]);
  if (const at::Tensor* value = tryUnwrapTensor(env, argv[2], "value")) {
    self.index_put_(indices, *value);
  } else {
    napi_valuetype type;
    napi_typeof(env, argv[2], &type);
    if (type == napi_boolean) {
      bool b;
      napi_get_value_bool(env, argv[2], &b);
      self.index_put_(indices, at::Scalar(b));
    } else if (type == napi_number) {
      double d;
      napi_get_value_double(env, argv[2], &d);
      self.index_put_(indices, isExactInteger(d) ? at::Scalar(static_cast<int64_t>(d)) : at::Scalar(d));
    } else {
      throwTorchError(Napi::Env(env), "indexPut_: the value must be a Tensor or a number");
    }
  }
  napi_value undefined;
  napi_get_undefined(env, &undefined);
  return undefined;
}

void registerIndexing(Napi::Env env, Napi::Object exports) {
  exportRawFunction<indexGet>(env, exports, "indexGet");
  exportRawFunction<indexSet>(env, exports, "indexSet");
}

}  // namespace tn
