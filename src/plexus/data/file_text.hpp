// A whole file's bytes to read in place (the CSV reader's input): a read-only
// private memory mapping of a regular file (data/mapped_file.hpp: no copy; pages
// come from the page cache), or, for anything that cannot be mapped,
// read_file_bytes' copy with its IoError messages (missing file, directory,
// unreadable).
#pragma once

#include <string>
#include <string_view>

#include "plexus/data/mapped_file.hpp"

namespace plexus {

class FileText {
public:
    // Throws IoError as read_file_bytes does.
    explicit FileText(const std::string& path);
    FileText(const FileText&) = delete;
    FileText& operator=(const FileText&) = delete;

    std::string_view view() const { return view_; }

private:
    MappedFile map_;
    std::string copy_;
    std::string_view view_;
};

}  // namespace plexus
