// The bookkeeping of the CPU block cache (cpu_allocator.cc): which freed large blocks are kept for
// reuse and which go back to the system. No memory is touched here, so it is checked alone
// (test/native/block-cache-check.cc).
//
// Why a cache: glibc serves blocks of a few MB and up with fresh pages (mmap, or a heap trimmed at
// its top), so every batch of a big model page-faults its activations in again (ResNet-50 at batch
// 8: ~40,000 faults a pass, 10-15% of its time). Reusing freed blocks of the same size class keeps
// their pages. A pass needs its whole set of sizes back, not only what is live at one moment, so
// the cache keeps up to the peak of live large bytes (at least kMinCapBytes): live + cached stay
// within twice what the program itself held at once, or that plus 256 MiB for small programs.
// Blocks unused for a few seconds go back too (evictIdle), so a finished burst does not hold memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <list>
#include <unordered_map>
#include <vector>

namespace tn {

class BlockCache {
 public:
  // Smaller blocks are left to malloc, which reuses them well.
  static constexpr size_t kMinBytes = size_t(1) << 20;
  static constexpr size_t kMinCapBytes = size_t(256) << 20;

  // The size a request of n bytes is served with: n rounded up to an eighth of its power of two,
  // so freed blocks fit the many near sizes of a model's tensors (at most 1/8 wasted, and the
  // unused tail of a block is never touched, so never resident).
  static size_t sizeClass(size_t n) {
    if (n < kMinBytes) return n;
    int log2 = 63 - __builtin_clzll(n);
    size_t step = size_t(1) << (log2 - 3);
    return (n + step - 1) & ~(step - 1);
  }

  // A cached block of class `size`, now taken out of the cache, or nullptr.
  void* take(size_t size) {
    auto it = bySize_.find(size);
    if (it == bySize_.end() || it->second.empty()) return nullptr;
    void* p = it->second.back();  // the most recently freed: its pages are the warmest
    it->second.pop_back();
    auto e = entries_.find(p);
    lru_.erase(e->second.lru);
    entries_.erase(e);
    cachedBytes_ -= size;
    live(size);
    return p;
  }

  // A new block of class `size` came from the system (take found none).
  void added(size_t size) { live(size); }

  // Keeps the freed block p of class `size`, stamped nowMs for evictIdle. Returns the least
  // recently freed blocks that no longer fit under the cap (the caller frees them).
  std::vector<void*> give(void* p, size_t size, uint64_t nowMs) {
    liveBytes_ -= size;
    bySize_[size].push_back(p);
    lru_.push_back(p);
    entries_[p] = Entry{size, nowMs, std::prev(lru_.end())};
    cachedBytes_ += size;
    std::vector<void*> out;
    size_t cap = peakLiveBytes_ > kMinCapBytes ? peakLiveBytes_ : kMinCapBytes;
    while (cachedBytes_ > cap) drop(lru_.front(), out);
    return out;
  }

  // The blocks freed more than idleMs ago.
  std::vector<void*> evictIdle(uint64_t nowMs, uint64_t idleMs) {
    std::vector<void*> out;
    while (!lru_.empty() && nowMs - entries_.at(lru_.front()).freedAtMs > idleMs) drop(lru_.front(), out);
    return out;
  }

  std::vector<void*> evictAll() {
    std::vector<void*> out;
    while (!lru_.empty()) drop(lru_.front(), out);
    return out;
  }

  size_t cachedBytes() const { return cachedBytes_; }
  size_t cachedBlocks() const { return entries_.size(); }
  size_t liveBytes() const { return liveBytes_; }
  size_t peakLiveBytes() const { return peakLiveBytes_; }

 private:
  struct Entry {
    size_t size;
    uint64_t freedAtMs;
    std::list<void*>::iterator lru;
  };

  void live(size_t size) {
    liveBytes_ += size;
    if (liveBytes_ > peakLiveBytes_) peakLiveBytes_ = liveBytes_;
  }

  void drop(void* p, std::vector<void*>& out) {
    auto e = entries_.find(p);
    size_t size = e->second.size;
    auto& same = bySize_[size];
    for (size_t i = 0; i < same.size(); i++) {
      if (same[i] == p) {
        same.erase(same.begin() + i);
        break;
      }
    }
    lru_.erase(e->second.lru);
    entries_.erase(e);
    cachedBytes_ -= size;
    out.push_back(p);
  }

  std::unordered_map<size_t, std::vector<void*>> bySize_;
  std::unordered_map<void*, Entry> entries_;
  std::list<void*> lru_;  // least recently freed first
  size_t cachedBytes_ = 0;
  size_t liveBytes_ = 0;  // blocks of at least kMinBytes handed out and not yet given back
  size_t peakLiveBytes_ = 0;
};

}  // namespace tn
