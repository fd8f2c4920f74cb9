// Per-environment state (main thread and each worker_thread has its own): napi instance data,
// never static references, so the addon loads in several worker_threads at once.
#pragma once
#include <napi.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "storage_counts.h"

namespace tn {

struct TensorBox;
struct HandleBox;

// Storage bytes owned by live handles in one kind of memory, and the level at which a full GC runs
// next: once they grow by `headroom` and by as much again as survived the last full GC.
struct FullGcPacer {
  explicit FullGcPacer(int64_t headroom) : headroom(headroom), fullGcAt(headroom) {}
  const int64_t headroom;
  int64_t bytes = 0;
  int64_t fullGcAt;
};

struct EnvState {
  Napi::FunctionReference torchErrorClass;
  Napi::FunctionReference collectGarbage;  // a full GC, called once before giving up on an allocation
  Napi::FunctionReference collectYoung;    // a minor GC (scavenge), run every few MB of new tensors
  int64_t bytesSinceYoungGc = 0;

  // Every box with a JS handle (external_box.h), as an intrusive list (O(1) insert/remove): freed
  // at shutdown if V8 has not collected it, and walked by memory() to count each storage once.
  HandleBox* handles = nullptr;

  // Tensor handles not disposed yet, and what they hold.
  int64_t liveCount = 0;
  int64_t handleBytes = 0;      // storage bytes referenced by live handles (views counted again)
  int64_t peakHandleBytes = 0;

  // Open torch.tidy scopes, innermost last: each one's list of the live handles made inside it.
  std::vector<TensorBox*> scopeHeads;

  // Host and device storage owned by live handles, each with the level at which a full GC runs
  // next (tensor_handle.cc paces full collections itself instead of reporting bytes to V8).
  FullGcPacer host{int64_t(64) << 20};
  FullGcPacer device{int64_t(1) << 30};

  // Each storage that live handles hold: how many handles, and the bytes it was counted in its
  // pacer with. A storage counts while any handle holds it, so a parameter (a detached alias) still
  // counts after the tensor it was made from is collected.
  StorageCounts storages;

  // JS buffers lent to tensors (torch.frombuffer) are released on the JS thread: the storage may be
  // freed on any thread, so its deleter only queues the reference here.
  std::mutex releaseMutex;
  std::vector<napi_ref> pendingReleases;
  std::atomic<bool> hasPendingReleases{false};
  void queueRelease(napi_ref ref);
  void drainReleases(napi_env env);

  // libtorch warnings raised on this thread, waiting for flushWarnings (warnings.cc).
  Napi::FunctionReference emitWarning;
  std::vector<std::string> pendingWarnings;

  // Returns the JS stack of the current call (anomaly_mode.cc stores it with each graph node).
  Napi::FunctionReference captureStack;

  // Set when the environment shuts down.
  bool closing = false;

  static EnvState& get(napi_env env);
  // The state of the environment running on this thread (one Node environment per thread).
  static EnvState& current();
  // The same, or null on a thread that runs no Node environment (libtorch's own threads).
  static EnvState* onThisThread();
  static void install(Napi::Env env);
};

// warnings.cc: emits the queued libtorch warnings through the JS function set for them; stops
// queueing when the environment shuts down.
void flushWarnings(napi_env env, EnvState& state);
void stopWarnings(EnvState& state);

}  // namespace tn
