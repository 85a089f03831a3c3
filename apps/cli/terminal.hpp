// Output for people at a terminal: long lines wrapped to the terminal's width,
// the training doctor's lines coloured by severity. Only when the stream is a
// terminal: piped or redirected output is written exactly as given (one finding
// per line, no escape codes), so scripts and tests see stable text.
//
// Colour follows https://no-color.org: NO_COLOR set to anything non-empty, or
// TERM=dumb, turns it off. The width is the terminal's (TIOCGWINSZ), else
// $COLUMNS, else 80.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

#include <functional>

namespace plexus::cli {

struct TerminalStyle {
    int width = 0;        // wrap lines longer than this (0: never wrap)
    bool colour = false;  // ANSI colours for doctor severities and fix: lines
};

// How text written to `stream` should look: no wrapping and no colour unless it is a terminal.
TerminalStyle terminal_style(std::FILE* stream);

// `text` (complete lines) wrapped and coloured as `style` says. A line is broken
// at spaces; its continuation lines are indented to where the line's words
// start after the doctor's "doctor: [severity] " or "fix: " prefix, so a finding
// still reads as one block. Lines holding '\r' (progress bars) are left whole.
std::string styled(std::string_view text, const TerminalStyle& style);

// Writes `text` to `stream` styled for it, and flushes.
void write_styled(std::FILE* stream, std::string_view text);

// A progress sink for FitOptions::progress that writes to stdout through write_styled.
std::function<void(std::string_view)> terminal_progress_sink();

}  // namespace plexus::cli
