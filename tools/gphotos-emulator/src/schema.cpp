#include "schema.hpp"

#include <algorithm>
#include <cctype>

#include "clock.hpp"
#include "http_util.hpp"

namespace gpe {

using nlohmann::json;

std::string camel_to_snake(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (std::isupper(static_cast<unsigned char>(c))) {
            out.push_back('_');
            out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        } else {
            out.push_back(c);
        }
    }
    return out;
}

Schemas::Schemas() {
    const json doc = json::parse(embedded_discovery_json());
    schemas_ = doc.at("schemas");
}

bool Schemas::has(std::string_view schema) const {
    return schemas_.contains(std::string(schema));
}

std::optional<std::string> Schemas::validate(const json& body, std::string_view schema) const {
    if (!body.is_object())
        return "Invalid JSON payload received. Expected an object.";
    return check_object(body, schemas_.at(std::string(schema)), "");
}

std::optional<std::string> Schemas::check_object(const json& v, const json& schema,
                                                 const std::string& path) const {
    const json& props = schema.contains("properties") ? schema.at("properties") : json::object();
    for (auto it = v.begin(); it != v.end(); ++it) {
        if (!props.contains(it.key())) {
            std::string m = "Invalid JSON payload received. Unknown name \"" + it.key() + "\"";
            if (!path.empty())
                m += " at '" + path + "'";
            return m + ": Cannot find field.";
        }
        const std::string sub = (path.empty() ? "" : path + ".") + camel_to_snake(it.key());
        if (auto e =
                check_value(it.value(), props.at(it.key()), sub, schema.value("id", std::string{})))
            return e;
    }
    return std::nullopt;
}

std::optional<std::string> Schemas::check_value(const json& v, const json& prop,
                                                const std::string& path,
                                                const std::string& owner) const {
    if (v.is_null())
        return std::nullopt;  // proto3 JSON: null means default
    const auto bad = [&](std::string_view type) {
        return "Invalid value at '" + path + "' (" + std::string(type) + "), " + v.dump();
    };
    if (prop.contains("$ref")) {
        if (!v.is_object())
            return "Invalid JSON payload received. Unknown name \"" +
                   path.substr(path.rfind('.') + 1) +
                   "\": Proto field is not repeating, cannot start list.";
        return check_object(v, schemas_.at(prop.at("$ref").get<std::string>()), path);
    }
    const std::string type = prop.value("type", "");
    const std::string format = prop.value("format", "");
    if (type == "array") {
        if (!v.is_array())
            return bad("repeated");
        for (std::size_t i = 0; i < v.size(); ++i)
            if (auto e = check_value(v[i], prop.at("items"), path + "[" + std::to_string(i) + "]",
                                     owner))
                return e;
        return std::nullopt;
    }
    if (type == "string") {
        if (format == "int64" || format == "uint64") {
            if (v.is_number_integer())
                return std::nullopt;
            if (!v.is_string() || !parse_i64(v.get<std::string>()))
                return bad("TYPE_INT64");
            return std::nullopt;
        }
        if (!v.is_string())
            return bad("TYPE_STRING");
        if (prop.contains("enum")) {
            const auto& e = prop.at("enum");
            if (std::find(e.begin(), e.end(), v) == e.end())
                return "Invalid value at '" + path +
                       "' (type.googleapis.com/google.photos.library.v1." + owner + "), " +
                       v.dump();
        }
        if (format == "google-datetime" && !parse_rfc3339(v.get<std::string>()))
            return bad("type.googleapis.com/google.protobuf.Timestamp");
        return std::nullopt;
    }
    if (type == "integer") {
        if (v.is_number_integer())
            return std::nullopt;
        if (v.is_string() && parse_i64(v.get<std::string>()))
            return std::nullopt;
        return bad("TYPE_INT32");
    }
    if (type == "number") {
        if (v.is_number())
            return std::nullopt;
        return bad(format == "float" ? "TYPE_FLOAT" : "TYPE_DOUBLE");
    }
    if (type == "boolean") {
        if (v.is_boolean())
            return std::nullopt;
        return bad("TYPE_BOOL");
    }
    return std::nullopt;  // "object"/"any": free-form
}

}  // namespace gpe
