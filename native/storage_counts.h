// How many live handles hold each storage, and the bytes it was counted with: an open-addressing
// table keyed by StorageImpl address. Every handle made or released touches it, so it allocates
// nothing per entry: std::unordered_map's node allocations cost 5-10% of a small op (bench/overhead).
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace tn {

class StorageCounts {
 public:
  // One more handle on `key`; true when it is the first (the caller counts `bytes` then).
  bool add(const void* key, int64_t bytes) {
    if ((used_ + 1) * 2 > slots_.size()) grow();
    Slot& s = slots_[find(key)];
    if (s.key == key) return ++s.handles == 1;
    s = Slot{key, 1, bytes};
    used_++;
    return true;
  }

  // Whether a live handle holds `key`.
  bool holds(const void* key) const { return !slots_.empty() && slots_[find(key)].key == key; }

  // The storage behind `key` changed size in place (resize_): records `bytes` and returns how much
  // the counted total changes, 0 when `key` is not counted.
  int64_t resize(const void* key, int64_t bytes) {
    if (slots_.empty()) return 0;
    Slot& s = slots_[find(key)];
    if (s.key != key) return 0;
    int64_t delta = bytes - s.bytes;
    s.bytes = bytes;
    return delta;
  }

  // One handle fewer on `key`; returns the bytes it was counted with when it was the last, else 0.
  int64_t remove(const void* key) {
    if (slots_.empty()) return 0;
    size_t i = find(key);
    if (slots_[i].key != key || --slots_[i].handles > 0) return 0;
    int64_t bytes = slots_[i].bytes;
    erase(i);
    return bytes;
  }

 private:
  struct Slot {
    const void* key = nullptr;
    int64_t handles = 0;
    int64_t bytes = 0;
  };

  size_t home(const void* key) const {
    // Fibonacci hashing of the address (allocations are 16-byte aligned: the low bits carry nothing)
    uint64_t h = (reinterpret_cast<uintptr_t>(key) >> 4) * 0x9E3779B97F4A7C15ULL;
    return static_cast<size_t>(h) & (slots_.size() - 1);
  }

  // The slot holding key, or the empty slot where it would go.
  size_t find(const void* key) const {
    size_t mask = slots_.size() - 1;
    size_t i = home(key);
    while (slots_[i].key != nullptr && slots_[i].key != key) i = (i + 1) & mask;
    return i;
  }

  // Linear probing without tombstones: later entries of the run move back into the hole.
  void erase(size_t hole) {
    size_t mask = slots_.size() - 1;
    slots_[hole] = Slot{};
    used_--;
    for (size_t i = (hole + 1) & mask; slots_[i].key != nullptr; i = (i + 1) & mask) {
      size_t want = home(slots_[i].key);
      // movable unless its home lies cyclically in (hole, i]
      bool homeAfterHole = hole <= i ? (want > hole && want <= i) : (want > hole || want <= i);
      if (homeAfterHole) continue;
      slots_[hole] = slots_[i];
      slots_[i] = Slot{};
      hole = i;
    }
  }

  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
    for (const Slot& s : old) {
      if (s.key != nullptr) slots_[find(s.key)] = s;
    }
  }

  std::vector<Slot> slots_;
  size_t used_ = 0;
};

}  // namespace tn
