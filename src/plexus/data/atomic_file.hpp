// Whole-file reads and crash-safe whole-file writes.
//
// Every file Plexus writes (models, checkpoints, CSV logs, NPY arrays, plots)
// goes through write_file_atomic: the bytes go to a temporary file next to the
// target, are flushed to disk, and the temporary is renamed over the target. A
// crash or a full disk therefore leaves either the old file or the new one,
// never a half-written mix. read_file_bytes is the matching reader used by the
// CSV and NPY loaders. POSIX only (mkstemp, fsync, rename).
#pragma once

#include <functional>
#include <ostream>
#include <string>

namespace plexus {

// Replaces the file at `path` with `bytes`, atomically.
//
// Writes to `path + ".tmp-XXXXXX"` (mkstemp, same directory, so the rename
// stays on one filesystem), fsyncs it, gives it the usual permissions
// (0666 & ~umask) and renames it over `path`; then fsyncs the directory (best
// effort). An existing file at `path` is replaced; a symlink at `path` is
// replaced by a regular file.
// Throws IoError naming `path` (with the system's reason and a fix) when the
// temporary cannot be created, written, synced or renamed; the temporary is
// removed first.
void write_file_atomic(const std::string& path, const std::string& bytes);
// The same with the bytes `write` puts on the stream, passed on to the temporary file in
// blocks (no copy of the whole content in memory, e.g. a large report's JSON). An
// exception from `write` removes the temporary and leaves `path` as it was.
void write_file_atomic(const std::string& path, const std::function<void(std::ostream&)>& write);

// The whole content of the file at `path`, byte for byte (binary mode).
// Throws IoError naming `path` if it does not exist, is a directory, or cannot
// be read.
std::string read_file_bytes(const std::string& path);

}  // namespace plexus
