// Target scaling and the doctor's view of the run; see target_scaling.hpp.
#include "plexus/run/target_scaling.hpp"

#include <cmath>

#include <fmt/format.h>

#include "plexus/doctor/rules.hpp"
#include "plexus/model/split.hpp"
#include "plexus/run/config.hpp"

namespace plexus::run {

TargetScaling choose_target_scaling(const Dataset& data, const Matrix& y, const RowList& train_rows,
                                    const std::string& mode) {
    if (data.is_classification()) {
        if (mode == "on")
            throw UsageError("--standardize-target on: the task is classification, whose targets are class labels; fix: drop "
                             "--standardize-target, or give --task regression");
        return {};
    }
    const Matrix y_train = take_rows(y, train_rows);
    const auto yd = y_train.cast<double>();
    const double mean = yd.mean(), sd = std::sqrt((yd.array() - mean).square().mean());
    const bool far = doctor::target_needs_scaling(mean, sd);
    TargetScaling out;
    if (mode == "on" || (mode == "auto" && far)) {
        Standardizer s;
        s.fit(y_train);
        out.standardizer = s;
    }
    if (mode == "auto" && far)
        out.note = fmt::format("standardizing the target '{}' (mean {:.4g}, std {:.4g} on the training rows, far from 1; "
                               "--standardize-target auto); predictions and metrics are in its units",
                               data.target_name, mean, sd);
    return out;
}

DoctorOptions run_doctor_options(const Dataset& data, const std::optional<Standardizer>& inputs,
                                 const std::optional<Standardizer>& target, int early_stopping_patience) {
    DoctorOptions o{.feature_names = data.feature_names, .class_names = data.class_names};
    o.run.inputs_standardized = inputs.has_value();
    if (!data.is_classification()) o.run.target_standardized = target.has_value();
    o.run.early_stopping_patience = early_stopping_patience;
    if (inputs)
        for (Index j = 0; j < inputs->mean.size(); ++j) {
            o.run.input_mean.push_back(static_cast<double>(inputs->mean(j)));
            o.run.input_scale.push_back(static_cast<double>(inputs->scale(j)));
        }
    if (target && target->mean.size() == 1) {
        o.run.target_mean = static_cast<double>(target->mean(0));
        o.run.target_scale = static_cast<double>(target->scale(0));
    }
    return o;
}

}  // namespace plexus::run
