// The optimizer registry: one line per optimizer.
#include <memory>

#include "plexus/core/registry.hpp"
#include "plexus/optimizers/adagrad.hpp"
#include "plexus/optimizers/adam.hpp"
#include "plexus/optimizers/optimizer.hpp"
#include "plexus/optimizers/rmsprop.hpp"
#include "plexus/optimizers/sgd.hpp"

namespace plexus {

std::vector<std::string> optimizer_names() { return {"sgd", "adam", "adamw", "rmsprop", "adagrad"}; }

std::unique_ptr<Optimizer> make_optimizer(const OptimizerOptions& options) {
    const auto& n = options.name;
    if (n == "sgd") return std::make_unique<Sgd>(options);
    if (n == "adam") return std::make_unique<Adam>(options, false);
    if (n == "adamw") return std::make_unique<Adam>(options, true);
    if (n == "rmsprop") return std::make_unique<RmsProp>(options);
    if (n == "adagrad") return std::make_unique<Adagrad>(options);
    throw_unknown_name("optimizer", n, optimizer_names());
}

}  // namespace plexus
