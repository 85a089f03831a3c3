// Trained models; see trained_model.hpp.
#include "plexus/run/trained_model.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <system_error>

#include "plexus/run/config.hpp"

namespace plexus::run {
namespace fs = std::filesystem;

nlohmann::json to_json(const Standardizer& s) {
    std::vector<double> mean, scale;
    for (Index j = 0; j < s.mean.size(); ++j) {
        mean.push_back(static_cast<double>(s.mean(j)));
        scale.push_back(static_cast<double>(s.scale(j)));
    }
    return {{"mean", mean}, {"scale", scale}};
}

std::optional<Standardizer> standardizer_from_extra(const nlohmann::json& extra, const std::string& key) {
    if (!extra.is_object() || !extra.contains(key) || extra[key].is_null()) return std::nullopt;
    const auto mean = extra[key].at("mean").get<std::vector<double>>();
    const auto scale = extra[key].at("scale").get<std::vector<double>>();
    if (mean.size() != scale.size() || mean.empty()) throw IoError("the stored standardizer has mismatched mean and scale");
    Standardizer s;
    s.mean.resize(static_cast<Index>(mean.size()));
    s.scale.resize(static_cast<Index>(scale.size()));
    for (std::size_t j = 0; j < mean.size(); ++j) {
        s.mean(static_cast<Index>(j)) = static_cast<Scalar>(mean[j]);
        s.scale(static_cast<Index>(j)) = static_cast<Scalar>(scale[j]);
    }
    return s;
}

ModelFile open_model(const std::string& path, const std::string& option, const ModelLoadOptions& options) {
    std::string file = path;
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        file = (fs::path(path) / "model.plexus").string();
        if (!fs::exists(file, ec))
            throw UsageError(option + " " + path + ": is a folder without model.plexus; fix: give a model file or a run folder written by `plexus train`");
    } else if (!fs::exists(path, ec)) {
        throw UsageError(option + " " + path + ": no such file; fix: give a model file written by `plexus train` (e.g. run/model.plexus)");
    }
    ModelFile mf;
    mf.path = file;
    try {
        mf.loaded = load_model(file, options);
        mf.standardizer = standardizer_from_extra(mf.loaded.metadata.extra);
        mf.target_standardizer = standardizer_from_extra(mf.loaded.metadata.extra, "target_standardizer");
    } catch (const IoError& e) {
        std::string msg = e.what();
        if (msg.find("retrain") == std::string::npos && msg.find("fix") == std::string::npos)
            msg += "; fix: the file is damaged or incomplete (an interrupted copy?): copy it again or retrain with `plexus train`";
        throw IoError(option + ": " + msg);
    } catch (const nlohmann::json::exception& e) {
        throw IoError(option + ": " + file + ": corrupted model file (metadata: " + e.what() + "); fix: retrain with `plexus train`");
    }
    auto& meta = mf.loaded.metadata;
    Sequential& model = mf.loaded.model;
    if (meta.class_names.empty() && model.compiled() && model.loss().is_classification()) {
        const Index units = model.output_dim();
        for (Index c = 0; c < (units == 1 ? 2 : units); ++c) meta.class_names.push_back(std::to_string(c));
    }
    if (mf.standardizer && mf.standardizer->features() != mf.input_dim())
        throw IoError(option + ": " + file + ": corrupted model file (standardizer width differs from the model's input); fix: retrain");
    return mf;
}

std::string support_summary_text(ConstMatrixRef x_train, std::uint64_t seed) {
    return SupportSummary::fit(x_train, {.seed = seed}).to_base64();
}

std::string support_summary_text(ConstMatrixRef x, std::span<const RowIndex> rows, std::uint64_t seed) {
    return SupportSummary::fit(x, rows, {.seed = seed}).to_base64();
}

std::optional<SupportSummary> support_from_extra(const nlohmann::json& extra, const std::string& file) {
    if (extra.is_object() && extra.contains("support_summary")) {
        const auto& text = extra["support_summary"];
        try {
            if (!text.is_string()) throw DataError("not a string");
            return SupportSummary::from_base64(text.get<std::string>());
        } catch (const DataError& e) {
            throw IoError(file + ": corrupted model file (metadata.extra.support_summary: " + e.what() + "); fix: retrain with `plexus train`");
        }
    }
    if (const auto sample = support_sample_from_extra(extra)) return SupportSummary::fit(*sample);
    return std::nullopt;
}

nlohmann::json support_sample_json(ConstMatrixRef x) {
    // At most 2000 rows and 100000 numbers: small next to the weights of any model that needs more.
    const Index budget = std::max<Index>(1, std::min<Index>(2000, 100000 / std::max<Index>(1, x.cols())));
    RowList rows;
    if (x.rows() <= budget) {
        for (Index i = 0; i < x.rows(); ++i) rows.push_back(i);
    } else {
        for (Index k = 0; k < budget; ++k) rows.push_back(k * x.rows() / budget);
        for (Index j = 0; j < x.cols(); ++j) {
            Index lo = 0, hi = 0;
            x.col(j).minCoeff(&lo);
            x.col(j).maxCoeff(&hi);
            rows.push_back(lo);
            rows.push_back(hi);
        }
        std::sort(rows.begin(), rows.end());
        rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    }
    nlohmann::json out = nlohmann::json::array();
    for (Index i : rows) {
        std::vector<float> row;
        for (Index j = 0; j < x.cols(); ++j) row.push_back(static_cast<float>(x(i, j)));
        out.push_back(row);
    }
    return out;
}

std::optional<Matrix> support_sample_from_extra(const nlohmann::json& extra) {
    if (!extra.is_object() || !extra.contains("support_sample") || !extra["support_sample"].is_array() || extra["support_sample"].empty())
        return std::nullopt;
    const auto& rows = extra["support_sample"];
    const auto cols = static_cast<Index>(rows[0].size());
    Matrix m(static_cast<Index>(rows.size()), cols);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (static_cast<Index>(rows[i].size()) != cols) return std::nullopt;
        for (Index j = 0; j < cols; ++j) m(static_cast<Index>(i), j) = static_cast<Scalar>(rows[i][static_cast<std::size_t>(j)].get<double>());
    }
    return m;
}

Matrix model_inputs(const ModelFile& model, const Matrix& x) {
    return model.standardizer ? model.standardizer->transform(x) : x;
}

Matrix predict_outputs(ModelFile& model, const Matrix& inputs) {
    Matrix out = predict_outputs(model.model(), inputs);
    return model.target_standardizer ? model.target_standardizer->inverse_transform(out) : out;
}

Matrix predict_outputs(Sequential& model, ConstMatrixRef inputs) { return as_probabilities(model, model.predict(inputs)); }

Matrix as_probabilities(const Sequential& model, Matrix out) {
    if (!model.compile_options().from_logits) return out;
    if (out.cols() == 1) {
        for (Index i = 0; i < out.rows(); ++i) out(i, 0) = static_cast<Scalar>(1.0 / (1.0 + std::exp(-static_cast<double>(out(i, 0)))));
    } else {
        for (Index i = 0; i < out.rows(); ++i) {
            const Scalar m = out.row(i).maxCoeff();
            out.row(i) = (out.row(i).array() - m).exp().matrix();
            out.row(i) /= out.row(i).sum();
        }
    }
    return out;
}

}  // namespace plexus::run
