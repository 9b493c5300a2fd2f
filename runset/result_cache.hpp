#pragma once
// The run sets' result cache: one file per finished job, CACHE_DIR/results/KK/KEY.json,
// KEY being a hash of everything that decides the result (the inputs, the options and the
// build's identity, build_identity()). A stale, corrupt or foreign entry is never trusted:
// each entry starts with a header naming its key and the hash of its body, checked on every
// read; an entry that fails the check is named on the warning stream and recomputed. A
// cache that cannot be written costs the speed-up, never the set. The temporary files of a
// set killed mid-write are removed when the next set opens the cache (docs/robustness.md).
#include <ostream>
#include <string>

namespace mailsim::runset {

// A hash of the running mailsim binary (/proc/self/exe), computed once per process: a
// rebuilt binary, whatever its version string, never reads results of another build.
const std::string& build_identity();

class ResultCache {
 public:
  // dir "" = no cache; warnings (corrupt entries, an unwritable folder) go to `warn`.
  // Removes the entries' stale temporaries (core::is_stale_temporary) left by a killed set.
  ResultCache(std::string dir, std::ostream& warn);

  // The entry's body when it exists and checks out; false on a miss or a bad entry.
  bool get(const std::string& key, std::string* body) const;
  // Stores a body atomically; a failure is warned about once and the set goes on.
  void put(const std::string& key, const std::string& body);

  std::string path(const std::string& key) const;

 private:
  std::string dir_;
  std::ostream& warn_;
  bool write_failed_ = false;
};

// The file text of an entry (header + body), and its check: the body, or an error saying
// what is wrong with the entry. For the cache and its tests.
std::string cache_entry(const std::string& key, const std::string& body);
bool read_cache_entry(const std::string& text, const std::string& key, std::string* body, std::string* error);

}  // namespace mailsim::runset
