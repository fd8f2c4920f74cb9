// What distributed.cc shares with ddp.cc: the process group and Work handles, tensor-list arguments.
#pragma once
#include "common.h"

#ifdef TORCH_NODE_WITH_DISTRIBUTED
#include <torch/csrc/distributed/c10d/ProcessGroup.hpp>

#include "object_box.h"
#endif

namespace tn {

void registerDistributed(Napi::Env env, Napi::Object exports);

#ifdef TORCH_NODE_WITH_DISTRIBUTED
using ProcessGroupPtr = c10::intrusive_ptr<c10d::ProcessGroup>;
using ProcessGroupBox = ObjectBox<ProcessGroupPtr, 0x546f726368504752ULL>;  // "TorchPGR"
// A collective's Work handle (async collectives; DDP's join hands the forward all-reduce to its Reducer)
using WorkPtr = c10::intrusive_ptr<c10d::Work>;
using WorkBox = ObjectBox<WorkPtr, 0x546f726368576b52ULL>;  // "TorchWkR"

// The process group behind a handle; a TorchError for anything else.
ProcessGroupPtr& processGroupArg(Napi::Env env, Napi::Value value);
// A JS array of tensor handles; a TorchError naming `what` for anything else.
std::vector<at::Tensor> tensorList(Napi::Env env, Napi::Value value, const char* what);

void registerDdp(Napi::Env env, Napi::Object exports);  // ddp.cc
#endif

}  // namespace tn
