// Pictures in memory; see bytes.hpp.
#include "plexus/plot/bytes.hpp"

#include <cstdint>

#include "plexus/core/error.hpp"

namespace plexus::plot {
namespace {

// The capture in progress on this thread (render_to_bytes calls may nest).
struct Capture {
    std::string path;
    std::string bytes;
    bool written = false;
};
thread_local Capture* current = nullptr;

}  // namespace

std::string render_to_bytes(const std::string& extension, const std::function<void(const std::string& path)>& draw) {
    Capture capture;
    // A name no real file has: a NUL-free marker that cannot be created by accident.
    capture.path = std::string("plexus-in-memory-picture:") + std::to_string(reinterpret_cast<std::uintptr_t>(&capture)) + extension;
    Capture* const outer = current;
    current = &capture;
    try {
        draw(capture.path);
    } catch (...) {
        current = outer;
        throw;
    }
    current = outer;
    if (!capture.written) throw IoError("render_to_bytes: the plot wrote no picture to the path it was given");
    return std::move(capture.bytes);
}

namespace detail {
bool capture_bytes(const std::string& path, const std::string& bytes) {
    if (!current || path != current->path) return false;
    current->bytes = bytes;
    current->written = true;
    return true;
}
}  // namespace detail

}  // namespace plexus::plot
