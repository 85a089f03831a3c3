// Mapped or copied file text; see file_text.hpp.
#include "plexus/data/file_text.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plexus/data/atomic_file.hpp"

namespace plexus {
namespace {

// The mapping of a non-empty regular file, or nullptr (the caller then copies).
void* map_file(const std::string& path, std::size_t& size) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return nullptr;
    struct stat info {};
    void* map = nullptr;
    if (::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && info.st_size > 0) {
        size = static_cast<std::size_t>(info.st_size);
        map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
        if (map == MAP_FAILED) map = nullptr;
    }
    ::close(fd);
    return map;
}

}  // namespace

FileText::FileText(const std::string& path) {
    map_ = map_file(path, map_size_);
    if (map_ != nullptr) {
        ::madvise(map_, map_size_, MADV_SEQUENTIAL);
        view_ = std::string_view(static_cast<const char*>(map_), map_size_);
    } else {
        copy_ = read_file_bytes(path);
        view_ = copy_;
    }
}

FileText::~FileText() {
    if (map_ != nullptr) ::munmap(map_, map_size_);
}

}  // namespace plexus
