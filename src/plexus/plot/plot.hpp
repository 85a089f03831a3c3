// The plotting module in one include: decision regions, learning curves, layer
// views, training animations, confusion matrices and the regression pictures
// (predicted vs actual, residuals, value surface). Link `plexus_plot`.
#pragma once

#include "plexus/plot/animation.hpp"
#include "plexus/plot/confusion_matrix.hpp"
#include "plexus/plot/decision_regions.hpp"
#include "plexus/plot/layer_views.hpp"
#include "plexus/plot/learning_curves.hpp"
#include "plexus/plot/regression_plots.hpp"
#include "plexus/plot/bytes.hpp"
#include "plexus/plot/style.hpp"
