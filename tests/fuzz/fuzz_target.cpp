// One libFuzzer target per entry of fuzz_entries.hpp, chosen at compile time
// (PLEXUS_FUZZ_ENTRY, e.g. csv). Built by tests/fuzz/CMakeLists.txt with clang.
#include <cstddef>
#include <cstdint>

#include "fuzz_entries.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    plexus::fuzz::PLEXUS_FUZZ_ENTRY(std::string_view(reinterpret_cast<const char*>(data), size));
    return 0;
}
