#include "plexus/interop/hdf5.hpp"

#include <algorithm>
#include <type_traits>

#include <hdf5.h>

#include "plexus/core/error.hpp"

namespace plexus::interop::hdf5 {
namespace {

static_assert(std::is_same_v<hid_t, std::int64_t>, "the wrapper stores hid_t as int64_t (HDF5 >= 1.10)");

// HDF5 prints an error stack on stderr by default; Plexus reports errors itself.
void silence() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

std::vector<std::string> split_path(const std::string& path) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= path.size()) {
        const auto slash = path.find('/', start);
        const auto end = slash == std::string::npos ? path.size() : slash;
        if (end > start) parts.push_back(path.substr(start, end - start));
        if (slash == std::string::npos) break;
        start = slash + 1;
    }
    return parts;
}

std::string trim_nuls(const char* data, std::size_t size) {
    std::string s(data, size);
    const auto end = s.find('\0');
    if (end != std::string::npos) s.resize(end);
    return s;
}

}  // namespace

Handle& Handle::operator=(Handle&& other) noexcept {
    if (this != &other) {
        if (id_ >= 0 && closer_) closer_(id_);
        id_ = other.id_;
        closer_ = other.closer_;
        other.id_ = -1;
    }
    return *this;
}

Handle::~Handle() {
    if (id_ >= 0 && closer_) closer_(id_);
}

File File::open(const std::string& path) {
    silence();
    if (H5Fis_hdf5(path.c_str()) <= 0)
        throw IoError(path + ": not a readable HDF5 file (truncated or damaged?); fix: save the model again with Keras");
    Handle f(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), &H5Fclose);
    if (!f.valid()) throw IoError(path + ": cannot open the HDF5 file (truncated or damaged?); fix: save the model again with Keras");
    return File(std::move(f), path);
}

File File::open_image(const std::string& bytes, const std::string& label) {
    silence();
    Handle fapl(H5Pcreate(H5P_FILE_ACCESS), &H5Pclose);
    if (!fapl.valid() || H5Pset_fapl_core(fapl.get(), 1 << 16, 0) < 0 ||
        H5Pset_file_image(fapl.get(), const_cast<char*>(bytes.data()), bytes.size()) < 0)
        throw IoError(label + ": cannot set up an in-memory HDF5 file");
    Handle f(H5Fopen(label.c_str(), H5F_ACC_RDONLY, fapl.get()), &H5Fclose);
    if (!f.valid()) throw IoError(label + ": not a readable HDF5 file (truncated or damaged?); fix: save the model again with Keras");
    return File(std::move(f), label);
}

void File::fail(const std::string& what) const { throw IoError(label_ + ": " + what); }

bool File::exists(const std::string& path) const {
    std::string prefix;
    for (const auto& part : split_path(path)) {
        prefix += (prefix.empty() ? "" : "/") + part;
        if (H5Lexists(file_.get(), prefix.c_str(), H5P_DEFAULT) <= 0) return false;
    }
    return true;
}

Handle File::open_object(const std::string& path) const {
    if (!exists(path)) fail("missing '" + path + "'");
    Handle object(H5Oopen(file_.get(), path.empty() ? "/" : path.c_str(), H5P_DEFAULT), &H5Oclose);
    if (!object.valid()) fail("cannot open '" + path + "' (damaged file?)");
    return object;
}

