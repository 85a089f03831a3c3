// Hostile model files and model specs (issue 16): every reproducer of the issue,
// and systematic mutations of a real header, must end in a plexus::Error with a
// short message naming the field: never a crash, a hang, or another exception.
#include <gtest/gtest.h>

#include <chrono>

#include "model_file_edit.hpp"
#include "plexus/core/json_limits.hpp"
#include "plexus/data/atomic_file.hpp"
#include "plexus/io/model_file.hpp"
#include "plexus/io/model_spec.hpp"
#include "plexus/plexus.hpp"
#include "test_files.hpp"

namespace plexus {
namespace {

using nlohmann::json;
using testing::edit_header;
using testing::edit_header_text;
using testing::error_of;

class UntrustedModelFile : public testing::TempDirTest {
protected:
    // A small compiled model with Adam slots and feature ranges, saved; returns the file's bytes.
    std::string saved() {
        Sequential model({Dense({.units = 3, .activation = "tanh", .input_dim = 2}), Dense({.units = 2, .activation = "softmax"})});
        model.compile({.optimizer = {.name = "adam"}, .loss = "categorical_crossentropy"});
        model.build(2, 7);
        save_model(model, path("good.plexus"), {.class_names = {"a", "b"}, .feature_names = {"x", "y"}, .feature_ranges = {{0, 1}, {-1, 1}}});
        return read_file_bytes(path("good.plexus"));
    }
    // The IoError message of loading `bytes`, or a marker.
    std::string load_error(const std::string& bytes, const ModelLoadOptions& options = {}) {
        return error_of<IoError>([&] { load_model_bytes(bytes, "m.plexus", options); });
    }
};

TEST_F(UntrustedModelFile, UntouchedFileLoads) {
    const auto loaded = load_model_bytes(saved(), "m.plexus");
    EXPECT_EQ(loaded.metadata.feature_ranges.size(), 2u);
    EXPECT_EQ(loaded.model.optimizer().slots().size(), 2u);
}

TEST_F(UntrustedModelFile, FeatureRangesOfEmptyListsAreRejected) {
    const auto e = load_error(edit_header(saved(), [](json& h) { h["metadata"]["feature_ranges"] = json::parse("[[],[]]"); }));
    EXPECT_CONTAINS(e, "metadata.feature_ranges[0]: expected a [min, max] pair");
}

TEST_F(UntrustedModelFile, DeepListInLayerConfigIsRejectedBeforeParsing) {
    const auto bytes = edit_header_text(saved(), [](const std::string& text) {
        auto header = json::parse(text);
        header["config"]["layers"][0]["units"] = "DEEP";
        std::string out = header.dump();
        return out.replace(out.find("\"DEEP\""), 6, std::string(100000, '[') + std::string(100000, ']'));
    });
    const auto start = std::chrono::steady_clock::now();
    const auto e = load_error(bytes);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
    EXPECT_CONTAINS(e, "nests deeper than 64 levels");
    EXPECT_LT(e.size(), 400u);
}

TEST_F(UntrustedModelFile, SlotOffsetsThatWrapOrOverrunArePayloadErrors) {
    const auto good = saved();
    const auto e = load_error(edit_header(good, [](json& h) { h["optimizer_state"]["slots"][0]["offset"] = 18446744073709551600ull; }));
    EXPECT_CONTAINS(e, "optimizer_state.slots[0].offset");
    const auto small = load_error(edit_header(good, [](json& h) {
        h["optimizer_state"]["slots"][1]["offset"] = h["payload_bytes"].get<std::size_t>() - 8;
    }));
    EXPECT_CONTAINS(small, "optimizer_state.slots[1]: the data at byte offset");
    const auto size = load_error(edit_header(good, [](json& h) { h["optimizer_state"]["slots"][0]["size"] = 4611686018427387904ull; }));
    EXPECT_CONTAINS(size, "outside the payload");
}

TEST_F(UntrustedModelFile, TensorTableIsCheckedAgainstLayersAndPayload) {
    const auto good = saved();
    EXPECT_CONTAINS(load_error(edit_header(good, [](json& h) { h["tensors"][0]["layer"] = 7; })),
                    "tensors[0].layer: expected an integer in [0, 1], received an integer 7");
    EXPECT_CONTAINS(load_error(edit_header(good, [](json& h) { h["tensors"][0]["shape"] = {16777216, 16777216}; })),
                    "tensors[0]: the data at byte offset 0");
    EXPECT_CONTAINS(load_error(edit_header(good, [](json& h) { h["tensors"][1]["shape"] = {3, 2}; })), "expects (1, 3), received (3, 2)");
    EXPECT_CONTAINS(load_error(edit_header(good, [](json& h) { h["tensors"][0]["shape"] = json::array(); })), "expected [rows, cols]");
}

TEST_F(UntrustedModelFile, WrongJsonTypesNameTheField) {
    const auto good = saved();
    const std::vector<std::pair<std::string, json>> cases = {
        {"/config/input_dim", "2"},          {"/config/layers/0/units", "3"},     {"/config/compile/loss", 3},
        {"/metadata/epoch", "x"},            {"/metadata/class_names", {1, 2}},   {"/metadata/extra", {1}},
        {"/optimizer_state/iterations", -1}, {"/self_test/input", {json::array()}}, {"/seed", -5},
        {"/payload_bytes", "1"},             {"/tensors", json::object()},        {"/config/layers", json::array()},
    };
    for (const auto& [pointer, value] : cases) {
        const auto e = load_error(edit_header(good, [&](json& h) { h[json::json_pointer(pointer)] = value; }));
        EXPECT_EQ(e.find("<"), std::string::npos) << pointer << ": " << e;
        EXPECT_CONTAINS(e, "m.plexus") << pointer;
    }
    EXPECT_CONTAINS(load_error(edit_header(good, [](json& h) { h["config"]["input_dim"] = "2"; })),
                    "header.config.input_dim: expected an integer in [1, 16777216], received a string \"2\"");
}

TEST_F(UntrustedModelFile, HugeUnitsAreRejectedBeforeAllocating) {
    const auto good = saved();
    EXPECT_CONTAINS(load_error(edit_header(good, [](json& h) { h["config"]["layers"][0]["units"] = 4611686018427387904ll; })),
                    "Dense.units: expected an integer in [1, 16777216]");
    EXPECT_CONTAINS(load_error(edit_header(good, [](json& h) { h["config"]["layers"][0]["units"] = 1000000; })),
                    "more than the limit of 65536");
    const auto e = load_error(edit_header(good, [](json& h) { h["config"]["layers"][0]["units"] = 30000; }),
                              {.model = {.max_parameters = 1000}});
    EXPECT_CONTAINS(e, "past the limit of 1000 parameters");
}

TEST_F(UntrustedModelFile, HeaderSizeLimitIsAnOption) {
    EXPECT_CONTAINS(load_error(saved(), {.header = {.max_bytes = 100}}), "larger than the limit of 100 bytes");
}

// Every leaf of a real header replaced by values of other types and ranges: each
// load ends in success or a plexus::Error, never another exception or a crash.
TEST_F(UntrustedModelFile, SystematicLeafMutationsEndInPlexusErrors) {
    const auto good = saved();
    const auto flat = json::parse(testing::split_model_file(good).header).flatten();
    const std::vector<json> replacements = {"s", -1, 0, 4611686018427387904ll, 1e300, json::array(), json::object(), nullptr, true};
    int errors = 0, loads = 0;
    for (const auto& [pointer, original] : flat.items()) {
        for (const auto& value : replacements) {
            const auto bytes = edit_header(good, [&](json& h) { h[json::json_pointer(pointer)] = value; });
            try {
                load_model_bytes(bytes, "m.plexus");
                ++loads;
            } catch (const Error&) {
                ++errors;
            } catch (const std::exception& e) {
                ADD_FAILURE() << pointer << " = " << value.dump() << ": " << e.what();
            }
        }
    }
    EXPECT_GT(errors, 100);
    EXPECT_GT(loads, 0);  // e.g. a layer's name may change
}

TEST_F(UntrustedModelFile, EveryTruncationIsAnIoError) {
    const auto good = saved();
    for (std::size_t n = 0; n < good.size(); n += 3) {
        const auto e = load_error(good.substr(0, n));
        EXPECT_EQ(e.find("<"), std::string::npos) << n << ": " << e;
    }
}

TEST(UntrustedModelSpec, HundredThousandNestedBracketsAreRejectedQuickly) {
    const auto start = std::chrono::steady_clock::now();
    const auto e = error_of<ConfigError>([] { model_from_spec_text(std::string(100000, '['), "spec.json"); });
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
    EXPECT_CONTAINS(e, "spec.json:1:65: JSON nests deeper than 64 levels");
    EXPECT_LT(e.size(), 300u);
}

TEST(UntrustedModelSpec, DeepListInsideALayerIsRejected) {
    const std::string text = "[{\"type\": \"Dense\", \"units\": " + std::string(100000, '[') + std::string(100000, ']') + "}]";
    EXPECT_CONTAINS(error_of<ConfigError>([&] { model_from_spec_text(text, "spec.json"); }), "nests deeper");
    // A deep value built in memory (no parser involved) is reported with a short excerpt.
    // 2000 levels: json::array({...}) copies its element (an initializer list), and nlohmann
    // copies recursively, about 1 KB of stack per level under AddressSanitizer (8 MB stack).
    json deep = 1;
    for (int i = 0; i < 2000; ++i) deep = json::array({std::move(deep)});
    const auto e = error_of<ConfigError>([&] { model_from_spec(json::array({{{"type", "Dense"}, {"units", deep}}}), "spec"); });
    EXPECT_CONTAINS(e, "spec: layer 1: Dense.units: expected an integer");
    EXPECT_LT(e.size(), 300u);
}

TEST(UntrustedModelSpec, UnitsAreCapped) {
    EXPECT_CONTAINS(error_of<ConfigError>([] { model_from_spec_text(R"([{"type": "Dense", "units": 4611686018427387904}])", "s"); }),
                    "s: layer 1: Dense.units: expected an integer in [1, 16777216], received an integer 4611686018427387904");
    EXPECT_CONTAINS(error_of<ConfigError>([] { model_from_spec_text(R"([{"type": "Dense", "units": 1000000}])", "s"); }),
                    "layer 1 (Dense 'dense') has 1000000 units, more than the limit of 65536");
    EXPECT_CONTAINS(error_of<ConfigError>([] { model_from_spec_text(R"([{"type": "Dense", "units": 2147483648}])", "s"); }),
                    "Dense.units: expected an integer in [1, 16777216]");
    const auto model = model_from_spec_text(R"([{"type": "Dense", "units": 1000000}])", "s", {.max_units = 1000000});
    EXPECT_EQ(model.layers().size(), 1u);
    EXPECT_CONTAINS(error_of<ConfigError>([] {
                        model_from_spec_text(R"([{"type": "Dense", "units": 60000}, {"type": "Dense", "units": 60000}])", "s");
                    }),
                    "layer 2 (Dense 'dense_1'): its kernel of 60000 x 60000 takes the model past the limit of 67108864 parameters");
    EXPECT_CONTAINS(error_of<ConfigError>([] { Dense({.units = Index{1} << 31}); }), "units must be at most 16777216");
}

TEST(UntrustedModelSpec, ManyLayersAreCappedAndAddingThemIsLinear) {
    std::string text = "[";
    for (int i = 0; i < 100000; ++i) text += std::string(i ? "," : "") + (i % 2 ? R"({"type": "Dropout", "rate": 0.1})" : R"({"type": "Activation"})");
    text += "]";
    const auto start = std::chrono::steady_clock::now();
    EXPECT_CONTAINS(error_of<ConfigError>([&] { model_from_spec_text(text, "s"); }), "the spec lists 100000 layers, more than the limit of 1024");
    const auto model = model_from_spec_text(text, "s", {.max_layers = 100000});
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));  // quadratic naming took minutes
    EXPECT_EQ(model.layers()[99999]->name(), "dropout_49999");
    EXPECT_EQ(model.layers()[99998]->name(), "activation_49999");
}

