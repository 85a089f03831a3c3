// Sequential::fit: the training loop over a FitContext made by plan_fit.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>

#include "plexus/core/error.hpp"
#include "plexus/core/float_mode.hpp"
#include "plexus/core/parallel.hpp"
#include "plexus/model/progress.hpp"
#include "plexus/model/sequential.hpp"

namespace plexus {

double History::last(const std::string& key) const {
    const auto it = history.find(key);
    if (it == history.end() || it->second.empty()) return std::numeric_limits<double>::quiet_NaN();
    return it->second.back();
}

namespace {

// A batch is gathered by several threads when each gets at least this many rows.
constexpr Index kGatherRowsPerChunk = 64;

void check_finite(ConstMatrixRef m, const char* what) {
    if (all_finite(m)) return;
    for (Index i = 0; i < m.rows(); ++i)
        for (Index j = 0; j < m.cols(); ++j)
            if (!std::isfinite(static_cast<double>(m(i, j))))
                throw DataError(std::string(what) + " contains NaN or Inf at row " + std::to_string(i) + ", column " +
                                std::to_string(j) + "; remove or impute such rows before training");
}

}  // namespace

// Everything one fit reuses from batch to batch: nothing here is allocated per step.
struct Sequential::FitLoop {
    const FitContext& ctx;
    const FitOptions& options;
    std::vector<CallbackPtr> callbacks;
    Index batch = 0;                 // global batch size
    Matrix xb, yb;                   // this process's part of the batch
    Matrix xv, yv;                   // a chunk of validation rows (gathered from x, y)
    std::vector<Scalar> wb;          // its row weights (empty: unweighted)
    RowList order;                   // positions in ctx.train_rows, in this epoch's order
    Rng shuffle_rng{0};
    Logs batch_logs;                 // one map for the whole fit: its nodes are reused
    // Its "loss", "batch_loss" and "size" entries, looked up once (a map's nodes do not
    // move): no string comparison per batch.
    double* loss_slot = nullptr;
    double* batch_loss_slot = nullptr;
    double* size_slot = nullptr;
    std::vector<double*> metric_slots;  // the compiled metrics' entries, in train_metrics_.names() order
    // Per callback, this epoch's batch_end_stride and the index of the next batch it sees.
    std::vector<int> batch_end_stride, next_batch_end;
    std::vector<CallbackPtr> gradient_callbacks;  // those whose uses_gradients() is true

