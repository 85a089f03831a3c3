// A thin read-only RAII wrapper over Debian's libhdf5 C API, for the parts of
// HDF5 that Keras model files use: string attributes (fixed-length or
// variable-length, scalar or arrays), groups, and float datasets.
//
// Every failure becomes a plexus::IoError naming the file (its `label`) and
// the object; HDF5's own error printing is switched off. Object paths are
// absolute or relative to the root ("model_weights/dense_1").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace plexus::interop::hdf5 {

// One HDF5 identifier, closed by its matching H5?close on destruction.
class Handle {
public:
    using Closer = int (*)(std::int64_t);
    Handle() = default;
    Handle(std::int64_t id, Closer closer) : id_(id), closer_(closer) {}
    Handle(Handle&& other) noexcept : id_(other.id_), closer_(other.closer_) { other.id_ = -1; }
    Handle& operator=(Handle&& other) noexcept;
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    ~Handle();
    std::int64_t get() const { return id_; }
    bool valid() const { return id_ >= 0; }

private:
    std::int64_t id_ = -1;
    Closer closer_ = nullptr;
};

// A float dataset read into memory: row-major values and the dataset's shape.
struct FloatArray {
    std::vector<std::uint64_t> shape;
    std::vector<float> values;
};

class File {
public:
    // Opens a file on disk. IoError if it is missing or not HDF5 (or damaged).
    static File open(const std::string& path);
    // Opens an HDF5 file held in memory (e.g. model.weights.h5 inside a .keras
    // zip); `label` names it in messages ("model.keras!model.weights.h5").
    static File open_image(const std::string& bytes, const std::string& label);

    const std::string& label() const { return label_; }
    // True if every link along `path` exists.
    bool exists(const std::string& path) const;
    // Names of the members of a group, sorted. IoError if it is not a group.
    std::vector<std::string> children(const std::string& group) const;
    // A string attribute of an object, or nullopt when it has no such attribute.
    // IoError if the attribute exists but is not a scalar string.
    std::optional<std::string> string_attribute(const std::string& object, const std::string& name) const;
    // An array of strings attribute (Keras's layer_names, weight_names); an empty
    // non-string array (Keras writes float64 [] for weightless layers) gives {}.
    std::vector<std::string> strings_attribute(const std::string& object, const std::string& name) const;
    // Reads a floating-point dataset as float32. IoError if it is missing, not a
    // float type, or holds more than `max_values` values (checked before reading).
    FloatArray read_floats(const std::string& path, std::uint64_t max_values) const;

private:
    File(Handle file, std::string label) : file_(std::move(file)), label_(std::move(label)) {}
    Handle open_object(const std::string& path) const;
    [[noreturn]] void fail(const std::string& what) const;

    Handle file_;
    std::string label_;
};

}  // namespace plexus::interop::hdf5
