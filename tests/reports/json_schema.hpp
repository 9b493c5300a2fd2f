#pragma once
// A validator for the subset of JSON Schema that docs/schema/run-1.schema.json uses: type
// (one or a list), required, properties, additionalProperties (a schema or false), items,
// enum, minimum, maximum. No schema-validator package is guaranteed on the build machines;
// any other keyword is reported as unsupported, so the schema cannot silently outgrow it.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace mailsim::testing {

class SchemaValidator {
 public:
  // Returns one message per violation: "PATH: message" (PATH like /services/smtp/ok).
  std::vector<std::string> validate(const nlohmann::json& schema, const nlohmann::json& doc) {
    errors_.clear();
    check(schema, doc, "");
    return errors_;
  }

 private:
  static bool has_type(const nlohmann::json& v, const std::string& t) {
    if (t == "object") return v.is_object();
    if (t == "array") return v.is_array();
    if (t == "string") return v.is_string();
    if (t == "boolean") return v.is_boolean();
    if (t == "null") return v.is_null();
    if (t == "number") return v.is_number();
    if (t == "integer") return v.is_number_integer() || (v.is_number_float() && v.get<double>() == static_cast<double>(static_cast<long long>(v.get<double>())));
    return false;
  }

  void check(const nlohmann::json& s, const nlohmann::json& v, const std::string& path) {
    static const std::vector<std::string> known = {"$schema", "$id", "title", "description", "type", "required",
                                                   "properties", "additionalProperties", "items", "enum", "minimum",
                                                   "maximum"};
    for (const auto& [k, _] : s.items())
      if (std::find(known.begin(), known.end(), k) == known.end())
        errors_.push_back(path + ": unsupported schema keyword '" + k + "'");
    if (s.contains("type")) {
      std::vector<std::string> types;
      if (s.at("type").is_array())
        for (const auto& t : s.at("type")) types.push_back(t.get<std::string>());
      else
        types.push_back(s.at("type").get<std::string>());
      bool ok = false;
      for (const auto& t : types) ok = ok || has_type(v, t);
      if (!ok) {
        errors_.push_back(path + ": expected type " + s.at("type").dump() + ", got " + v.dump().substr(0, 80));
        return;
      }
    }
    if (s.contains("enum")) {
      bool ok = false;
      for (const auto& e : s.at("enum")) ok = ok || e == v;
      if (!ok) errors_.push_back(path + ": " + v.dump() + " is not one of " + s.at("enum").dump());
    }
    if (v.is_number()) {
      if (s.contains("minimum") && v.get<double>() < s.at("minimum").get<double>())
        errors_.push_back(path + ": " + v.dump() + " is below the minimum " + s.at("minimum").dump());
      if (s.contains("maximum") && v.get<double>() > s.at("maximum").get<double>())
        errors_.push_back(path + ": " + v.dump() + " is above the maximum " + s.at("maximum").dump());
    }
    if (v.is_object()) {
      if (s.contains("required"))
        for (const auto& r : s.at("required"))
          if (!v.contains(r.get<std::string>())) errors_.push_back(path + ": missing required key '" + r.get<std::string>() + "'");
      for (const auto& [k, child] : v.items()) {
        if (s.contains("properties") && s.at("properties").contains(k))
          check(s.at("properties").at(k), child, path + "/" + k);
        else if (s.contains("additionalProperties")) {
          const auto& ap = s.at("additionalProperties");
          if (ap.is_boolean()) {
            if (!ap.get<bool>()) errors_.push_back(path + ": unexpected key '" + k + "'");
          } else {
            check(ap, child, path + "/" + k);
          }
        }
      }
    }
    if (v.is_array() && s.contains("items"))
      for (size_t i = 0; i < v.size(); ++i) check(s.at("items"), v.at(i), path + "/" + std::to_string(i));
  }

  std::vector<std::string> errors_;
};

}  // namespace mailsim::testing
