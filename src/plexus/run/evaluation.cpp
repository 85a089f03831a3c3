// Evaluation; see evaluation.hpp.
#include "plexus/run/evaluation.hpp"

#include <algorithm>
#include <utility>

#include "plexus/metrics/metrics.hpp"
#include "plexus/run/trained_model.hpp"

namespace plexus::run {

bool targets_used_as_is(const Dataset& data, const std::string& loss, Index output_units) {
    return !data.is_classification() || loss == "sparse_categorical_crossentropy" || output_units == 1;
}

Matrix encode_targets(const Dataset& data, const std::string& loss, Index output_units) {
    if (targets_used_as_is(data, loss, output_units)) return data.y;
    return to_categorical(data.y, std::max<Index>(output_units, data.num_classes()));
}

std::vector<int> dataset_labels(const Dataset& data) {
    std::vector<int> labels(static_cast<std::size_t>(data.rows()));
    for (Index i = 0; i < data.rows(); ++i) labels[static_cast<std::size_t>(i)] = data.label(i);
    return labels;
}

namespace {

// One forward pass gives the loss, the metrics and the predictions, in batches of 1024
// rows (the weights are packed for the matrix product once per batch: fewer, larger
// batches pack them less often).
constexpr Index kBatch = 1024;

// `evaluate(outputs)` runs the model's evaluate on the rows, filling outputs.
template <typename Evaluate>
nlohmann::json evaluation_of(Sequential& model, Index rows, const Evaluate& evaluate, const Matrix& y_encoded,
                             const std::vector<int>& labels, const std::vector<std::string>& class_names, const Standardizer* target) {
    nlohmann::json j = {{"rows", rows}};
    nlohmann::json metrics = nlohmann::json::object();
    if (rows == 0) {
        j["metrics"] = metrics;
        return j;
    }
    Matrix outputs;
    for (const auto& [k, v] : evaluate(outputs)) metrics[k] = v;
    if (class_names.empty() && !model.loss().is_classification()) {
        // Regression: mse, mae and R² whatever the compiled metrics.
        std::vector<std::string> names = {"mse", "mae", "r2"};
        if (target)  // the compiled metrics too, in the target's units
            for (const auto& name : model.compile_options().metrics)
                if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
        MetricSet regression(names, model.output_dim(), false);
        if (target) regression.update(target->inverse_transform(outputs), target->inverse_transform(y_encoded));
        else regression.update(outputs, y_encoded);
        for (const auto& [k, v] : regression.result()) metrics[k] = v;
        if (target) j["target_standardized"] = true;  // loss on the standardized scale, metrics in the target's units
    }
    if (!class_names.empty()) {
        const auto k = static_cast<int>(class_names.size());
        const std::vector<int> predicted = predicted_classes(as_probabilities(model, std::move(outputs)));
        const Eigen::MatrixXi cm = confusion_matrix(labels, predicted, k);
        const ClassReport report = class_report(cm);
        double p = 0, r = 0, f = 0;
        nlohmann::json per_class = nlohmann::json::array();
        for (int c = 0; c < k; ++c) {
            const auto i = static_cast<std::size_t>(c);
            p += report.precision[i];
            r += report.recall[i];
            f += report.f1[i];
            per_class.push_back({{"class", class_names[i]},
                                 {"precision", report.precision[i]},
                                 {"recall", report.recall[i]},
                                 {"f1", report.f1[i]},
                                 {"support", report.support[i]}});
        }
        if (!metrics.contains("accuracy")) metrics["accuracy"] = static_cast<double>(cm.trace()) / static_cast<double>(cm.sum());
        metrics["precision_macro"] = p / k;
        metrics["recall_macro"] = r / k;
        metrics["f1_macro"] = f / k;
        nlohmann::json matrix = nlohmann::json::array();
        for (int a = 0; a < k; ++a) {
            nlohmann::json row = nlohmann::json::array();
            for (int b = 0; b < k; ++b) row.push_back(cm(a, b));
            matrix.push_back(row);
        }
        j["per_class"] = per_class;
        j["confusion_matrix"] = matrix;
    }
    j["metrics"] = metrics;
    return j;
}

}  // namespace

nlohmann::json evaluation_json(Sequential& model, ConstMatrixRef inputs, const Matrix& y_encoded, const std::vector<int>& labels,
                               const std::vector<std::string>& class_names, const Standardizer* target) {
    const auto evaluate = [&](Matrix& outputs) { return model.evaluate(inputs, y_encoded, {}, kBatch, &outputs); };
    return evaluation_of(model, inputs.rows(), evaluate, y_encoded, labels, class_names, target);
}

nlohmann::json evaluation_json(Sequential& model, const RowView& inputs, const Matrix& y_encoded, const std::vector<int>& labels,
                               const std::vector<std::string>& class_names, const Standardizer* target) {
    const auto evaluate = [&](Matrix& outputs) { return model.evaluate(inputs, RowView{y_encoded}, kBatch, &outputs); };
    return evaluation_of(model, inputs.rows(), evaluate, y_encoded, labels, class_names, target);
}

nlohmann::json evaluation_json(Sequential& model, ValidationPass&& pass, const Matrix& y_encoded, const std::vector<int>& labels,
                               const std::vector<std::string>& class_names, const Standardizer* target) {
    const auto evaluate = [&](Matrix& outputs) {
        outputs = std::move(pass.outputs);
        return pass.logs;
    };
    return evaluation_of(model, pass.outputs.rows(), evaluate, y_encoded, labels, class_names, target);
}

}  // namespace plexus::run
