// `plexus train`: the options of a training run and --resume. The work itself
// (checks, model, fit, run folder) is in training.cpp, shared with `plexus demo`.
#include <filesystem>
#include <memory>
#include <set>

#include <CLI/CLI.hpp>

#include "common.hpp"
#include "options.hpp"
#include "plexus/plot/model_plots.hpp"
#include "table_options.hpp"
#include "training.hpp"

namespace plexus::cli {
namespace {

struct TrainCli {
    RunConfig config;
    std::string out = "run";
    std::string resume;
    bool no_shuffle = false;
    bool plots = false;
    bool overwrite = false;
    int checkpoint_every = 0;
};

// Trains, then (--plots) draws the run into its folder, with the animation's
// frames recorded during this very fit.
void train_and_plot(TrainRequest& request, const TrainCli& a, int initial_epoch) {
    std::shared_ptr<plot::SnapshotRecorder> recorder;
    if (a.plots) {
        recorder = std::make_shared<plot::SnapshotRecorder>(animation_epochs(initial_epoch, request.config.fit.epochs));
        request.callbacks.push_back(recorder);
    }
    TrainResult result = train(request);
    if (a.plots && process_world().rank == 0) write_run_plots(result, request.out_dir, recorder.get());
}

void run_train(CLI::App& cmd, TrainCli& a) {
    a.config.fit.shuffle = !a.no_shuffle;
    TrainRequest request;
    request.out_dir = a.out;
    request.overwrite = a.overwrite;
    request.checkpoint_every = a.checkpoint_every;
    if (a.resume.empty()) {
        request.config = a.config;
        train_and_plot(request, a, 0);
        return;
    }
    ModelFile stored_model = open_model(a.resume, "--resume", {.model = a.config.model.limits});
    const auto& extra = stored_model.metadata().extra;
    if (!extra.contains("train_config"))
        throw UsageError("--resume " + a.resume + ": " + stored_model.path +
                         " holds no training options (it was not written by `plexus train`); fix: resume a run folder made by `plexus train`");
    std::set<std::string> given;
    for (const CLI::Option* option : cmd.get_options())
        if (option->count() > 0) given.insert(option->get_name());
    request.config = run::resume_config(run::run_config_from_json(extra["train_config"]), a.config, given, a.resume);
    request.config.model.limits = a.config.model.limits;  // this process's caps, not the stored run's
    if (cmd.count("--lr") > 0) request.resume_lr = a.config.model.lr;
    request.resume_dir = a.resume;
    if (cmd.count("--out") == 0) request.out_dir = std::filesystem::path(stored_model.path).parent_path().string();
    if (request.out_dir.empty()) request.out_dir = ".";
    train_and_plot(request, a, stored_model.metadata().epoch);
}

}  // namespace

void add_train_config_options(CLI::App& cmd, RunConfig& config, bool& no_shuffle) {
    add_data_options(cmd, config.data, false);
    add_limit_options(cmd, config.model.limits);
    cmd.add_option("--layers", config.model.layers, "Hidden Dense layer widths, comma-separated (none for no hidden layer)")->capture_default_str();
    cmd.add_option("--activation", config.model.activation, "Activation of the hidden layers (tanh, relu, sigmoid, gelu, ...)")->capture_default_str();
    cmd.add_option("--output", config.model.output, "Output activation: softmax, sigmoid or linear (default: softmax for classes, linear for regression)");
    cmd.add_option("--model-spec", config.model.model_spec,
                    "A JSON file with a list of layers, e.g. [{\"type\": \"Dense\", \"units\": 4, \"activation\": \"tanh\"}, ...]");
    cmd.add_option("--loss", config.model.loss,
                    "Loss (default: sparse_categorical_crossentropy with softmax, binary_crossentropy with sigmoid, mse for regression)");
    cmd.add_flag("--from-logits", config.model.from_logits, "The output layer gives logits (cross-entropy losses)");
    cmd.add_option("--optimizer", config.model.optimizer, "sgd, adam, adamw, rmsprop or adagrad")->capture_default_str();
    cmd.add_option("--lr", config.model.lr, "Learning rate (default: the optimizer's Keras default, e.g. sgd 0.01, adam 0.001)")->check(in_range(positive(), "--lr 0.01"));
    cmd.add_option("--momentum", config.model.momentum, "SGD momentum, in [0, 1)")->check(in_range(fraction(false), "--momentum 0.9"));
    cmd.add_flag("--nesterov", config.model.nesterov, "SGD with Nesterov momentum");
    cmd.add_option("--clipnorm", config.model.clipnorm, "Clip each gradient tensor to this L2 norm")->check(in_range(positive(), "--clipnorm 1"));
    cmd.add_option("--clipvalue", config.model.clipvalue, "Clip each gradient element to [-V, V]")->check(in_range(positive(), "--clipvalue 0.5"));
    cmd.add_option("--metrics", config.model.metrics, "Comma-separated metrics (default: accuracy for classes, mae for regression)");
    cmd.add_option("--epochs,-e", config.fit.epochs, "Total number of epochs (with --resume: the new total)")->capture_default_str()->check(in_range(at_least(1), "--epochs 100"));
    cmd.add_option("--batch-size,-b", config.fit.batch_size, "Rows per optimizer step")->capture_default_str()->check(in_range(at_least(1), "--batch-size 32"));
    cmd.add_option("--validation-split", config.fit.validation_split, "Fraction of rows held out for validation, in [0, 1)")->capture_default_str()->check(in_range(fraction(false), "--validation-split 0.2"));
    cmd.add_option("--split", config.fit.split,
                    "How the validation rows are chosen: auto (stratified for classes, random for regression), tail (Keras: the last rows), "
                    "random, stratified")
        ->capture_default_str();
    cmd.add_option("--seed,-s", config.fit.seed, "Seed of everything random: built-in data, weights, split, shuffle, dropout")->capture_default_str()->check(in_range(at_least(0), "--seed 42"));
    cmd.add_option("--early-stopping", config.fit.early_stopping, "Stop after PATIENCE epochs without improvement of --monitor (0: off)")->check(in_range(at_least(0), "--early-stopping 10"));
    cmd.add_flag("--restore-best-weights", config.fit.restore_best_weights, "With --early-stopping: keep the best epoch's weights");
    cmd.add_option("--monitor", config.fit.monitor, "The log the callbacks watch (default: val_loss, or loss without validation)");
    cmd.add_option("--reduce-lr-on-plateau", config.fit.reduce_lr_on_plateau, "Multiply the learning rate by --reduce-lr-factor after PATIENCE flat epochs (0: off)")->check(in_range(at_least(0), "--reduce-lr-on-plateau 5"));
    cmd.add_option("--reduce-lr-factor", config.fit.reduce_lr_factor, "Factor for --reduce-lr-on-plateau, in (0, 1)")->capture_default_str()->check(in_range(fraction(true), "--reduce-lr-factor 0.5"));
    cmd.add_flag("--checkpoint", config.fit.checkpoint, "Save the best epoch's model (by --monitor) as best.plexus in the run folder");
    cmd.add_flag("--store-training-rows", config.fit.store_training_rows,
                 "Also store up to 2000 raw training rows in model.plexus (anyone with the file can read them); "
                 "by default the file holds no training row, only a coarse summary of where the data lies");
    cmd.add_option("--final-train-rows", config.fit.final_train_rows,
                   "Evaluate the final model on at most N training rows for report.json's final.train (a sample drawn with "
                   "--seed when there are more; 0: every training row). Validation rows are always all evaluated")
        ->capture_default_str()
        ->check(in_range(at_least(0), "--final-train-rows 20000"));
    cmd.add_flag("--standardize", config.fit.standardize, "Standardize features with the training rows' mean and std (stored in the model)");
    cmd.add_option("--standardize-target", config.fit.standardize_target,
                   "Regression: standardize the target with the training rows' mean and std (stored in the model, undone in "
                   "predictions and metrics): auto (when its mean or std is beyond 10 or its std below 0.1), on, off; "
                   "without a value: on")
        ->expected(0, 1)
        ->default_str("on");
    cmd.add_option("--class-weight", config.fit.class_weight,
                    "Weight the loss per class: balanced (n / (classes * count) over the training rows) or CLASS:W,CLASS:W");
    cmd.add_flag("--no-shuffle", no_shuffle, "Do not reshuffle the training rows every epoch");
    add_table_options(cmd, config);
}

void add_train_command(CLI::App& app) {
    auto a = std::make_shared<TrainCli>();
    auto& c = a->config;
    CLI::App* cmd = app.add_subcommand("train", "Train a model on a built-in dataset, a CSV or NPY files; writes a run folder");
    add_train_config_options(*cmd, c, a->no_shuffle);
    cmd->add_option("--verbose,-v", c.fit.verbose, "0 silent, 1 progress bar, 2 one line per epoch (default: 1 on a terminal, else 2)")->check(in_range(int_range(0, 2), "--verbose 2"));
    cmd->add_option("--out,-o", a->out, "The run folder to write (created if missing)")->capture_default_str();
    cmd->add_flag("--plots", a->plots,
                  "Also draw the run: curves.png; boundary.png, layers.png, animation.png/.gif (2-input classifiers), confusion.png; "
                  "for a regression predictions.png, residuals.png and boundary.png (its value surface, 2 inputs)");
    cmd->add_option("--resume", a->resume, "Continue the run in this folder from its last epoch, with its options and optimizer state");
    cmd->add_flag("--overwrite", a->overwrite, "Replace the run already in --out (its model, report, history and pictures are removed first)");
    cmd->add_option("--checkpoint-every", a->checkpoint_every,
                    "Save a resumable checkpoint (model.plexus, report.json, history.csv) after every N epochs (default: every ~5 s)")
        ->check(CLI::NonNegativeNumber);
    cmd->footer(R"(Writes OUT/model.plexus, OUT/report.json (schema: docs/report.md) and OUT/history.csv;
with --plots also the pictures (see `plexus plot --help`).

Examples:
  plexus train --data moons --epochs 50 --out runs/moons
  plexus train --data seed-curves --layers 4,4,4,4 --activation tanh --optimizer sgd --lr 0.01 \
               --batch-size 8 --epochs 300 --split tail --out runs/seed-tail
  plexus train --data iris.csv --target species --standardize --early-stopping 10 --checkpoint
  plexus train --data X.npy --labels y.npy --model-spec model.json --loss categorical_crossentropy
  plexus train --data moons --epochs 50 --plots --out runs/moons   # + boundary.png, curves.png, ...
  plexus train --resume runs/moons --epochs 100     # continue from epoch 50 to 100)");
    cmd->callback([cmd, a] { run_train(*cmd, *a); });
}

}  // namespace plexus::cli
