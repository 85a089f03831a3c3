// `plexus serve`: the web playground's HTTP server (cpp-httplib).
//
//   GET  /, /app.js, ...                 the page (assets.hpp; anything else is 404)
//   POST /api/upload?name=F.csv          body: a CSV file -> {"upload": id, "rows", ...}
//   POST /api/runs                       {"config": RunConfig JSON, "upload": id, "step": bool}
//                                        -> 201 {"id", "command", "parameters"}; 400 bad settings, 429 busy
//   GET  /api/runs/ID                    {"state", "epoch", "epochs", "message", "downloads"}
//   GET  /api/runs/ID/events             Server-Sent Events (live.hpp)
//   POST /api/runs/ID/stop|step|resume   the controls
//   DELETE /api/runs/ID                  stop and forget the run
//   GET  /api/runs/ID/model.plexus|report.json|command.txt   downloads (409 until written)
//
// Errors are JSON {"error": "<what, and the fix>"} with status 400 (bad JSON or
// settings), 404, 409, 413 (body over Limits::max_body), 429 (runs), 503 (streams).
#pragma once

#include <iosfwd>
#include <string>

#include "settings.hpp"

namespace plexus::web {

struct ServeOptions {
    std::string host = "127.0.0.1";
    int port = 8080;  // 0: any free port (the one chosen is printed)
    bool open = false;  // open the page in the desktop's browser (xdg-open)
    Limits limits;
};

// Serves until SIGINT or SIGTERM, then stops every run and removes its files.
// Prints "plexus serve: http://HOST:PORT/" to `out` once listening (and a
// warning to `err` for a host other than loopback). Throws run::UsageError if
// the address cannot be bound.
void serve(const ServeOptions& options, std::ostream& out, std::ostream& err);

// The page with the built-in datasets filled into its <select> (index.html holds
// the marker <!--plexus:dataset-options-->).
std::string index_page();

}  // namespace plexus::web
