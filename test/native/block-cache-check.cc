// Randomised check of native/block_cache.h against a plain model: a simulated program allocates and
// frees blocks of a few hundred sizes; every take must hand back a block of the same class that is
// cached, evictions must go least recently freed first, cached bytes must stay under the cap
// (max(kMinCapBytes, peak live)), and idle blocks must leave on time. Prints "ok" or the first failure.
#include <cstdio>
#include <deque>
#include <map>
#include <random>
#include <set>

#include "../../native/block_cache.h"

#define CHECK(cond, ...) \
  if (!(cond)) return std::printf(__VA_ARGS__), std::printf("\n"), 1

int main() {
  using tn::BlockCache;
  // size classes: under kMinBytes untouched; above, rounded up to an eighth of the power of two
  CHECK(BlockCache::sizeClass(1000) == 1000, "small sizes pass through");
  CHECK(BlockCache::sizeClass(1 << 20) == (1 << 20), "powers of two are their own class");
  CHECK(BlockCache::sizeClass((1 << 20) + 1) == (1 << 20) + (1 << 17), "rounding up to 1/8");
  CHECK(BlockCache::sizeClass(25690112) == 27262976, "a ResNet-50 activation at batch 8: 24.5 MiB -> 26 MiB");
  for (size_t n = 1 << 20; n < (size_t(1) << 34); n = n * 3 / 2 + 12345) {
    size_t c = BlockCache::sizeClass(n);
    CHECK(c >= n && c - n <= n / 8, "class of %zu is %zu", n, c);
  }

  BlockCache cache;
  std::mt19937_64 rng(7);
  std::vector<size_t> sizes;
  for (int i = 0; i < 300; i++) sizes.push_back(BlockCache::sizeClass((size_t(1) << 20) + rng() % (size_t(48) << 20)));
  std::map<void*, size_t> live;   // block -> class, handed out
  std::deque<std::pair<void*, size_t>> cached;  // least recently freed first
  std::map<void*, uint64_t> freedAt;
  size_t liveBytes = 0, peak = 0, nextAddress = 1 << 12;
  uint64_t now = 0;
  auto forget = [&](const std::vector<void*>& gone) -> bool {
    // the evicted blocks must be the oldest cached ones, in order
    for (void* p : gone) {
      if (cached.empty() || cached.front().first != p) return false;
      cached.pop_front();
    }
    return true;
  };
  for (int step = 0; step < 300000; step++) {
    now += rng() % 3;
    if (live.empty() || rng() % 2) {
      size_t size = sizes[rng() % (step < 100000 ? sizes.size() : 40)];
      void* p = cache.take(size);
      if (p) {
        bool found = false;
        for (auto it = cached.end(); it != cached.begin();) {
          --it;
          if (it->first == p) {
            CHECK(it->second == size, "take(%zu) gave a block of class %zu", size, it->second);
            // the most recently freed block of the class
            for (auto later = it + 1; later != cached.end(); ++later) CHECK(later->second != size, "not the warmest block");
            cached.erase(it);
            found = true;
            break;
          }
        }
        CHECK(found, "take gave a block that was not cached");
      } else {
        for (auto& c : cached) CHECK(c.second != size, "take(%zu) missed a cached block", size);
        p = reinterpret_cast<void*>(nextAddress);
        nextAddress += size;
        cache.added(size);
      }
      live[p] = size;
      liveBytes += size;
      peak = std::max(peak, liveBytes);
    } else {
      auto it = live.begin();
      std::advance(it, rng() % live.size());
      void* p = it->first;
      size_t size = it->second;
      live.erase(it);
      liveBytes -= size;
      cached.emplace_back(p, size);
      freedAt[p] = now;
      CHECK(forget(cache.give(p, size, now)), "give evicted out of order");
    }
    if (step % 1000 == 999) {
      CHECK(forget(cache.evictIdle(now, 400)), "evictIdle out of order");
      CHECK(cached.empty() || now - freedAt[cached.front().first] <= 400, "evictIdle left an idle block");
    }
    size_t sum = 0;
    for (auto& c : cached) sum += c.second;
    CHECK(sum == cache.cachedBytes(), "cached bytes %zu, expected %zu", cache.cachedBytes(), sum);
    CHECK(cache.liveBytes() == liveBytes && cache.peakLiveBytes() == peak, "live bytes disagree at step %d", step);
    CHECK(sum <= std::max(BlockCache::kMinCapBytes, peak), "cache over its cap at step %d", step);
  }
  // idle blocks leave, recent ones stay
  std::vector<void*> idle = cache.evictIdle(now + 1000, 999);
  CHECK(forget(idle), "final evictIdle out of order");
  CHECK(cache.cachedBlocks() == cached.size(), "block count disagrees");
  CHECK(forget(cache.evictAll()) && cached.empty() && cache.cachedBytes() == 0, "evictAll left blocks");
  std::printf("ok\n");
  return 0;
}
