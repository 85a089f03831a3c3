#include "plexus/model/split.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "plexus/core/error.hpp"
#include "plexus/core/registry.hpp"

namespace plexus {

std::string to_string(Split split) {
    switch (split) {
        case Split::automatic: return "auto";
        case Split::tail: return "tail";
        case Split::random: return "random";
        case Split::stratified: return "stratified";
    }
    return "auto";
}

Split split_from_string(const std::string& name) {
    if (name == "tail") return Split::tail;
    if (name == "random") return Split::random;
    if (name == "stratified") return Split::stratified;
    if (name == "auto") return Split::automatic;
    throw_unknown_name("split", name, {"tail", "random", "stratified", "auto"});
}

namespace {

// Marks val_count random rows (Split::random): the first val_count of a shuffled 0..rows-1
// (32-bit row numbers: half the memory of 64-bit ones, and the same swaps, so the same split).
void mark_random(Index rows, Index val_count, Rng& rng, std::vector<char>& is_val) {
    RowList order(static_cast<std::size_t>(rows));
    for (Index i = 0; i < rows; ++i) order[static_cast<std::size_t>(i)] = static_cast<RowIndex>(i);
    rng.shuffle(order);
    for (Index k = 0; k < val_count; ++k) is_val[static_cast<std::size_t>(order[static_cast<std::size_t>(k)])] = 1;
}

// Split::stratified: each class gives its largest-remainder share of val_count, drawn at random.
void mark_stratified(Index rows, Index val_count, const std::vector<int>& labels, Rng& rng, std::vector<char>& is_val) {
    std::map<int, Index> sizes;
    for (const int c : labels) ++sizes[c];
    std::map<int, RowList> by_class;
    for (const auto& [c, size] : sizes) by_class[c].reserve(static_cast<std::size_t>(size));  // exact: no growth
    for (Index i = 0; i < rows; ++i) by_class[labels[static_cast<std::size_t>(i)]].push_back(static_cast<RowIndex>(i));
    // Largest remainder: floor of each class's share, then the largest fractional parts.
    std::vector<std::pair<double, int>> remainders;
    std::map<int, Index> take;
    Index assigned = 0;
    for (const auto& [c, idx] : by_class) {
        const double share = static_cast<double>(idx.size()) * static_cast<double>(val_count) / static_cast<double>(rows);
        take[c] = static_cast<Index>(std::floor(share));
        assigned += take[c];
        remainders.push_back({share - std::floor(share), c});
    }
    std::stable_sort(remainders.begin(), remainders.end(), [](auto a, auto b) { return a.first > b.first; });
    for (std::size_t k = 0; assigned < val_count && k < remainders.size(); ++k, ++assigned) ++take[remainders[k].second];
    for (auto& [c, idx] : by_class) {
        rng.shuffle(idx);
        for (Index k = 0; k < take[c] && k < static_cast<Index>(idx.size()); ++k)
            is_val[static_cast<std::size_t>(idx[static_cast<std::size_t>(k)])] = 1;
    }
}

}  // namespace

void check_row_count(Index rows, const char* what) {
    if (rows > kMaxRows)
        throw ShapeError(std::string(what) + ": " + std::to_string(rows) + " rows; Plexus fits at most " + std::to_string(kMaxRows) +
                         " rows at a time (its row lists are 32-bit); fix: train on a sample of the rows");
}

SplitIndices split_indices(Index rows, double fraction, Split method, const std::vector<int>& labels, Rng& rng) {
    if (!(fraction >= 0.0 && fraction < 1.0))
        throw ConfigError("validation_split must be in [0, 1); received " + std::to_string(fraction));
    check_row_count(rows, "split");
    SplitIndices out;
    out.method = method;
    // Keras: split_at = int(n * (1 - validation_split)).
    const auto train_count = static_cast<Index>(std::floor(static_cast<double>(rows) * (1.0 - fraction)));
    const Index val_count = rows - train_count;
    std::vector<char> is_val(static_cast<std::size_t>(rows), 0);
    if (method == Split::tail || val_count == 0) {
        for (Index i = train_count; i < rows; ++i) is_val[static_cast<std::size_t>(i)] = 1;
    } else if (method == Split::random) {
        mark_random(rows, val_count, rng, is_val);
    } else if (method == Split::stratified) {
        if (static_cast<Index>(labels.size()) != rows)
            throw ConfigError("stratified split needs one class label per row; use split=random for regression");
        mark_stratified(rows, val_count, labels, rng, is_val);
    } else {
        throw ConfigError("split_indices: resolve Split::automatic before splitting");
    }
    // Exactly sized: each part is held through the whole fit (no spare capacity).
    Index vals = 0;
    for (const char v : is_val) vals += v;
    out.train.reserve(static_cast<std::size_t>(rows - vals));
    out.validation.reserve(static_cast<std::size_t>(vals));
    for (Index i = 0; i < rows; ++i) (is_val[static_cast<std::size_t>(i)] ? out.validation : out.train).push_back(i);
    return out;
}

Matrix take_rows(ConstMatrixRef m, const RowList& indices) {
    Matrix out(static_cast<Index>(indices.size()), m.cols());
    for (std::size_t k = 0; k < indices.size(); ++k) out.row(static_cast<Index>(k)) = m.row(indices[k]);
    return out;
}

}  // namespace plexus
