// Native objects handed to JS (tensors, generators) are boxes behind a v8::External. One weak V8
// handle per box frees it during garbage collection, touching no JS; what is left when the
// environment shuts down is freed then (releaseAllHandles).
//
// Why V8 here rather than napi_create_external: Node 20's napi external allocates a second wrapper
// object with its own weak handle besides the napi reference that runs the finalizer, so every
// tensor cost two weak handles, two mallocs and two GC callbacks. Measured on add of two 1-element
// tensors: 1.08 us per op through napi, 0.90 us this way. The price: the addon is tied to the V8 of
// the node it was built for (lib/native.ts checks NODE_MODULE_VERSION on load).
//
// Each box starts with a magic word of its type, so an external of another kind (or from another
// addon) is told apart instead of misread.
#pragma once
#include <node_api.h>
#include <v8.h>

#include <cstdint>
#include <cstring>

namespace tn {

struct EnvState;

struct HandleBox {
  explicit HandleBox(uint64_t magic, void (*destroy)(HandleBox*)) : magic(magic), destroy(destroy) {}
  uint64_t magic;                   // first, read before the type is known
  void (*destroy)(HandleBox*);      // releases and deletes the box (GC or shutdown)
  v8::Global<v8::External> weak;    // the JS handle, weak: its collection calls destroy
  EnvState* env = nullptr;          // the environment whose list holds this box
  HandleBox* prevHandle = nullptr;  // that list: every box with a JS handle (shutdown, memory())
  HandleBox* nextHandle = nullptr;
};

// A napi_value is node's v8::Local<v8::Value> (node converts between them by a plain copy).
inline v8::Local<v8::Value> toV8(napi_value value) {
  v8::Local<v8::Value> local;
  static_assert(sizeof(local) == sizeof(value), "napi_value is not a v8::Local");
  std::memcpy(static_cast<void*>(&local), &value, sizeof(value));
  return local;
}

inline napi_value fromV8(v8::Local<v8::Value> local) { return reinterpret_cast<napi_value>(*local); }

// The new JS handle for box, which joins the list of `state` (the environment of this thread); the
// box belongs to it.
napi_value newHandle(EnvState& state, HandleBox* box);

// The box behind a handle when value is a handle of type Box, else nullptr.
template <typename Box>
Box* externalBox(napi_value value) {
  v8::Local<v8::Value> local = toV8(value);
  if (local.IsEmpty() || !local->IsExternal()) return nullptr;
  auto* box = static_cast<HandleBox*>(local.As<v8::External>()->Value());
  return box != nullptr && box->magic == Box::kMagic ? static_cast<Box*>(box) : nullptr;
}

// At environment shutdown: frees every box whose handle V8 has not collected yet.
void releaseAllHandles(EnvState& state);

}  // namespace tn
