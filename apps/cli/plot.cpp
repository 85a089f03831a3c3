// `plexus plot KIND`: pictures of a trained model and its run (decision
// regions, learning curves, layer views, a training animation, the confusion
// matrix; for regression predicted vs actual, residuals and the value surface),
// from a run folder or a model file, on the run's data or other data.
// The pictures themselves (and those `plexus train --plots` writes) are drawn
// by run_plots.cpp.
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "common.hpp"
#include "options.hpp"
#include "plexus/data/atomic_file.hpp"
#include "plexus/model/split.hpp"
#include "plexus/plot/model_plots.hpp"
#include "run_plots.hpp"
#include "training.hpp"

namespace plexus::cli {
namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

const std::vector<std::string> kKinds = {"boundary", "curves", "layers", "animation", "confusion", "predictions", "residuals"};

using plot::labels_of;

std::string lower_extension(const std::string& path) {
    std::string e = fs::path(path).extension().string();
    std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return e;
}


struct PlotCli {
    std::string kind;
    std::string model;
    DataConfig data;
    std::optional<std::uint64_t> seed;
    std::string out;
    int width = 800;
    int height = 600;
    double dpi = 96;
    std::string range;
    bool log_y = false;
    std::string title;
    int frames = 9;
    ModelLimits limits;
};

double parse_number(const std::string& text, const std::string& whole) {
    double v = 0;
    const auto res = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || res.ec != std::errc() || res.ptr != text.data() + text.size() || !std::isfinite(v))
        throw UsageError("--range " + whole + ": '" + text + "' is not a number; fix: give XMIN:XMAX,YMIN:YMAX, e.g. --range 0:9.5,-2:2");
    return v;
}

plot::Range parse_range(const std::string& text) {
    const auto comma = text.find(',');
    const std::string xs = text.substr(0, comma), ys = comma == std::string::npos ? "" : text.substr(comma + 1);
    const auto cx = xs.find(':', xs.empty() ? 0 : 1), cy = ys.find(':', ys.empty() ? 0 : 1);
    if (comma == std::string::npos || cx == std::string::npos || cy == std::string::npos)
        throw UsageError("--range " + text + ": expected XMIN:XMAX,YMIN:YMAX; fix: e.g. --range 0:9.5,-2:2");
    const plot::Range r{parse_number(xs.substr(0, cx), text), parse_number(xs.substr(cx + 1), text), parse_number(ys.substr(0, cy), text),
                        parse_number(ys.substr(cy + 1), text)};
    if (!(r.xmin < r.xmax && r.ymin < r.ymax))
        throw UsageError("--range " + text + ": each minimum must be below its maximum; fix: e.g. --range 0:9.5,-2:2");
    return r;
}

// Removes a temporary run folder when it goes out of scope.
struct TempDir {
    fs::path path;
    ~TempDir() {
        std::error_code ec;
        if (!path.empty()) fs::remove_all(path, ec);
    }
};

// The output paths, checked before any work: png_out (.png/.svg/.pdf) and, for the animation, gif_out.
struct Outputs {
    std::string png, gif;
};
Outputs output_paths(const PlotCli& a, const fs::path& run_dir) {
    Outputs o;
    if (a.out.empty()) {
        o.png = (run_dir / (a.kind + ".png")).string();
        if (a.kind == "animation") o.gif = (run_dir / "animation.gif").string();
        return o;
    }
    const std::string ext = lower_extension(a.out);
    if (a.kind == "animation" && ext == ".gif") {
        o.gif = a.out;
    } else if (ext == ".png" || ext == ".svg" || ext == ".pdf") {
        o.png = a.out;
    } else {
        throw UsageError("--out " + a.out + ": unknown picture type '" + ext + "'; fix: end it with .png, .svg or .pdf" +
                         (a.kind == "animation" ? " (or .gif for the animated GIF)" : ""));
    }
    return o;
}

