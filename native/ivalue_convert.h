// JS value <-> c10::IValue conversion, driven by an operator schema's argument types.
#pragma once
#include <ATen/core/function_schema.h>
#include <ATen/core/ivalue.h>

#include "common.h"

namespace tn {

// `where` names the argument in error messages ("argument 'other' of aten::add.Tensor").
c10::IValue jsToIValue(Napi::Env env, Napi::Value value, const c10::TypePtr& type,
                       c10::optional<int32_t> fixedLength, const std::string& where);

// `aliasesInput`: the value is an input the op wrote into (Tensor(a!)): see wrapTensor.
Napi::Value ivalueToJs(Napi::Env env, const c10::IValue& value, bool aliasesInput = false);

// A complex number as [re, im]; a shape or stride list as an array of numbers.
Napi::Value complexToJs(Napi::Env env, c10::complex<double> c);
Napi::Value intsToJs(Napi::Env env, c10::IntArrayRef values);

}  // namespace tn
