// libtorch's CPU allocator, wrapped so that large freed blocks are reused instead of handed back
// to the system and faulted in again on the next batch (the policy: block_cache.h). Installed once
// per process when the addon loads; TORCH_NODE_CPU_CACHE=0 leaves libtorch's allocator alone.
// The large blocks come straight from c10's alloc_cpu, and their handing out and giving back are
// reported to the profiler (profile_memory) with the bytes asked for, as libtorch's allocator
// reports each allocation and free.
#include <c10/core/Allocator.h>
#include <c10/core/CPUAllocator.h>
#include <c10/core/impl/alloc_cpu.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <unordered_map>

#include "block_cache.h"
#include "common.h"

namespace tn {
namespace {

uint64_t nowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

class CachingCpuAllocator final : public c10::Allocator {
 public:
  explicit CachingCpuAllocator(c10::Allocator* system) : system_(system) {}

  // libtorch 1.x declares allocate const, 2.x (from 2.3) not: one of these two overrides it.
  c10::DataPtr allocate(size_t n) const { return allocateBlock(n); }
  c10::DataPtr allocate(size_t n) { return allocateBlock(n); }

  c10::DeleterFnPtr raw_deleter() const override { return &rawDelete; }

  // libtorch 2.x asks allocators to copy (for Storage copies); an override there, unused on 1.13.
  void copy_data(void* dest, const void* src, std::size_t count) const { std::memcpy(dest, src, count); }

  // How long a cached block may wait for reuse before it goes back to the system.
  static constexpr uint64_t kIdleMs = 5000;

  // Returns cached blocks freed more than idleMs ago (all of them with idleMs 0) to the system.
  size_t release(uint64_t idleMs) const {
    std::vector<c10::DataPtr> evicted;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      evicted = takeOwners(idleMs == 0 ? cache_.evictAll() : cache_.evictIdle(nowMs(), idleMs));
    }
    return evicted.size();
  }

  size_t cachedBytes() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return cache_.cachedBytes();
  }

  static CachingCpuAllocator* instance;

 private:
  c10::DataPtr allocateBlock(size_t n) const {
    if (n < BlockCache::kMinBytes) return allocateFromSystem(n);
    size_t size = BlockCache::sizeClass(n);
    void* p = nullptr;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if ((p = cache_.take(size)) != nullptr) owners_.at(p).requested = n;
    }
    if (p == nullptr) {
      release(kIdleMs);  // a miss: first return the blocks no one has reused for a while
      c10::DataPtr block = allocateLarge(size);
      p = block.get();
      std::lock_guard<std::mutex> lock(mutex_);
      cache_.added(size);
      owners_.emplace(p, Owned{size, n, std::move(block)});
    }
    report(p, static_cast<int64_t>(n));
    return wrap(p);
  }

  // The profiler's memory record of a large block handed out (+) or given back (-); the totals are
  // this cache's: bytes handed out, and bytes held from the system.
  void report(void* p, int64_t bytes) const {
    if (!c10::memoryProfilingEnabled()) return;
    int64_t live, held;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      live = static_cast<int64_t>(cache_.liveBytes());
      held = live + static_cast<int64_t>(cache_.cachedBytes());
    }
    c10::reportMemoryUsageToProfiler(p, bytes, live, held, c10::Device(c10::DeviceType::CPU));
  }

  // A large block from the system, past libtorch's allocator (whose reports would count a cached
  // block as allocated until it is evicted).
  c10::DataPtr allocateLarge(size_t size) const {
    void* p;
    try {
      p = c10::alloc_cpu(size);
    } catch (...) {
      if (release(0) == 0) throw;
      p = c10::alloc_cpu(size);
    }
    return {p, p, &c10::free_cpu, c10::Device(c10::DeviceType::CPU)};
  }

  // Every allocation, small ones too: when the system runs short, what the cache holds may be enough.
  c10::DataPtr allocateFromSystem(size_t n) const {
    try {
      return system_->allocate(n);
    } catch (...) {
      if (release(0) == 0) throw;
      return system_->allocate(n);
    }
  }

  struct Owned {
    size_t size;
    size_t requested;    // the bytes asked for when last handed out
    c10::DataPtr block;  // from alloc_cpu; freeing it frees the block
  };

  static c10::DataPtr wrap(void* p) { return {p, p, &cacheDelete, c10::Device(c10::DeviceType::CPU)}; }

  // Deleter of the blocks handed out: back into the cache.
  static void cacheDelete(void* p) { instance->giveBack(p); }

  // raw_deallocate's deleter: our blocks, or the system allocator's small ones.
  static void rawDelete(void* p) {
    if (instance->giveBack(p)) return;
    if (c10::DeleterFnPtr systemDelete = instance->system_->raw_deleter()) systemDelete(p);
  }

  // Puts block p back in the cache; false when p is not one of ours.
  bool giveBack(void* p) const {
    size_t requested;
    {
      std::vector<c10::DataPtr> over;  // declared first, so freed after the lock is released
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = owners_.find(p);
      if (it == owners_.end()) return false;
      requested = it->second.requested;
      over = takeOwners(cache_.give(p, it->second.size, nowMs()));
    }
    report(p, -static_cast<int64_t>(requested));
    return true;
  }

  std::vector<c10::DataPtr> takeOwners(const std::vector<void*>& blocks) const {
    std::vector<c10::DataPtr> out;
    for (void* p : blocks) {
      auto it = owners_.find(p);
      out.push_back(std::move(it->second.block));
      owners_.erase(it);
    }
    return out;
  }

  c10::Allocator* system_;
  mutable std::mutex mutex_;
  mutable BlockCache cache_;
  mutable std::unordered_map<void*, Owned> owners_;
};

CachingCpuAllocator* CachingCpuAllocator::instance = nullptr;

bool cacheDisabled() {
  const char* v = std::getenv("TORCH_NODE_CPU_CACHE");
  return v != nullptr && std::strcmp(v, "0") == 0;
}

// Once per process (the addon may load in several worker threads). Never freed: tensors made with
// it may outlive every environment.
CachingCpuAllocator* installOnce() {
  static CachingCpuAllocator* installed = [] {
    if (cacheDisabled()) return static_cast<CachingCpuAllocator*>(nullptr);
    auto* a = new CachingCpuAllocator(c10::GetCPUAllocator());
    CachingCpuAllocator::instance = a;
    c10::SetCPUAllocator(a, /*priority=*/UINT8_MAX);
    return a;
  }();
  return installed;
}

// releaseCpuCache(idleMs?): returns cached CPU blocks unused for idleMs (0: all; left out: kIdleMs)
// to the system; the number of blocks returned.
Napi::Value releaseCpuCache(const Napi::CallbackInfo& info) {
  CachingCpuAllocator* a = installOnce();
  double idleMs = info[0].IsNumber() ? info[0].As<Napi::Number>().DoubleValue() : double(CachingCpuAllocator::kIdleMs);
  return Napi::Number::New(info.Env(), a ? double(a->release(uint64_t(idleMs))) : 0.0);
}

Napi::Value cpuCachedBytes(const Napi::CallbackInfo& info) {
  CachingCpuAllocator* a = installOnce();
  return Napi::Number::New(info.Env(), a ? double(a->cachedBytes()) : 0.0);
}

}  // namespace

void registerCpuAllocator(Napi::Env env, Napi::Object exports) {
  installOnce();
  exportFunction<releaseCpuCache>(env, exports, "releaseCpuCache");
  exportFunction<cpuCachedBytes>(env, exports, "cpuCachedBytes");
}

}  // namespace tn
