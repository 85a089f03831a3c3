// The library's half of the ABI check; see abi.hpp.
#include "plexus/core/abi.hpp"

#include <string>

#include "plexus/core/error.hpp"

namespace plexus::detail {

const AbiSignature PLEXUS_ABI_TAG = abi_signature_here();

bool check_abi(const AbiSignature& library, const AbiSignature& here) {
    const struct {
        const char* what;
        std::size_t AbiSignature::*field;
    } fields[] = {
        {"sizeof(Scalar)", &AbiSignature::scalar_size},
        {"EIGEN_MAX_ALIGN_BYTES", &AbiSignature::eigen_max_align_bytes},
        {"EIGEN_MAX_STATIC_ALIGN_BYTES", &AbiSignature::eigen_max_static_align_bytes},
        {"EIGEN_DEFAULT_ALIGN_BYTES", &AbiSignature::eigen_default_align_bytes},
        {"sizeof(plexus::Matrix)", &AbiSignature::matrix_size},
        {"alignof(plexus::Matrix)", &AbiSignature::matrix_align},
        {"sizeof(Eigen::Matrix4f)", &AbiSignature::fixed_matrix_size},
        {"alignof(Eigen::Matrix4f)", &AbiSignature::fixed_matrix_align},
        {"sizeof(std::vector<int>)", &AbiSignature::vector_size},
        {"sizeof(std::string)", &AbiSignature::string_size},
        {"sizeof(std::function<void()>)", &AbiSignature::function_size},
    };
    for (const auto& f : fields)
        if (library.*f.field != here.*f.field)
            throw ConfigError(std::string("plexus: this program was compiled with ") + f.what + " = " +
                              std::to_string(here.*f.field) + ", but libplexus with " + f.what + " = " +
                              std::to_string(library.*f.field) +
                              "; using the library would corrupt memory; fix: compile every file that includes "
                              "<plexus/...> with the library's flags: link the CMake target plexus::plexus "
                              "(find_package(plexus)) or use `pkg-config --cflags plexus`, and no -D_GLIBCXX_DEBUG");
    return true;
}

}  // namespace plexus::detail
