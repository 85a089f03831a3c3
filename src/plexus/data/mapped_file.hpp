// A read-only private memory mapping of a file's bytes: the one place Plexus maps
// files (the CSV reader's text, data/file_text.hpp; an .npy array used in place,
// data/npy_map.cpp). Pages come from the page cache; nothing is copied.
//
//   MappedFile m = MappedFile::map(fd, size, MappedFile::Access::sequential);
//   if (!m) ...;               // the system refused (not a regular file, a pipe's file system): read instead
//   const char* bytes = m.data();
//
// A file truncated by another process while mapped ends the process with SIGBUS, as
// any reader of a mapped file; callers check the size against the open file first,
// and Plexus's own writes are atomic (write_file_atomic renames a new file into place).
#pragma once

#include <cstddef>

namespace plexus {

class MappedFile {
public:
    enum class Access {
        sequential,  // read once front to back (the kernel reads ahead; MAP_POPULATE when asked)
        normal,      // any order, the kernel's default read-ahead (training visits rows shuffled)
    };

    // The first `size` bytes of the open file `fd` (which stays the caller's), mapped
    // read-only; empty when size is 0 or the system refuses the mapping. `populate`
    // faults every page in at once (MAP_POPULATE: one system call for a whole text file).
    static MappedFile map(int fd, std::size_t size, Access access, bool populate = false);

    MappedFile() = default;
    ~MappedFile();
    MappedFile(MappedFile&& other) noexcept;
    MappedFile& operator=(MappedFile&& other) noexcept;
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    explicit operator bool() const { return data_ != nullptr; }
    const char* data() const { return static_cast<const char*>(data_); }
    std::size_t size() const { return size_; }
    // Tells the kernel how the pages will be read from now on (madvise; best effort).
    void advise(Access access) const;

private:
    void* data_ = nullptr;
    std::size_t size_ = 0;
};

}  // namespace plexus
