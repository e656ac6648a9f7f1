#pragma once
// Strict request-body validation against the schemas of the published
// discovery document (embedded at build time): unknown fields, wrong types
// and unknown enum values are rejected the way Google's front end does.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace gpe {

std::string_view embedded_discovery_json();

class Schemas {
  public:
    Schemas();
    // Returns the error message for a 400 INVALID_ARGUMENT, or nullopt when valid.
    std::optional<std::string> validate(const nlohmann::json& body, std::string_view schema) const;
    bool has(std::string_view schema) const;

  private:
    std::optional<std::string> check_object(const nlohmann::json& v, const nlohmann::json& schema,
                                            const std::string& path) const;
    std::optional<std::string> check_value(const nlohmann::json& v, const nlohmann::json& prop,
                                           const std::string& path, const std::string& owner) const;
    nlohmann::json schemas_;
};

std::string camel_to_snake(std::string_view s);

}  // namespace gpe
