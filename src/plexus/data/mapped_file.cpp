// Read-only file mappings; see mapped_file.hpp.
#include "plexus/data/mapped_file.hpp"

#include <sys/mman.h>

#include <utility>

namespace plexus {

MappedFile MappedFile::map(int fd, std::size_t size, Access access, bool populate) {
    MappedFile out;
    if (fd < 0 || size == 0) return out;
    void* base = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | (populate ? MAP_POPULATE : 0), fd, 0);
    if (base == MAP_FAILED) return out;
    out.data_ = base;
    out.size_ = size;
    out.advise(access);
    return out;
}

MappedFile::~MappedFile() {
    if (data_ != nullptr) ::munmap(data_, size_);
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
    if (this != &other) {
        if (data_ != nullptr) ::munmap(data_, size_);
        data_ = std::exchange(other.data_, nullptr);
        size_ = std::exchange(other.size_, 0);
    }
    return *this;
}

void MappedFile::advise(Access access) const {
    if (data_ != nullptr) ::madvise(data_, size_, access == Access::sequential ? MADV_SEQUENTIAL : MADV_NORMAL);
}

}  // namespace plexus
