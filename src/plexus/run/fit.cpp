// fit_with_doctor; see fit.hpp.
#include "plexus/run/fit.hpp"

#include <memory>

#include "plexus/core/error.hpp"
#include "plexus/model/shard_reduction.hpp"

namespace plexus {

DiagnosedFit fit_with_doctor(Sequential& model, FitContext plan, DoctorOptions doctor) {
    if (!plan.options) throw ConfigError("fit_with_doctor: the plan was not made by plan_fit");
    auto watcher = std::make_shared<Doctor>(std::move(doctor));
    FitOptions options = *plan.options;
    // First, or right after the callback that reduces over shards (a data-parallel fit), so
    // that the doctor records the global epoch logs.
    const long reduction = find_shard_reduction(options.callbacks);
    options.callbacks.insert(options.callbacks.begin() + (reduction + 1), watcher);
    plan.options = &options;
    DiagnosedFit result;
    result.history = model.fit(std::move(plan));
    result.findings = watcher->findings();
    return result;
}

DiagnosedFit fit_with_doctor(Sequential& model, MatrixView x, MatrixView y, const FitOptions& options,
                             DoctorOptions doctor) {
    return fit_with_doctor(model, plan_fit(model, x, y, options), std::move(doctor));
}

}  // namespace plexus
