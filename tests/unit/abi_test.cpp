// The ABI check between libplexus and its users (plexus/core/abi.hpp).
#include <gtest/gtest.h>

#include <string>

#include "plexus/core/abi.hpp"
#include "plexus/core/error.hpp"

namespace plexus::detail {
namespace {

TEST(Abi, ThisTestAgreesWithTheLibrary) {
    EXPECT_TRUE(check_abi(PLEXUS_ABI_TAG, abi_signature_here()));
    EXPECT_EQ(abi_signature_here().eigen_max_align_bytes, 64u);  // pinned by CMake (PLEXUS_EIGEN_ALIGN_BYTES)
}

TEST(Abi, AMismatchNamesTheSettingAndTheFix) {
    AbiSignature program = abi_signature_here();
    program.eigen_default_align_bytes = 16;  // what plain x86-64 gives without the pinned definitions
    try {
        check_abi(PLEXUS_ABI_TAG, program);
        FAIL() << "no error";
    } catch (const ConfigError& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("EIGEN_DEFAULT_ALIGN_BYTES = 16"), std::string::npos) << m;
        EXPECT_NE(m.find("libplexus with EIGEN_DEFAULT_ALIGN_BYTES = 64"), std::string::npos) << m;
        EXPECT_NE(m.find("fix:"), std::string::npos) << m;
        EXPECT_NE(m.find("plexus::plexus"), std::string::npos) << m;
    }
    program = abi_signature_here();
    program.vector_size += 8;  // e.g. -D_GLIBCXX_DEBUG
    EXPECT_THROW(check_abi(PLEXUS_ABI_TAG, program), ConfigError);
}

}  // namespace
}  // namespace plexus::detail