TEST(UntrustedModelSpec, AutomaticNamesAreUnchanged) {
    const auto model = model_from_spec_text(
        R"({"layers": [{"type": "Dense", "units": 2}, {"type": "Dropout"}, {"type": "Dense", "units": 2, "name": "mine"},
                       {"type": "Dense", "units": 2}, {"type": "Activation", "activation": "relu"}]})",
        "s");
    std::vector<std::string> names;
    for (const auto& layer : model.layers()) names.push_back(layer->name());
    EXPECT_EQ(names, (std::vector<std::string>{"dense", "dropout", "mine", "dense_2", "activation"}));
}

TEST(UntrustedModelSpec, WrongTypesNameTheLayerAndField) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {R"([{"type": 3}])", "layer 1: layer config needs a string \"type\""},
        {R"([{"type": "Dense", "units": 4, "activation": 5}])", "Dense.activation: expected a string, received an integer 5"},
        {R"([{"type": "Dense", "units": 4, "use_bias": "yes"}])", "Dense.use_bias: expected true or false"},
        {R"([{"type": "Dense", "units": 4, "kernel_initializer": [1]}])", "Dense.kernel_initializer: expected an object"},
        {R"([{"type": "Dense", "units": 4, "kernel_regularizer": {"l2": -1}}])", "Dense.kernel_regularizer.l2: expected a finite number in [0, 1e+30]"},
        {R"([{"type": "Dropout", "rate": 2}])", "Dropout.rate: expected a finite number in [0, 1]"},
        {R"([{"type": "Dense", "units": 4.5}])", "Dense.units: expected an integer"},
        {R"({"a": 1})", "expected a non-empty JSON list of layers"},
        {R"([{"type": "Dense", "units": 4},])", "s:1:32: invalid JSON"},
        {"[\"\xff\"]", "s:1:3: invalid JSON"},
    };
    for (const auto& [text, expected] : cases) EXPECT_CONTAINS(error_of<ConfigError>([&] { model_from_spec_text(text, "s"); }), expected);
}

