// DistributedDataParallel's native half: libtorch's c10d::Reducer (gradient buckets all-reduced from
// autograd hooks while backward runs) and the helpers Python's DDP constructor calls: the bucket
// assignment, the check that every rank has the same parameters, and the coalesced broadcast of the
// module state from rank 0. Using Reducer itself keeps buckets, their order and their collectives
// the same as Python's, so Node and Python ranks can train one model together; that includes the
// shadow collectives of a rank that joined early (DistributedDataParallel.join).
#include "distributed.h"

#ifdef TORCH_NODE_WITH_DISTRIBUTED
#include <torch/csrc/autograd/engine.h>
#include <torch/csrc/distributed/c10d/comm.hpp>
#include <torch/csrc/distributed/c10d/reducer.hpp>

#include "tensor_handle.h"

namespace tn {
namespace {

using ReducerBox = ObjectBox<std::shared_ptr<c10d::Reducer>, 0x546f726368526452ULL>;  // "TorchRdR"

std::vector<size_t> sizeList(Napi::Value value) {
  auto array = value.As<Napi::Array>();
  std::vector<size_t> out;
  for (uint32_t i = 0; i < array.Length(); i++) out.push_back(static_cast<size_t>(array.Get(i).As<Napi::Number>().DoubleValue()));
  return out;
}

std::vector<bool> boolList(Napi::Value value) {
  auto array = value.As<Napi::Array>();
  std::vector<bool> out;
  for (uint32_t i = 0; i < array.Length(); i++) out.push_back(array.Get(i).ToBoolean().Value());
  return out;
}

Napi::Array sizesValue(Napi::Env env, const std::vector<size_t>& sizes) {
  Napi::Array out = Napi::Array::New(env, sizes.size());
  for (size_t i = 0; i < sizes.size(); i++) out.Set(i, static_cast<double>(sizes[i]));
  return out;
}

// computeBucketAssignmentBySize(tensors, sizeLimits, expectSparse) -> [bucket indices, size limits]
Napi::Value computeBucketAssignmentBySize(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto [buckets, limits] =
      c10d::compute_bucket_assignment_by_size(tensorList(env, info[0], "tensors"), sizeList(info[1]), boolList(info[2]));
  Napi::Array indices = Napi::Array::New(env, buckets.size());
  for (size_t i = 0; i < buckets.size(); i++) indices.Set(i, sizesValue(env, buckets[i]));
  Napi::Array out = Napi::Array::New(env, 2);
  out.Set(0u, indices);
  out.Set(1u, sizesValue(env, limits));
  return out;
}

// verifyParamsAcrossProcesses(group, params): an allgather of the parameters' sizes and strides;
// a mismatch with rank 0 throws.
Napi::Value verifyParamsAcrossProcesses(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  c10d::verify_params_across_processes(processGroupArg(env, info[0]), tensorList(env, info[1], "parameters"), c10::nullopt);
  return env.Undefined();
}

// broadcastCoalesced(group, tensors, bufferBytes, src): the tensors flattened into buffers of at
// most bufferBytes, each broadcast from src and copied back.
Napi::Value broadcastCoalesced(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<at::Tensor> tensors = tensorList(env, info[1], "tensors");
  c10d::broadcast_coalesced(processGroupArg(env, info[0]), tensors,
                            static_cast<size_t>(info[2].As<Napi::Number>().DoubleValue()), info[3].As<Napi::Number>().Int32Value());
  return env.Undefined();
}

// reducerNew(params, bucketIndices, perBucketSizeLimits, group, expectSparse, bucketBytesCap,
//            findUnusedParameters, gradientAsBucketView, paramNames, firstBucketBytesCap)
Napi::Value reducerNew(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<std::vector<size_t>> buckets;
  auto bucketArray = info[1].As<Napi::Array>();
  for (uint32_t i = 0; i < bucketArray.Length(); i++) buckets.push_back(sizeList(bucketArray.Get(i)));
  std::unordered_map<size_t, std::string> names;
  auto nameArray = info[8].As<Napi::Array>();
  for (uint32_t i = 0; i < nameArray.Length(); i++) names[i] = nameArray.Get(i).As<Napi::String>().Utf8Value();
  auto reducer = std::make_shared<c10d::Reducer>(
      tensorList(env, info[0], "parameters"), std::move(buckets), sizeList(info[2]), processGroupArg(env, info[3]),
      boolList(info[4]), info[5].As<Napi::Number>().Int64Value(), info[6].ToBoolean().Value(), info[7].ToBoolean().Value(),
      std::move(names), info[9].As<Napi::Number>().Int64Value());
  return wrapObject<ReducerBox>(env, std::move(reducer));
}

// reducerCall(reducer, method, ...args): the Reducer methods DDP's forward, backward and switches call.
Napi::Value reducerCall(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::shared_ptr<c10d::Reducer>& owner = objectArg<ReducerBox>(env, info[0], "Reducer");
  c10d::Reducer& reducer = *owner;
  const std::string method = info[1].As<Napi::String>().Utf8Value();
  if (method == "prepareForForward") {
    reducer.prepare_for_forward();
  } else if (method == "prepareForBackward") {
    reducer.prepare_for_backward(tensorList(env, info[2], "outputs"));
  } else if (method == "rebuildBuckets") {
    return Napi::Boolean::New(env, reducer.rebuild_buckets());
  } else if (method == "setStaticGraph") {
    reducer.set_static_graph();
  } else if (method == "queueDelayAllReduce") {
    // static graph's first backward (Python's _DDPSink): all buckets reduced once backward is done
    std::shared_ptr<c10d::Reducer> keep = owner;
    torch::autograd::Engine::get_default_engine().queue_callback([keep] { keep->delay_all_reduce(); });
  } else if (method == "setForwardPassWorkHandle") {
    // join: the all-reduce counting the ranks still training, the divisor of this backward's buckets
    reducer.set_forward_pass_work_handle(objectArg<WorkBox>(env, info[2], "Work"), info[3].ToBoolean().Value());
  } else if (method == "matchAllReduceForBackward") {
    // a joined rank: one zero bucket per bucket, through the comm hook, in the buckets' order
    std::vector<c10d::GradBucket> buckets = reducer.get_grad_buckets(true);
    std::vector<c10::intrusive_ptr<c10::ivalue::Future>> futures;
    for (auto& bucket : buckets) futures.push_back(reducer.run_comm_hook(bucket));
    for (auto& future : futures) {
      future->wait();
      if (future->hasError()) throwTorchError(env, future->tryRetrieveErrorMessage());
    }
  } else if (method == "matchUnusedParamsAllReduce") {
    // a joined rank: its side of the all-reduce of the used-parameter map (args: the group)
    std::vector<at::Tensor> map{reducer.get_local_used_map_on_device()};
    processGroupArg(env, info[2])->allreduce(map)->wait();
  } else if (method == "pushAllRebuiltParams") {
    reducer.push_rebuilt_params_for_all_indices();
  } else if (method == "registerBuiltinCommHook") {
    reducer.register_builtin_comm_hook(static_cast<c10d::BuiltinCommHookType>(info[2].As<Napi::Number>().Int32Value()));
  } else {
    throwTorchError(env, "unknown Reducer method " + method);
  }
  return env.Undefined();
}

}  // namespace

void registerDdp(Napi::Env env, Napi::Object exports) {
  exportFunction<computeBucketAssignmentBySize>(env, exports, "computeBucketAssignmentBySize");
  exportFunction<verifyParamsAcrossProcesses>(env, exports, "verifyParamsAcrossProcesses");
  exportFunction<broadcastCoalesced>(env, exports, "broadcastCoalesced");
  exportFunction<reducerNew>(env, exports, "reducerNew");
  exportFunction<reducerCall>(env, exports, "reducerCall");
}

}  // namespace tn
#endif  // TORCH_NODE_WITH_DISTRIBUTED
