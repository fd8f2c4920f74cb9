#include "dtypes.h"

namespace tn {

const std::vector<DtypeInfo>& dtypeTable() {
  static const std::vector<DtypeInfo> table = {
      {at::kFloat, "float32", napi_float32_array, 1},
      {at::kDouble, "float64", napi_float64_array, 1},
      {at::kHalf, "float16", napi_uint16_array, 1},       // raw IEEE half bits
      {at::kBFloat16, "bfloat16", napi_uint16_array, 1},  // raw bfloat16 bits
      {at::kLong, "int64", napi_bigint64_array, 1},
      {at::kInt, "int32", napi_int32_array, 1},
      {at::kShort, "int16", napi_int16_array, 1},
      {at::kChar, "int8", napi_int8_array, 1},
      {at::kByte, "uint8", napi_uint8_array, 1},
      {at::kBool, "bool", napi_uint8_array, 1},
      {at::kComplexFloat, "complex64", napi_float32_array, 2},
      {at::kComplexDouble, "complex128", napi_float64_array, 2},
      // quantized: raw elements are their integer representation
      {at::kQInt8, "qint8", napi_int8_array, 1},
      {at::kQUInt8, "quint8", napi_uint8_array, 1},
      {at::kQInt32, "qint32", napi_int32_array, 1},
      {at::kQUInt4x2, "quint4x2", napi_uint8_array, 1},
      {at::kQUInt2x4, "quint2x4", napi_uint8_array, 1},
  };
  return table;
}

const DtypeInfo& dtypeInfo(at::ScalarType type) {
  for (const DtypeInfo& row : dtypeTable()) {
    if (row.scalarType == type) return row;
  }
  static const DtypeInfo unsupported = {at::ScalarType::Undefined, "unsupported", napi_uint8_array, 1};
  return unsupported;
}

at::ScalarType scalarTypeFromJs(Napi::Env env, Napi::Value value, const char* what) {
  if (value.IsNumber()) {
    int32_t code = value.As<Napi::Number>().Int32Value();
    for (const DtypeInfo& row : dtypeTable()) {
      if (static_cast<int32_t>(row.scalarType) == code) return row.scalarType;
    }
  }
  throwTorchError(env, std::string("unknown dtype for ") + what);
}

at::Device deviceFromJs(Napi::Env env, Napi::Value value, const char* what) {
  if (!value.IsString()) throwTorchError(env, std::string("expected a device string for ") + what);
  return at::Device(value.As<Napi::String>().Utf8Value());  // c10::Error on a bad string
}

std::string deviceToString(const at::Device& device) { return device.str(); }

static const char* typedArrayName(napi_typedarray_type type) {
  switch (type) {
    case napi_float32_array: return "Float32Array";
    case napi_float64_array: return "Float64Array";
    case napi_uint16_array: return "Uint16Array";
    case napi_bigint64_array: return "BigInt64Array";
    case napi_int32_array: return "Int32Array";
    case napi_int16_array: return "Int16Array";
    case napi_int8_array: return "Int8Array";
    default: return "Uint8Array";
  }
}

// dtypes(): the table, for lib/tensor/dtype.ts to build torch.float32 & co. from.
static Napi::Value dtypes(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Array out = Napi::Array::New(env);
  uint32_t i = 0;
  for (const DtypeInfo& row : dtypeTable()) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("name", row.name);
    o.Set("code", static_cast<int32_t>(row.scalarType));
    o.Set("itemsize", static_cast<double>(c10::elementSize(row.scalarType)));
    o.Set("isFloatingPoint", at::isFloatingType(row.scalarType));
    o.Set("isComplex", at::isComplexType(row.scalarType));
    // isSignedType throws for quantized types; theirs is the sign of their integer representation
    bool isSigned = at::isQIntType(row.scalarType) ? row.scalarType == at::kQInt8 || row.scalarType == at::kQInt32
                                                   : at::isSignedType(row.scalarType);
    o.Set("isSigned", isSigned);
    o.Set("typedArray", typedArrayName(row.arrayType));
    out.Set(i++, o);
  }
  return out;
}

void registerDtypes(Napi::Env env, Napi::Object exports) {
  exportFunction<dtypes>(env, exports, "dtypes");
}

}  // namespace tn
