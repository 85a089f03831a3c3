// The statistics-recording callback; see recorder.hpp.
#include "plexus/doctor/recorder.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>

#include "plexus/model/sequential.hpp"
#include "plexus/model/shard_reduction.hpp"

namespace plexus::doctor {
namespace {

bool finite_span(std::span<const Scalar> values) {
    for (Scalar v : values)
        if (!std::isfinite(static_cast<double>(v))) return false;
    return true;
}

// The log names looked up (built once: no string constructed per batch or epoch).
const std::string kBatchLoss = "batch_loss", kLoss = "loss", kValLoss = "val_loss";

// `from` into `into`: the values alone when both have the same keys (every epoch of a fit
// logs the same names), else a copy. No string is copied or compared more than once.
void assign_logs(Logs& into, const Logs& from) {
    if (into.size() == from.size() &&
        std::equal(into.begin(), into.end(), from.begin(), [](const auto& a, const auto& b) { return a.first == b.first; })) {
        auto it = into.begin();
        for (const auto& entry : from) (it++)->second = entry.second;
        return;
    }
    into = from;
}

double squared_norm(std::span<const Scalar> values) {
    double s = 0;
    for (Scalar v : values) s += static_cast<double>(v) * static_cast<double>(v);
    return s;
}

// A layer's output block (rows x units, rows `stride` apart) into the per-unit accumulators:
// |v| sums, and where given, saturated counts (v above hi or below lo) and relu activity
// (v > 0), with no branch per value. GCC's vector types, 16 and then 4 units at a time (the
// auto-vectoriser leaves rows narrower than its vectors, the seed's 4 units, to scalar
// code). Each group of units sums the block's rows in registers and adds to memory once:
// adding each row to memory made every row wait for the previous row's store (on the
// seed's 8 x 4 blocks, most of an examined batch's time).
using SInt = std::conditional_t<sizeof(Scalar) == 4, std::int32_t, std::int64_t>;  // a comparison's lanes
typedef Scalar F4 __attribute__((vector_size(4 * sizeof(Scalar))));
typedef SInt I4 __attribute__((vector_size(4 * sizeof(Scalar))));
typedef std::int64_t L4 __attribute__((vector_size(32)));
typedef Scalar F16 __attribute__((vector_size(16 * sizeof(Scalar))));
typedef SInt I16 __attribute__((vector_size(16 * sizeof(Scalar))));
typedef std::int64_t L16 __attribute__((vector_size(128)));
static_assert(sizeof(Index) == sizeof(std::int64_t));

template <class VF, class VI, class VL>
Index accumulate_units(const Scalar* __restrict out, Index rows, Index stride, Index j, Index units,
                       Scalar* __restrict abs_sum, Index* __restrict saturated, char* __restrict active, Scalar lo,
                       Scalar hi) {
    constexpr int W = sizeof(VF) / sizeof(Scalar);
    for (; j + W <= units; j += W) {
        VF sum{};
        VI outside{}, on{};  // a true comparison is -1: the counts go negative, the flags to -1
        for (Index r = 0; r < rows; ++r) {
            VF v;
            std::memcpy(&v, out + r * stride + j, sizeof v);
            sum += v < 0 ? -v : v;
            if (saturated) outside += (v > hi) | (v < lo);
            if (active) on |= v > 0;
        }
        VF s;
        std::memcpy(&s, abs_sum + j, sizeof s);
        s += sum;
        std::memcpy(abs_sum + j, &s, sizeof s);
        if (saturated) {
            VL c;
            std::memcpy(&c, saturated + j, sizeof c);
            c -= __builtin_convertvector(outside, VL);
            std::memcpy(saturated + j, &c, sizeof c);
        }
        if (active)
            for (int k = 0; k < W; ++k) active[j + k] = static_cast<char>(active[j + k] | (on[k] & 1));
    }
    return j;
}

void accumulate_units(const Scalar* __restrict out, Index rows, Index stride, Index units, Scalar* __restrict abs_sum,
                      Index* __restrict saturated, char* __restrict active, Scalar lo, Scalar hi) {
    Index j = accumulate_units<F16, I16, L16>(out, rows, stride, 0, units, abs_sum, saturated, active, lo, hi);
    j = accumulate_units<F4, I4, L4>(out, rows, stride, j, units, abs_sum, saturated, active, lo, hi);
    for (; j < units; ++j) {
        Scalar sum = 0;
        Index outside = 0;
        bool on = false;
        for (Index r = 0; r < rows; ++r) {
            const Scalar v = out[r * stride + j];
            sum += std::abs(v);
            outside += static_cast<Index>((v > hi) | (v < lo));
            on = on || v > 0;
        }
        abs_sum[j] += sum;
        if (saturated) saturated[j] += outside;
        if (active) active[j] = static_cast<char>(active[j] | on);
    }
}

}  // namespace

void Recorder::on_train_begin(Sequential& model) {
    const FitContext& ctx = *model.fit_context();
    record_ = make_preflight_record(ctx, model, options_.names, options_.run);
    const long reduction = ctx.options->shard_count > 1 ? find_shard_reduction(ctx.options->callbacks) : -1;
    reduction_ = reduction >= 0 ? dynamic_cast<ShardReduction*>(ctx.options->callbacks[static_cast<std::size_t>(reduction)].get())
                                : nullptr;
    acc_.assign(record_.layers.size(), {});
    const Index rows = ctx.x_train().rows();
    const Index batch = std::max<Index>(1, std::min(ctx.options->batch_size, rows));
    const Index batches = (rows + batch - 1) / batch;
    const Index limit = std::max<Index>(1, options_.max_sampled_batches);
    stride_ = std::max<Index>(1, (batches + limit - 1) / limit);
    first_epoch_ = ctx.options->initial_epoch;
    last_epoch_ = ctx.options->epochs - 1;
    const int planned = std::max(0, ctx.options->epochs - ctx.options->initial_epoch);
    const int epoch_limit = std::max(1, options_.max_sampled_epochs);
    epoch_stride_ = std::max(1, (planned + epoch_limit - 1) / epoch_limit);
    record_.epochs.reserve(static_cast<std::size_t>(planned));
    for (std::size_t i = 0; i < acc_.size(); ++i) {
        auto& a = acc_[i];
        const auto units = static_cast<std::size_t>(record_.layers[i].units);
        const std::string& act = record_.layers[i].activation;
        a.tanh = act == "tanh";
        a.unit_abs.assign(units, Scalar(0));
        a.batch_squares.reserve(static_cast<std::size_t>(limit) + 1);  // the batches an epoch samples
        if (act == "tanh" || act == "sigmoid") a.unit_saturated.assign(units, 0);
        if (act == "relu") a.unit_active.assign(units, 0);
    }
}

void Recorder::on_epoch_begin(Sequential&, int epoch) {
    epoch_ = epoch;
    sampled_batches_ = sampled_rows_ = 0;
    epoch_nonfinite_ = false;
    sampling_ = (epoch - first_epoch_) % epoch_stride_ == 0 || epoch == last_epoch_;
    if (!sampling_) return;
    for (auto& a : acc_) {  // reset in place: no allocation per epoch
        a.abs_sum = a.saturated = a.gradient_norm = a.gradient_rms = 0;
        a.values = a.gradient_batches = 0;
        a.batch_squares.clear();
        std::fill(a.unit_abs.begin(), a.unit_abs.end(), Scalar(0));
        std::fill(a.unit_saturated.begin(), a.unit_saturated.end(), Index{0});
        std::fill(a.unit_active.begin(), a.unit_active.end(), char{0});
    }
}

void Recorder::locate_nonfinite(Sequential& model, int batch, const char* fallback) {
    if (record_.nonfinite) return;
    NonfiniteEvent event{.epoch = epoch_, .batch = batch, .where = fallback};
    const std::size_t n = record_.layers.size();
    bool found = false;
    if (batch >= 0) {
        for (std::size_t i = 0; i < n && !found; ++i) {
            if (!model.last_batch_output(i).allFinite()) {
                event.where = "activations";
                event.layer = static_cast<int>(i);
                found = true;
            }
        }
        for (std::size_t k = n; k-- > 0 && !found;) {
            if (!finite_span(model.layer_gradients(k))) {
                event.where = "gradients";
                event.layer = static_cast<int>(k);
                found = true;
            }
        }
    }
    for (std::size_t i = 0; i < n && !found; ++i) {
        if (!finite_span(model.layer_parameters(i))) {
            event.where = "weights";
            event.layer = static_cast<int>(i);
            found = true;
        }
    }
    if (event.layer >= 0) event.layer_name = record_.layers[static_cast<std::size_t>(event.layer)].name;
    record_.nonfinite = event;
}

// Adds the sampled batches' gradient norms held in batch_squares to the epoch's sums (in
// batch order), and empties it.
void Recorder::fold_gradients(LayerAccumulator& a, Index kernel_params) {
    for (double sq : a.batch_squares) {
        a.gradient_norm += std::sqrt(sq);
        a.gradient_rms += std::sqrt(sq / static_cast<double>(kernel_params));
        ++a.gradient_batches;
    }
    a.batch_squares.clear();
}

void Recorder::examine_batch(Sequential& model, int batch) {
    // A shard may have no rows of a short last batch; its gradients are still the global batch's.
    const Index rows = model.last_batch_rows();
    if (rows <= 0 && !reduction_) return;
    if (rows > 0) ++sampled_batches_;
    sampled_rows_ += rows;
    bool nonfinite = false;
    for (std::size_t i = 0; i < acc_.size(); ++i) {
        auto& a = acc_[i];
        const LayerFacts& layer = record_.layers[i];
        if (!layer.activation.empty() && rows > 0) {
            const ConstMatrixRef out = model.last_batch_output(i);
            const auto hi = static_cast<Scalar>(static_cast<float>(a.tanh ? kTanhSaturation : 1.0 - kSigmoidSaturation));
            const auto lo = a.tanh ? -hi : static_cast<Scalar>(static_cast<float>(kSigmoidSaturation));
            accumulate_units(out.data(), out.rows(), out.outerStride(), out.cols(), a.unit_abs.data(),
                             a.unit_saturated.empty() ? nullptr : a.unit_saturated.data(),
                             a.unit_active.empty() ? nullptr : a.unit_active.data(), lo, hi);
            a.values += out.size();
        }
        if (layer.kernel_params > 0) {
            const Scalar* g = model.layer_gradients(i).data();
            const Index n = layer.kernel_params;
            double part[4] = {0, 0, 0, 0};  // four sums: no single dependency chain
            Index k = 0;
            for (; k + 4 <= n; k += 4)
                for (int lane = 0; lane < 4; ++lane) {
                    const auto v = static_cast<double>(g[k + lane]);
                    part[lane] += v * v;
                }
            for (; k < n; ++k) part[0] += static_cast<double>(g[k]) * static_cast<double>(g[k]);
            const double sq = (part[0] + part[1]) + (part[2] + part[3]);
            if (!std::isfinite(sq)) {
                nonfinite = true;
                continue;
            }
            // The square roots wait for the epoch's end (fold_gradients), off this batch's path.
            if (a.batch_squares.size() == a.batch_squares.capacity()) fold_gradients(a, n);
            a.batch_squares.push_back(sq);
        }
    }
    if (nonfinite) {
        epoch_nonfinite_ = true;
        locate_nonfinite(model, batch, "gradients");
    }
}

int Recorder::batch_end_stride(int /*epoch*/) {
    return record_.layers.empty() || !sampling_ ? 0 : static_cast<int>(std::min<Index>(stride_, 1 << 30));
}

// Called at the sampled batches (batch_end_stride) and, by fit, at any batch whose loss is
// not finite.
void Recorder::on_train_batch_end(Sequential& model, int batch, const Logs& logs) {
    if (record_.layers.empty()) return;
    bool finite = all_finite(model.last_batch_output(record_.layers.size() - 1));
    if (const auto it = logs.find(kBatchLoss); it != logs.end()) finite = finite && std::isfinite(it->second);
    if (sampling_ && static_cast<std::uint32_t>(batch) % static_cast<std::uint32_t>(stride_) == 0) examine_batch(model, batch);
    if (!finite) {
        epoch_nonfinite_ = true;
        locate_nonfinite(model, batch, "loss");
    }
}

// Sums the shard's counts and takes the maximum of its flags over the processes (see the header).
void Recorder::reduce_over_shards(Sequential& model) {
    sums_.assign(1, static_cast<double>(sampled_rows_));
    maxima_.assign({static_cast<double>(sampled_batches_), epoch_nonfinite_ ? 1.0 : 0.0});
    for (std::size_t i = 0; sampling_ && i < acc_.size(); ++i) {
        const auto& a = acc_[i];
        sums_.insert(sums_.end(), {a.abs_sum, static_cast<double>(a.values), a.saturated});
        for (Index c : a.unit_saturated) sums_.push_back(static_cast<double>(c));
        for (char c : a.unit_active) maxima_.push_back(c ? 1.0 : 0.0);
    }
    reduction_->sum_over_shards(sums_, "the doctor's activation statistics");
    reduction_->max_over_shards(maxima_, "the doctor's flags");
    sampled_rows_ = static_cast<Index>(sums_[0]);
    sampled_batches_ = static_cast<Index>(maxima_[0]);
    std::size_t s = 1, m = 2;
    for (std::size_t i = 0; sampling_ && i < acc_.size(); ++i) {
        auto& a = acc_[i];
        a.abs_sum = sums_[s++];
        a.values = static_cast<Index>(sums_[s++]);
        a.saturated = sums_[s++];
        for (Index& c : a.unit_saturated) c = static_cast<Index>(sums_[s++]);
        for (char& c : a.unit_active) c = maxima_[m++] > 0 ? 1 : 0;
    }
    if (maxima_[1] > 0 && !epoch_nonfinite_) {  // another process saw it first
        epoch_nonfinite_ = true;
        locate_nonfinite(model, -1, "loss");
    }
}

void Recorder::on_epoch_end(Sequential& model, int epoch, Logs& logs) {
    for (std::size_t i = 0; sampling_ && i < acc_.size(); ++i) {  // the epoch's totals from the per-unit sums
        auto& a = acc_[i];
        fold_gradients(a, record_.layers[i].kernel_params);
        a.abs_sum = 0;
        for (Scalar v : a.unit_abs) a.abs_sum += static_cast<double>(v);
        a.saturated = 0;
        for (Index c : a.unit_saturated) a.saturated += static_cast<double>(c);
    }
    if (reduction_) reduce_over_shards(model);
    EpochStats e;
    e.epoch = epoch;
    // The rules read the last epoch's logs only: take over the previous epoch's map, so that
    // assigning reuses its nodes instead of allocating a map per epoch.
    if (!record_.epochs.empty()) e.logs = std::move(record_.epochs.back().logs);
    assign_logs(e.logs, logs);
    if (const auto it = logs.find(kLoss); it != logs.end()) e.loss = it->second;
    const auto val_loss = logs.find(kValLoss);
    if (val_loss != logs.end()) e.val_loss = val_loss->second;
    e.sampled_batches = sampled_batches_;
    e.sampled_rows = sampled_rows_;
    if (sampling_) e.layers.resize(acc_.size());  // none on the other epochs: no allocation there
    bool weights_finite = true;
    for (std::size_t i = 0; sampling_ && i < acc_.size(); ++i) {
        const auto& a = acc_[i];
        auto& s = e.layers[i];
        const LayerFacts& layer = record_.layers[i];
        if (a.values > 0) {
            s.mean_abs_activation = a.abs_sum / static_cast<double>(a.values);
            if (!a.unit_saturated.empty()) {
                s.saturated_fraction = a.saturated / static_cast<double>(a.values);
                Index units = 0;
                for (Index c : a.unit_saturated)
                    units += static_cast<double>(c) >= kUnitSaturatedShare * static_cast<double>(sampled_rows_) ? 1 : 0;
                s.saturated_units = static_cast<double>(units) / static_cast<double>(a.unit_saturated.size());
            }
            if (!a.unit_active.empty()) {
                const auto dead = std::count(a.unit_active.begin(), a.unit_active.end(), 0);
                s.dead_fraction = static_cast<double>(dead) / static_cast<double>(a.unit_active.size());
            }
        }
        if (a.gradient_batches > 0) {
            s.gradient_norm = a.gradient_norm / static_cast<double>(a.gradient_batches);
            s.gradient_rms = a.gradient_rms / static_cast<double>(a.gradient_batches);
        }
        if (layer.kernel_params > 0) {
            const double sq = squared_norm(model.layer_parameters(i).first(static_cast<std::size_t>(layer.kernel_params)));
            s.weight_norm = std::sqrt(sq);
            if (!std::isfinite(sq)) weights_finite = false;
        }
    }
    if (!weights_finite) {
        epoch_nonfinite_ = true;
        locate_nonfinite(model, -1, "weights");
    }
    if (!std::isfinite(e.loss)) {
        epoch_nonfinite_ = true;
        locate_nonfinite(model, -1, "loss");
    } else if (val_loss != logs.end() && !std::isfinite(e.val_loss)) {
        epoch_nonfinite_ = true;
        locate_nonfinite(model, -1, "validation loss");
    }
    e.nonfinite = epoch_nonfinite_;
    record_.epochs.push_back(std::move(e));
}

}  // namespace plexus::doctor