// Checks the picture options, in this order; returns --range parsed.
std::optional<plot::Range> checked_range(const PlotCli& a) {
    if (a.width < 16 || a.height < 16 || a.width > 20000 || a.height > 20000)
        throw UsageError(fmt::format("--width {} --height {}: each must be between 16 and 20000 pixels; fix: e.g. --width 800 --height 600",
                                     a.width, a.height));
    if (!(std::isfinite(a.dpi) && a.dpi >= 10 && a.dpi <= 2400))
        throw UsageError(fmt::format("--dpi {}: must be between 10 and 2400; fix: e.g. --dpi 96 (screen) or --dpi 300 (print)", a.dpi));
    if (a.frames < 1 || a.frames > 100) throw UsageError(fmt::format("--frames {}: must be between 1 and 100", a.frames));
    const std::optional<plot::Range> range = a.range.empty() ? std::nullopt : std::optional(parse_range(a.range));
    if (range && a.kind != "boundary" && a.kind != "layers" && a.kind != "animation")
        throw UsageError("--range: applies to boundary, layers and animation, not " + a.kind + "; fix: drop it");
    if (a.log_y && a.kind != "curves") throw UsageError("--log: applies to curves only; fix: drop it");
    return range;
}

// The run's report (history, findings, split) when the model sits in a run folder; null otherwise.
json read_report(const fs::path& report_path) {
    std::error_code ec;
    if (!fs::exists(report_path, ec)) return json();
    try {
        return json::parse(read_file_bytes(report_path.string()));
    } catch (const json::exception&) {
        throw IoError(report_path.string() + ": not valid JSON; fix: restore the run's report.json");
    }
}

// Writes each picture through an OutputDir (no partial output) and remembers it.
class Writer {
public:
    template <typename Draw>
    void operator()(const std::string& target, Draw draw) {
        OutputDir out(fs::path(target).parent_path().empty() ? fs::path(".") : fs::path(target).parent_path());
        out.create();
        const std::string file = out.file(fs::path(target).filename().string());
        draw(file);
        out.commit();
        written_.push_back(target);
    }
    void print() const {
        for (const auto& w : written_) std::cout << "wrote " << w << '\n';
    }

private:
    std::vector<std::string> written_;
};

// The data to draw: the run's (from the training options stored in the model) unless --data says otherwise.
struct DataChoice {
    DataConfig args;
    std::uint64_t seed = 0;
    bool run_data = false;  // exactly the run's rows (same data options and seed)
};
DataChoice choose_data(CLI::App& cmd, const PlotCli& a, const ModelFile& mf, const std::optional<RunConfig>& stored) {
    DataChoice c{.args = a.data};
    if (cmd.count("--data") == 0) {
        if (!stored)
            throw UsageError("--data: required, as " + mf.path + " holds no training options (it was not written by `plexus train`); fix: "
                             "add --data with the rows to draw");
        c.args = stored->data;
    } else if (stored && a.data.data == stored->data.data) {
        // The run's dataset: its stored options, unless given again.
        c.args = stored->data;
        if (cmd.count("--labels")) c.args.labels = a.data.labels;
        if (cmd.count("--target")) c.args.target = a.data.target;
        if (cmd.count("--task")) c.args.task = a.data.task;
        if (cmd.count("--samples")) c.args.samples = a.data.samples;
        if (cmd.count("--noise")) c.args.noise = a.data.noise;
        if (cmd.count("--classes")) c.args.classes = a.data.classes;
    }
    c.seed = a.seed ? *a.seed : stored ? stored->fit.seed : 0;
    c.run_data = stored && to_json(c.args) == to_json(stored->data) && c.seed == stored->fit.seed;
    return c;
}

