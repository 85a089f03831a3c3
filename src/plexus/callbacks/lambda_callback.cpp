#include "plexus/callbacks/lambda_callback.hpp"

namespace plexus {

LambdaCallback::LambdaCallback(LambdaCallbackOptions options) : options_(std::move(options)) {}

void LambdaCallback::on_train_begin(Sequential& m) {
    if (options_.on_train_begin) options_.on_train_begin(m);
}

void LambdaCallback::on_epoch_begin(Sequential& m, int e) {
    if (options_.on_epoch_begin) options_.on_epoch_begin(m, e);
}

void LambdaCallback::on_train_batch_end(Sequential& m, int b, const Logs& l) {
    if (options_.on_train_batch_end) options_.on_train_batch_end(m, b, l);
}

void LambdaCallback::on_epoch_end(Sequential& m, int e, Logs& l) {
    if (options_.on_epoch_end) options_.on_epoch_end(m, e, l);
}

void LambdaCallback::on_train_end(Sequential& m) {
    if (options_.on_train_end) options_.on_train_end(m);
}

}  // namespace plexus
