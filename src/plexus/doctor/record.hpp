// TrainingRecord: everything the training doctor's rules look at.
//
// The doctor is an observer. A Recorder (recorder.hpp) fills this record while
// a model trains; each rule (rules.hpp) is a pure function from the record to
// findings. The record holds numbers, not data: the pre-flight part summarises
// the rows given to fit (per-feature ranges, class counts per split part, label
// runs, duplicates, the share of validation rows outside the training support)
// and the configuration (loss, output activation, label encoding, optimizer);
// the per-epoch part holds the logs and, per layer, activation, saturation,
// dead-unit, gradient-norm and weight-norm statistics sampled from a bounded
// number of training batches. Rules can therefore be tested on synthetic
// records built by hand, without training anything.
//
// Conventions: NaN means "not measured" (e.g. the dead-unit fraction of a tanh
// layer, or validation statistics without validation rows). Epoch numbers are
// 0-based, as in History::epoch; messages print them 1-based as the progress
// display does.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "plexus/core/tensor.hpp"
#include "plexus/metrics/metrics.hpp"
#include "plexus/doctor/finding.hpp"

namespace plexus {

class Sequential;
struct FitContext;
struct RowView;

namespace doctor {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Recording thresholds: how a single activation value is classified. These are
// properties of the measurement, so they live with the record; the rules' own
// thresholds live in their files.
//   A tanh output is saturated when |a| > 0.99 (tanh'(z) = 1 - a^2 < 0.02), a
//   sigmoid output when a < 0.01 or a > 0.99 (sigmoid'(z) = a(1-a) < 0.0099).
inline constexpr double kTanhSaturation = 0.99;
inline constexpr double kSigmoidSaturation = 0.01;
//   A unit counts as saturated for the epoch when it is saturated on at least
//   this share of the sampled rows: SageMaker Debugger's SaturatedActivation
//   calls a unit saturated when its activity drops below threshold_inactivity =
//   1% of the samples.
inline constexpr double kUnitSaturatedShare = 0.99;

// One input column.
struct FeatureFacts {
    std::string name;                     // "x0", or the dataset's column name
    double train_min = kNaN, train_max = kNaN;
    double train_mean = kNaN, train_std = kNaN;  // population std of the training rows
    double val_min = kNaN, val_max = kNaN;       // NaN without validation rows
    Index val_outside_range = 0;  // validation rows outside the training range widened by Support::kRangeMargin
    // Per class (classification with at most kMaxClassRanges classes; empty
    // otherwise): the range of the training and validation rows of that class,
    // and how many validation rows of the class lie outside its training rows'
    // range (widened by Support::kRangeMargin of that range).
    std::vector<double> train_class_min, train_class_max, val_class_min, val_class_max;
    std::vector<Index> val_class_outside_range;
    // The user's units: a value v of this record is v * unit_scale + unit_offset
    // where the inputs were standardized before fit (DoctorOptions::input_mean/scale).
    // Messages print ranges in the user's units (user_value); rules decide on v.
    double unit_offset = 0.0, unit_scale = 1.0;
};
inline constexpr Index kMaxClassRanges = 100;

// The rows given to fit, the split, and what the split did to them.
struct DataFacts {
    Index rows = 0;                      // rows of x given to fit
    Index train_rows = 0, validation_rows = 0;
    std::string split_method;            // "tail", "random", "stratified", "validation_data", "none"
    double validation_split = 0.0;       // FitOptions::validation_split
    bool shuffle = true;                 // FitOptions::shuffle
    // The validation rows are rows [rows - validation_rows, rows) of x, in order (a tail split).
    bool validation_is_tail = false;
    std::vector<FeatureFacts> features;
    // Share of validation rows outside Support::fit(training rows) (range and
    // nearest-neighbour test); NaN without validation rows. At most
    // kMaxSupportQueries validation rows are checked (an even stride).
    double validation_outside_support = kNaN;
    Index validation_rows_checked = 0;
    // The same share for training rows held out of a support fitted on the other
    // training rows (kSupportFolds folds, at most kMaxSupportQueries rows): what an
    // i.i.d. split gives, the null rate split.covariate_shift compares against.
    double train_outside_support_cv = kNaN;
    Index train_rows_checked_cv = 0;
    // Validation rows whose features equal a training row's exactly, and how
    // many of those also have the same target.
    Index duplicate_rows = 0;
    Index duplicate_rows_same_target = 0;
};
inline constexpr Index kMaxSupportQueries = 5000;
inline constexpr Index kSupportFolds = 5;
// The support (and its folds) is fitted on at most this many bytes of training
// rows: all of them when they fit, else an even stride (the doctor's copy stays
// bounded however large the data; per-feature facts use every row).
inline constexpr std::size_t kMaxSupportFitBytes = std::size_t{16} << 20;

// A maximal run of equal consecutive labels.
struct LabelRun {
    int label = 0;
    Index start = 0;   // first row (0-based)
    Index length = 0;
};
inline constexpr std::size_t kMaxRecordedRuns = 16;

// Class labels (classification only).
struct LabelFacts {
    bool classification = false;
    Index num_classes = 0;                        // classes the model can output (>= 2)
    std::vector<std::string> class_names;         // "0", "1", ... unless given
    std::vector<Index> class_counts;              // over all rows given to fit
    std::vector<Index> train_class_counts, validation_class_counts;
    // Over all rows in the order given: the number of maximal runs of equal
    // consecutive labels, and the share of consecutive pairs with equal labels.
    Index label_runs = 0;
    double same_label_adjacency = kNaN;
    std::vector<LabelRun> first_runs;  // the first kMaxRecordedRuns runs
};

// The target matrix y as given to fit.
struct TargetFacts {
    Index columns = 0;
    double min = kNaN, max = kNaN;
    bool integer_valued = false;  // every value is a whole number
    bool binary = false;          // every value is 0 or 1
    bool one_hot = false;         // binary, more than one column, and exactly one 1 per row
    double train_mean = kNaN, train_std = kNaN;  // over the training rows, all columns (population std)
    // The user's units of the target (regression with a standardized target): y * scale + offset.
    double unit_offset = 0.0, unit_scale = 1.0;
};

// The model and its compile/fit options.
struct ConfigFacts {
    std::string loss;                  // canonical loss name
    bool from_logits = false;
    std::string output_activation;     // activation of the last layer that has one ("linear" if none)
    Index output_units = 0;
    std::string optimizer;
    double learning_rate = kNaN;
    Index batch_size = 0;
    int epochs = 0;
    int initial_epoch = 0;
    bool class_weight = false;         // FitOptions::class_weight given
    bool sample_weight = false;        // FitOptions::sample_weight given
    std::vector<std::string> metrics;  // compiled metric names
    // The loss of the best constant prediction on the training targets: the
    // entropy of the class distribution for the cross-entropies, the mean
    // target variance for mse (mean absolute deviation from the median for
    // mae, Huber loss around the mean for huber). NaN if not computable.
    double baseline_loss = kNaN;
};

// A layer of the model.
struct LayerFacts {
    std::string name;        // "dense_1"
    std::string type;        // Layer::type(), the registry name
    std::string activation;  // its output activation, "" if the layer has none (Dropout)
    Index units = 0;         // output width
    Index params = 0;        // parameters (0 for parameter-free layers)
    Index kernel_params = 0; // the first parameter tensor's size ("kernel" of a Dense), 0 if none
    bool is_output = false;  // the last layer
};

// Statistics of one layer over the batches sampled in one epoch. Activation
// statistics exist for layers with an output activation, saturation for tanh
// and sigmoid, dead units for relu, gradient and weight norms for layers with
// parameters; the rest stay NaN.
struct LayerEpochStats {
    double mean_abs_activation = kNaN;  // mean |a| over sampled rows and units
    double saturated_fraction = kNaN;   // mean over sampled rows of the share of saturated units
    double saturated_units = kNaN;      // share of units saturated on >= kUnitSaturatedShare of the sampled rows
    double dead_fraction = kNaN;        // share of ReLU units that output 0 on every sampled row
    double gradient_norm = kNaN;        // mean over sampled batches of the kernel gradient's L2 norm
    double gradient_rms = kNaN;         // mean over sampled batches of the kernel gradient's RMS (norm / sqrt(size))
    double weight_norm = kNaN;          // L2 norm of the kernel at the end of the epoch
};

struct EpochStats {
    int epoch = 0;                   // 0-based
    double loss = kNaN;              // training loss (logs["loss"])
    double val_loss = kNaN;          // NaN without validation
    Logs logs;                       // every log of the epoch; the Recorder keeps them on the
                                     // last epoch only (an earlier one's map passes its nodes on)
    std::vector<LayerEpochStats> layers;  // one per model layer on an epoch with layer statistics
                                          // (a sampled one: Recorder); empty on the others
    Index sampled_batches = 0;
    Index sampled_rows = 0;
    bool nonfinite = false;          // a NaN/Inf was seen this epoch (loss, activations, gradients or weights)
};

// Where a non-finite value first appeared.
struct NonfiniteEvent {
    int epoch = 0;            // 0-based
    int batch = -1;           // batch within the epoch, -1 if found at the epoch's end
    std::string where;        // "loss", "activations", "gradients", "weights", "validation loss"
    int layer = -1;           // the first layer (forward order for activations and weights,
                              // backward order for gradients) holding it; -1 for the loss
    std::string layer_name;
};

// What predict.extrapolation looks at.
struct PredictionFacts {
    Index rows = 0;
    Index outside = 0;                     // rows outside the training support
    double outside_fraction = 0.0;
    std::vector<std::string> feature_names;
    std::vector<double> train_min, train_max;  // per feature
    std::vector<double> query_min, query_max;  // per feature, over the predicted rows
    std::vector<Index> outside_range;          // per feature: rows outside the widened training range
};

// What the run does beyond the model and FitOptions (DoctorOptions), so that
// fixes never suggest a setting already in force.
struct RunFacts {
    bool inputs_standardized = false;  // given, or measured: every training feature has mean ~0 and std ~1
    bool target_standardized = false;  // given, or measured likewise (regression)
    int early_stopping_patience = 0;   // 0: no EarlyStopping (or unknown)
    // The run ended before FitOptions::epochs: a callback (EarlyStopping) stopped it.
    bool stopped_early = false;
};

struct TrainingRecord {
    RunFacts run;
    DataFacts data;
    LabelFacts labels;
    TargetFacts target;
    ConfigFacts config;
    std::vector<LayerFacts> layers;
    std::vector<EpochStats> epochs;
    std::optional<NonfiniteEvent> nonfinite;
    // Ids of the pre-flight findings of severity warning or error, so later rules can refer to them.
    std::vector<std::string> preflight_ids;
    std::optional<PredictionFacts> prediction;
};

// Names for messages: given names where there are enough of them, else "x0", "x1", ...
// and "0", "1", ... for classes.
struct RecordNames {
    std::vector<std::string> features;
    std::vector<std::string> classes;
};

// What the caller knows of the run beyond the model and FitOptions (DoctorOptions::run).
// Unset flags are measured on the rows given to fit (RunFacts).
struct RunSettings {
    std::optional<bool> inputs_standardized;  // --standardize
    std::optional<bool> target_standardized;  // --standardize-target (regression)
    int early_stopping_patience = 0;          // EarlyStopping's patience; 0 = none
    // The inputs' standardizer (x_model = (x_user - mean) / scale), so that
    // messages give ranges in the user's units; empty = the inputs are the user's.
    std::vector<double> input_mean, input_scale;
    double target_mean = 0.0, target_scale = 1.0;  // the target's (y_model = (y_user - mean) / scale)
};

// Fills the pre-flight parts of a record (data, labels, target, config, layers,
// run) from a fit in progress, or from a FitContext built by preflight() (doctor.hpp).
TrainingRecord make_preflight_record(const FitContext& context, const Sequential& model, const RecordNames& names = {},
                                     const RunSettings& run = {});

// The loss of the best constant prediction for `loss` on targets y (see ConfigFacts::baseline_loss).
double baseline_loss(const std::string& loss, const Matrix& y, Index output_units, double huber_delta = 1.0);
// The same on rows of a matrix read in place through their indices (no copy of the targets).
double baseline_loss(const std::string& loss, const RowView& y, Index output_units, double huber_delta = 1.0);

}  // namespace doctor
}  // namespace plexus