TEST(JsonLimits, ParseErrorsGiveLineAndColumnAndAShortExcerpt) {
    EXPECT_CONTAINS(error_of<DataError>([] { parse_json_bounded("{\n  \"a\": ,\n}", {}, "f.json"); }), "f.json:2:8: invalid JSON near");
    EXPECT_CONTAINS(error_of<IoError>([] { parse_json_bounded("[1, 2]", {.max_bytes = 3}, "f", JsonErrorKind::io); }),
                    "f: JSON text of 6 bytes is larger than the limit of 3 bytes");
    EXPECT_CONTAINS(error_of<DataError>([] { parse_json_bounded("[1e400]", {}, "f"); }), "f:");
    const auto e = error_of<DataError>([] { parse_json_bounded("[\"" + std::string(100000, 'a') + "\" x]", {}, "f"); });
    EXPECT_LT(e.size(), 300u);
    // Brackets inside strings do not count toward the depth.
    EXPECT_NO_THROW(parse_json_bounded("[\"" + std::string(1000, '[') + "\\\"]\"]", {.max_depth = 2}, "f"));
    EXPECT_NO_THROW(parse_json_bounded("[[1]]", {.max_depth = 2}, "f"));
    EXPECT_CONTAINS(error_of<DataError>([] { parse_json_bounded("[[[1]]]", {.max_depth = 2}, "f"); }), "f:1:3: JSON nests deeper than 2");
}

