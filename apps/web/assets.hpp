// The playground's page, compiled into the binary (apps/web/assets/, embedded by
// embed_assets.cmake): the server answers only these paths, so nothing outside the
// table can be reached (no files are read at run time, `..` matches nothing).
#pragma once

#include <span>
#include <string_view>

namespace plexus::web {

struct Asset {
    std::string_view path;          // "/index.html", "/app.js", ...
    std::string_view content_type;  // "text/html; charset=utf-8", ...
    std::string_view data;
};

// Every embedded file.
std::span<const Asset> assets();

// The asset served at a request path ("/" is "/index.html"), or nullptr.
const Asset* find_asset(std::string_view path);

}  // namespace plexus::web
