// torch.distributed's native half: libtorch's c10d stores (TCPStore, FileStore, HashStore,
// PrefixStore), the gloo process group and its collectives, and the Work handles they return. The
// same classes Python's torch.distributed binds, so a Node process and a Python process can share one
// process group. Built only where libtorch 1.x comes with gloo's headers (CMakeLists.txt defines
// TORCH_NODE_WITH_DISTRIBUTED); elsewhere distributedAvailable() says false and nothing else exists.
#include "distributed.h"

#ifdef TORCH_NODE_WITH_DISTRIBUTED
#include <torch/csrc/distributed/c10d/FileStore.hpp>
#include <torch/csrc/distributed/c10d/HashStore.hpp>
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#include <torch/csrc/distributed/c10d/debug.h>

#include <cstdlib>
#include <sstream>

#include "pool_task.h"
#include "tensor_handle.h"
#endif

namespace tn {

#ifdef TORCH_NODE_WITH_DISTRIBUTED

std::vector<at::Tensor> tensorList(Napi::Env env, Napi::Value value, const char* what) {
  if (!value.IsArray()) throwTorchError(env, std::string(what) + " must be a list of tensors");
  auto array = value.As<Napi::Array>();
  std::vector<at::Tensor> out;
  out.reserve(array.Length());
  for (uint32_t i = 0; i < array.Length(); i++) out.push_back(unwrapTensor(env, array.Get(i), what));
  return out;
}

namespace {

using StorePtr = c10::intrusive_ptr<c10d::Store>;
using StoreBox = ObjectBox<StorePtr, 0x546f726368537452ULL>;  // "TorchStR"

std::vector<std::vector<at::Tensor>> tensorLists(Napi::Env env, Napi::Value value, const char* what) {
  if (!value.IsArray()) throwTorchError(env, std::string(what) + " must be a list of lists of tensors");
  auto array = value.As<Napi::Array>();
  std::vector<std::vector<at::Tensor>> out;
  for (uint32_t i = 0; i < array.Length(); i++) out.push_back(tensorList(env, array.Get(i), what));
  return out;
}

std::chrono::milliseconds millis(Napi::Value value) {
  return std::chrono::milliseconds(static_cast<int64_t>(value.As<Napi::Number>().DoubleValue()));
}

std::string stringArg(Napi::Value value) { return value.As<Napi::String>().Utf8Value(); }

std::vector<std::string> stringList(Napi::Env env, Napi::Value value) {
  if (!value.IsArray()) throwTorchError(env, "keys must be a list of strings");
  auto array = value.As<Napi::Array>();
  std::vector<std::string> out;
  for (uint32_t i = 0; i < array.Length(); i++) out.push_back(stringArg(array.Get(i)));
  return out;
}

// Store values are bytes: a Buffer or a string (its UTF-8 bytes), as Python's Store.set takes both.
std::vector<uint8_t> bytesArg(Napi::Value value) {
  if (value.IsBuffer()) {
    auto buffer = value.As<Napi::Buffer<uint8_t>>();
    return std::vector<uint8_t>(buffer.Data(), buffer.Data() + buffer.Length());
  }
  std::string s = stringArg(value);
  return std::vector<uint8_t>(s.begin(), s.end());
}

Napi::Value bytesValue(Napi::Env env, const std::vector<uint8_t>& bytes) {
  return Napi::Buffer<uint8_t>::Copy(env, bytes.data(), bytes.size());
}

c10d::Store& storeArg(Napi::Env env, Napi::Value value) { return *objectArg<StoreBox>(env, value, "Store"); }

// tcpStore(host, port, worldSize | null, isServer, timeoutMs, waitWorkers, multiTenant)
Napi::Value tcpStore(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  c10d::TCPStoreOptions options;
  options.port = static_cast<uint16_t>(info[1].As<Napi::Number>().Uint32Value());
  if (info[2].IsNumber()) options.numWorkers = info[2].As<Napi::Number>().Int64Value();
  options.isServer = info[3].ToBoolean().Value();
  options.timeout = millis(info[4]);
  options.waitWorkers = info[5].ToBoolean().Value();
  options.multiTenant = info[6].ToBoolean().Value();
  StorePtr store = c10::make_intrusive<c10d::TCPStore>(stringArg(info[0]), options);
  return wrapObject<StoreBox>(env, std::move(store));
}

// tcpStorePort(store) -> the port it listens on or connected to (a server asked for port 0 picks one)
Napi::Value tcpStorePort(const Napi::CallbackInfo& info) {
  auto* tcp = dynamic_cast<c10d::TCPStore*>(&storeArg(info.Env(), info[0]));
  if (tcp == nullptr) throwTorchError(info.Env(), "not a TCPStore");
  return Napi::Number::New(info.Env(), tcp->getPort());
}

// fileStore(path, numWorkers)
Napi::Value fileStore(const Napi::CallbackInfo& info) {
  StorePtr store = c10::make_intrusive<c10d::FileStore>(stringArg(info[0]), info[1].As<Napi::Number>().Int32Value());
  return wrapObject<StoreBox>(info.Env(), std::move(store));
}

Napi::Value hashStore(const Napi::CallbackInfo& info) {
  return wrapObject<StoreBox>(info.Env(), StorePtr(c10::make_intrusive<c10d::HashStore>()));
}

// prefixStore(prefix, store)
Napi::Value prefixStore(const Napi::CallbackInfo& info) {
  StorePtr inner = objectArg<StoreBox>(info.Env(), info[1], "Store");
  StorePtr store = c10::make_intrusive<c10d::PrefixStore>(stringArg(info[0]), std::move(inner));
  return wrapObject<StoreBox>(info.Env(), std::move(store));
}

// storeCall(store, method, ...args): one entry for the Store methods, which all block on the store.
Napi::Value storeCall(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  c10d::Store& store = storeArg(env, info[0]);
  const std::string method = stringArg(info[1]);
  if (method == "set") {
    store.set(stringArg(info[2]), bytesArg(info[3]));
    return env.Undefined();
  }
  if (method == "get") return bytesValue(env, store.get(stringArg(info[2])));
  if (method == "add") return Napi::Number::New(env, static_cast<double>(store.add(stringArg(info[2]), info[3].As<Napi::Number>().Int64Value())));
  if (method == "compareSet") return bytesValue(env, store.compareSet(stringArg(info[2]), bytesArg(info[3]), bytesArg(info[4])));
  if (method == "deleteKey") return Napi::Boolean::New(env, store.deleteKey(stringArg(info[2])));
  if (method == "check") return Napi::Boolean::New(env, store.check(stringList(env, info[2])));
  if (method == "numKeys") return Napi::Number::New(env, static_cast<double>(store.getNumKeys()));
  if (method == "wait") {
    if (info[3].IsNumber()) {
      store.wait(stringList(env, info[2]), millis(info[3]));
    } else {
      store.wait(stringList(env, info[2]));
    }
    return env.Undefined();
  }
  if (method == "setTimeout") {
    store.setTimeout(millis(info[2]));
    return env.Undefined();
  }
  if (method == "timeout") return Napi::Number::New(env, static_cast<double>(store.getTimeout().count()));
  throwTorchError(env, "unknown Store method " + method);
}

// processGroupGloo(store, rank, size, timeoutMs): as Python's ProcessGroupGloo(store, rank, size,
// timeout) builds it: one device per interface in GLOO_SOCKET_IFNAME, else the one the hostname
// resolves to, and two threads per device.
// A gloo process group over `store` as Python's ProcessGroupGloo(store, rank, size, timeout) makes it.
c10::intrusive_ptr<c10d::ProcessGroupGloo> makeGloo(const StorePtr& store, int rank, int size, std::chrono::milliseconds timeout) {
  auto options = c10d::ProcessGroupGloo::Options::create();
  const char* interfaces = std::getenv("GLOO_SOCKET_IFNAME");
  if (interfaces != nullptr && std::strlen(interfaces) > 1) {
    std::stringstream list(interfaces);
    for (std::string name; std::getline(list, name, ',');) {
      options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(name));
    }
  } else {
    options->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
  }
  options->timeout = timeout;
  options->threads = static_cast<int>(options->devices.size() * 2);
  return c10::make_intrusive<c10d::ProcessGroupGloo>(store, rank, size, options);
}

// processGroupGloo(store, rank, size, timeoutMs) -> ProcessGroup
Napi::Value processGroupGloo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  StorePtr store = objectArg<StoreBox>(env, info[0], "Store");
  ProcessGroupPtr group = makeGloo(store, info[1].As<Napi::Number>().Int32Value(), info[2].As<Napi::Number>().Int32Value(), millis(info[3]));
  return wrapObject<ProcessGroupBox>(env, std::move(group));
}

