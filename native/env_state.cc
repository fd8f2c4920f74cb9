#include "env_state.h"

#include "external_box.h"

namespace tn {

static thread_local EnvState* threadState = nullptr;

EnvState& EnvState::current() { return *threadState; }

EnvState* EnvState::onThisThread() { return threadState; }

EnvState& EnvState::get(napi_env env) {
  void* data = nullptr;
  napi_get_instance_data(env, &data);
  return *static_cast<EnvState*>(data);
}

void EnvState::queueRelease(napi_ref ref) {
  std::lock_guard<std::mutex> lock(releaseMutex);
  pendingReleases.push_back(ref);
  hasPendingReleases.store(true, std::memory_order_release);
}

void EnvState::drainReleases(napi_env env) {
  if (!hasPendingReleases.load(std::memory_order_acquire)) return;
  std::vector<napi_ref> refs;
  {
    std::lock_guard<std::mutex> lock(releaseMutex);
    refs.swap(pendingReleases);
    hasPendingReleases.store(false, std::memory_order_release);
  }
  for (napi_ref ref : refs) napi_delete_reference(env, ref);
}

// At shutdown the JS references go, then every handle V8 has not collected: no weak callback can
// run after this, so the state goes too.
static void finalizeState(napi_env /*env*/, void* data, void* /*hint*/) {
  auto* state = static_cast<EnvState*>(data);
  state->torchErrorClass.Reset();
  state->collectGarbage.Reset();
  state->collectYoung.Reset();
  stopWarnings(*state);
  state->emitWarning.Reset();
  state->closing = true;
  releaseAllHandles(*state);
  if (threadState == state) threadState = nullptr;
  delete state;
}

void EnvState::install(Napi::Env env) {
  threadState = new EnvState();
  napi_set_instance_data(env, threadState, finalizeState, nullptr);
}

}  // namespace tn
