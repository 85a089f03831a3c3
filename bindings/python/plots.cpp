// plexus.plot: the library's pictures as PNG/SVG/PDF bytes.

#include <filesystem>
#include <functional>

#include "bindings.hpp"
#include "plexus/data/atomic_file.hpp"
#include "plexus/plot/bytes.hpp"
#include "plexus/plot/model_plots.hpp"

namespace plexus::python {

namespace {

// The picture a plot call would write, as bytes (plot::render_to_bytes: no file is written).
py::bytes render_to_bytes(const std::string& format, const std::function<void(const std::string&)>& draw) {
    if (format != "png" && format != "svg" && format != "pdf")
        throw ConfigError("plot: format must be 'png', 'svg' or 'pdf'; received '" + format + "'");
    std::string bytes;
    {
        py::gil_scoped_release release;
        bytes = plot::render_to_bytes("." + format, draw);
    }
    return py::bytes(bytes);
}

plot::Style style_from(const py::dict& d) {
    plot::Style s;
    for (const auto& [key, value] : d) {
        const auto k = key.cast<std::string>();
        if (k == "width") s.width = value.cast<int>();
        else if (k == "height") s.height = value.cast<int>();
        else if (k == "dpi") s.dpi = value.cast<double>();
        else if (k == "title") s.title = value.cast<std::string>();
        else if (k == "x_label") s.x_label = value.cast<std::string>();
        else if (k == "y_label") s.y_label = value.cast<std::string>();
        else if (k == "axes") s.axes = value.cast<bool>();
        else if (k == "legend") s.legend = value.cast<bool>();
        else
            throw ConfigError("plot: unknown style option '" + k +
                              "'; valid: width, height, dpi, title, x_label, y_label, axes, legend");
    }
    return s;
}

std::optional<plot::Range> range_from(const py::object& r) {
    if (r.is_none()) return std::nullopt;
    const auto v = r.cast<std::vector<double>>();
    if (v.size() != 4) throw ConfigError("plot: range must be (xmin, xmax, ymin, ymax)");
    return plot::Range{v[0], v[1], v[2], v[3]};
}

std::vector<int> labels_from(const py::object& labels) {
    return labels.is_none() ? std::vector<int>{} : labels.cast<std::vector<int>>();
}

plot::RunData run_from(const py::object& x_train, const py::object& y_train, const py::object& x_val,
                       const py::object& y_val, const std::vector<std::string>& class_names) {
    plot::RunData run;
    run.x_train = copy_matrix(view_array(x_train, "plot: x"));
    run.y_train = labels_from(y_train);
    if (!x_val.is_none()) run.x_val = copy_matrix(view_array(x_val, "plot: x_val"));
    else run.x_val = Matrix(0, run.x_train.cols());
    run.y_val = labels_from(y_val);
    run.class_names = class_names;
    if (static_cast<Index>(run.y_train.size()) != run.x_train.rows() ||
        static_cast<Index>(run.y_val.size()) != run.x_val.rows())
        throw ShapeError("plot: give one class index per row of x (and of x_val)");
    return run;
}

// A History as the plots read it, from the dict that fit returned (epoch, history).
History history_from(const py::dict& d) {
    History h;
    h.epoch = d["epoch"].cast<std::vector<int>>();
    h.history = d["history"].cast<std::map<std::string, std::vector<double>>>();
    return h;
}

// The findings of that dict, for the markers on the curves.
std::vector<Finding> findings_from(const py::dict& d) {
    std::vector<Finding> found;
    for (const auto& item : d["findings"]) {
        const auto f = item.cast<py::dict>();
        Finding finding{f["id"].cast<std::string>(), f["severity"].cast<std::string>(), f["message"].cast<std::string>(),
                        python_to_json(f["evidence"]), f["fix"].cast<std::string>(), std::nullopt};
        if (!f["epoch"].is_none()) finding.epoch = f["epoch"].cast<int>();
        found.push_back(std::move(finding));
    }
    return found;
}

}  // namespace

void register_plots(py::module_& m) {
    m.def("plot_decision_regions",
          [](Sequential& model, const py::object& x, const py::object& y, const py::object& x_val, const py::object& y_val,
             const std::vector<std::string>& class_names, const py::dict& style, const std::string& format,
             const py::object& range, int resolution) {
              const plot::RunData run = run_from(x, y, x_val, y_val, class_names);
              const plot::Style s = style_from(style);
              const auto r = range_from(range);
              return render_to_bytes(format, [&](const std::string& path) {
                  plot::decision_regions(model, run, s, path, r, resolution);
              });
          });
    m.def("plot_layer_views", [](Sequential& model, const py::object& x, const py::object& y,
                                 const std::vector<std::string>& class_names, const py::dict& style,
                                 const std::string& format, const py::object& range) {
        const plot::RunData run = run_from(x, y, py::none(), py::none(), class_names);
        const plot::Style s = style_from(style);
        const auto r = range_from(range);
        return render_to_bytes(format, [&](const std::string& path) { plot::layer_views(model, run, s, path, r); });
    });
    m.def("plot_learning_curves", [](const py::dict& history, const py::dict& style, const std::string& format, bool log_y) {
        const History h = history_from(history);
        const std::vector<Finding> found = findings_from(history);
        const plot::Style s = style_from(style);
        return render_to_bytes(format, [&](const std::string& path) { plot::learning_curves(h, s, path, log_y, found); });
    });
    m.def("plot_confusion_matrix", [](Sequential& model, const py::object& x, const py::object& labels,
                                      const std::vector<std::string>& class_names, const py::dict& style,
                                      const std::string& format) {
        const Matrix xm = copy_matrix(view_array(x, "plot: x"));
        const std::vector<int> truth = labels_from(labels);
        const plot::Style s = style_from(style);
        return render_to_bytes(format, [&](const std::string& path) {
            plot::confusion_matrix(model, xm, truth, class_names, s, path);
        });
    });
}

}  // namespace plexus::python
