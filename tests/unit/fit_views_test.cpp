// fit without whole copies: batches are gathered from x by train_rows and the
// validation rows are evaluated in chunks gathered from x; the numbers are those
// of Sequential::evaluate on a copy of the validation part.
#include <gtest/gtest.h>

#include <cmath>

#include "plexus/core/error.hpp"
#include "plexus/layers/dense.hpp"
#include "plexus/model/sequential.hpp"

namespace plexus {
namespace {

TEST(FitViews, ValidationInChunksEqualsEvaluateOnACopy) {
    const Index n = 1337, d = 6;  // 267 validation rows: one full chunk of 256 and a short one
    Matrix x(n, d), y(n, 1);
    for (Index i = 0; i < n; ++i) {
        for (Index j = 0; j < d; ++j) x(i, j) = static_cast<Scalar>(std::sin(0.1 * static_cast<double>(i * d + j)));
        y(i, 0) = static_cast<Scalar>((i * 7 + i / 5) % 3);
    }
    Sequential model({Dense({.units = 8, .activation = "tanh", .input_dim = d}), Dense({.units = 3, .activation = "softmax"})});
    model.compile({.optimizer = {.name = "adam"}, .loss = "sparse_categorical_crossentropy", .metrics = {"accuracy"}});
    FitOptions options{.epochs = 1, .batch_size = 32, .validation_split = 0.2, .seed = 9};
    const FitContext plan = plan_fit(model, x, y, options);
    EXPECT_EQ(plan.x_train().rows() + plan.x_val().rows(), n);
    EXPECT_EQ(plan.x_val().row(3), x.row(plan.validation_rows[3]));
    EXPECT_EQ(plan.y_train().gather(), take_rows(y, plan.train_rows));
    const History h = model.fit(x, y, options);
    const Logs copy = model.evaluate(take_rows(x, plan.validation_rows), take_rows(y, plan.validation_rows));
    EXPECT_EQ(h.history.at("val_loss").back(), copy.at("loss"));
    EXPECT_EQ(h.history.at("val_accuracy").back(), copy.at("accuracy"));
}

// evaluate with an outputs matrix: the same logs as without, and the outputs are
// exactly what predict returns with the same batch size (one forward pass for both).
TEST(FitViews, EvaluateHandsBackPredictsOutputs) {
    const Index n = 1100, d = 5;  // batches of 512: two full, one short
    Matrix x(n, d), y(n, 1);
    for (Index i = 0; i < n; ++i) {
        for (Index j = 0; j < d; ++j) x(i, j) = static_cast<Scalar>(std::cos(0.07 * static_cast<double>(i * d + j)));
        y(i, 0) = static_cast<Scalar>(i % 4);
    }
    Sequential model({Dense({.units = 7, .activation = "relu", .input_dim = d}), Dense({.units = 4, .activation = "softmax"})});
    model.compile({.optimizer = {.name = "sgd"}, .loss = "sparse_categorical_crossentropy", .metrics = {"accuracy"}});
    Matrix outputs(3, 3);  // resized by evaluate
    const Logs with = model.evaluate(x, y, {}, 512, &outputs);
    EXPECT_EQ(with, model.evaluate(x, y, {}, 512));
    EXPECT_EQ(outputs, model.predict(x, 512));
    EXPECT_THROW(model.evaluate(x, y, {}, 0), ConfigError);
}

// evaluate on row views (a part read in place through its indices): the numbers and
// outputs of evaluate on the gathered rows, for index lists in any order and batch sizes
// that do and do not divide them.
TEST(FitViews, EvaluateOnRowViewsEqualsEvaluateOnTheirCopy) {
    const Index n = 900, d = 4;
    Matrix x(n, d), y(n, 1);
    for (Index i = 0; i < n; ++i) {
        for (Index j = 0; j < d; ++j) x(i, j) = static_cast<Scalar>(std::sin(0.03 * static_cast<double>(i * d + j * j)));
        y(i, 0) = static_cast<Scalar>((i * 5 + i / 7) % 3);
    }
    Sequential model({Dense({.units = 6, .activation = "tanh", .input_dim = d}), Dense({.units = 3, .activation = "softmax"})});
    model.compile({.optimizer = {.name = "adam"}, .loss = "sparse_categorical_crossentropy", .metrics = {"accuracy"}});
    RowList rows;
    for (Index i = n - 1; i >= 0; i -= 2) rows.push_back(i);  // 450 rows, backwards
    const Matrix xc = take_rows(x, rows), yc = take_rows(y, rows);
    for (const Index batch : {Index{64}, Index{450}, Index{1024}}) {
        Matrix out_view, out_copy;
        const Logs view = model.evaluate(RowView{x, &rows}, RowView{y, &rows}, batch, &out_view);
        EXPECT_EQ(view, model.evaluate(xc, yc, {}, batch, &out_copy));
        EXPECT_EQ(out_view, out_copy);
        EXPECT_EQ(view, model.evaluate(RowView{x, &rows}, RowView{yc}, batch));  // targets already gathered
    }
    const RowList none;
    EXPECT_THROW(model.evaluate(RowView{x, &rows}, RowView{y, &none}), ShapeError);
    EXPECT_THROW(model.evaluate(RowView{x, &none}, RowView{y, &none}), DataError);
    EXPECT_THROW(model.evaluate(RowView{x, &rows}, RowView{y, &rows}, 0), ConfigError);
    Matrix bad_y = y;
    bad_y(rows[300], 0) = 7;  // not a class of 3 outputs
    EXPECT_THROW(model.evaluate(RowView{x, &rows}, RowView{bad_y, &rows}), Error);
}

}  // namespace
}  // namespace plexus