// debugLevel() -> 0 (OFF), 1 (INFO), 2 (DETAIL): c10d's process-wide TORCH_DISTRIBUTED_DEBUG level.
Napi::Value debugLevel(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<int>(c10d::debug_level()));
}

// setDebugLevel(level)
Napi::Value setDebugLevel(const Napi::CallbackInfo& info) {
  c10d::setDebugLevel(static_cast<c10d::DebugLevel>(info[0].As<Napi::Number>().Int32Value()));
  return info.Env().Undefined();
}

// setDebugLevelFromEnv(): reads TORCH_DISTRIBUTED_DEBUG (c10d's error for a bad value).
Napi::Value setDebugLevelFromEnv(const Napi::CallbackInfo& info) {
  c10d::setDebugLevelFromEnvironment();
  return info.Env().Undefined();
}

// processGroupInfo(group) -> { rank, size, backend }
Napi::Value processGroupInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto& group = processGroupArg(env, info[0]);
  Napi::Object out = Napi::Object::New(env);
  out.Set("rank", group->getRank());
  out.Set("size", group->getSize());
  out.Set("backend", group->getBackendName());
  return out;
}

// processGroupSetSequenceNumber(group): init_process_group's last step (through the store).
Napi::Value processGroupSetSequenceNumber(const Napi::CallbackInfo& info) {
  processGroupArg(info.Env(), info[0])->setSequenceNumberForGroup();
  return info.Env().Undefined();
}

