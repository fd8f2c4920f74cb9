// JS handles for native boxes: creation, the GC-time release, and the release at shutdown.
#include "external_box.h"

#include "env_state.h"

namespace tn {

static void unlinkHandle(HandleBox* box) {
  EnvState& state = *box->env;
  if (box->prevHandle) box->prevHandle->nextHandle = box->nextHandle;
  else state.handles = box->nextHandle;
  if (box->nextHandle) box->nextHandle->prevHandle = box->prevHandle;
}

// Runs inside GC (V8's first pass): resets the handle as V8 requires, then frees the box without
// calling into JS.
static void onCollected(const v8::WeakCallbackInfo<HandleBox>& info) {
  HandleBox* box = info.GetParameter();
  box->weak.Reset();
  unlinkHandle(box);
  box->destroy(box);
}

napi_value newHandle(EnvState& state, HandleBox* box) {
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  v8::Local<v8::External> external = v8::External::New(isolate, box);
  box->weak.Reset(isolate, external);
  box->weak.SetWeak(box, onCollected, v8::WeakCallbackType::kParameter);
  box->env = &state;
  box->nextHandle = state.handles;
  if (state.handles) state.handles->prevHandle = box;
  state.handles = box;
  return fromV8(external);
}

// V8 runs no weak callbacks when an isolate goes away (a worker ending), so whatever is still
// alive then is freed here, while the isolate still exists.
void releaseAllHandles(EnvState& state) {
  while (HandleBox* box = state.handles) {
    box->weak.Reset();
    unlinkHandle(box);
    box->destroy(box);
  }
}

}  // namespace tn
