// Little-endian binary writing for Plexus's own formats (the model file's tensors, the
// support summary): a value's bytes appended to a string, as the host stores them (the
// formats assume a little-endian host; io/model_file.cpp checks it).
//
//   std::string out;
//   bytes::put(out, std::uint32_t{7});
//   bytes::put(out, 1.5f);
#pragma once

#include <cstring>
#include <string>
#include <type_traits>

namespace plexus::bytes {

template <typename T>
void put(std::string& out, T value) {
    static_assert(std::is_trivially_copyable_v<T>);
    char buf[sizeof(T)];
    std::memcpy(buf, &value, sizeof(T));
    out.append(buf, sizeof(T));
}

}  // namespace plexus::bytes
