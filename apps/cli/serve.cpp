// `plexus serve`: the web playground (apps/web/): a local HTTP server whose page
// trains with the library, streams the pictures and the doctor's findings, and
// applies their fixes. Built only with cpp-httplib (libcpp-httplib-dev).
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>

#include "common.hpp"
#if PLEXUS_HAVE_WEB
#include "server.hpp"
#endif

namespace plexus::cli {

void add_serve_command(CLI::App& app) {
    CLI::App* cmd = app.add_subcommand("serve", "Start the web playground: train in the browser, watch it learn, apply the doctor's fixes");
#if PLEXUS_HAVE_WEB
    auto options = std::make_shared<web::ServeOptions>();
    auto body_mb = std::make_shared<int>(static_cast<int>(options->limits.max_body >> 20));
    auto idle = std::make_shared<int>(static_cast<int>(options->limits.idle.count()));
    web::Limits& l = options->limits;
    cmd->add_option("--host", options->host, "Address to listen on (loopback by default; anything else is reachable from the network)")
        ->capture_default_str();
    cmd->add_option("--port,-p", options->port, "Port (0: any free port, printed at start)")->capture_default_str()->check(CLI::Range(0, 65535));
    cmd->add_flag("--open", options->open, "Open the page in the desktop's browser (xdg-open)");
    cmd->add_option("--max-runs", l.max_runs, "Runs training at once; more get HTTP 429")->capture_default_str()->check(CLI::Range(1, 64));
    cmd->add_option("--max-body-mb", *body_mb, "Largest request body or upload, in MB; larger get HTTP 413")
        ->capture_default_str()->check(CLI::Range(1, 4096));
    cmd->add_option("--max-rows", l.max_rows, "Rows of a dataset (built-in samples or CSV rows)")->capture_default_str()->check(CLI::PositiveNumber);
    cmd->add_option("--max-parameters", l.max_parameters, "Parameters of a model")->capture_default_str()->check(CLI::PositiveNumber);
    cmd->add_option("--max-epochs", l.max_epochs, "Epochs of a run")->capture_default_str()->check(CLI::PositiveNumber);
    cmd->add_option("--idle-seconds", *idle, "A run or upload nobody touched for this long is stopped and removed")
        ->capture_default_str()->check(CLI::Range(1, 7 * 24 * 3600));
    cmd->footer(R"(The page is built into the binary; nothing is fetched from the internet. Runs train
in worker threads into a private temporary folder that is removed when the server stops
(Ctrl-C). Limits and the HTTP API: docs/web.md.

Examples:
  plexus serve                      # then open http://127.0.0.1:8080/
  plexus serve --port 0 --open      # any free port, open the browser)");
    cmd->callback([options, body_mb, idle] {
        options->limits.max_body = static_cast<std::size_t>(*body_mb) << 20;
        options->limits.idle = std::chrono::seconds(*idle);
        web::serve(*options, std::cout, std::cerr);
    });
#else
    cmd->allow_extras();
    cmd->callback([] {
        throw UsageError("serve: this plexus was built without cpp-httplib; fix: install libcpp-httplib-dev (scripts/setup.sh does) and rebuild");
    });
#endif
}

}  // namespace plexus::cli
