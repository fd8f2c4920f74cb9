// Work for the libuv thread pool that settles a promise: `work` runs off the JS thread, then `done`
// makes the resolved value on it. A libtorch error rejects the promise with libtorch's message.
#pragma once
#include <functional>

#include "common.h"

namespace tn {

class PoolTask : public Napi::AsyncWorker {
 public:
  PoolTask(Napi::Env env, std::function<void()> work, std::function<Napi::Value(Napi::Env)> done)
      : Napi::AsyncWorker(env), work_(std::move(work)), done_(std::move(done)), deferred_(env) {}

  static Napi::Promise queue(Napi::Env env, std::function<void()> work, std::function<Napi::Value(Napi::Env)> done) {
    auto* task = new PoolTask(env, std::move(work), std::move(done));
    Napi::Promise promise = task->deferred_.Promise();
    task->Queue();
    return promise;
  }

 protected:
  void Execute() override {
    try {
      work_();
    } catch (const c10::Error& e) {
      SetError(e.what_without_backtrace());
    } catch (const std::exception& e) {
      SetError(e.what());
    }
  }
  void OnOK() override {
    try {
      deferred_.Resolve(done_(Env()));
    } catch (const Napi::Error& e) {
      deferred_.Reject(e.Value());
    }
  }
  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  std::function<void()> work_;
  std::function<Napi::Value(Napi::Env)> done_;
  Napi::Promise::Deferred deferred_;
};

}  // namespace tn
