// A fit watched by the training doctor: what every front end (the CLI, the
// Python package, the web playground) runs, and what a C++ program calls to
// get the doctor's findings with its History.
//
//   auto [history, findings] = fit_with_doctor(model, x, y, {.epochs = 300, .validation_split = 0.2},
//                                              {.feature_names = {"x", "y"}});
//   for (const Finding& f : findings) std::cout << format_finding(f);
//
// The doctor is the first callback, so its pre-flight findings come before
// epoch 1 and it sees every batch; FitOptions::callbacks follow it.
#pragma once

#include <vector>

#include "plexus/doctor/doctor.hpp"
#include "plexus/model/sequential.hpp"

namespace plexus {

struct DiagnosedFit {
    History history;
    std::vector<Finding> findings;  // the doctor's, in the order reported
};

// x and y are read in place (a NumPy array, a mapped file: see MatrixView).
DiagnosedFit fit_with_doctor(Sequential& model, MatrixView x, MatrixView y, const FitOptions& options = {},
                             DoctorOptions doctor = {});
inline DiagnosedFit fit_with_doctor(Sequential& model, const Matrix& x, const Matrix& y, const FitOptions& options = {},
                                    DoctorOptions doctor = {}) {
    return fit_with_doctor(model, MatrixView(x), MatrixView(y), options, std::move(doctor));
}

// The same for a plan made by plan_fit (the plan's options gain the doctor).
DiagnosedFit fit_with_doctor(Sequential& model, FitContext plan, DoctorOptions doctor = {});

}  // namespace plexus
