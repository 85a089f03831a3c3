// Attaching the training doctor to a fit in tests, as fit_with_doctor does (first callback).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "plexus/doctor/doctor.hpp"

namespace plexus::testing {

// Adds a Doctor as the first of `options`' callbacks; read its findings() after the fit.
inline std::shared_ptr<Doctor> attach_doctor(FitOptions& options, DoctorOptions doctor_options = {}) {
    auto doctor = std::make_shared<Doctor>(std::move(doctor_options));
    options.callbacks.insert(options.callbacks.begin(), doctor);
    return doctor;
}

inline std::vector<std::string> finding_ids(const Doctor& doctor) {
    std::vector<std::string> ids;
    for (const auto& f : doctor.findings()) ids.push_back(f.id);
    return ids;
}

}  // namespace plexus::testing
