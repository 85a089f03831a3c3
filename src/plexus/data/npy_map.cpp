// Mapping an .npy feature array in place (read-only, MAP_PRIVATE); see npy_format.hpp.
#include <sys/stat.h>

#include <cerrno>
#include <cmath>
#include <cstring>

#include "plexus/core/error.hpp"
#include "plexus/data/mapped_file.hpp"
#include "plexus/data/npy_format.hpp"

namespace plexus::npy_detail {

bool MatrixFile::mappable() const {
    const Index rows = layout_.shape.at(0), cols = layout_.shape.at(1);
    const bool c_order = !layout_.fortran_order || rows <= 1 || cols <= 1;
    return layout_.dtype.descr == (sizeof(Scalar) == 4 ? "<f4" : "<f8") && c_order && layout_.count > 0;
}

std::shared_ptr<const void> MatrixFile::map(MatrixView& view, const std::string& what) {
    if (!mappable()) return nullptr;
    // The size the header promises, checked against the open file itself (parse_layout checked
    // the path's size; the file may have been replaced or cut since): a mapping beyond the end
    // of a file is a SIGBUS on first touch, so a short file is an IoError here instead.
    const std::size_t data_bytes = layout_.count * sizeof(Scalar);
    const std::size_t total = layout_.data_offset + data_bytes;
    const int fd = ::fileno(file_);
    struct stat info {};
    if (fd < 0 || ::fstat(fd, &info) != 0)
        throw IoError(path_ + ": cannot examine the open file (" + std::strerror(errno) + "); check that it is readable");
    if (static_cast<std::size_t>(info.st_size) != total)
        throw IoError(path_ + ": is " + std::to_string(info.st_size) + " bytes but its header (shape " +
                      shape_text(layout_.shape) + ", " + layout_.dtype.descr + ") needs " + std::to_string(total) +
                      "; the file changed while it was opened or is cut short: save it again with numpy.save");
    auto file = std::make_shared<MappedFile>(MappedFile::map(fd, total, MappedFile::Access::sequential));
    if (!*file) return nullptr;  // no mapping here (e.g. a pipe's file system): read it instead
    const auto* data = reinterpret_cast<const Scalar*>(file->data() + layout_.data_offset);
    const Index rows = layout_.shape.at(0), cols = layout_.shape.at(1);
    view = MatrixView(data, rows, cols);
    // One pass for NaN/Inf, as the read path does after its read.
    if (!all_finite(view.map()))
        for (Index i = 0; i < rows * cols; ++i)
            if (!std::isfinite(data[i]))
                throw DataError(path_ + ": " + (std::isnan(data[i]) ? "NaN" : "Inf") + " at flat index " +
                                std::to_string(i) + " (row " + std::to_string(i / cols) + ", column " +
                                std::to_string(i % cols) + "); " + what);
    file->advise(MappedFile::Access::normal);  // training visits rows in shuffled order
    return file;
}

}  // namespace plexus::npy_detail