// Frames exist only during training: retrains the run's configuration, same seed, recording them.
void plot_animation(CLI::App& cmd, const PlotCli& a, const ModelFile& mf, const std::optional<RunConfig>& stored,
                    const DataConfig& args, const Outputs& out, const plot::Style& style, const std::optional<plot::Range>& range) {
    if (!stored)
        throw UsageError("--model " + a.model + ": " + mf.path +
                         " holds no training options to retrain (it was not written by `plexus train`); fix: "
                         "`plexus train ... --plots` records the animation while it trains");
    RunConfig cfg = *stored;
    cfg.data = args;
    cfg.fit.verbose = 0;
    auto recorder = std::make_shared<plot::SnapshotRecorder>(plot::SnapshotRecorder::spread(cfg.fit.epochs, a.frames));
    TempDir tmp{fs::temp_directory_path() / fmt::format("plexus-animation-{}", static_cast<long>(getpid()))};
    TrainRequest request{.config = cfg, .out_dir = tmp.path.string(), .callbacks = {recorder}};
    std::cout << fmt::format("Retraining the run's configuration ({} epochs, seed {}) to record frames at epochs {}...\n", cfg.fit.epochs,
                             cfg.fit.seed, fmt::join(recorder->spread(cfg.fit.epochs, a.frames), ","));
    std::cout.flush();
    TrainResult r = train(request, false);
    const Scene s = scene_of(r);
    Writer write;
    if (!out.png.empty()) {
        plot::Style grid = style;
        if (cmd.count("--width") == 0) grid.width = 400;
        if (cmd.count("--height") == 0) grid.height = 300;
        write(out.png, [&](const std::string& f) { draw_animation(s, *recorder, grid, f, "", range); });
    }
    if (!out.gif.empty()) write(out.gif, [&](const std::string& f) { draw_animation(s, *recorder, style, "", f, range); });
    write.print();
}

// The run's validation rows: the indices report.json stores, else recomputed as fit computes them.
RowList run_validation_rows(const json& report, const RunConfig& stored, const Dataset& data, const fs::path& report_path) {
    const json& sp = report.is_object() && report.contains("split") ? report["split"] : json();
    RowList val_rows;
    if (sp.is_object() && sp.contains("validation_indices")) {
        // Read wide and checked below: a number beyond 32 bits must not wrap to a valid row.
        for (const std::int64_t r : sp["validation_indices"].get<std::vector<std::int64_t>>()) {
            if (r < 0 || r >= data.rows())
                throw DataError(report_path.string() + ": split.validation_indices does not fit " + data.source + "; fix: give --data explicitly");
            val_rows.push_back(static_cast<RowIndex>(r));
        }
    } else {
        Split method = split_from_string(stored.fit.split);
        if (sp.is_object() && sp.contains("method")) method = split_from_string(sp["method"].get<std::string>());
        if (method == Split::automatic) method = Split::stratified;
        Rng root(stored.fit.seed);
        (void)root.next_u64();
        Rng split_rng(root.next_u64());
        val_rows = split_indices(data.rows(), stored.fit.validation_split, method, dataset_labels(data), split_rng).validation;
    }
    return val_rows;
}

// The rows of `data` to draw: the run's split when they are the run's rows, else all alike
// (the training support then comes from the summary stored in the model).
void fill_rows(Scene& s, const Dataset& data, const RowList& val_rows, bool run_data, const json& extra,
               const std::string& model_path) {
    std::vector<bool> is_val(static_cast<std::size_t>(data.rows()), false);
    for (const Index r : val_rows) is_val[static_cast<std::size_t>(r)] = true;
    RowList train_rows;
    for (Index r = 0; r < data.rows(); ++r)
        if (!is_val[static_cast<std::size_t>(r)]) train_rows.push_back(r);
    s.x_train = take_rows(data.x, train_rows);
    s.x_val = take_rows(data.x, val_rows);
    if (s.class_names.empty()) {
        s.t_train = take_rows(data.y, train_rows);
        s.t_val = take_rows(data.y, val_rows);
        s.target_name = data.target_name;
    } else {
        s.y_train = labels_of(data, train_rows);
        s.y_val = labels_of(data, val_rows);
    }
    if (run_data) {
        s.support_x = s.x_train;
    } else {
        s.train_label = "data";
        s.support_summary = support_from_extra(extra, model_path);
    }
}

