// Errors thrown by Plexus. One hierarchy: every error is a plexus::Error, and its
// message says what was expected, what was received, and how to fix it.
// The library never prints and never calls exit(); callers (the CLI) decide.
#pragma once

#include <stdexcept>
#include <string>

namespace plexus {

// Base of all Plexus errors.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A tensor had the wrong shape ("expected (n, 2), received (n, 3)").
class ShapeError : public Error {
public:
    using Error::Error;
};

// An option, name or configuration is invalid ("unknown activation 'tahn'; valid: ...").
class ConfigError : public Error {
public:
    using Error::Error;
};

// Data content is invalid: NaN, ragged rows, non-numeric cells, a single class...
class DataError : public Error {
public:
    using Error::Error;
};

// A file could not be read or written, or its content is corrupt.
class IoError : public Error {
public:
    using Error::Error;
};

}  // namespace plexus
