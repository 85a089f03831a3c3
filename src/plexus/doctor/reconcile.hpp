// Reconciling the doctor's findings: one story with root causes first.
//
// Rules are independent pure functions, so on their own they can contradict
// each other (over- and underfitting in one run) or report the symptoms of a
// problem next to the problem (a diverging run also "underfits" and has
// "vanishing gradients"). reconcile() applies, in order:
//   1. A divergence or non-finite values explain their symptoms (fit.*,
//      train.stalled, model.*): those are removed and listed in the root's
//      evidence["suppressed"].
//   2. fit.overfitting and fit.underfitting never stand together: a model that
//      has not learned its training rows is not memorising them (overfitting goes).
//   3. Each finding's `cause` is set to its root: the first present finding of
//      its candidate causes (causes_of), followed to the end; its own id if none.
//      An effect's fix becomes its root's (fix text and fix_options), with its
//      own fix kept as the second step.
//   4. fix_options never repeat a setting in force (settings_in_force).
//   5. Findings are ordered root first, each root followed by its effects;
//      otherwise in the order found.
#pragma once

#include <string>
#include <vector>

#include "plexus/doctor/finding.hpp"
#include "plexus/doctor/record.hpp"

namespace plexus::doctor {

// The findings that can explain `id`, most direct first (empty for roots).
const std::vector<std::string>& causes_of(const std::string& id);

// Removes from `fix_options` every key whose value is already in force in the
// run the record describes (standardize, standardize_target, epochs no larger
// than the run's, the activation, optimizer, learning rate, split, patience).
void drop_settings_in_force(nlohmann::json& fix_options, const TrainingRecord& record);

std::vector<Finding> reconcile(std::vector<Finding> findings, const TrainingRecord& record);

}  // namespace plexus::doctor
