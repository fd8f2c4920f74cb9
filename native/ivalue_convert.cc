#include "ivalue_convert.h"

#include <ATen/ScalarOps.h>

#include "dtypes.h"
#include "generators.h"
#include "tensor_handle.h"

namespace tn {

using c10::TypeKind;

// Python's argument parser takes a 0-dim tensor that does not require grad where an int, float or
// Scalar is expected (torch.full([2], torch.tensor(3.0))); its value keeps the tensor's type.
static c10::optional<at::Scalar> zeroDimScalar(Napi::Env env, Napi::Value v) {
  if (!v.IsExternal()) return c10::nullopt;
  const at::Tensor* t = tryUnwrapTensor(env, v, "scalar");
  if (!t || t->dim() != 0 || t->requires_grad()) return c10::nullopt;
  return t->item();
}

static int64_t toInt(Napi::Env env, Napi::Value v, const std::string& where) {
  if (v.IsNumber()) {
    double d = v.As<Napi::Number>().DoubleValue();
    if (d == static_cast<double>(static_cast<int64_t>(d))) return static_cast<int64_t>(d);
  } else if (v.IsBigInt()) {
    bool lossless = false;
    return v.As<Napi::BigInt>().Int64Value(&lossless);
  } else if (v.IsBoolean()) {
    return v.As<Napi::Boolean>().Value() ? 1 : 0;
  } else if (auto s = zeroDimScalar(env, v); s && s->isIntegral(/*includeBool=*/true)) {
    return s->toLong();
  }
  throwTorchError(env, "expected an integer for " + where);
}

static double toDouble(Napi::Env env, Napi::Value v, const std::string& where) {
  if (v.IsNumber()) return v.As<Napi::Number>().DoubleValue();
  if (v.IsBoolean()) return v.As<Napi::Boolean>().Value() ? 1.0 : 0.0;
  if (v.IsBigInt()) {
    bool lossless = false;
    return static_cast<double>(v.As<Napi::BigInt>().Int64Value(&lossless));
  }
  if (auto s = zeroDimScalar(env, v); s && !s->isComplex()) return s->toDouble();
  throwTorchError(env, "expected a number for " + where);
}

// A JS number is an integral Scalar when it has no fractional part (JS cannot tell 2 from 2.0).
static at::Scalar toScalar(Napi::Env env, Napi::Value v, const std::string& where) {
  if (v.IsBoolean()) return at::Scalar(v.As<Napi::Boolean>().Value());
  if (v.IsBigInt()) return at::Scalar(toInt(env, v, where));
  if (v.IsNumber()) {
    double d = v.As<Napi::Number>().DoubleValue();
    return isExactInteger(d) ? at::Scalar(static_cast<int64_t>(d)) : at::Scalar(d);
  }
  if (auto s = zeroDimScalar(env, v)) return *s;
  throwTorchError(env, "expected a number or boolean for " + where);
}

static Napi::Array toArray(Napi::Env env, Napi::Value v, const std::string& where) {
  if (!v.IsArray()) throwTorchError(env, "expected an array for " + where);
  return v.As<Napi::Array>();
}

// int[] / float[]: an array, or one number repeated to the schema's fixed length (int[2] takes 3).
template <typename T>
static c10::List<T> numberList(Napi::Env env, Napi::Value value, c10::optional<int32_t> fixedLength,
                               const std::string& where, T (*convert)(Napi::Env, Napi::Value, const std::string&)) {
  c10::List<T> list;
  if (value.IsNumber() || value.IsBigInt()) {
    T x = convert(env, value, where);
    for (int32_t i = 0; i < fixedLength.value_or(1); i++) list.push_back(x);
    return list;
  }
  Napi::Array a = toArray(env, value, where);
  for (uint32_t i = 0; i < a.Length(); i++) list.push_back(convert(env, a.Get(i), where));
  return list;
}

static c10::IValue listToIValue(Napi::Env env, Napi::Value value, const c10::TypePtr& elem,
                                c10::optional<int32_t> fixedLength, const std::string& where) {
  switch (elem->kind()) {
    case TypeKind::IntType:
      return numberList<int64_t>(env, value, fixedLength, where, toInt);
    case TypeKind::FloatType:
      return numberList<double>(env, value, fixedLength, where, toDouble);
    case TypeKind::BoolType: {
      c10::List<bool> list;
      Napi::Array a = toArray(env, value, where);
      for (uint32_t i = 0; i < a.Length(); i++) {
        Napi::Value x = a.Get(i);
        if (!x.IsBoolean()) throwTorchError(env, "expected booleans for " + where);
        list.push_back(x.As<Napi::Boolean>().Value());
      }
      return list;
    }
    case TypeKind::TensorType: {
      c10::List<at::Tensor> list;
      Napi::Array a = toArray(env, value, where);
      for (uint32_t i = 0; i < a.Length(); i++) list.push_back(unwrapTensor(env, a.Get(i), where.c_str()));
      return list;
    }
    case TypeKind::OptionalType: {
      if (elem->containedTypes()[0]->kind() != TypeKind::TensorType) break;
      c10::List<c10::optional<at::Tensor>> list;
      Napi::Array a = toArray(env, value, where);
      for (uint32_t i = 0; i < a.Length(); i++) {
        Napi::Value x = a.Get(i);
        if (x.IsNull() || x.IsUndefined()) list.push_back(c10::nullopt);
        else list.push_back(unwrapTensor(env, x, where.c_str()));
      }
      return list;
    }
    default: {
      // any other element type (str, tuples, lists, dicts: TorchScript methods take these)
      c10::impl::GenericList list(elem);
      Napi::Array a = toArray(env, value, where);
      for (uint32_t i = 0; i < a.Length(); i++) list.push_back(jsToIValue(env, a.Get(i), elem, c10::nullopt, where));
      return list;
    }
  }
  throwTorchError(env, "unsupported list type " + elem->str() + "[] for " + where);
}

// Tuple[...]: an array of exactly the tuple's length.
static c10::IValue tupleToIValue(Napi::Env env, Napi::Value value, const c10::TypePtr& type, const std::string& where) {
  const auto& types = type->containedTypes();
  Napi::Array a = toArray(env, value, where);
  if (a.Length() != types.size()) {
    throwTorchError(env, "expected a tuple of " + std::to_string(types.size()) + " elements for " + where + ", got " +
                             std::to_string(a.Length()));
  }
  std::vector<c10::IValue> elements;
  for (uint32_t i = 0; i < a.Length(); i++) elements.push_back(jsToIValue(env, a.Get(i), types[i], c10::nullopt, where));
  return c10::ivalue::Tuple::create(std::move(elements));
}

// Dict[K, V]: an array of [key, value] pairs (what the JS side makes of a Map), or a plain object
// when the keys are strings.
static c10::IValue dictToIValue(Napi::Env env, Napi::Value value, const c10::TypePtr& type, const std::string& where) {
  const c10::TypePtr& keyType = type->containedTypes()[0];
  const c10::TypePtr& valueType = type->containedTypes()[1];
  c10::impl::GenericDict dict(keyType, valueType);
  if (value.IsArray()) {
    Napi::Array entries = value.As<Napi::Array>();
    for (uint32_t i = 0; i < entries.Length(); i++) {
      Napi::Array kv = toArray(env, entries.Get(i), where);
      dict.insert_or_assign(jsToIValue(env, kv.Get(0u), keyType, c10::nullopt, where),
                            jsToIValue(env, kv.Get(1u), valueType, c10::nullopt, where));
    }
    return dict;
  }
  if (!value.IsObject()) throwTorchError(env, "expected a Map or an object for " + where);
  if (keyType->kind() != TypeKind::StringType) throwTorchError(env, "expected a Map for " + where + " (its keys are " + keyType->str() + ")");
  Napi::Object object = value.As<Napi::Object>();
  Napi::Array keys = object.GetPropertyNames();
  for (uint32_t i = 0; i < keys.Length(); i++) {
    Napi::Value key = keys.Get(i);
    dict.insert_or_assign(key.As<Napi::String>().Utf8Value(), jsToIValue(env, object.Get(key), valueType, c10::nullopt, where));
  }
  return dict;
}

c10::IValue jsToIValue(Napi::Env env, Napi::Value value, const c10::TypePtr& type,
                       c10::optional<int32_t> fixedLength, const std::string& where) {
  switch (type->kind()) {
    case TypeKind::OptionalType:
      if (value.IsNull() || value.IsUndefined()) {
        // In a DataLoader worker thread, random ops draw from that thread's own generator.
        if (type->containedTypes()[0]->kind() == TypeKind::GeneratorType) {
          if (at::Generator* g = threadGenerator()) return *g;
        }
        return c10::IValue();
      }
      return jsToIValue(env, value, type->containedTypes()[0], fixedLength, where);
    case TypeKind::TensorType:
      // A number where an op takes a Tensor (x.mul(2)) becomes a 0-dim "wrapped number" tensor, as
      // Python's argument parser makes it: it never wins type promotion within its category.
      if (value.IsNumber() || value.IsBoolean() || value.IsBigInt()) {
        return at::native::wrapped_scalar_tensor(toScalar(env, value, where));
      }
      return unwrapTensor(env, value, where.c_str());
    case TypeKind::IntType:  // also ScalarType, Layout and MemoryFormat codes, and SymInt in 2.x
      return toInt(env, value, where);
    case TypeKind::FloatType:
      return toDouble(env, value, where);
    case TypeKind::BoolType:
      if (!value.IsBoolean()) throwTorchError(env, "expected a boolean for " + where);
      return value.As<Napi::Boolean>().Value();
    case TypeKind::NumberType:
      return toScalar(env, value, where);
    case TypeKind::StringType:
      if (!value.IsString()) throwTorchError(env, "expected a string for " + where);
      return value.As<Napi::String>().Utf8Value();
    case TypeKind::DeviceObjType:
      return deviceFromJs(env, value, where.c_str());
    case TypeKind::ListType:
      return listToIValue(env, value, type->containedTypes()[0], fixedLength, where);
    case TypeKind::GeneratorType:
      if (const at::Generator* g = tryUnwrapGenerator(env, value)) return *g;
      throwTorchError(env, "expected a torch.Generator for " + where);
    case TypeKind::TupleType:
      return tupleToIValue(env, value, type, where);
    case TypeKind::DictType:
      return dictToIValue(env, value, type, where);
    default:
      break;
  }
  throwTorchError(env, "unsupported argument type " + type->str() + " for " + where);
}

Napi::Value complexToJs(Napi::Env env, c10::complex<double> c) {
  Napi::Array out = Napi::Array::New(env, 2);
  out.Set(0u, c.real());
  out.Set(1u, c.imag());
  return out;
}

Napi::Value intsToJs(Napi::Env env, c10::IntArrayRef values) {
  Napi::Array out = Napi::Array::New(env, values.size());
  for (size_t i = 0; i < values.size(); i++) out.Set(i, Napi::Number::New(env, static_cast<double>(values[i])));
  return out;
}

Napi::Value ivalueToJs(Napi::Env env, const c10::IValue& v, bool aliasesInput) {
  if (v.isTensor()) return Napi::Value(env, wrapTensor(env, v.toTensor(), aliasesInput));
  if (v.isNone()) return env.Undefined();
  if (v.isInt()) return Napi::Number::New(env, static_cast<double>(v.toInt()));
  if (v.isDouble()) return Napi::Number::New(env, v.toDouble());
  if (v.isBool()) return Napi::Boolean::New(env, v.toBool());
  if (v.isString()) return Napi::String::New(env, v.toStringRef());
  if (v.isDevice()) return Napi::String::New(env, deviceToString(v.toDevice()));
  if (v.isTuple()) {
    const auto& elements = v.toTupleRef().elements();
    Napi::Array out = Napi::Array::New(env, elements.size());
    for (size_t i = 0; i < elements.size(); i++) out.Set(i, ivalueToJs(env, elements[i]));
    return out;
  }
  if (v.isList()) {
    c10::List<c10::IValue> list = v.toList();
    Napi::Array out = Napi::Array::New(env, list.size());
    for (size_t i = 0; i < list.size(); i++) out.Set(i, ivalueToJs(env, list.get(i)));
    return out;
  }
  if (v.isComplexDouble()) return complexToJs(env, v.toComplexDouble());
  if (v.isGenericDict()) {
    // { dict: [[key, value], ...] }: the JS side makes a Map, or a plain object when the keys are strings
    Napi::Array entries = Napi::Array::New(env);
    uint32_t i = 0;
    for (const auto& entry : v.toGenericDict()) {
      Napi::Array kv = Napi::Array::New(env, 2);
      kv.Set(0u, ivalueToJs(env, entry.key()));
      kv.Set(1u, ivalueToJs(env, entry.value()));
      entries.Set(i++, kv);
    }
    Napi::Object dict = Napi::Object::New(env);
    dict.Set("dict", entries);
    return dict;
  }
  throwTorchError(env, std::string("cannot return a value of type ") + v.tagKind() + " to JS");
}

}  // namespace tn
