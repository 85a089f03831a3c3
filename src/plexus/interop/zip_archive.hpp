// Reading named entries of a zip archive through Debian's libzip (Keras 3
// `.keras` files are zips of config.json, metadata.json and model.weights.h5).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace plexus::interop {

// The entry `name` of the zip file at `path`, or nullopt when the archive has
// no such entry. IoError naming the file if it is not a readable zip, if the
// entry is damaged (CRC), or if it is larger than `max_bytes`.
std::optional<std::string> read_zip_entry(const std::string& path, const std::string& name, std::uint64_t max_bytes);

}  // namespace plexus::interop
