// TerminateOnNaN: stops training after the first batch whose loss ("batch_loss")
// is NaN or infinite.
#pragma once

#include "plexus/model/callback.hpp"

namespace plexus {

class TerminateOnNaN final : public Callback {
public:
    bool uses_gradients() const override { return false; }
    void on_train_batch_end(Sequential& model, int batch, const Logs& logs) override;
};

}  // namespace plexus