// boundary, layers, confusion, predictions or residuals, on the chosen data.
void plot_on_data(const PlotCli& a, ModelFile& mf, const std::optional<RunConfig>& stored, const DataChoice& choice,
                  const json& report, const fs::path& report_path, const Outputs& out, const plot::Style& style,
                  const std::optional<plot::Range>& range) {
    const Dataset data = load_data_for_model(choice.args, choice.seed, mf, true);
    Scene s;
    s.model = &mf.model();
    s.standardizer = mf.standardizer ? &*mf.standardizer : nullptr;
    s.target_standardizer = mf.target_standardizer && !mf.classification() ? &*mf.target_standardizer : nullptr;
    s.class_names = mf.metadata().class_names;
    s.feature_names = feature_names_or_default(mf.metadata().feature_names, mf.input_dim());
    const RowList val_rows = choice.run_data ? run_validation_rows(report, *stored, data, report_path) : RowList{};
    fill_rows(s, data, val_rows, choice.run_data, mf.metadata().extra, mf.path);
    if (a.kind == "confusion") {
        if (choice.run_data && !val_rows.empty()) {
            s.x_confusion = s.x_val;
            s.y_confusion = s.y_val;
            s.confusion_rows = fmt::format("validation rows ({})", val_rows.size());
        } else {
            s.x_confusion = data.x;
            s.y_confusion = dataset_labels(data);
            s.confusion_rows = fmt::format("{} rows", data.rows());
        }
    }
    plot::Style st = style;
    if (st.title.empty()) {
        const std::string split = choice.run_data ? fmt::format(", {} split", split_name(report)) : "";
        if (a.kind == "boundary")
            st.title = mf.classification() ? data.source + split : fmt::format("{}: predicted {}{}", data.source, s.target_name, split);
        else if (a.kind == "layers")
            st.title = fmt::format("{}: how each layer bends the data", data.source);
        else if (a.kind == "confusion")
            st.title = fmt::format("{}: confusion matrix, {}", data.source, s.confusion_rows);
        else
            st.title = fmt::format("{}: {}", data.source, a.kind == "predictions" ? "predicted vs actual" : "residuals");
    }
    Writer write;
    write(out.png, [&](const std::string& f) {
        if (a.kind == "boundary") draw_boundary(s, st, f, range);
        else if (a.kind == "layers") draw_layers(s, st, f, range);
        else if (a.kind == "predictions") draw_predictions(s, st, f);
        else if (a.kind == "residuals") draw_residuals(s, st, f);
        else draw_confusion(s, st, f);
    });
    write.print();
    if (a.kind == "predictions" || a.kind == "residuals") std::cout << "fit: " << fit_summary(s) << '\n';
}

void run_plot(CLI::App& cmd, PlotCli& a) {
    const std::optional<plot::Range> range = checked_range(a);
    ModelFile mf = open_model(a.model, "--model", {.model = a.limits});
    const fs::path run_dir = fs::path(mf.path).parent_path().empty() ? fs::path(".") : fs::path(mf.path).parent_path();
    const Outputs out = output_paths(a, run_dir);
    const plot::Style style{.width = a.width, .height = a.height, .dpi = a.dpi, .title = a.title};
    const fs::path report_path = run_dir / "report.json";
    const json report = read_report(report_path);

    if (a.kind == "curves") {
        if (report.is_null())
            throw UsageError("--model " + a.model + ": no report.json next to " + mf.path +
                             "; fix: the learning curves come from a run folder written by `plexus train`");
        plot::Style s = style;
        if (s.title.empty()) s.title = fmt::format("{}: learning curves", report.contains("data") ? report["data"].value("source", "") : "");
        Writer write;
        write(out.png, [&](const std::string& f) { draw_curves(report, s, f, a.log_y); });
        write.print();
        return;
    }

    const json& extra = mf.metadata().extra;
    std::optional<RunConfig> stored;
    if (extra.contains("train_config")) stored = run::run_config_from_json(extra["train_config"]);
    const DataChoice choice = choose_data(cmd, a, mf, stored);

    check_plot_kind(a.kind, mf);
    if (a.kind == "animation") return plot_animation(cmd, a, mf, stored, choice.args, out, style, range);
    plot_on_data(a, mf, stored, choice, report, report_path, out, style, range);
}

}  // namespace

