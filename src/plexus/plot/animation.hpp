// Decision regions as training progresses: one frame per recorded epoch, either
// laid out in a single PNG grid or played as a looping animated GIF.
//
// Each frame is a decision-regions picture (see decision_regions.hpp) of the model
// as it was at that epoch, titled "epoch N". In the grid, each cell is one frame of
// Style.width x Style.height pixels (so the PNG is columns*width by rows*height) and
// has no legend; GIF frames are Style.width x Style.height with the full layout.
#pragma once

#include <string>
#include <vector>

#include "plexus/plot/decision_regions.hpp"

namespace plexus::plot {

struct AnimationSpec {
    std::vector<int> epochs;            // one per frame
    std::vector<PredictFn> predict_at;  // the model at each epoch; same length
    DecisionRegionsSpec base;           // points, range, class names...; predict ignored
    int columns = 0;                    // grid columns; 0 = ceil(sqrt(frames))
    int frame_delay_cs = 50;            // GIF delay between frames, in 1/100 s
};

// Writes all frames as one picture grid: `png_path` ends in .png (or .svg, .pdf).
void animation_grid(const AnimationSpec& spec, const Style& style, const std::string& png_path);

// Writes a looping animated GIF, one frame per epoch (`gif_path` must end in .gif).
void animation_gif(const AnimationSpec& spec, const Style& style, const std::string& gif_path);

}  // namespace plexus::plot