c10d::ReduceOp reduceOpArg(Napi::Value value) {
  return c10d::ReduceOp(static_cast<c10d::ReduceOp::RedOpType>(value.As<Napi::Number>().Uint32Value()));
}

int64_t intArg(Napi::Value value) { return value.As<Napi::Number>().Int64Value(); }

std::vector<int64_t> intList(Napi::Value value) {
  auto array = value.As<Napi::Array>();
  std::vector<int64_t> out;
  for (uint32_t i = 0; i < array.Length(); i++) out.push_back(intArg(array.Get(i)));
  return out;
}

// collective(group, op, ...args) -> Work: one entry for the ProcessGroup's collectives and
// point-to-point calls, with the argument order of ProcessGroup's C++ methods.
Napi::Value collective(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto& group = processGroupArg(env, info[0]);
  const std::string op = stringArg(info[1]);
  WorkPtr work;
  if (op == "allreduce") {
    auto tensors = tensorList(env, info[2], "tensors");
    c10d::AllreduceOptions options;
    options.reduceOp = reduceOpArg(info[3]);
    work = group->allreduce(tensors, options);
  } else if (op == "allreduceCoalesced") {
    auto tensors = tensorList(env, info[2], "tensors");
    c10d::AllreduceCoalescedOptions options;
    options.reduceOp = reduceOpArg(info[3]);
    work = group->allreduce_coalesced(tensors, options);
  } else if (op == "broadcast") {
    auto tensors = tensorList(env, info[2], "tensors");
    c10d::BroadcastOptions options;
    options.rootRank = intArg(info[3]);
    if (info[4].IsNumber()) options.rootTensor = intArg(info[4]);
    work = group->broadcast(tensors, options);
  } else if (op == "reduce") {
    auto tensors = tensorList(env, info[2], "tensors");
    c10d::ReduceOptions options;
    options.reduceOp = reduceOpArg(info[3]);
    options.rootRank = intArg(info[4]);
    if (info[5].IsNumber()) options.rootTensor = intArg(info[5]);
    work = group->reduce(tensors, options);
  } else if (op == "allgather") {
    auto outputs = tensorLists(env, info[2], "output tensors");
    auto inputs = tensorList(env, info[3], "input tensors");
    work = group->allgather(outputs, inputs);
  } else if (op == "allgatherCoalesced") {
    auto outputs = tensorLists(env, info[2], "output tensors");
    auto inputs = tensorList(env, info[3], "input tensors");
    work = group->allgather_coalesced(outputs, inputs);
  } else if (op == "allgatherBase") {
    at::Tensor output = unwrapTensor(env, info[2], "output tensor");
    at::Tensor input = unwrapTensor(env, info[3], "input tensor");
    work = group->_allgather_base(output, input);
  } else if (op == "gather") {
    auto outputs = tensorLists(env, info[2], "output tensors");
    auto inputs = tensorList(env, info[3], "input tensors");
    c10d::GatherOptions options;
    options.rootRank = intArg(info[4]);
    work = group->gather(outputs, inputs, options);
  } else if (op == "scatter") {
    auto outputs = tensorList(env, info[2], "output tensors");
    auto inputs = tensorLists(env, info[3], "input tensors");
    c10d::ScatterOptions options;
    options.rootRank = intArg(info[4]);
    work = group->scatter(outputs, inputs, options);
  } else if (op == "reduceScatter") {
    auto outputs = tensorList(env, info[2], "output tensors");
    auto inputs = tensorLists(env, info[3], "input tensors");
    c10d::ReduceScatterOptions options;
    options.reduceOp = reduceOpArg(info[4]);
    work = group->reduce_scatter(outputs, inputs, options);
  } else if (op == "reduceScatterBase") {
    at::Tensor output = unwrapTensor(env, info[2], "output tensor");
    at::Tensor input = unwrapTensor(env, info[3], "input tensor");
    c10d::ReduceScatterOptions options;
    options.reduceOp = reduceOpArg(info[4]);
    work = group->_reduce_scatter_base(output, input, options);
  } else if (op == "alltoallBase") {
    at::Tensor output = unwrapTensor(env, info[2], "output tensor");
    at::Tensor input = unwrapTensor(env, info[3], "input tensor");
    std::vector<int64_t> outputSplits = intList(info[4]);
    std::vector<int64_t> inputSplits = intList(info[5]);
    work = group->alltoall_base(output, input, outputSplits, inputSplits);
  } else if (op == "alltoall") {
    auto outputs = tensorList(env, info[2], "output tensors");
    auto inputs = tensorList(env, info[3], "input tensors");
    work = group->alltoall(outputs, inputs);
  } else if (op == "barrier") {
    work = group->barrier();
  } else if (op == "send") {
    auto tensors = tensorList(env, info[2], "tensors");
    work = group->send(tensors, static_cast<int>(intArg(info[3])), static_cast<int>(intArg(info[4])));
  } else if (op == "recv") {
    auto tensors = tensorList(env, info[2], "tensors");
    work = group->recv(tensors, static_cast<int>(intArg(info[3])), static_cast<int>(intArg(info[4])));
  } else if (op == "recvAnysource") {
    auto tensors = tensorList(env, info[2], "tensors");
    work = group->recvAnysource(tensors, static_cast<int>(intArg(info[3])));
  } else {
    throwTorchError(env, "unknown collective " + op);
  }
  return wrapObject<WorkBox>(env, std::move(work));
}

