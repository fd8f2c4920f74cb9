// torch.tidy's bookkeeping, kept with the handles rather than in a JS Set: a Set would hold every
// tensor made inside the tidy until its end, where a handle on these lists still dies with its last
// JS reference (the GC finalizer takes it off). So a tidy around a forward pass frees activations as
// they fall out of use, as Python does, and at its end disposes only those still alive.
#include <unordered_set>

#include "env_state.h"
#include "external_box.h"
#include "tensor_handle.h"

namespace tn {

static void linkInto(EnvState& state, TensorBox* box, int32_t scope) {
  TensorBox*& head = state.scopeHeads[static_cast<size_t>(scope)];
  box->scope = scope;
  box->scopePrev = nullptr;
  box->scopeNext = head;
  if (head) head->scopePrev = box;
  head = box;
}

void scopeAdopt(EnvState& state, TensorBox* box) {
  if (!state.scopeHeads.empty()) linkInto(state, box, static_cast<int32_t>(state.scopeHeads.size()) - 1);
}

void scopeForget(EnvState& state, TensorBox* box) {
  if (box->scope < 0) return;
  if (box->scopePrev) box->scopePrev->scopeNext = box->scopeNext;
  else state.scopeHeads[static_cast<size_t>(box->scope)] = box->scopeNext;
  if (box->scopeNext) box->scopeNext->scopePrev = box->scopePrev;
  box->scope = -1;
  box->scopePrev = box->scopeNext = nullptr;
}

// scopeEnter() -> the new scope's depth.
static Napi::Value scopeEnter(const Napi::CallbackInfo& info) {
  EnvState& state = EnvState::get(info.Env());
  state.scopeHeads.push_back(nullptr);
  return Napi::Number::New(info.Env(), static_cast<double>(state.scopeHeads.size() - 1));
}

// scopeExit(depth, survivors): closes the innermost scope (which must be `depth`). Handles made in it
// and still alive are disposed, except the survivors and kept ones, which pass to the enclosing
// scope (or to none).
static Napi::Value scopeExit(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  EnvState& state = EnvState::get(env);
  const auto depth = static_cast<size_t>(info[0].As<Napi::Number>().Int64Value());
  if (state.scopeHeads.size() != depth + 1) throwTorchError(env, "torch.tidy scopes closed out of order");
  std::unordered_set<TensorBox*> survivors;
  if (info[1].IsArray()) {
    Napi::Array list = info[1].As<Napi::Array>();
    for (uint32_t i = 0; i < list.Length(); i++) {
      if (TensorBox* box = externalBox<TensorBox>(list.Get(i))) survivors.insert(box);
    }
  }
  TensorBox* box = state.scopeHeads.back();
  state.scopeHeads.back() = nullptr;
  while (box != nullptr) {
    TensorBox* next = box->scopeNext;
    box->scope = -1;
    box->scopePrev = box->scopeNext = nullptr;
    if (box->kept || survivors.count(box)) {
      if (depth > 0) linkInto(state, box, static_cast<int32_t>(depth) - 1);
    } else {
      disposeBox(box);
    }
    box = next;
  }
  state.scopeHeads.pop_back();
  return env.Undefined();
}

// keepHandle(handle): no scope disposes it (torch.keep, parameters, buffers).
static Napi::Value keepHandle(const Napi::CallbackInfo& info) {
  if (TensorBox* box = externalBox<TensorBox>(info[0])) box->kept = true;
  return info.Env().Undefined();
}

void registerScopes(Napi::Env env, Napi::Object exports) {
  exportFunction<scopeEnter>(env, exports, "scopeEnter");
  exportFunction<scopeExit>(env, exports, "scopeExit");
  exportFunction<keepHandle>(env, exports, "keepHandle");
}

}  // namespace tn
