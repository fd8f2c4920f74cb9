// Moving data between JS and tensors, and the per-tensor properties JS reads.
#include "dtypes.h"
#include "ivalue_convert.h"
#include "tensor_handle.h"

namespace tn {

static const at::Tensor& self(const Napi::CallbackInfo& info) { return unwrapTensor(info.Env(), info[0], "self"); }

static std::vector<int64_t> shapeFromJs(Napi::Env env, Napi::Value v) {
  if (!v.IsArray()) throwTorchError(env, "shape must be an array of integers");
  Napi::Array a = v.As<Napi::Array>();
  std::vector<int64_t> shape(a.Length());
  for (uint32_t i = 0; i < a.Length(); i++) {
    double d = a.Get(i).As<Napi::Number>().DoubleValue();
    if (d < 0 || d != std::floor(d)) throwTorchError(env, "shape must hold non-negative integers");
    shape[i] = static_cast<int64_t>(d);
  }
  return shape;
}

// fromTypedArray(typedArray, shape, dtypeCode) -> a CPU tensor holding a copy of the elements.
// The TypedArray kind must be the one the dtype table gives for dtypeCode.
static Napi::Value fromTypedArray(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsTypedArray()) throwTorchError(env, "expected a TypedArray");
  Napi::TypedArray array = info[0].As<Napi::TypedArray>();
  std::vector<int64_t> shape = shapeFromJs(env, info[1]);
  const DtypeInfo& dt = dtypeInfo(scalarTypeFromJs(env, info[2], "dtype"));
  if (array.TypedArrayType() != dt.arrayType) {
    throwTorchError(env, std::string("a ") + dt.name + " tensor needs a different TypedArray kind");
  }
  int64_t numel = c10::multiply_integers(shape);
  size_t bytes = static_cast<size_t>(numel) * c10::elementSize(dt.scalarType);
  if (array.ByteLength() != bytes) {
    throwTorchError(env, "TypedArray holds " + std::to_string(array.ByteLength()) + " bytes but shape " +
                             c10::str(c10::IntArrayRef(shape)) + " of " + dt.name + " needs " +
                             std::to_string(bytes));
  }
  at::Tensor t = at::empty(shape, at::TensorOptions().dtype(dt.scalarType));
  auto* base = static_cast<uint8_t*>(array.ArrayBuffer().Data()) + array.ByteOffset();
  if (bytes) std::memcpy(t.data_ptr(), base, bytes);
  return Napi::Value(env, wrapTensor(env, std::move(t)));
}

// toTypedArray(handle) -> a new TypedArray with a copy of the elements in row-major order.
static Napi::Value toTypedArray(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  at::Tensor t = self(info).detach();
  // Autograd's zero tensors have no memory, and conj/neg views keep a lazy bit: materialise both,
  // so the bytes read are the values PyTorch shows.
  if (t._is_zerotensor()) t = at::zeros(t.sizes(), t.options());
  t = t.resolve_conj().resolve_neg().to(at::kCPU).contiguous();
  const DtypeInfo& dt = dtypeInfo(t.scalar_type());
  if (dt.scalarType == at::ScalarType::Undefined) {
    throwTorchError(env, std::string("dtype ") + c10::toString(t.scalar_type()) + " has no TypedArray form");
  }
  size_t bytes = t.nbytes();
  Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(env, bytes);
  if (bytes) std::memcpy(buffer.Data(), t.data_ptr(), bytes);
  size_t length = static_cast<size_t>(t.numel()) * dt.elementsPerItem;
  napi_value out;
  napi_create_typedarray(env, dt.arrayType, length, buffer, 0, &out);
  return Napi::Value(env, out);
}

// item(handle) -> number | boolean | [re, im] (for complex), as Python's Tensor.item().
static Napi::Value item(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const at::Tensor& t = self(info);
  at::Scalar s = t.item();
  if (s.isBoolean()) return Napi::Boolean::New(env, s.toBool());
  if (s.isIntegral(false)) return Napi::Number::New(env, static_cast<double>(s.toLong()));
  if (s.isComplex()) return complexToJs(env, s.toComplexDouble());
  return Napi::Number::New(env, s.toDouble());
}

static Napi::Value shape(const Napi::CallbackInfo& info) { return intsToJs(info.Env(), self(info).sizes()); }

static Napi::Value strides(const Napi::CallbackInfo& info) { return intsToJs(info.Env(), self(info).strides()); }

static Napi::Value dtype(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<int32_t>(self(info).scalar_type()));
}

static Napi::Value device(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), deviceToString(self(info).device()));
}

static Napi::Value numel(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(self(info).numel()));
}

static Napi::Value dim(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(self(info).dim()));
}

// layout(handle) -> c10::Layout code (0 strided, 1 sparse COO, ...), for torch.layout and is_sparse.
static Napi::Value layout(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<int32_t>(self(info).layout()));
}

// dataPtr(handle) -> the address of the first element, as Python's data_ptr() (0 when empty); a
// tensor without storage (sparse) is libtorch's error. Addresses fit a double's 53 bits.
static Napi::Value dataPtr(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(reinterpret_cast<uintptr_t>(self(info).data_ptr())));
}

static Napi::Value isContiguous(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), self(info).is_contiguous());
}

// to(handle, dtypeCode|null, device|null, nonBlocking, copy, memoryFormat|null) -> tensor (the same
// handle's tensor when nothing changes, as PyTorch's Tensor.to returns self).
static Napi::Value to(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const at::Tensor& t = self(info);
  at::ScalarType type = info[1].IsNull() || info[1].IsUndefined() ? t.scalar_type()
                                                                   : scalarTypeFromJs(env, info[1], "dtype");
  at::Device dev = info[2].IsNull() || info[2].IsUndefined() ? t.device() : deviceFromJs(env, info[2], "device");
  bool nonBlocking = info[3].ToBoolean().Value();
  bool copy = info[4].ToBoolean().Value();
  c10::optional<at::MemoryFormat> format;
  if (info[5].IsNumber()) {
    int32_t code = info[5].As<Napi::Number>().Int32Value();
    if (code < 0 || code >= static_cast<int32_t>(at::MemoryFormat::NumOptions)) {
      throwTorchError(env, "to(): memoryFormat must be one of torch.contiguousFormat, preserveFormat, channelsLast, channelsLast3d; got " + std::to_string(code));
    }
    format = static_cast<at::MemoryFormat>(code);
  }
  return Napi::Value(env, wrapTensor(env, t.to(dev, type, nonBlocking, copy, format)));
}

void registerTensorData(Napi::Env env, Napi::Object exports) {
  exportFunction<fromTypedArray>(env, exports, "fromTypedArray");
  exportFunction<toTypedArray>(env, exports, "toTypedArray");
  exportFunction<item>(env, exports, "item");
  exportFunction<shape>(env, exports, "shape");
  exportFunction<strides>(env, exports, "strides");
  exportFunction<dtype>(env, exports, "dtype");
  exportFunction<device>(env, exports, "device");
  exportFunction<numel>(env, exports, "numel");
  exportFunction<dim>(env, exports, "dim");
  exportFunction<layout>(env, exports, "layout");
  exportFunction<dataPtr>(env, exports, "dataPtr");
  exportFunction<isContiguous>(env, exports, "isContiguous");
  exportFunction<to>(env, exports, "to");
}

}  // namespace tn
