// A model saved from the C++ API, opened as the command line opens it
// (run::open_model): a softmax classifier is a classifier with classes "0",
// "1", ..., it carries the epochs it was trained for, and its predictions CSV
// has one header per column.
#include <gtest/gtest.h>

#include "plexus/data/datasets.hpp"
#include "plexus/plexus.hpp"
#include "plexus/run/outputs.hpp"
#include "plexus/run/trained_model.hpp"
#include "test_files.hpp"

namespace plexus {
namespace {

class LibrarySavedModel : public testing::TempDirTest {};

TEST_F(LibrarySavedModel, KeepsItsTaskAndEpochs) {
    const Dataset d = make_dataset("moons", {.samples = 100});
    Sequential model({Dense({.units = 8, .activation = "tanh", .input_dim = 2}), Dense({.units = 2, .activation = "softmax"})});
    model.compile({.optimizer = {.name = "adam"}, .loss = "categorical_crossentropy"});
    model.fit(d.x, to_categorical(d.y, 2), {.epochs = 7, .verbose = 0});
    EXPECT_EQ(model.epochs_trained(), 7);
    save_model(model, path("m.plexus"));

    run::ModelFile mf = run::open_model(path("m.plexus"));
    EXPECT_TRUE(mf.classification());
    EXPECT_EQ(mf.metadata().class_names, (std::vector<std::string>{"0", "1"}));
    EXPECT_EQ(mf.metadata().epoch, 7);
    const Matrix outputs = run::predict_outputs(mf.model(), d.x.topRows(3));
    const std::string csv = run::predictions_csv(run::feature_names_or_default({}, 2), d.x.topRows(3), outputs,
                                                 mf.metadata().class_names);
    const std::string header = csv.substr(0, csv.find('\n'));
    const std::string row = csv.substr(csv.find('\n') + 1, csv.find('\n', csv.find('\n') + 1) - csv.find('\n') - 1);
    EXPECT_EQ(header, "x1,x2,p_0,p_1,class");
    EXPECT_EQ(std::count(header.begin(), header.end(), ','), std::count(row.begin(), row.end(), ',')) << csv;

    // A regression model stays one.
    Sequential reg({Dense({.units = 1, .input_dim = 2})});
    reg.compile({.optimizer = {.name = "sgd"}, .loss = "mse"});
    reg.build(2);
    save_model(reg, path("r.plexus"));
    EXPECT_FALSE(run::open_model(path("r.plexus")).classification());
}

}  // namespace
}  // namespace plexus
