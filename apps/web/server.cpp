// The playground's HTTP server; see server.hpp.
#include "server.hpp"

#include <atomic>
#include <csignal>
#include <filesystem>
#include <ostream>
#include <spawn.h>
#include <unistd.h>
#include <thread>

#include <fmt/format.h>
#include <httplib.h>

#include "assets.hpp"
#include "plexus/data/atomic_file.hpp"
#include "plexus/data/datasets.hpp"
#include "runs.hpp"

namespace plexus::web {
using json = nlohmann::json;
using httplib::Request;
using httplib::Response;

namespace {

std::atomic<int> g_signal{0};
void on_signal(int signal) { g_signal = signal; }

constexpr const char* kRunId = "([0-9a-f]{32})";

void send_error(Response& res, int status, const std::string& message) {
    res.status = status;
    res.set_content(json{{"error", message}}.dump(), "application/json");
}

void send_json(Response& res, const json& body, int status = 200) {
    res.status = status;
    res.set_content(body.dump(), "application/json");
}

// The default message of an error status httplib (or a handler) left without a body.
std::string status_message(const Request& req, int status, const Limits& limits) {
    switch (status) {
    case 404: return "no such page: " + req.path + "; fix: open / for the playground";
    case 405: return req.method + " is not allowed on " + req.path;
    case 413: return fmt::format("request body too large: the limit is {} MB; fix: upload a smaller file (or start the server with --max-body-mb)",
                                 limits.max_body >> 20);
    default: return "HTTP " + std::to_string(status);
    }
}

// Runs a handler, turning exceptions into JSON errors.
template <typename F>
void guarded(Response& res, F&& body) {
    try {
        body();
    } catch (const BusyError& e) {
        send_error(res, 429, e.what());
    } catch (const Error& e) {
        send_error(res, 400, e.what());
    } catch (const std::bad_alloc&) {
        send_error(res, 503, "out of memory; fix: use fewer rows or a smaller model");
    } catch (const std::exception& e) {
        send_error(res, 500, std::string("internal error: ") + e.what() + "; please report this bug");
    }
}

json parse_body(const Request& req) {
    try {
        return json::parse(req.body);
    } catch (const json::parse_error& e) {
        std::string what = e.what();
        if (const auto at = what.find("] "); at != std::string::npos) what = what.substr(at + 2);
        throw run::UsageError("request body: not valid JSON (" + what + "); fix: send a JSON object such as {\"config\": {...}}");
    }
}

bool loopback(const std::string& host) { return host == "127.0.0.1" || host == "localhost" || host == "::1"; }

// Host header check against DNS rebinding: a loopback server answers only loopback names.
bool allowed_host(const Request& req) {
    std::string host = req.get_header_value("Host");
    if (host.empty()) return true;  // HTTP/1.0
    if (host.front() == '[') host = host.substr(0, host.find(']') + 1);
    else host = host.substr(0, host.find(':'));
    return host == "127.0.0.1" || host == "localhost" || host == "[::1]";
}

void add_page_routes(httplib::Server& svr, const std::string& index) {
    svr.Get(".*", [&index](const Request& req, Response& res) {
        if (req.path == "/" || req.path == "/index.html") {
            res.set_content(index, "text/html; charset=utf-8");
            res.set_header("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; base-uri 'none'");
            return;
        }
        const Asset* asset = find_asset(req.path);
        if (!asset) return send_error(res, 404, "no such page: " + req.path + "; fix: open / for the playground");
        res.set_content(std::string(asset->data), std::string(asset->content_type).c_str());
    });
}

void add_run_routes(httplib::Server& svr, Runs& runs) {
    svr.Post("/api/upload", [&runs](const Request& req, Response& res) {
        guarded(res, [&] {
            const std::string name = req.has_param("name") ? req.get_param_value("name") : "upload.csv";
            send_json(res, runs.upload(req.body, name), 201);
        });
    });
    svr.Post("/api/runs", [&runs](const Request& req, Response& res) {
        guarded(res, [&] {
            const auto started = runs.start(parse_body(req));
            send_json(res, {{"id", started.id}, {"command", started.command}, {"parameters", started.parameters}}, 201);
        });
    });
    svr.Get(std::string("/api/runs/") + kRunId, [&runs](const Request& req, Response& res) {
        const auto run = runs.find(req.matches[1]);
        if (!run) return send_error(res, 404, "no such run (it ended or was idle too long); fix: start it again");
        json status = run->live->status();
        status["command"] = run->command;
        send_json(res, status);
    });
    svr.Post(std::string("/api/runs/") + kRunId + "/(stop|step|resume)", [&runs](const Request& req, Response& res) {
        const auto run = runs.find(req.matches[1]);
        if (!run) return send_error(res, 404, "no such run (it ended or was idle too long); fix: start it again");
        const std::string action = req.matches[2];
        if (action == "stop") run->live->stop();
        else if (action == "step") run->live->step();
        else run->live->resume();
        send_json(res, run->live->status());
    });
    svr.Delete(std::string("/api/runs/") + kRunId, [&runs](const Request& req, Response& res) {
        if (!runs.remove(req.matches[1])) return send_error(res, 404, "no such run");
        res.status = 204;
    });
    svr.Get(std::string("/api/runs/") + kRunId + R"(/(model\.plexus|report\.json|command\.txt))", [&runs](const Request& req, Response& res) {
        const auto run = runs.find(req.matches[1]);
        if (!run) return send_error(res, 404, "no such run (it ended or was idle too long); fix: start it again");
        const std::string file = req.matches[2];
        res.set_header("Content-Disposition", "attachment; filename=\"" + file + "\"");
        if (file == "command.txt") return res.set_content(run->command + "\n", "text/plain; charset=utf-8");
        const std::string state = run->live->state();
        const auto path = run->folder / file;
        if ((state != "finished" && state != "stopped") || !std::filesystem::exists(path))
            return send_error(res, 409, file + " is written when the run ends (state: " + state + "); fix: wait for it to finish, or stop it");
        res.set_content(read_file_bytes(path.string()), file == "report.json" ? "application/json" : "application/octet-stream");
    });
}

void add_stream_route(httplib::Server& svr, Runs& runs, std::atomic<int>& streams, const std::atomic<bool>& stopping) {
    svr.Get(std::string("/api/runs/") + kRunId + "/events", [&](const Request& req, Response& res) {
        auto run = runs.find(req.matches[1]);
        if (!run) return send_error(res, 404, "no such run (it ended or was idle too long); fix: start it again");
        if (streams.fetch_add(1) >= runs.limits().max_streams) {
            --streams;
            return send_error(res, 503, "too many open event streams; fix: close other playground tabs");
        }
        res.set_header("Cache-Control", "no-store");
        auto cursor = std::make_shared<LiveRun::Cursor>();
        auto quiet_since = std::make_shared<std::chrono::steady_clock::time_point>(std::chrono::steady_clock::now());
        res.set_chunked_content_provider(
            "text/event-stream",
            [run, cursor, quiet_since, &stopping](std::size_t, httplib::DataSink& sink) {
                if (stopping) {
                    sink.done();
                    return true;
                }
                run->touch();
                std::string text = run->live->next(*cursor, std::chrono::milliseconds(250));
                const auto now = std::chrono::steady_clock::now();
                if (text.empty() && now - *quiet_since > std::chrono::seconds(10)) text = ": keep-alive\n\n";
                if (!text.empty()) {
                    *quiet_since = now;
                    if (!sink.write(text.data(), text.size())) return false;
                }
                if (run->live->done(*cursor)) sink.done();
                return true;
            },
            [&streams, run](bool) { --streams; });
    });
}

// Stops the server on SIGINT/SIGTERM and sweeps idle runs, until `stopping`.
void watch(httplib::Server& svr, Runs& runs, std::atomic<bool>& stopping) {
    int ticks = 0;
    while (!stopping) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        if (g_signal != 0) {
            stopping = true;
            runs.stop_all();
            svr.stop();
            return;
        }
        if (++ticks % 10 == 0) runs.sweep();  // once a second
    }
}

void open_browser(const std::string& url, std::ostream& err) {
    std::string program = "xdg-open";
    char* argv[] = {program.data(), const_cast<char*>(url.c_str()), nullptr};
    pid_t pid = 0;
    if (posix_spawnp(&pid, "xdg-open", nullptr, nullptr, argv, environ) != 0)
        err << "plexus serve: could not start xdg-open; open " << url << " in a browser\n";
}

}  // namespace

