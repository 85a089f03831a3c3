// Attaching the training doctor to a fit in tests: the one place to adapt if the
// way fit runs its doctor changes (FitOptions::doctor is going away).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "plexus/doctor/doctor.hpp"

namespace plexus::testing {

// Adds a Doctor to `options`' callbacks (and turns fit's own doctor off); read its
// findings() after the fit.
inline std::shared_ptr<Doctor> attach_doctor(FitOptions& options, DoctorOptions doctor_options = {}) {
    auto doctor = std::make_shared<Doctor>(std::move(doctor_options));
    options.callbacks.push_back(doctor);
    options.doctor = false;
    return doctor;
}

inline std::vector<std::string> finding_ids(const Doctor& doctor) {
    std::vector<std::string> ids;
    for (const auto& f : doctor.findings()) ids.push_back(f.id);
    return ids;
}

}  // namespace plexus::testing
