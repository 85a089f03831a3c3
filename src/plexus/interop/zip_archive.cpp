#include "plexus/interop/zip_archive.hpp"

#include <memory>

#include <zip.h>

#include "plexus/core/error.hpp"

namespace plexus::interop {

std::optional<std::string> read_zip_entry(const std::string& path, const std::string& name, std::uint64_t max_bytes) {
    int code = 0;
    std::unique_ptr<zip_t, decltype(&zip_discard)> archive(zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &code), &zip_discard);
    if (!archive) {
        zip_error_t error;
        zip_error_init_with_code(&error, code);
        const std::string reason = zip_error_strerror(&error);
        zip_error_fini(&error);
        throw IoError(path + ": not a readable zip archive (" + reason + "); fix: save the model again with Keras");
    }
    const zip_int64_t index = zip_name_locate(archive.get(), name.c_str(), 0);
    if (index < 0) return std::nullopt;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(archive.get(), static_cast<zip_uint64_t>(index), 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
        throw IoError(path + ": cannot read the size of entry " + name);
    if (st.size > max_bytes)
        throw IoError(path + ": entry " + name + " declares " + std::to_string(st.size) + " bytes, more than the " + std::to_string(max_bytes) +
                      " allowed; fix: this is not a dense Keras model Plexus can import");
    std::unique_ptr<zip_file_t, decltype(&zip_fclose)> file(zip_fopen_index(archive.get(), static_cast<zip_uint64_t>(index), 0), &zip_fclose);
    if (!file) throw IoError(path + ": cannot open entry " + name + " (" + zip_strerror(archive.get()) + ")");
    std::string bytes(static_cast<std::size_t>(st.size), '\0');
    zip_int64_t done = 0;
    while (done < static_cast<zip_int64_t>(st.size)) {
        const zip_int64_t n = zip_fread(file.get(), bytes.data() + done, st.size - static_cast<zip_uint64_t>(done));
        if (n < 0) throw IoError(path + ": entry " + name + " is damaged (" + zip_file_strerror(file.get()) + "); fix: save the model again with Keras");
        if (n == 0) throw IoError(path + ": entry " + name + " is truncated; fix: save the model again with Keras");
        done += n;
    }
    return bytes;
}

}  // namespace plexus::interop
