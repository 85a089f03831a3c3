// Helpers shared by the doctor's rules: number formatting for messages, the
// description of the validation part, the fixes several rules suggest, and the
// "is the model fitting at all" gate that the model.* rules use.
//
// Numbers in messages are formatted from the record with about three
// significant digits (3.7699 -> "3.77"); epochs are printed 1-based, as the
// progress display shows them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "plexus/doctor/record.hpp"
#include "plexus/doctor/finding.hpp"

namespace plexus::doctor {

// A model whose final training loss is above this share of the baseline loss
// (the loss of the best constant prediction, ConfigFacts::baseline_loss) has
// learned less than half of what there is to learn. AUTOTRAINER likewise only
// diagnoses gradient and activation problems when training has not converged
// (its "not_converge" condition, satisfied accuracy Theta = 0.7); we measure
// convergence with the loss so that regression is covered too. Ours.
inline constexpr double kPoorFitRatio = 0.5;

// data.unscaled_target: a regression target whose |mean| or standard deviation
// exceeds this, or whose standard deviation is below kMinTargetStd, is far from
// the unit scale the output layer's initialisation assumes. The same 10x as
// data.unscaled's kMaxMagnitude, both ways (ours). The run layer standardizes
// such targets by default (--standardize-target auto).
inline constexpr double kMaxTargetMagnitude = 10.0;
inline constexpr double kMinTargetStd = 0.1;

// About three significant digits, trailing zeros dropped: "3.77", "0.0123", "1234",
// "0.1", "1.5e-07"; "nan"/"inf" for non-finite values.
std::string fmt(double v);
// "[3.77, 6.28]"
std::string fmt_range(double lo, double hi);
// "20%", "0.5%"
std::string percent(double fraction);
// "epoch 57" for 0-based epoch 56.
std::string epoch_name(int epoch);
std::string join(const std::vector<std::string>& parts, const std::string& separator);

Finding make_finding(std::string id, std::string severity, std::string message, nlohmann::json evidence, std::string fix,
                     std::optional<int> epoch = std::nullopt);

// "class 1" (or "class 'cat'" for named classes that are not the index).
std::string class_label(const LabelFacts& labels, Index c);
// "256 of class 0 and 153 of class 1"
std::string describe_counts(const LabelFacts& labels, const std::vector<Index>& counts);

// One sentence on what the validation part is: which rows, their classes, and
// the features whose validation range leaves the training range, e.g.
// "The validation rows are the last 20% of the rows (rows 410 to 512 of 512),
// all of class 1, with x0 in [3.77, 6.28] while the training rows have x0 in [0, 3.75]."
std::string describe_validation(const TrainingRecord& record);

// The split that avoids shifted parts: stratified for classification, random for regression.
std::string split_fix(const TrainingRecord& record);
// The same as an option delta: {"fit": {"split": "stratified"}}.
nlohmann::json split_fix_options(const TrainingRecord& record);
// "optimizer learning_rate = 0.001 in compile (CLI: --lr 0.001)"
std::string learning_rate_fix(const TrainingRecord& record, double factor);
// The same as an option delta: {"model": {"lr": 0.001}} (the value the text shows); {} if the rate is unknown.
nlohmann::json learning_rate_fix_options(const TrainingRecord& record, double factor);
// A finding with its fix as an option delta.
Finding with_fix_options(Finding finding, nlohmann::json fix_options);

// The hidden layers' activation if they share one ("" if mixed or none), and
// how many hidden layers have an activation.
std::string hidden_activation(const TrainingRecord& record);
int hidden_layers(const TrainingRecord& record);
// "2 hidden layers (tanh)", "1 hidden layer (relu)", "no hidden layer".
std::string describe_hidden(const TrainingRecord& record);
// The regression target is far from unit scale (data.unscaled_target) and not standardized.
bool target_unscaled(const TrainingRecord& record);
// A value of feature f in the user's units (see FeatureFacts::unit_scale), and a range of them.
double user_value(const FeatureFacts& f, double v);
std::string user_range(const FeatureFacts& f, double lo, double hi);

// Finite training losses in epoch order.
std::vector<double> finite_losses(const TrainingRecord& record);
// Mean training loss of the last `window` epochs (finite ones); NaN if none.
double final_loss(const TrainingRecord& record, std::size_t window = 3);
// final_loss / baseline loss, or nullopt if either is unavailable.
std::optional<double> loss_ratio(const TrainingRecord& record);
// "always predicting the class shares" / "always predicting the mean target"
std::string baseline_phrase(const TrainingRecord& record);
// True if the model ended far from fitting its training data (see kPoorFitRatio).
bool poorly_fit(const TrainingRecord& record);
// The last max(1, epochs / divisor) epochs' indices into record.epochs.
std::vector<std::size_t> last_epochs(const TrainingRecord& record, std::size_t divisor);

}  // namespace plexus::doctor