const Asset* find_asset(std::string_view path) {
    if (path == "/") path = "/index.html";
    for (const Asset& a : assets())
        if (a.path == path) return &a;
    return nullptr;
}

std::string index_page() {
    const Asset* asset = find_asset("/index.html");
    std::string page(asset ? asset->data : "");
    std::string options;
    for (const DatasetInfo& d : list_datasets())
        options += fmt::format("<option value=\"{0}\" data-task=\"{1}\" data-samples=\"{2}\" data-noise=\"{3}\" data-classes=\"{4}\">{0}</option>",
                               d.name, d.task, d.default_samples, d.default_noise, d.default_classes);
    const std::string marker = "<!--plexus:dataset-options-->";
    if (const auto at = page.find(marker); at != std::string::npos) page.replace(at, marker.size(), options);
    return page;
}

void serve(const ServeOptions& options, std::ostream& out, std::ostream& err) {
    Runs runs(options.limits);
    const std::string index = index_page();
    std::atomic<int> streams{0};
    std::atomic<bool> stopping{false};
    const bool local = loopback(options.host);

    httplib::Server svr;
    const std::size_t threads = static_cast<std::size_t>(options.limits.max_streams) + 8;
    svr.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    svr.set_payload_max_length(options.limits.max_body);
    svr.set_default_headers({{"X-Content-Type-Options", "nosniff"}, {"Referrer-Policy", "no-referrer"}});
    svr.set_pre_routing_handler([local](const Request& req, Response& res) {
        if (!local || allowed_host(req)) return httplib::Server::HandlerResponse::Unhandled;
        send_error(res, 403, "Host " + req.get_header_value("Host") + " is not this loopback server; fix: open http://127.0.0.1:PORT/");
        return httplib::Server::HandlerResponse::Handled;
    });
    svr.set_error_handler([&options](const Request& req, Response& res) {
        if (res.body.empty()) send_error(res, res.status, status_message(req, res.status, options.limits));
    });
    add_run_routes(svr, runs);
    add_stream_route(svr, runs, streams, stopping);
    add_page_routes(svr, index);  // last: it matches every GET

    int port = options.port;
    if (port == 0) port = svr.bind_to_any_port(options.host);
    else if (!svr.bind_to_port(options.host, port)) port = -1;
    if (port < 0)
        throw run::UsageError(fmt::format("--host {} --port {}: cannot listen there (in use, or not an address of this machine); "
                                          "fix: choose another port (--port 0 picks a free one) or an address of this machine (--host 127.0.0.1)", options.host, options.port));
    if (!local)
        err << "plexus serve: warning: listening on " << options.host
            << ", not loopback: anyone who can reach this machine can train models and upload files here; "
               "use --host 127.0.0.1 unless you mean it\n";
    const std::string url = fmt::format("http://{}:{}/", options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host, port);
    out << "plexus serve: " << url << " (Ctrl-C stops)" << std::endl;
    if (options.open) open_browser(url, err);

    g_signal = 0;
    struct sigaction action {}, old_int {}, old_term {}, old_pipe {};
    action.sa_handler = on_signal;
    sigaction(SIGINT, &action, &old_int);
    sigaction(SIGTERM, &action, &old_term);
    action.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &action, &old_pipe);
    std::thread watcher([&] { watch(svr, runs, stopping); });
    svr.listen_after_bind();
    stopping = true;
    watcher.join();
    runs.stop_all();
    sigaction(SIGINT, &old_int, nullptr);
    sigaction(SIGTERM, &old_term, nullptr);
    sigaction(SIGPIPE, &old_pipe, nullptr);
    out << "plexus serve: stopped" << std::endl;
}

}  // namespace plexus::web
