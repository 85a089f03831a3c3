// The run's target scaling (--standardize-target) and what the doctor is told
// about the run (DoctorOptions::run).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "plexus/data/dataset.hpp"
#include "plexus/data/scaling.hpp"
#include "plexus/doctor/doctor.hpp"

namespace plexus::run {

struct TargetScaling {
    std::optional<Standardizer> standardizer;  // fitted on the training rows' targets; none = not scaled
    std::string note;                          // for the output when `auto` turned it on; "" otherwise
};

// mode "on": standardize a regression target; "auto": when its training rows'
// mean and std are far from unit scale (doctor::target_needs_scaling); "off":
// never. Classification is never scaled; "on" with classes is a UsageError.
TargetScaling choose_target_scaling(const Dataset& data, const Matrix& y, const RowList& train_rows,
                                    const std::string& mode);

// The doctor's options for a run: names, whether inputs and target are
// standardized (and by what, for messages in the user's units), EarlyStopping's patience.
DoctorOptions run_doctor_options(const Dataset& data, const std::optional<Standardizer>& inputs,
                                 const std::optional<Standardizer>& target, int early_stopping_patience);

}  // namespace plexus::run
