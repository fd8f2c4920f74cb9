// Entry point: installs per-environment state and registers every native file's functions.
#include "common.h"
#include "env_state.h"

namespace tn {

void registerStorage(Napi::Env env, Napi::Object exports);  // storage.cc (serialization)
void registerCuda(Napi::Env env, Napi::Object exports);     // cuda.cc
void registerAutocast(Napi::Env env, Napi::Object exports); // autocast.cc
void registerScopes(Napi::Env env, Napi::Object exports);   // scopes.cc
void registerCpuAllocator(Napi::Env env, Napi::Object exports);  // cpu_allocator.cc
void registerWarnings(Napi::Env env, Napi::Object exports);      // warnings.cc
void registerAnomalyMode(Napi::Env env, Napi::Object exports);   // anomaly_mode.cc
void registerJit(Napi::Env env, Napi::Object exports);           // jit.cc (TorchScript modules)
void registerProfiler(Napi::Env env, Napi::Object exports);      // profiler.cc (torch.profiler)
void registerQuantized(Napi::Env env, Napi::Object exports);     // quantized.cc (quantized linear, engines)
void registerDistributed(Napi::Env env, Napi::Object exports);   // distributed.cc, ddp.cc (torch.distributed)
void registerFunctorch(Napi::Env env, Napi::Object exports);     // functorch.cc (torch.func)

static Napi::Object init(Napi::Env env, Napi::Object exports) {
  EnvState::install(env);
  registerRuntime(env, exports);
  registerDtypes(env, exports);
  registerTensorHandle(env, exports);
  registerTensorData(env, exports);
  registerAutograd(env, exports);
  registerOpsBoxed(env, exports);
  registerOpsFast(env, exports);
  registerSharedBuffers(env, exports);
  registerGenerators(env, exports);
  registerStorage(env, exports);
  registerCuda(env, exports);
  registerAutocast(env, exports);
  registerScopes(env, exports);
  registerCpuAllocator(env, exports);
  registerWarnings(env, exports);
  registerAnomalyMode(env, exports);
  registerJit(env, exports);
  registerProfiler(env, exports);
  registerQuantized(env, exports);
  registerDistributed(env, exports);
  registerFunctorch(env, exports);
  return exports;
}

}  // namespace tn

static Napi::Object initTorchNode(Napi::Env env, Napi::Object exports) { return tn::init(env, exports); }

NODE_API_MODULE(torch_node, initTorchNode)