    // Sequential::evaluate(x_val, y_val, {}, kValidationBatch) on the validation rows of
    // x, gathered chunk by chunk (the same batches, so the same numbers, without a copy of the part).
    static constexpr Index kValidationBatch = 256;
    Logs validate(Sequential& m, int epoch);
};

Logs Sequential::FitLoop::validate(Sequential& m, int epoch) {
    ValidationPass* keep = options.keep_validation.get();
    Matrix* outputs = keep ? &keep->outputs : nullptr;
    Logs logs = options.validation_data
                    ? m.evaluate(options.validation_data->first, options.validation_data->second, {}, kValidationBatch, outputs)
                    : m.evaluate_rows(ctx.x_val(), ctx.y_val(), kValidationBatch, xv, yv, outputs);
    if (keep) {
        keep->logs = logs;
        keep->parameters.assign(m.parameters().begin(), m.parameters().end());
        keep->epoch = epoch;
    }
    return logs;
}

void Sequential::check_fit_options(const FitOptions& options) const {
    if (options.epochs < 0) throw ConfigError("fit: epochs must be >= 0; received " + std::to_string(options.epochs));
    if (options.batch_size <= 0)
        throw ConfigError("fit: batch_size must be a positive integer; received " + std::to_string(options.batch_size));
    if (!(options.validation_split >= 0.0 && options.validation_split < 1.0))
        throw ConfigError("fit: validation_split must be in [0, 1); received " + std::to_string(options.validation_split));
    if (options.initial_epoch < 0 || options.initial_epoch > options.epochs)
        throw ConfigError("fit: initial_epoch must be in [0, epochs]");
    if (options.shard_count < 1 || options.shard_index < 0 || options.shard_index >= options.shard_count)
        throw ConfigError("fit: shard_index must be in [0, shard_count) and shard_count >= 1; received shard " +
                          std::to_string(options.shard_index) + " of " + std::to_string(options.shard_count));
}

History Sequential::fit(MatrixView x, MatrixView y, const FitOptions& options) {
    ensure_compiled("fit");
    check_fit_options(options);
    return fit(plan_fit(*this, x, y, options));
}

double Sequential::train_step(ConstMatrixRef x, ConstMatrixRef y, const Scalar* w, Index global_rows, int batch,
                              const std::vector<CallbackPtr>& callbacks) {
    double value = 0;
    if (x.rows() > 0) {
        value = compute_gradients(x, y, w);
    } else {  // a shard with no rows of a short last batch still takes part in the step
        std::fill(grads_.begin(), grads_.end(), Scalar(0));
        last_rows_ = 0;
    }
    const GradientStep step{.gradients = gradients(), .rows = x.rows(), .global_rows = global_rows, .batch = batch};
    for (const auto& cb : callbacks) cb->on_gradients(*this, step);
    optimizer_->step(params_, grads_);
    return value;
}

Logs Sequential::run_epoch(FitLoop& loop, int epoch) {
    const FitContext& ctx = loop.ctx;
    const FitOptions& options = loop.options;
    for (auto& cb : loop.callbacks) cb->on_epoch_begin(*this, epoch);
    for (std::size_t c = 0; c < loop.callbacks.size(); ++c) {
        const int stride = loop.callbacks[c]->batch_end_stride(epoch);
        if (stride < 0) throw ConfigError("fit: a callback's batch_end_stride returned " + std::to_string(stride) +
                                          "; return 0 (no batch), 1 (every batch) or a larger stride");
        loop.batch_end_stride[c] = stride;
        loop.next_batch_end[c] = stride > 0 ? 0 : -1;  // -1: never reached
    }
    // Dropout's stream restarts every epoch from (seed, epoch), so a resumed run draws what
    // the uninterrupted run drew.
    dropout_rng_.reseed(ctx.streams.dropout ^ (0x9E3779B97F4A7C15ULL * static_cast<std::uint64_t>(epoch + 1)));
    if (options.shuffle) loop.shuffle_rng.shuffle(loop.order);
    train_metrics_.reset();
    const Index n = static_cast<Index>(ctx.train_rows.size()), x_cols = ctx.x.cols(), y_cols = ctx.y.cols();
    const Scalar* x = ctx.x.data();
    const Scalar* y = ctx.y.data();
    double loss_sum = 0;
    Index seen = 0;
    int batch_index = 0;
    for (Index start = 0; start < n && !stop_training; start += loop.batch, ++batch_index) {
        const Index global_rows = std::min(loop.batch, n - start);
        // This process's contiguous part of the global batch (all of it without sharding).
        const Index lo = start + global_rows * options.shard_index / options.shard_count;
        const Index hi = start + global_rows * (options.shard_index + 1) / options.shard_count;
        const Index rows = hi - lo;
        // Gather the batch's rows (plain copies: Eigen's per-row assignment costs more than the
        // copy itself for the seed's 2-wide rows). The rows lie anywhere in x, often a mapped
        // file of hundreds of MB, where each row waits for its cache and TLB misses: a large
        // batch is gathered by every thread (on 2 M rows of 28 features, 2.2 s of a 16 s epoch
        // when only the caller gathered).
        const auto gather = [&](Index k0, Index k1) {
            for (Index k = k0; k < k1; ++k) {
                const RowIndex t = loop.order[static_cast<std::size_t>(lo + k)];  // a training row
                const Index r = ctx.train_rows[t];                                // its row of x
                std::copy_n(x + r * x_cols, x_cols, loop.xb.data() + k * x_cols);
                std::copy_n(y + r * y_cols, y_cols, loop.yb.data() + k * y_cols);
                if (!loop.wb.empty()) loop.wb[static_cast<std::size_t>(k)] = static_cast<Scalar>(ctx.train_weight[t]);
            }
        };
        const Index gather_chunks = std::min<Index>(num_threads(), rows / kGatherRowsPerChunk);
        if (gather_chunks > 1)
            parallel_for(gather_chunks, [&](Index c) { gather(rows * c / gather_chunks, rows * (c + 1) / gather_chunks); });
        else
            gather(0, rows);
        const Scalar* wp = loop.wb.empty() ? nullptr : loop.wb.data();
        const double batch_loss =
            train_step(loop.xb.topRows(rows), loop.yb.topRows(rows), wp, global_rows, batch_index, loop.gradient_callbacks);
        loss_sum += batch_loss * static_cast<double>(rows);
        seen += rows;
        if (rows > 0) train_metrics_.update(outputs_.back().topRows(rows), loop.yb.topRows(rows), wp);
        // The callbacks due at this batch (by their stride, or all of them for a loss that is
        // not finite); the logs are filled only when one is.
        bool due = false;
        const bool finite_loss = std::isfinite(batch_loss);
        for (std::size_t c = 0; c < loop.callbacks.size(); ++c)
            due = due || !finite_loss || loop.next_batch_end[c] == batch_index;
        if (due) {
            if (!loop.loss_slot) {
                for (const auto& name : train_metrics_.names()) loop.metric_slots.push_back(&loop.batch_logs[name]);
                loop.loss_slot = &loop.batch_logs["loss"];
                loop.batch_loss_slot = &loop.batch_logs["batch_loss"];
                loop.size_slot = &loop.batch_logs["size"];
            }
            for (std::size_t m = 0; m < loop.metric_slots.size(); ++m) *loop.metric_slots[m] = train_metrics_.value(m);
            *loop.loss_slot = seen > 0 ? loss_sum / static_cast<double>(seen) : 0.0;
            *loop.batch_loss_slot = batch_loss;
            *loop.size_slot = static_cast<double>(rows);
            for (std::size_t c = 0; c < loop.callbacks.size(); ++c) {
                const bool scheduled = loop.next_batch_end[c] == batch_index;
                if (scheduled) loop.next_batch_end[c] += loop.batch_end_stride[c];
                if (scheduled || !finite_loss) loop.callbacks[c]->on_train_batch_end(*this, batch_index, loop.batch_logs);
            }
        }
    }
    Logs logs = train_metrics_.result();
    logs["loss"] = seen > 0 ? loss_sum / static_cast<double>(seen) : 0.0;
    if (ctx.x_val().rows() > 0) {
        const Logs val = loop.validate(*this, epoch);
        for (const auto& [k, v] : val) logs["val_" + k] = v;
    }
    for (auto& cb : loop.callbacks) cb->on_epoch_end(*this, epoch, logs);
    return logs;
}

History Sequential::fit(FitContext plan) {
    // Denormals flushed to zero for the whole fit, callbacks included, as TensorFlow trains
    // (core/float_mode.hpp: a dead unit's Adam moment otherwise decays through them slowly).
    const FlushDenormals flush;
    ensure_compiled("fit");
    if (!plan.options) throw ConfigError("fit: the plan was not made by plan_fit");
    const FitOptions& options = *plan.options;
    check_fit_options(options);
    check_finite(plan.x.map(), "fit: x");
    check_finite(plan.y.map(), "fit: y");
    if (options.validation_data) check_finite(options.validation_data->first, "fit: validation_data x");
    resolve_input_dim(plan.x.cols(), "fit");
    if (!built_) build(plan.x.cols(), plan.seed);
    seed_ = plan.seed;
    loss_->check_targets(output_dim(), plan.y.map());

    History history;
    history.split = plan.split;
    history.seed = plan.seed;
    context_ = std::make_unique<FitContext>(std::move(plan));
    const FitContext& ctx = *context_;
    stop_training = false;

    FitLoop loop{.ctx = ctx, .options = options};
    loop.shuffle_rng.reseed(ctx.streams.shuffle);
    if (options.verbose > 0 && options.progress)
        loop.callbacks.push_back(std::make_shared<ProgressLogger>(options.progress, options.verbose));
    loop.callbacks.insert(loop.callbacks.end(), options.callbacks.begin(), options.callbacks.end());
    for (const auto& cb : loop.callbacks)
        if (cb->uses_gradients()) loop.gradient_callbacks.push_back(cb);
    loop.batch_end_stride.assign(loop.callbacks.size(), 1);
    loop.next_batch_end.assign(loop.callbacks.size(), 0);
    const Index n = ctx.x_train().rows();
    loop.batch = std::min(options.batch_size, n);
    reserve(loop.batch);
    loop.xb.resize(loop.batch, ctx.x.cols());
    loop.yb.resize(loop.batch, ctx.y.cols());
    if (!options.validation_data && !ctx.validation_rows.empty()) {
        const Index chunk = std::min<Index>(FitLoop::kValidationBatch, static_cast<Index>(ctx.validation_rows.size()));
        loop.xv.resize(chunk, ctx.x.cols());
        loop.yv.resize(chunk, ctx.y.cols());
    }
    loop.wb.resize(ctx.train_weight.empty() ? 0 : static_cast<std::size_t>(loop.batch));
    loop.order.resize(static_cast<std::size_t>(n));
    std::iota(loop.order.begin(), loop.order.end(), RowIndex{0});
    // Resuming at initial_epoch: replay the shuffles of the epochs before it, so epoch k sees
    // the order it has in an uninterrupted run (the shuffle is cumulative).
    if (options.shuffle)
        for (int e = 0; e < options.initial_epoch; ++e) loop.shuffle_rng.shuffle(loop.order);

    const auto start_time = std::chrono::steady_clock::now();
    for (auto& cb : loop.callbacks) cb->on_train_begin(*this);
    for (int epoch = options.initial_epoch; epoch < options.epochs && !stop_training; ++epoch) {
        const Logs logs = run_epoch(loop, epoch);
        epochs_trained_ = epoch + 1;
        history.epoch.push_back(epoch);
        for (const auto& [k, v] : logs) history.history[k].push_back(v);
    }
    history.train_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_time).count();
    for (auto& cb : loop.callbacks) cb->on_train_end(*this);
    // The split's rows move into the history (never copied: on a large table each copy
    // is 8 bytes per row held through the whole fit).
    history.split.train_indices = std::move(context_->train_rows);
    history.split.validation_indices = std::move(context_->validation_rows);
    context_.reset();
    return history;
}

}  // namespace plexus
