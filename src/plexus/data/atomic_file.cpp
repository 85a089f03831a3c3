// Atomic write via mkstemp + fsync + rename; see atomic_file.hpp.
#include "plexus/data/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <streambuf>
#include <vector>

#include "plexus/core/error.hpp"

namespace plexus {
namespace {

std::string errno_text(int err) { return std::strerror(err); }

// The process umask without changing it (umask() would race with other threads):
// Linux reports it in /proc/self/status since 4.7. Falls back to the common 022.
mode_t current_umask() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("Umask:", 0) == 0) {
            try {
                return static_cast<mode_t>(std::stoul(line.substr(6), nullptr, 8));
            } catch (...) {
                break;
            }
        }
    }
    return 022;
}

std::string directory_of(const std::string& path) {
    const auto slash = path.find_last_of('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

// Closes the descriptor and removes the temporary unless released.
class TempFile {
public:
    TempFile(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    ~TempFile() {
        if (fd_ >= 0) ::close(fd_);
        if (!released_) ::unlink(name_.c_str());
    }
    int fd() const { return fd_; }
    const std::string& name() const { return name_; }
    int close() {
        const int rc = ::close(fd_);
        fd_ = -1;
        return rc;
    }
    void release() { released_ = true; }

private:
    int fd_;
    std::string name_;
    bool released_ = false;
};

[[noreturn]] void fail(const std::string& path, const std::string& what, int err,
                       const std::string& fix) {
    throw IoError(path + ": cannot " + what + " (" + errno_text(err) + "); " + fix);
}

}  // namespace

namespace {

// Writes everything given to it to a descriptor, in 64 KiB blocks; remembers the first
// write error (errno) instead of throwing through the stream.
class FdBuf : public std::streambuf {
public:
    explicit FdBuf(int fd) : fd_(fd), buffer_(std::size_t{1} << 16) { setp(buffer_.data(), buffer_.data() + buffer_.size()); }
    int error() const { return error_; }
    std::size_t written() const { return written_; }

protected:
    int_type overflow(int_type c) override {
        if (!drain()) return traits_type::eof();
        if (!traits_type::eq_int_type(c, traits_type::eof())) {
            *pptr() = traits_type::to_char_type(c);
            pbump(1);
        }
        return traits_type::not_eof(c);
    }
    int sync() override { return drain() ? 0 : -1; }

private:
    bool drain() {
        const char* data = pbase();
        std::size_t left = static_cast<std::size_t>(pptr() - pbase());
        while (left > 0 && error_ == 0) {
            const ssize_t n = ::write(fd_, data, left);
            if (n < 0) {
                if (errno == EINTR) continue;
                error_ = errno;
                break;
            }
            data += n;
            left -= static_cast<std::size_t>(n);
            written_ += static_cast<std::size_t>(n);
        }
        setp(buffer_.data(), buffer_.data() + buffer_.size());
        return error_ == 0;
    }

    int fd_;
    std::vector<char> buffer_;
    int error_ = 0;
    std::size_t written_ = 0;
};

}  // namespace

void write_file_atomic(const std::string& path, const std::string& bytes) {
    write_file_atomic(path, [&bytes](std::ostream& out) { out.write(bytes.data(), static_cast<std::streamsize>(bytes.size())); });
}

void write_file_atomic(const std::string& path, const std::function<void(std::ostream&)>& write) {
    if (path.empty()) throw IoError("write_file_atomic: empty path; give a file name to write");
    std::string pattern = path + ".tmp-XXXXXX";
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    const int fd = ::mkstemp(name.data());
    if (fd < 0) {
        const int err = errno;
        fail(path, "create a temporary file in directory \"" + directory_of(path) + "\"", err,
             "check that the directory exists and is writable");
    }
    TempFile tmp(fd, std::string(name.data()));

    FdBuf buffer(tmp.fd());
    {
        std::ostream out(&buffer);
        write(out);  // an exception here removes the temporary (TempFile)
        out.flush();
    }
    if (buffer.error() != 0)
        fail(path, "write " + std::to_string(buffer.written()) + "+ bytes", buffer.error(), "check free disk space and quotas");
    if (::fchmod(tmp.fd(), 0666 & ~current_umask()) != 0) {
        const int err = errno;
        fail(path, "set permissions on the temporary file", err, "check the directory permissions");
    }
    if (::fsync(tmp.fd()) != 0) {
        const int err = errno;
        fail(path, "flush the file to disk", err, "check free disk space and the filesystem");
    }
    if (tmp.close() != 0) {
        const int err = errno;
        fail(path, "close the temporary file", err, "check free disk space and the filesystem");
    }
    if (::rename(tmp.name().c_str(), path.c_str()) != 0) {
        const int err = errno;
        fail(path, "replace the file", err,
             "check that the path is not a directory and that the directory is writable");
    }
    tmp.release();

    // Make the rename itself durable. Best effort: some filesystems refuse.
    const int dir = ::open(directory_of(path).c_str(), O_RDONLY | O_DIRECTORY);
    if (dir >= 0) {
        (void)::fsync(dir);
        ::close(dir);
    }
}

std::string read_file_bytes(const std::string& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) {
        const int err = errno;
        fail(path, "open file", err, "check the path");
    }
    if (S_ISDIR(info.st_mode)) {
        throw IoError(path + ": is a directory, expected a file; give the path of a file inside it");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        const int err = errno;
        fail(path, "open file", err, "check the path and its read permission");
    }
    std::ostringstream content;
    content << in.rdbuf();
    if (in.bad()) {
        throw IoError(path + ": read error; check that the file is readable and not truncated");
    }
    return std::move(content).str();
}

}  // namespace plexus
