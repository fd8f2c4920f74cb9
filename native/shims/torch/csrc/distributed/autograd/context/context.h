// Debian's libtorch-dev 1.13 leaves out torch/csrc/distributed/autograd/, which c10d/reducer.hpp
// includes for two names: the context pointer type of one of its members and the gradient callback
// type it checks its own against. Only those two are declared here; the class itself is never used
// by the addon (distributed autograd is RPC's, not DDP's). Used only when the real header is absent.
#pragma once
#include <ATen/core/Tensor.h>

#include <functional>
#include <memory>

namespace torch {
namespace distributed {
namespace autograd {

class DistAutogradContext {
 public:
  using GradCallback = std::function<bool(at::Tensor&)>;
};
using ContextPtr = std::shared_ptr<DistAutogradContext>;

}  // namespace autograd
}  // namespace distributed
}  // namespace torch