void add_plot_command(CLI::App& app) {
    auto a = std::make_shared<PlotCli>();
    CLI::App* cmd = app.add_subcommand("plot", "Draw a trained model and its run: boundary, curves, layers, animation, confusion, predictions or residuals");
    cmd->add_option("kind", a->kind, "boundary, curves, layers, animation, confusion (classifiers), predictions, residuals (regression)")->required()->check(CLI::IsMember(kKinds));
    cmd->add_option("--model,-m", a->model, "A run folder or a model file (.plexus)")->required();
    add_limit_options(*cmd, a->limits);
    add_data_options(*cmd, a->data, false);
    cmd->add_option("--seed,-s", a->seed, "Seed that generates built-in data (default: the run's seed, so the run's rows)")->check(in_range(at_least(0), "--seed 1"));
    cmd->add_option("--out,-o", a->out, "The picture: .png, .svg or .pdf (.gif for the animation) (default: MODEL_DIR/KIND.png)");
    cmd->add_option("--width", a->width, "Width in pixels")->capture_default_str()->check(in_range(int_range(16, 20000), "--width 800"));
    cmd->add_option("--height", a->height, "Height in pixels")->capture_default_str()->check(in_range(int_range(16, 20000), "--height 600"));
    cmd->add_option("--dpi", a->dpi, "Dots per inch: scales fonts and lines; the page size of PDFs")->capture_default_str()->check(in_range({.low = 10, .high = 2400}, "--dpi 96 (screen) or --dpi 300 (print)"));
    cmd->add_option("--range", a->range, "The input plane to draw, XMIN:XMAX,YMIN:YMAX (default: the points plus a margin)");
    cmd->add_flag("--log", a->log_y, "curves: logarithmic y axis");
    cmd->add_option("--title", a->title, "Title (default: the data and the split)");
    cmd->add_option("--frames", a->frames, "animation: number of frames")->capture_default_str()->check(in_range(int_range(1, 100), "--frames 9"));
    cmd->footer(R"(Kinds:
  boundary   decision regions of a 2-input classifier: class colours over the plane, training points
             filled, validation points hollow, the region outside the training data hatched. For a
             2-input regression, its value surface: the prediction as a colour field with a colour bar,
             the points coloured by their target on the same scale
  curves     loss and each metric per epoch (training solid, validation dashed), doctor findings
             marked at their epoch; from the run folder's report.json (needs no --data)
  layers     how each hidden layer bends the input plane, and every hidden unit's activation
  animation  the decision regions at epochs spread over training: a grid of frames (.png) and an
             animated GIF. Frames exist only during training, so this RETRAINS the run's stored
             configuration with the same options and seed (`plexus train --plots` records them
             during the real run instead). Default: MODEL_DIR/animation.png and animation.gif
  confusion  the confusion matrix: on the run's validation rows when the data is the run's, else on
             every row of --data
  predictions  regression: predicted against actual target with the y = x line of a perfect model,
             R² and MAE in the title strip (training rows filled, validation rows hollow)
  residuals  regression: residual (actual - predicted) against predicted, with the zero line

Without --data, the run's own data (the training options stored in the model) with its exact split:
training and validation rows as in the run. With other data, all rows are drawn alike. Pictures are
in the original feature space, also for models trained with --standardize, and in the target's units,
also for models trained with --standardize-target.

Examples:
  plexus plot boundary --model runs/seed-tail                  # -> runs/seed-tail/boundary.png
  plexus plot boundary --model runs/seed-tail --range 0:9.5,-2:2 --out seed.svg
  plexus plot curves --model runs/moons --log --out curves.pdf
  plexus plot animation --model runs/moons --out moons.gif
  plexus plot confusion --model runs/moons --data moons --seed 1
  plexus plot predictions --model runs/diabetes --out fit.svg  # a regression run)");
    cmd->callback([cmd, a] { run_plot(*cmd, *a); });
}

}  // namespace plexus::cli
