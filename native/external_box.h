// Native objects handed to JS as napi externals start with a magic word of their type, so an external
// of another kind (or another addon) is told apart instead of misread. Cheaper than napi type tags,
// which cost a private-property lookup on every call.
#pragma once
#include <node_api.h>

namespace tn {

template <typename Box>
Box* externalBox(napi_env env, napi_value value) {
  napi_valuetype type;
  if (napi_typeof(env, value, &type) != napi_ok || type != napi_external) return nullptr;
  void* data = nullptr;
  napi_get_value_external(env, value, &data);
  auto* box = static_cast<Box*>(data);
  return box != nullptr && box->magic == Box::kMagic ? box : nullptr;
}

}  // namespace tn
