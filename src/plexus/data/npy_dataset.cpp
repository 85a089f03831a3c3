// read_npy_dataset: an NPY pair as a Dataset; see npy.hpp.
#include <charconv>
#include <cmath>
#include <limits>
#include <map>

#include "plexus/core/error.hpp"
#include "plexus/data/csv.hpp"
#include "plexus/data/npy.hpp"
#include "plexus/data/npy_format.hpp"
#include "plexus/data/task_rule.hpp"

namespace plexus {
namespace {

constexpr double kScalarMax = static_cast<double>(std::numeric_limits<Scalar>::max());
const char* scalar_name() { return sizeof(Scalar) == 4 ? "float" : "double"; }

using npy_detail::shape_text;

std::string format_label(double v) {
    if (std::isfinite(v) && v == std::floor(v) && std::abs(v) < 1e15) return std::to_string(static_cast<long long>(v));
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, res.ptr);
}

void check_options(const std::string& task, const std::vector<std::string>& class_names) {
    if (task != "auto" && task != "classification" && task != "regression") {
        throw ConfigError("NPY dataset option task = \"" + task +
                          "\" is invalid; use \"classification\", \"regression\" or \"auto\"");
    }
    if (task == "regression" && !class_names.empty()) {
        throw ConfigError("NPY dataset options conflict: task \"regression\" with " +
                          std::to_string(class_names.size()) +
                          " class names; class names imply classification (drop one of them)");
    }
}

void check_shapes(const std::string& x_path, const std::vector<Index>& x_shape, const std::string& y_path, const NpyArray& y) {
    if (x_shape.size() != 2) {
        throw DataError(x_path + ": expected a 2-D feature array (samples, features), received shape " +
                        shape_text(x_shape) + "; reshape it, e.g. x.reshape(len(x), -1)");
    }
    const Index n = x_shape[0], features = x_shape[1];
    if (y.shape.size() != 1 && !(y.shape.size() == 2 && y.shape[1] == 1)) {
        throw DataError(y_path + ": expected targets of shape (n,) or (n, 1), received shape " + shape_text(y.shape) +
                        "; pass class indices or one target value per row (not one-hot)");
    }
    if (y.shape[0] != n) {
        throw DataError(y_path + ": has " + std::to_string(y.shape[0]) + " rows but " + x_path + " has " +
                        std::to_string(n) + "; give one target per feature row");
    }
    if (features < 1 || n < 1) {
        throw DataError(x_path + ": shape " + shape_text(x_shape) +
                        " has no samples or no features; expected at least one of each");
    }
}

// "NaN", "Inf" or "a value too large for float" for a value that is not a finite Scalar.
std::string bad_value(double v) {
    return std::isnan(v) ? "NaN" : std::isinf(v) ? "Inf" : "a value too large for " + std::string(scalar_name());
}

// Whether every target is an integer; DataError for a non-finite one.
bool check_targets(const std::string& y_path, const NpyArray& y) {
    bool all_integer = true;
    for (std::size_t i = 0; i < y.data.size(); ++i) {
        const double v = y.data[i];
        if (!std::isfinite(v) || std::abs(v) > kScalarMax) {
            throw DataError(y_path + ": " + bad_value(v) + " at flat index " + std::to_string(i) + " (row " +
                            std::to_string(i) + ", column 0); targets must be finite: remove or fix the row");
        }
        all_integer = all_integer && v == std::floor(v);
    }
    return all_integer;
}

// Labels mapped onto given class names: numerically when the names are numbers,
// else read as class indices.
void map_known_classes(const std::string& y_path, const NpyArray& y, const std::vector<std::string>& class_names,
                       Dataset& d) {
    d.class_names = class_names;
    std::vector<std::pair<double, int>> by_value;
    for (std::size_t k = 0; k < class_names.size(); ++k) {
        double v = 0;
        const std::string& s = class_names[k];
        const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec == std::errc() && ptr == s.data() + s.size()) by_value.emplace_back(v, static_cast<int>(k));
    }
    const bool as_index = by_value.empty();
    for (Index i = 0; i < d.y.rows(); ++i) {
        const double v = y.data[static_cast<std::size_t>(i)];
        int index = -1;
        if (as_index) {
            if (v == std::floor(v) && v >= 0 && v < static_cast<double>(class_names.size())) index = static_cast<int>(v);
        } else {
            for (const auto& [value, k] : by_value) {
                if (value == v) index = k;
            }
        }
        if (index < 0) {
            std::string known;
            for (const auto& s : class_names) known += (known.empty() ? "\"" : ", \"") + s + "\"";
            throw DataError(y_path + ": unknown class label " + format_label(v) + " at row " + std::to_string(i) +
                            "; the known labels are " + known +
                            (as_index ? " (labels are read as class indices 0.." +
                                            std::to_string(class_names.size() - 1) + ")"
                                      : "") +
                            "; relabel or drop the row");
        }
        d.y(i, 0) = static_cast<Scalar>(index);
    }
}

}  // namespace

Dataset read_npy_dataset(const std::string& x_path, const std::string& y_path, const std::string& task,
                         const std::vector<std::string>& class_names, NpyLoad load) {
    check_options(task, class_names);
    npy_detail::MatrixFile x(x_path);  // the header now, the data once the shapes agree
    const NpyArray y = read_npy(y_path);
    check_shapes(x_path, x.layout().shape, y_path, y);
    Dataset d;
    d.source = x_path;
    const std::string what = "features must be finite: remove or impute the row";
    if (load == NpyLoad::map) d.storage = x.map(d.mapped, what);
    if (!d.storage) x.read_into(d.x, what);
    for (Index j = 0; j < d.features(); ++j) d.feature_names.push_back("x" + std::to_string(j + 1));
    const bool all_integer = check_targets(y_path, y);
    std::map<double, int> distinct;
    for (double v : y.data) distinct.emplace(v, 0);
    // --task auto: task_rule.hpp (an ambiguous integer target is refused).
    const TaskDecision guess = task == "auto" && class_names.empty() ? guess_task(y.data, kMaxAutoClasses) : TaskDecision{};
    if (guess.guess == TaskGuess::ambiguous) throw DataError(ambiguous_task_message(y_path + ": ", "(the targets)", guess));
    const bool classification = !class_names.empty() || task == "classification" ||
                                (task == "auto" && all_integer && guess.guess == TaskGuess::classification);
    const Index n = d.rows();
    d.y.resize(n, 1);
    if (!classification) {
        d.target_name = "target";
        for (Index i = 0; i < n; ++i) d.y(i, 0) = static_cast<Scalar>(y.data[static_cast<std::size_t>(i)]);
        return d;
    }
    d.target_name = "label";
    if (!class_names.empty()) {
        map_known_classes(y_path, y, class_names, d);
        return d;
    }
    int k = 0;
    for (auto& [v, idx] : distinct) {
        idx = k++;
        d.class_names.push_back(format_label(v));
    }
    if (d.class_names.size() < 2) {
        throw DataError(y_path + ": only one class '" + d.class_names.front() +
                        "' in the targets; a classifier needs at least two (check the file, or use task regression)");
    }
    for (Index i = 0; i < n; ++i) d.y(i, 0) = static_cast<Scalar>(distinct.at(y.data[static_cast<std::size_t>(i)]));
    return d;
}

}  // namespace plexus
