// Pictures in memory instead of files, for the web playground and notebooks:
//
//   std::string png = plot::render_to_bytes(".png", [&](const std::string& path) {
//       plot::decision_regions(model, run, style, path);
//   });
//
// `draw` is any plot call that writes one picture to the path it is given; the
// path's extension (".png", ".svg", ".pdf", ".gif") picks the format, and what
// the plot would have written is returned instead: nothing touches the file
// system. Throws what the plot throws, and IoError if `draw` wrote nothing
// (it did not use the path it was given).
#pragma once

#include <functional>
#include <string>

namespace plexus::plot {

std::string render_to_bytes(const std::string& extension, const std::function<void(const std::string& path)>& draw);

namespace detail {
// Used where a picture is written: if `path` is the one render_to_bytes handed out on this
// thread, keeps `bytes` for it and returns true; otherwise false (write the file).
bool capture_bytes(const std::string& path, const std::string& bytes);
}  // namespace detail

}  // namespace plexus::plot
