// The generic path: any operator registered with libtorch's dispatcher, called by schema.
// Fast direct bindings for hot ops live in ops_fast.cc; this reaches everything else.
#include <ATen/core/dispatch/Dispatcher.h>

#include <atomic>
#include <memory>
#include <mutex>

#include "common.h"
#include "env_state.h"
#include "generators.h"
#include "ivalue_convert.h"
#include "tensor_handle.h"

namespace tn {

struct ArgSpec {
  std::string name;       // schema name, snake_case
  std::string camelName;  // the options-object key JS users write
  c10::TypePtr type;
  c10::optional<int32_t> fixedLength;
  c10::optional<c10::IValue> defaultValue;
  bool kwargOnly;
  bool optional;
  bool written;  // Tensor(a!): the op writes it (an in-place op's self, an out= tensor)
  bool generator;  // Generator?: left out, a DataLoader worker thread draws from its own
};

struct OpEntry {
  c10::OperatorHandle handle;
  std::string qualifiedName;  // aten::add.Tensor
  std::vector<ArgSpec> args;
  size_t returns;
  std::vector<bool> returnsWrittenInput;  // Tensor(a!) returns: the in-place op's self, out= tensors
};

static std::string toCamel(const std::string& snake) {
  std::string out;
  bool upper = false;
  for (char c : snake) {
    if (c == '_' && !out.empty()) {
      upper = true;
    } else {
      out += upper ? static_cast<char>(std::toupper(c)) : c;
      upper = false;
    }
  }
  return out;
}

// Entries are created once per process and never freed; a fixed-capacity array keeps reads
// lock-free from every worker thread.
static constexpr size_t kMaxOps = 1 << 15;
static std::unique_ptr<OpEntry>* entries = new std::unique_ptr<OpEntry>[kMaxOps];
static std::atomic<size_t> entryCount{0};
static std::mutex entryMutex;

static int32_t findOrAdd(const std::string& name, const std::string& overload) {
  std::lock_guard<std::mutex> lock(entryMutex);
  size_t n = entryCount.load();
  for (size_t i = 0; i < n; i++) {
    const OpEntry& e = *entries[i];
    if (e.handle.operator_name().name == name && e.handle.operator_name().overload_name == overload) {
      return static_cast<int32_t>(i);
    }
  }
  auto handle = c10::Dispatcher::singleton().findSchema({name, overload});
  if (!handle || n >= kMaxOps) return -1;
  auto entry = std::make_unique<OpEntry>(OpEntry{*handle, name + (overload.empty() ? "" : "." + overload), {}, 0, {}});
  const c10::FunctionSchema& schema = handle->schema();
  for (const c10::Argument& a : schema.arguments()) {
    entry->args.push_back(ArgSpec{a.name(), toCamel(a.name()), a.type(), a.N(), a.default_value(),
                                  a.kwarg_only(), a.type()->kind() == c10::TypeKind::OptionalType,
                                  a.alias_info() != nullptr && a.alias_info()->isWrite(),
                                  a.type()->kind() == c10::TypeKind::OptionalType &&
                                      a.type()->containedTypes()[0]->kind() == c10::TypeKind::GeneratorType});
  }
  entry->returns = schema.returns().size();
  for (const c10::Argument& r : schema.returns()) {
    entry->returnsWrittenInput.push_back(r.alias_info() != nullptr && r.alias_info()->isWrite());
  }
  entries[n] = std::move(entry);
  entryCount.store(n + 1);
  return static_cast<int32_t>(n);
}

static const OpEntry& entryAt(Napi::Env env, Napi::Value index) {
  uint32_t i = index.IsNumber() ? index.As<Napi::Number>().Uint32Value() : kMaxOps;
  if (i >= entryCount.load()) throwTorchError(env, "unknown operator handle");
  return *entries[i];
}

// opFind('aten::add', 'Tensor') -> handle index, or -1 when libtorch has no such overload.
static Napi::Value opFind(const Napi::CallbackInfo& info) {
  std::string name = info[0].As<Napi::String>().Utf8Value();
  std::string overload = info[1].IsString() ? info[1].As<Napi::String>().Utf8Value() : "";
  return Napi::Number::New(info.Env(), findOrAdd(name, overload));
}

// opOverloads('aten::add') -> ['', 'Tensor', 'Scalar', 'out', ...]
static Napi::Value opOverloads(const Napi::CallbackInfo& info) {
  std::string name = info[0].As<Napi::String>().Utf8Value();
  Napi::Array out = Napi::Array::New(info.Env());
  uint32_t i = 0;
  for (const c10::OperatorName& op : c10::Dispatcher::singleton().getAllOpNames()) {
    if (op.name == name) out.Set(i++, op.overload_name);
  }
  return out;
}

// opSchemas() -> every schema string of the running libtorch (for codegen and ops.aten).
static Napi::Value opSchemas(const Napi::CallbackInfo& info) {
  Napi::Array out = Napi::Array::New(info.Env());
  uint32_t i = 0;
  for (const c10::OperatorName& op : c10::Dispatcher::singleton().getAllOpNames()) {
    auto handle = c10::Dispatcher::singleton().findSchema(op);
    if (!handle) continue;
    std::ostringstream s;
    s << handle->schema();
    out.Set(i++, s.str());
  }
  return out;
}

// opCall(handle, positionalArgs, kwargs?) -> result (undefined, a value, or an array for tuples).
static Napi::Value opCall(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const OpEntry& op = entryAt(env, info[0]);
  if (!info[1].IsArray()) throwTorchError(env, op.qualifiedName + ": positional arguments must be an array");
  Napi::Array positional = info[1].As<Napi::Array>();
  Napi::Object kwargs = info[2].IsObject() ? info[2].As<Napi::Object>() : Napi::Object();
  uint32_t npos = positional.Length();
  uint32_t used = 0, kwUsed = 0;

  torch::jit::Stack stack;
  stack.reserve(op.args.size());
  std::vector<Napi::Value> written;  // the tensors the op writes, resynced after the call
  for (const ArgSpec& a : op.args) {
    Napi::Value v;
    bool given = false;
    if (!a.kwargOnly && used < npos) {
      v = positional.Get(used++);
      given = !v.IsUndefined();
    }
    if (!given && !kwargs.IsEmpty()) {
      if (kwargs.Has(a.camelName)) v = kwargs.Get(a.camelName);
      else if (a.camelName != a.name && kwargs.Has(a.name)) v = kwargs.Get(a.name);
      if (!v.IsEmpty() && !v.IsUndefined()) {
        given = true;
        kwUsed++;
      }
    }
    if (given) {
      if (a.written) written.push_back(v);
      stack.push_back(jsToIValue(env, v, a.type, a.fixedLength,
                                 "argument '" + a.camelName + "' of " + op.qualifiedName));
    } else if (a.generator && threadGenerator() != nullptr) {
      // as a null generator does (jsToIValue): x.uniform_() in a worker draws from the worker's stream
      stack.push_back(*threadGenerator());
    } else if (a.defaultValue) {
      stack.push_back(*a.defaultValue);
    } else if (a.optional) {
      stack.emplace_back();
    } else {
      throwTorchError(env, op.qualifiedName + ": missing required argument '" + a.camelName + "'");
    }
  }
  if (used < npos) {
    throwTorchError(env, op.qualifiedName + ": takes " + std::to_string(used) +
                             " positional arguments but " + std::to_string(npos) + " were given");
  }
  if (!kwargs.IsEmpty() && kwUsed < kwargs.GetPropertyNames().Length()) {
    Napi::Array keys = kwargs.GetPropertyNames();
    for (uint32_t i = 0; i < keys.Length(); i++) {
      std::string key = keys.Get(i).As<Napi::String>().Utf8Value();
      bool known = false;
      for (const ArgSpec& a : op.args) known = known || a.camelName == key || a.name == key;
      if (!known) throwTorchError(env, op.qualifiedName + ": unexpected option '" + key + "'");
    }
  }

  try {
    op.handle.callBoxed(&stack);
  } catch (const c10::Error& e) {
    // Out of memory: left to the guard, which collects garbage and calls opCall again.
    if (isOutOfMemory(e)) throw;
    rethrowAsTorchError(env, op.qualifiedName.c_str());
  } catch (const std::bad_alloc&) {
    throw;
  } catch (...) {
    rethrowAsTorchError(env, op.qualifiedName.c_str());
  }
  for (const Napi::Value& v : written) resyncStorage(v);
  flushWarnings(env, EnvState::current());  // for ops that return no tensor

  if (stack.empty()) return env.Undefined();
  auto aliasesInput = [&](size_t i) { return i < op.returnsWrittenInput.size() && op.returnsWrittenInput[i]; };
  if (stack.size() == 1) return ivalueToJs(env, stack[0], aliasesInput(0));
  Napi::Array out = Napi::Array::New(env, stack.size());
  for (size_t i = 0; i < stack.size(); i++) out.Set(i, ivalueToJs(env, stack[i], aliasesInput(i)));
  return out;
}

void registerOpsBoxed(Napi::Env env, Napi::Object exports) {
  exportFunction<opFind>(env, exports, "opFind");
  exportFunction<opOverloads>(env, exports, "opOverloads");
  exportFunction<opSchemas>(env, exports, "opSchemas");
  exportFunction<opCall>(env, exports, "opCall");
}

}  // namespace tn
