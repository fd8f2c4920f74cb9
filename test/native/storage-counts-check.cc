// Randomised check of native/storage_counts.h against std::map: millions of adds and removes over
// a few thousand keys, first with the table growing, then churning a few hundred keys so removals
// shift long probe runs. Prints "ok" or the first mismatch.
#include <cstdio>
#include <map>
#include <random>

#include "../../native/storage_counts.h"

int main() {
  tn::StorageCounts table;
  std::map<const void*, std::pair<int64_t, int64_t>> expected;  // key -> (handles, bytes)
  std::mt19937_64 rng(1);
  std::vector<const void*> keys;
  for (uintptr_t i = 1; i <= 5000; i++) keys.push_back(reinterpret_cast<const void*>(i * 16 * (1 + i % 7)));
  for (int step = 0; step < 4000000; step++) {
    const void* key = keys[rng() % (step < 1500000 ? keys.size() : 300)];
    if (rng() % 2) {
      int64_t bytes = static_cast<int64_t>(rng() % 1000) + 1;
      auto& e = expected[key];
      bool first = e.first++ == 0;
      if (first) e.second = bytes;
      if (table.add(key, bytes) != first) return std::printf("add disagrees at step %d\n", step), 1;
    } else {
      int64_t want = 0;
      auto it = expected.find(key);
      if (it != expected.end() && --it->second.first == 0) {
        want = it->second.second;
        expected.erase(it);
      }
      int64_t got = table.remove(key);
      if (got != want) return std::printf("remove gave %ld, expected %ld at step %d\n", long(got), long(want), step), 1;
    }
  }
  std::printf("ok\n");
  return 0;
}