std::vector<std::string> File::children(const std::string& group) const {
    Handle g(H5Gopen2(file_.get(), group.empty() ? "/" : group.c_str(), H5P_DEFAULT), &H5Gclose);
    if (!g.valid()) fail("'" + group + "' is not a group");
    H5G_info_t info{};
    if (H5Gget_info(g.get(), &info) < 0) fail("cannot list '" + group + "'");
    std::vector<std::string> names;
    for (hsize_t i = 0; i < info.nlinks; ++i) {
        const ssize_t n = H5Lget_name_by_idx(g.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
        if (n < 0) fail("cannot list '" + group + "'");
        std::string name(static_cast<std::size_t>(n) + 1, '\0');
        H5Lget_name_by_idx(g.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size(), H5P_DEFAULT);
        name.resize(static_cast<std::size_t>(n));
        names.push_back(std::move(name));
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::vector<std::string> File::strings_attribute(const std::string& object, const std::string& name) const {
    Handle obj = open_object(object);
    if (H5Aexists(obj.get(), name.c_str()) <= 0) fail("'" + object + "' has no attribute '" + name + "'");
    const std::string where = "attribute '" + name + "' of '" + (object.empty() ? "/" : object) + "'";
    Handle attr(H5Aopen(obj.get(), name.c_str(), H5P_DEFAULT), &H5Aclose);
    Handle type(H5Aget_type(attr.get()), &H5Tclose);
    Handle space(H5Aget_space(attr.get()), &H5Sclose);
    if (!attr.valid() || !type.valid() || !space.valid()) fail("cannot read the " + where);
    const hssize_t count = H5Sget_simple_extent_npoints(space.get());
    if (count < 0 || count > (1 << 20)) fail("the " + where + " has an invalid size");
    if (H5Tget_class(type.get()) != H5T_STRING) {
        if (count == 0) return {};
        fail("the " + where + " is not a string");
    }
    std::vector<std::string> out;
    const auto n = static_cast<std::size_t>(count);
    if (H5Tis_variable_str(type.get()) > 0) {
        Handle mem(H5Tcopy(H5T_C_S1), &H5Tclose);
        H5Tset_size(mem.get(), H5T_VARIABLE);
        H5Tset_cset(mem.get(), H5Tget_cset(type.get()));
        std::vector<char*> ptrs(n, nullptr);
        if (H5Aread(attr.get(), mem.get(), ptrs.data()) < 0) fail("cannot read the " + where);
        for (char* p : ptrs) out.emplace_back(p ? p : "");
        H5Dvlen_reclaim(mem.get(), space.get(), H5P_DEFAULT, ptrs.data());
    } else {
        const std::size_t size = H5Tget_size(type.get());
        if (size == 0 || size > (1u << 26) / std::max<std::size_t>(n, 1)) fail("the " + where + " is too large");
        std::string buffer(size * n, '\0');
        Handle mem(H5Tcopy(type.get()), &H5Tclose);
        if (H5Aread(attr.get(), mem.get(), buffer.data()) < 0) fail("cannot read the " + where);
        for (std::size_t i = 0; i < n; ++i) out.push_back(trim_nuls(buffer.data() + i * size, size));
    }
    return out;
}

std::optional<std::string> File::string_attribute(const std::string& object, const std::string& name) const {
    Handle obj = open_object(object);
    if (H5Aexists(obj.get(), name.c_str()) <= 0) return std::nullopt;
    auto values = strings_attribute(object, name);
    if (values.size() != 1) fail("attribute '" + name + "' of '" + (object.empty() ? "/" : object) + "' is not a single string");
    return values.front();
}

FloatArray File::read_floats(const std::string& path, std::uint64_t max_values) const {
    if (!exists(path)) fail("missing dataset '" + path + "'");
    Handle set(H5Dopen2(file_.get(), path.c_str(), H5P_DEFAULT), &H5Dclose);
    if (!set.valid()) fail("'" + path + "' is not a dataset");
    Handle type(H5Dget_type(set.get()), &H5Tclose);
    Handle space(H5Dget_space(set.get()), &H5Sclose);
    if (!type.valid() || !space.valid()) fail("cannot read dataset '" + path + "'");
    if (H5Tget_class(type.get()) != H5T_FLOAT)
        fail("dataset '" + path + "' is not floating point; fix: Plexus imports float16/32/64 weights");
    const int rank = H5Sget_simple_extent_ndims(space.get());
    if (rank < 0 || rank > 8) fail("dataset '" + path + "' has an invalid rank");
    FloatArray out;
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
    H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
    std::uint64_t total = 1;
    for (hsize_t d : dims) {
        out.shape.push_back(d);
        if (d != 0 && total > max_values / d) fail("dataset '" + path + "' declares more values than expected (" + std::to_string(max_values) + ")");
        total *= d;
    }
    if (total > max_values) fail("dataset '" + path + "' declares " + std::to_string(total) + " values, expected at most " + std::to_string(max_values));
    out.values.resize(static_cast<std::size_t>(total));
    if (total > 0 && H5Dread(set.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.values.data()) < 0)
        fail("cannot read dataset '" + path + "' (truncated or damaged file?)");
    return out;
}

}  // namespace plexus::interop::hdf5
