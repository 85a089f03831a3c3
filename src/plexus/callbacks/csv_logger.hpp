// CSVLogger: a row per epoch in a CSV file - epoch (0-based, as Keras), then the
// logs in sorted order (the keys of the first epoch fix the columns). Written by
// the one CSV writer (data/csv_writer.hpp: quoted names, shortest round-trip
// numbers, a missing or NaN value as an empty field). The file is rewritten
// atomically after each epoch, so it is never half-written. With append, the
// rows follow an existing file's and its header's columns are kept.
//   CSVLogger("history.csv")
#pragma once

#include <string>
#include <vector>

#include "plexus/model/callback.hpp"
#include "plexus/data/csv_writer.hpp"

namespace plexus {

class CSVLogger final : public Callback {
public:
    explicit CSVLogger(std::string filename, bool append = false);
    bool uses_gradients() const override { return false; }
    void on_train_begin(Sequential& model) override;
    // IoError if the file cannot be written.
    void on_epoch_end(Sequential& model, int epoch, Logs& logs) override;

private:
    std::string filename_;
    bool append_;
    std::vector<std::string> keys_;
    CsvWriter csv_;
};

}  // namespace plexus
