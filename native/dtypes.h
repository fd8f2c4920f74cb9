// The one dtype table: JS name <-> at::ScalarType <-> TypedArray kind.
#pragma once
#include "common.h"

namespace tn {

struct DtypeInfo {
  at::ScalarType scalarType;
  const char* name;        // torch-node / PyTorch name: torch.<name>
  napi_typedarray_type arrayType;  // how raw elements are exposed to JS
  int elementsPerItem;     // complex dtypes expose (re, im) pairs
};

// Every dtype of API.md, in the order they are listed there.
const std::vector<DtypeInfo>& dtypeTable();
const DtypeInfo& dtypeInfo(at::ScalarType type);  // TorchError-free: unknown types get a generic row

// The ScalarType behind a JS dtype code (the integer value of at::ScalarType).
at::ScalarType scalarTypeFromJs(Napi::Env env, Napi::Value value, const char* what);

// Devices: 'cpu', 'cuda', 'cuda:1', ...
at::Device deviceFromJs(Napi::Env env, Napi::Value value, const char* what);
std::string deviceToString(const at::Device& device);

}  // namespace tn
