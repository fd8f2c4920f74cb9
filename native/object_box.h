// A C++ object owned by a JS handle (external_box.h), for handle types that need nothing more than
// ownership: the distributed stores, process groups, works and reducers.
#pragma once
#include "common.h"
#include "env_state.h"
#include "external_box.h"

namespace tn {

template <typename T, uint64_t Magic>
struct ObjectBox : HandleBox {
  static constexpr uint64_t kMagic = Magic;
  explicit ObjectBox(T value)
      : HandleBox(kMagic, [](HandleBox* box) { delete static_cast<ObjectBox*>(box); }), value(std::move(value)) {}
  T value;
};

// A new JS handle owning value.
template <typename Box, typename T>
Napi::Value wrapObject(Napi::Env env, T value) {
  return Napi::Value(env, newHandle(EnvState::current(), new Box(std::move(value))));
}

// The object behind a handle of type Box; a TorchError naming `what` for anything else.
template <typename Box>
auto& objectArg(Napi::Env env, Napi::Value value, const char* what) {
  auto* box = externalBox<Box>(value);
  if (box == nullptr) throwTorchError(env, std::string("expected a ") + what);
  return box->value;
}

}  // namespace tn
