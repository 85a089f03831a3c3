// The flags of CSV tables (categorical columns, missing cells) and of the
// held-out test split, shared by `plexus train`, `plexus doctor` and `plexus cv`
// through add_train_config_options.
#include "table_options.hpp"

namespace plexus::cli {

void add_table_options(CLI::App& cmd, RunConfig& config) {
    auto& p = config.data.preprocess;
    cmd.add_option_function<std::string>(
        "--categorical", [&p](const std::string& s) { p.categorical = run::split_list(s); },
        "CSV columns to one-hot encode even though they hold numbers (integer codes), comma-separated; text columns always are");
    cmd.add_option_function<std::string>(
        "--na-values",
        [&p](const std::string& s) {
            p.na_values = run::split_list(s);
            p.na_values.insert(p.na_values.begin(), "");  // an empty cell is always missing
        },
        "Cells that mean \"missing\", comma-separated (default: NA,NaN,?; empty cells always)");
    cmd.add_option("--impute", p.impute,
                   "Missing cells: auto (median for numbers, most frequent category), missing (a \"missing\" category), "
                   "none (refuse, as without a preprocessor)")
        ->capture_default_str();
    cmd.add_flag("--missing-indicator", p.missing_indicator, "Add a 0/1 input per numeric column with missing cells (name_missing)");
    cmd.add_option("--min-frequency", p.min_frequency, "Categories with fewer training rows are pooled into \"other\"")->capture_default_str();
    cmd.add_option_function<std::string>(
        "--scale",
        [&p](const std::string& s) {
            if (s != "standard" && s != "none") throw CLI::ValidationError("--scale", s + ": expected standard or none");
            p.scale = s == "standard";
        },
        "CSV tables with categories or missing cells: standard (z-score numeric columns, the default) or none");
    cmd.add_option("--test-split", config.fit.test_split,
                   "Fraction of rows held out as a test set (stratified for classes) that training and early stopping never see; "
                   "reported as \"test\" in report.json")
        ->capture_default_str();
}

}  // namespace plexus::cli
