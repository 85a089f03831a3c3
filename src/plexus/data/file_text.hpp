// A whole file's bytes to read in place (the CSV reader's input): a read-only
// private memory mapping of a regular file (no copy; pages come from the page
// cache), or, for anything that cannot be mapped, read_file_bytes' copy with
// its IoError messages (missing file, directory, unreadable).
// A file truncated by another process while mapped ends the process with
// SIGBUS, as any reader of a mapped file; Plexus's own writes are atomic
// (write_file_atomic renames a new file into place), so they never do that.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace plexus {

class FileText {
public:
    // Throws IoError as read_file_bytes does.
    explicit FileText(const std::string& path);
    ~FileText();
    FileText(const FileText&) = delete;
    FileText& operator=(const FileText&) = delete;

    std::string_view view() const { return view_; }

private:
    void* map_ = nullptr;
    std::size_t map_size_ = 0;
    std::string copy_;
    std::string_view view_;
};

}  // namespace plexus
