// What the importer and exporter say when this build lacks their libraries
// (CMake compiles this file with the PLEXUS_HAVE_* macros of what was found).
#include "plexus/core/error.hpp"
#include "plexus/interop/keras_source.hpp"
#include "plexus/interop/onnx_export.hpp"

namespace plexus::interop {

#ifndef PLEXUS_HAVE_KERAS_FILES
namespace {
[[noreturn]] void no_keras_files(const std::string& path) {
    throw IoError(path + ": this Plexus was built without libhdf5/libzip; fix: install libhdf5-dev and libzip-dev (scripts/setup.sh) and rebuild");
}
}  // namespace
KerasSource open_keras_hdf5(const std::string& path) { no_keras_files(path); }
KerasSource open_keras_zip(const std::string& path) { no_keras_files(path); }
#endif

#ifndef PLEXUS_HAVE_ONNX
bool onnx_export_supported() { return false; }
std::string export_onnx(Sequential&, const ModelMetadata&) {
    throw IoError("this Plexus was built without ONNX support; fix: install libonnx-dev and libprotobuf-dev "
                  "(scripts/setup.sh) and rebuild");
}
#endif

}  // namespace plexus::interop
