// Terminal output: wrapping and colour; see terminal.hpp.
#include "terminal.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <vector>

namespace plexus::cli {
namespace {

constexpr int kDefaultWidth = 80;
constexpr int kMinWidth = 20;  // below this, wrapping would only make things worse

bool env_set(const char* name) {
    const char* v = std::getenv(name);
    return v && *v;
}

// Display columns of UTF-8 text (continuation bytes take none).
std::size_t columns(std::string_view s) {
    std::size_t n = 0;
    for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

// Where continuation lines of `line` start: under the message of a doctor line
// ("doctor: "), under the text of a fix: line, else two past the line's own indent.
std::size_t hanging_indent(std::string_view line) {
    const std::size_t lead = line.find_first_not_of(' ');
    if (lead == std::string_view::npos) return 0;
    const std::string_view rest = line.substr(lead);
    if (rest.starts_with("doctor: ")) return lead + 8;
    if (rest.starts_with("fix: ")) return lead + 5;
    return lead + 2;
}

std::string wrap_line(std::string_view line, std::size_t width) {
    if (columns(line) <= width || line.find('\r') != std::string_view::npos) return std::string(line);
    const std::size_t indent = std::min(hanging_indent(line), width / 2);
    std::string out;
    std::size_t used = 0, pos = 0;
    // Keep the line's own leading spaces, then lay out the words greedily.
    while (pos < line.size() && line[pos] == ' ') out += line[pos++], ++used;
    bool first_word = true;
    while (pos < line.size()) {
        const std::size_t end = std::min(line.find(' ', pos), line.size());
        const std::string_view word = line.substr(pos, end - pos);
        if (!word.empty()) {
            const std::size_t w = columns(word);
            if (!first_word && used + 1 + w > width) {
                out += '\n' + std::string(indent, ' ');
                used = indent;
            } else if (!first_word) {
                out += ' ';
                ++used;
            }
            out += word;
            used += w;
            first_word = false;
        }
        pos = end + 1;
    }
    return out;
}

// ANSI colour for a doctor line's "[severity]", a "fix:" label and "plexus: error:".
std::string colour_line(std::string line) {
    const std::size_t lead = line.find_first_not_of(' ');
    if (lead == std::string::npos) return line;
    const std::string_view rest = std::string_view(line).substr(lead);
    auto paint = [&](std::size_t at, std::size_t length, const char* code) {
        line.insert(at + length, "\x1b[0m");
        line.insert(at, code);
    };
    if (rest.starts_with("doctor: [")) {
        const std::size_t open = lead + 8, close = line.find(']', open);
        if (close == std::string::npos) return line;
        const std::string_view severity = std::string_view(line).substr(open + 1, close - open - 1);
        const char* code = severity == "error" ? "\x1b[1;31m" : severity == "warning" ? "\x1b[33m" : "\x1b[36m";
        paint(open, close - open + 1, code);
    } else if (rest.starts_with("fix: ")) {
        paint(lead, 4, "\x1b[32m");
    } else if (rest.starts_with("plexus: error:")) {
        paint(lead, 14, "\x1b[1;31m");
    }
    return line;
}

}  // namespace

TerminalStyle terminal_style(std::FILE* stream) {
    TerminalStyle style;
    const int fd = fileno(stream);
    if (fd < 0 || !isatty(fd)) return style;
    winsize ws{};
    if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) style.width = ws.ws_col;
    else if (const char* c = std::getenv("COLUMNS")) style.width = std::atoi(c);
    if (style.width <= 0) style.width = kDefaultWidth;
    if (style.width < kMinWidth) style.width = 0;
    const char* term = std::getenv("TERM");
    style.colour = !env_set("NO_COLOR") && !(term && std::string_view(term) == "dumb");
    return style;
}

std::string styled(std::string_view text, const TerminalStyle& style) {
    if (style.width <= 0 && !style.colour) return std::string(text);
    std::string out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t end = text.find('\n', pos);
        const bool newline = end != std::string_view::npos;
        if (!newline) end = text.size();
        const std::string_view line = text.substr(pos, end - pos);
        std::string wrapped = style.width > 0 ? wrap_line(line, static_cast<std::size_t>(style.width)) : std::string(line);
        if (style.colour) {
            // Colour each physical line's own tag (a wrapped line's tag is on its first part).
            std::string coloured;
            std::size_t p = 0;
            while (p <= wrapped.size()) {
                const std::size_t e = std::min(wrapped.find('\n', p), wrapped.size());
                coloured += colour_line(wrapped.substr(p, e - p));
                if (e < wrapped.size()) coloured += '\n';
                p = e + 1;
            }
            wrapped = std::move(coloured);
        }
        out += wrapped;
        if (newline) out += '\n';
        pos = end + 1;
    }
    return out;
}

void write_styled(std::FILE* stream, std::string_view text) {
    const std::string s = styled(text, terminal_style(stream));
    std::fwrite(s.data(), 1, s.size(), stream);
    std::fflush(stream);
}

std::function<void(std::string_view)> terminal_progress_sink() {
    return [](std::string_view text) { write_styled(stdout, text); };
}

}  // namespace plexus::cli
