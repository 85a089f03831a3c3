#include "plexus/callbacks/terminate_on_nan.hpp"

#include <cmath>

#include "plexus/model/sequential.hpp"

namespace plexus {

void TerminateOnNaN::on_train_batch_end(Sequential& model, int, const Logs& logs) {
    const auto it = logs.find("batch_loss");
    if (it != logs.end() && !std::isfinite(it->second)) model.stop_training = true;
}

}  // namespace plexus