// monitoredBarrier(group, timeoutMs | null, waitAllRanks): gloo's barrier in which rank 0 names
// the ranks that did not reach it in time.
Napi::Value monitoredBarrier(const Napi::CallbackInfo& info) {
  c10d::BarrierOptions options;
  if (info[1].IsNumber()) options.timeout = millis(info[1]);
  processGroupArg(info.Env(), info[0])->monitoredBarrier(options, info[2].ToBoolean().Value());
  return info.Env().Undefined();
}

// workWait(work, timeoutMs?) -> true; a failed collective throws its error here.
Napi::Value workWait(const Napi::CallbackInfo& info) {
  WorkPtr& work = objectArg<WorkBox>(info.Env(), info[0], "Work");
  bool done = info[1].IsNumber() ? work->wait(millis(info[1])) : work->wait();
  return Napi::Boolean::New(info.Env(), done);
}

// workWaitAsync(work) -> Promise<void>: the wait on a libuv thread, so the event loop goes on.
Napi::Value workWaitAsync(const Napi::CallbackInfo& info) {
  WorkPtr work = objectArg<WorkBox>(info.Env(), info[0], "Work");
  return PoolTask::queue(info.Env(), [work] { work->wait(); }, [](Napi::Env env) { return env.Undefined(); });
}

