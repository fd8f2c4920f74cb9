#include "generators.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Context.h>

#include "env_state.h"
#include "external_box.h"
#include "tensor_handle.h"

namespace tn {

namespace {
struct GeneratorBox : HandleBox {
  static constexpr uint64_t kMagic = 0x546f72636847656eULL;  // "TorchGen"
  explicit GeneratorBox(at::Generator generator)
      : HandleBox(kMagic, [](HandleBox* box) { delete static_cast<GeneratorBox*>(box); }),
        generator(std::move(generator)) {}
  at::Generator generator;
};
}  // namespace

const at::Generator* tryUnwrapGenerator(napi_env /*env*/, napi_value value) {
  GeneratorBox* box = externalBox<GeneratorBox>(value);
  return box ? &box->generator : nullptr;
}

static at::Generator& generatorArg(const Napi::CallbackInfo& info) {
  GeneratorBox* box = externalBox<GeneratorBox>(info[0]);
  if (!box) throwTorchError(info.Env(), "expected a torch.Generator");
  return box->generator;
}

static Napi::Value wrap(Napi::Env env, at::Generator generator) {
  return Napi::Value(env, newHandle(EnvState::current(), new GeneratorBox(std::move(generator))));
}

// generatorNew(device): a fresh generator ('cpu' or a CUDA device), seeded like PyTorch's default.
static Napi::Value generatorNew(const Napi::CallbackInfo& info) {
  std::string device = info[0].IsString() ? info[0].As<Napi::String>().Utf8Value() : "cpu";
  at::Device dev(device);
  if (dev.is_cpu()) return wrap(info.Env(), at::make_generator<at::CPUGeneratorImpl>());
  // A CUDA generator comes from the CUDA hooks, so this file needs no CUDA headers.
  at::Generator base = at::globalContext().defaultGenerator(dev);
  std::lock_guard<std::mutex> lock(base.mutex());
  return wrap(info.Env(), base.clone());
}

// generatorDefault(device): torch.default_generator (the generator manualSeed seeds).
static Napi::Value generatorDefault(const Napi::CallbackInfo& info) {
  std::string device = info[0].IsString() ? info[0].As<Napi::String>().Utf8Value() : "cpu";
  return wrap(info.Env(), at::globalContext().defaultGenerator(at::Device(device)));
}

uint64_t seedArg(const Napi::CallbackInfo& info, size_t at) {
  if (info[at].IsBigInt()) {
    bool lossless = false;
    return info[at].As<Napi::BigInt>().Uint64Value(&lossless);
  }
  if (info[at].IsNumber()) return static_cast<uint64_t>(info[at].As<Napi::Number>().Int64Value());
  throwTorchError(info.Env(), "manualSeed expects an integer seed");
}

void seedGenerator(at::Generator generator, uint64_t seed) {
  std::lock_guard<std::mutex> lock(generator.mutex());
  generator.set_current_seed(seed);
}

at::Generator cudaGenerator(int index) {
  return at::globalContext().defaultGenerator(at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(index)));
}

static Napi::Value generatorManualSeed(const Napi::CallbackInfo& info) {
  seedGenerator(generatorArg(info), seedArg(info, 1));
  return info.Env().Undefined();
}

// generatorSeed(g): reseeds from a non-deterministic source and returns the seed (Generator.seed()).
static Napi::Value generatorSeed(const Napi::CallbackInfo& info) {
  at::Generator& g = generatorArg(info);
  uint64_t seed = c10::detail::getNonDeterministicRandom(g.device().is_cuda());
  seedGenerator(g, seed);
  return Napi::BigInt::New(info.Env(), seed);
}

static Napi::Value generatorInitialSeed(const Napi::CallbackInfo& info) {
  return Napi::BigInt::New(info.Env(), generatorArg(info).current_seed());
}

static Napi::Value generatorDevice(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), generatorArg(info).device().str());
}

// generatorGetState(g) -> uint8 tensor: a copy of the generator's state, in libtorch's byte layout
// (for the CPU generator, the layout Python's torch.get_rng_state() returns).
static Napi::Value generatorGetState(const Napi::CallbackInfo& info) {
  at::Generator& g = generatorArg(info);
  at::Tensor state;
  {
    std::lock_guard<std::mutex> lock(g.mutex());
    state = g.get_state();
  }
  return Napi::Value(info.Env(), wrapTensor(info.Env(), std::move(state)));
}

// generatorSetState(g, state): libtorch checks the dtype (uint8), device, contiguity and size.
static Napi::Value generatorSetState(const Napi::CallbackInfo& info) {
  at::Generator& g = generatorArg(info);
  const at::Tensor* state = tryUnwrapTensor(info.Env(), info[1], "state");
  if (!state) throwTorchError(info.Env(), "expected a torch.ByteTensor, but got a non-tensor value");
  std::lock_guard<std::mutex> lock(g.mutex());
  g.set_state(*state);
  return info.Env().Undefined();
}

// One Node environment per thread, so thread-local is per environment.
static thread_local c10::optional<at::Generator> tlsGenerator;

at::Generator* threadGenerator() { return tlsGenerator ? &*tlsGenerator : nullptr; }

// useThreadGenerator(seed) -> generator: from now on this thread draws from its own CPU generator,
// seeded; the handle lets JS pass it to the factories whose overloads take no optional generator.
static Napi::Value useThreadGenerator(const Napi::CallbackInfo& info) {
  tlsGenerator = at::make_generator<at::CPUGeneratorImpl>(seedArg(info, 0));
  return wrap(info.Env(), *tlsGenerator);
}

void registerGenerators(Napi::Env env, Napi::Object exports) {
  exportFunction<generatorNew>(env, exports, "generatorNew");
  exportFunction<generatorDefault>(env, exports, "generatorDefault");
  exportFunction<generatorManualSeed>(env, exports, "generatorManualSeed");
  exportFunction<generatorSeed>(env, exports, "generatorSeed");
  exportFunction<generatorInitialSeed>(env, exports, "generatorInitialSeed");
  exportFunction<generatorDevice>(env, exports, "generatorDevice");
  exportFunction<generatorGetState>(env, exports, "generatorGetState");
  exportFunction<generatorSetState>(env, exports, "generatorSetState");
  exportFunction<useThreadGenerator>(env, exports, "useThreadGenerator");
}

}  // namespace tn
