#include "plexus/callbacks/csv_logger.hpp"

#include <fstream>
#include <sstream>

#include "plexus/data/csv_fields.hpp"

namespace plexus {

CSVLogger::CSVLogger(std::string filename, bool append) : filename_(std::move(filename)), append_(append) {}

void CSVLogger::on_train_begin(Sequential&) {
    keys_.clear();
    csv_.clear();
    if (!append_) return;
    std::ifstream in(filename_);
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string content = buffer.str();
    if (content.empty()) return;
    std::string header = content.substr(0, content.find('\n'));
    if (!header.empty() && header.back() == '\r') header.pop_back();
    auto fields = csv_detail::split_fields(filename_, 1, header, ',');
    keys_.assign(fields.begin() + 1, fields.end());  // after "epoch"
    if (content.back() != '\n') content += '\n';
    csv_.assign(std::move(content));
}

void CSVLogger::on_epoch_end(Sequential&, int epoch, Logs& logs) {
    if (keys_.empty()) {
        for (const auto& [k, v] : logs) keys_.push_back(k);
        csv_.clear();
        csv_.field("epoch");
        for (const auto& k : keys_) csv_.field(k);
        csv_.end_row();
    }
    csv_.integer(epoch);
    for (const auto& k : keys_) {
        const auto it = logs.find(k);
        if (it != logs.end()) csv_.number(it->second);
        else csv_.empty();
    }
    csv_.end_row();
    csv_.save(filename_);
}

}  // namespace plexus
