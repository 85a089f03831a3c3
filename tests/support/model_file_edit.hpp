// Test helpers that forge model files the way an attacker would: edit the JSON
// header (as an object or as raw text), then recompute the CRC so that only the
// loader's own validation stands between the bytes and the model.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <cstring>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

namespace plexus::testing {

struct ModelFileParts {
    std::string header, payload;
};

inline ModelFileParts split_model_file(const std::string& bytes) {
    std::uint64_t size = 0;
    std::memcpy(&size, bytes.data() + 12, 8);
    return {bytes.substr(20, size), bytes.substr(20 + size + 4)};
}

inline std::string join_model_file(const ModelFileParts& parts) {
    std::string out("PLEXUS\0M", 8);
    const std::uint32_t version = 1;
    const std::uint64_t size = parts.header.size();
    out.append(reinterpret_cast<const char*>(&version), 4);
    out.append(reinterpret_cast<const char*>(&size), 8);
    out += parts.header;
    uLong c = crc32(0L, Z_NULL, 0);
    c = crc32(c, reinterpret_cast<const Bytef*>(parts.header.data()), static_cast<uInt>(parts.header.size()));
    c = crc32(c, reinterpret_cast<const Bytef*>(parts.payload.data()), static_cast<uInt>(parts.payload.size()));
    const auto crc = static_cast<std::uint32_t>(c);
    out.append(reinterpret_cast<const char*>(&crc), 4);
    return out + parts.payload;
}

// The file with its header text replaced by edit(header text), CRC recomputed.
inline std::string edit_header_text(const std::string& bytes, const std::function<std::string(const std::string&)>& edit) {
    auto parts = split_model_file(bytes);
    parts.header = edit(parts.header);
    return join_model_file(parts);
}

// The file with edit(header) applied to the parsed header, CRC recomputed.
inline std::string edit_header(const std::string& bytes, const std::function<void(nlohmann::json&)>& edit) {
    return edit_header_text(bytes, [&](const std::string& text) {
        auto header = nlohmann::json::parse(text);
        edit(header);
        return header.dump();
    });
}

}  // namespace plexus::testing
