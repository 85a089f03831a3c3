// LambdaCallback: a callback made of functions; unset hooks do nothing.
//   LambdaCallback({.on_epoch_end = [](Sequential&, int epoch, Logs& logs) { ... }})
#pragma once

#include <functional>

#include "plexus/model/callback.hpp"

namespace plexus {

struct LambdaCallbackOptions {
    std::function<void(Sequential&)> on_train_begin;
    std::function<void(Sequential&, int)> on_epoch_begin;
    std::function<void(Sequential&, int, const Logs&)> on_train_batch_end;
    std::function<void(Sequential&, int, Logs&)> on_epoch_end;
    std::function<void(Sequential&)> on_train_end;
};

class LambdaCallback final : public Callback {
public:
    explicit LambdaCallback(LambdaCallbackOptions options);
    bool uses_gradients() const override { return false; }
    void on_train_begin(Sequential& model) override;
    void on_epoch_begin(Sequential& model, int epoch) override;
    void on_train_batch_end(Sequential& model, int batch, const Logs& logs) override;
    void on_epoch_end(Sequential& model, int epoch, Logs& logs) override;
    void on_train_end(Sequential& model) override;

private:
    LambdaCallbackOptions options_;
};

}  // namespace plexus
