// Mapped or copied file text; see file_text.hpp.
#include "plexus/data/file_text.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plexus/data/atomic_file.hpp"

namespace plexus {
namespace {

// The mapping of a non-empty regular file, or an empty one (the caller then copies).
MappedFile map_file(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return {};
    struct stat info {};
    MappedFile map;
    if (::fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && info.st_size > 0)
        map = MappedFile::map(fd, static_cast<std::size_t>(info.st_size), MappedFile::Access::sequential, /*populate=*/true);
    ::close(fd);  // the mapping keeps the file's pages
    return map;
}

}  // namespace

FileText::FileText(const std::string& path) : map_(map_file(path)) {
    if (map_) {
        view_ = std::string_view(map_.data(), map_.size());
    } else {
        copy_ = read_file_bytes(path);
        view_ = copy_;
    }
}

}  // namespace plexus
