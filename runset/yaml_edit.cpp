#include "runset/yaml_edit.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/error.hpp"

namespace mailsim::runset {

std::string yaml_set(const std::string& text, const std::string& path, const std::string& value,
                     const std::string& origin) {
  auto fail = [&](const std::string& why) {
    return core::InputError({origin, 0, 0}, fmt::format("cannot set '{}': {}", path, why));
  };
  std::vector<std::string> segs;
  size_t start = 0;
  while (true) {
    size_t dot = path.find('.', start);
    segs.push_back(path.substr(start, dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  for (const auto& s : segs)
    if (s.empty()) throw fail("empty path segment");
  YAML::Node root, val;
  try {
    root = YAML::Load(text);
    val = YAML::Load(value);
  } catch (const YAML::Exception& e) {
    throw fail(e.what());
  }
  YAML::Node cur = root;
  std::string where;
  for (size_t i = 0; i < segs.size(); ++i) {
    const std::string& seg = segs[i];
    const bool last = i + 1 == segs.size();
    const YAML::Node& ccur = cur;
    YAML::Node child;
    if (cur.IsSequence()) {
      size_t idx = cur.size();
      if (seg.find_first_not_of("0123456789") == std::string::npos && seg.size() < 9) {
        idx = std::stoul(seg);
        if (idx >= cur.size())
          throw fail(fmt::format("{} has {} entries (index {} is out of range)", where.empty() ? "the document" : where,
                                 cur.size(), seg));
      } else {
        for (size_t k = 0; k < cur.size(); ++k) {
          const YAML::Node e = ccur[k];
          if (!e.IsMap()) continue;
          for (const char* key : {"name", "service"})
            if (e[key] && e[key].IsScalar() && e[key].Scalar() == seg) idx = k;
          if (idx != cur.size()) break;
        }
        if (idx == cur.size())
          throw fail(fmt::format("no entry of {} has name or service '{}'", where.empty() ? "the document" : where, seg));
      }
      if (last) {
        cur[idx] = val;
        break;
      }
      child = cur[idx];
    } else if (cur.IsMap() || cur.IsNull()) {
      if (last) {
        cur[seg] = val;
        break;
      }
      if (!ccur[seg]) cur[seg] = YAML::Node(YAML::NodeType::Map);
      child = cur[seg];
    } else {
      throw fail(fmt::format("{} is a scalar", where.empty() ? "the document" : where));
    }
    where = where.empty() ? seg : where + "." + seg;
    cur.reset(child);
  }
  YAML::Emitter out;
  out << root;
  if (!out.good()) throw fail(out.GetLastError());
  return std::string(out.c_str()) + "\n";
}

std::string keep_config_folder(const std::string& copy, const config::Topology& original, const std::string& origin) {
  bool reads_files = false;
  for (const auto& c : original.components) reads_files = reads_files || !c.config.empty();
  if (!reads_files) return copy;
  const std::filesystem::path own = std::filesystem::absolute(original.file).parent_path();
  const YAML::Node given = YAML::Load(copy)["config_folder"];
  const std::filesystem::path folder = given ? own / given.as<std::string>() : own;
  return yaml_set(copy, "config_folder", nlohmann::json(folder.lexically_normal().string()).dump(), origin);
}

}  // namespace mailsim::runset