// workInfo(work) -> { completed, success, sourceRank (recv from any source; else -1) }
Napi::Value workInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  WorkPtr& work = objectArg<WorkBox>(env, info[0], "Work");
  Napi::Object out = Napi::Object::New(env);
  bool completed = work->isCompleted();
  out.Set("completed", completed);
  out.Set("success", completed && work->isSuccess());
  int source = -1;
  try {
    source = work->sourceRank();
  } catch (const std::exception&) {
  }
  out.Set("sourceRank", source);
  return out;
}

// workResult(work) -> the output tensors
Napi::Value workResult(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<at::Tensor> result = objectArg<WorkBox>(env, info[0], "Work")->result();
  Napi::Array out = Napi::Array::New(env, result.size());
  for (size_t i = 0; i < result.size(); i++) out.Set(i, Napi::Value(env, wrapTensor(env, result[i])));
  return out;
}

}  // namespace

c10::intrusive_ptr<c10d::ProcessGroup>& processGroupArg(Napi::Env env, Napi::Value value) {
  return objectArg<ProcessGroupBox>(env, value, "ProcessGroup");
}

#endif  // TORCH_NODE_WITH_DISTRIBUTED

namespace {
Napi::Value distributedAvailable(const Napi::CallbackInfo& info) {
#ifdef TORCH_NODE_WITH_DISTRIBUTED
  return Napi::Boolean::New(info.Env(), true);
#else
  return Napi::Boolean::New(info.Env(), false);
#endif
}
}  // namespace

void registerDistributed(Napi::Env env, Napi::Object exports) {
  exportFunction<distributedAvailable>(env, exports, "distributedAvailable");
#ifdef TORCH_NODE_WITH_DISTRIBUTED
  exportFunction<tcpStore>(env, exports, "tcpStore");
  exportFunction<tcpStorePort>(env, exports, "tcpStorePort");
  exportFunction<fileStore>(env, exports, "fileStore");
  exportFunction<hashStore>(env, exports, "hashStore");
  exportFunction<prefixStore>(env, exports, "prefixStore");
  exportFunction<storeCall>(env, exports, "storeCall");
  exportFunction<processGroupGloo>(env, exports, "processGroupGloo");
  exportFunction<debugLevel>(env, exports, "distributedDebugLevel");
  exportFunction<setDebugLevel>(env, exports, "setDistributedDebugLevel");
  exportFunction<setDebugLevelFromEnv>(env, exports, "setDistributedDebugLevelFromEnv");
  exportFunction<processGroupInfo>(env, exports, "processGroupInfo");
  exportFunction<processGroupSetSequenceNumber>(env, exports, "processGroupSetSequenceNumber");
  exportFunction<collective>(env, exports, "collective");
  exportFunction<monitoredBarrier>(env, exports, "monitoredBarrier");
  exportFunction<workWait>(env, exports, "workWait");
  exportFunction<workWaitAsync>(env, exports, "workWaitAsync");
  exportFunction<workInfo>(env, exports, "workInfo");
  exportFunction<workResult>(env, exports, "workResult");
  registerDdp(env, exports);
#endif
}

}  // namespace tn