TEST(JsonLimits, CheckedAccessors) {
    const json doc = json::parse(R"({"n": 18446744073709551615, "x": 1.5, "s": "abc", "list": [1, "two"], "z": null})");
    const JsonField root(doc, "doc");
    EXPECT_CONTAINS(error_of<DataError>([&] { root.at("n").integer(0, 10); }), "doc.n: expected an integer in [0, 10]");
    EXPECT_EQ(root.at("x").number(0, 2), 1.5);
    EXPECT_CONTAINS(error_of<DataError>([&] { root.at("x").number(0, 1); }), "doc.x: expected a finite number in [0, 1], received a number 1.5");
    EXPECT_CONTAINS(error_of<DataError>([&] { root.at("s").string(2); }), "doc.s: expected a string of at most 2 bytes");
    EXPECT_CONTAINS(error_of<DataError>([&] { root.at("list").at(1).integer(0, 9); }), "doc.list[1]: expected an integer");
    EXPECT_CONTAINS(error_of<DataError>([&] { root.at("list").at(5); }), "doc.list: expected at least 6 items, received 2");
    EXPECT_CONTAINS(error_of<DataError>([&] { root.at("list").array(1); }), "at most 1 items");
    EXPECT_CONTAINS(error_of<DataError>([&] { root.at("missing"); }), "doc: missing required field \"missing\"");
    EXPECT_EQ(root.integer_or("z", 4, 0, 9), 4);  // null counts as absent
    EXPECT_CONTAINS(error_of<ConfigError>([&] { JsonField(doc, "c", JsonErrorKind::config).at("s").boolean(); }), "c.s: expected true or false");
}

}  // namespace
}  // namespace plexus
