// Replays the committed fuzz corpora (tests/fuzz/corpus/<target>/) through the
// same entry points the libFuzzer targets use, so that every input a fuzzing
// campaign found interesting stays a regression case of the normal (g++) suite.
#include <gtest/gtest.h>

#include <filesystem>

#include "../fuzz/fuzz_entries.hpp"
#include "plexus/data/atomic_file.hpp"

namespace plexus {
namespace {

class FuzzReplay : public ::testing::TestWithParam<std::pair<const char*, fuzz::Entry>> {};

TEST_P(FuzzReplay, EveryCorpusFileEndsWithoutACrashOrAForeignException) {
    const auto [name, entry] = GetParam();
    const std::filesystem::path dir = std::filesystem::path(PLEXUS_TEST_DATA_DIR) / "fuzz" / "corpus" / name;
    ASSERT_TRUE(std::filesystem::is_directory(dir)) << dir;
    std::size_t files = 0;
    for (const auto& file : std::filesystem::directory_iterator(dir)) {
        const std::string bytes = read_file_bytes(file.path().string());
        EXPECT_NO_THROW(entry(bytes)) << file.path();
        ++files;
    }
    EXPECT_GT(files, 0u) << "empty corpus " << dir;
}

INSTANTIATE_TEST_SUITE_P(Corpus, FuzzReplay, ::testing::ValuesIn(fuzz::entries()),
                         [](const auto& p) { return std::string(p.param.first); });

}  // namespace
}  // namespace plexus
