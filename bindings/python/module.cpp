// plexus._core: the C++ library for the Python package (python/plexus/ wraps it).
#include "bindings.hpp"
#include "plexus/data/datasets.hpp"

namespace plexus::python {

namespace {

InitializerOptions initializer_from(const py::object& o) {
    if (py::isinstance<py::str>(o)) return {.name = o.cast<std::string>()};
    const auto d = o.cast<py::dict>();
    return {.name = d["name"].cast<std::string>(), .value = d.contains("value") ? d["value"].cast<double>() : 0.0};
}

std::shared_ptr<Layer> make_dense(Index units, const std::string& activation, bool use_bias,
                                  const py::object& kernel_initializer, const py::object& bias_initializer,
                                  double kernel_l1, double kernel_l2, Index input_dim, const std::string& name) {
    return std::make_shared<Dense>(DenseOptions{.units = units, .activation = activation, .use_bias = use_bias,
                                                .kernel_initializer = initializer_from(kernel_initializer),
                                                .bias_initializer = initializer_from(bias_initializer),
                                                .kernel_l1 = kernel_l1, .kernel_l2 = kernel_l2,
                                                .input_dim = input_dim, .name = name});
}

void compile(Sequential& model, const py::object& optimizer, const std::string& loss,
             const std::vector<std::string>& metrics, bool from_logits, double huber_delta, std::uint64_t seed) {
    OptimizerOptions opt;
    try {
        opt = optimizer_options_from_json(python_to_json(optimizer));
    } catch (const nlohmann::json::exception& e) {
        throw ConfigError(std::string("compile: optimizer options: ") + e.what());
    }
    model.compile({.optimizer = opt, .loss = loss, .metrics = metrics, .from_logits = from_logits,
                   .huber_delta = huber_delta, .seed = seed});
}

py::array_t<float> predict(Sequential& model, const py::handle& x, Index batch_size) {
    const ArrayView view = view_array(x, "predict: x");
    Matrix out;
    {
        py::gil_scoped_release release;
        out = model.predict(view.map, batch_size);
    }
    return to_numpy(std::move(out));
}

Logs evaluate(Sequential& model, const py::handle& x, const py::handle& y, const std::vector<double>& sample_weight,
              Index batch_size) {
    const ArrayView xv = view_array(x, "evaluate: x"), yv = view_array(y, "evaluate: y", true);
    py::gil_scoped_release release;
    return model.evaluate(xv.map, yv.map, sample_weight, batch_size);
}

void set_weights(Sequential& model, std::size_t layer, const py::list& arrays) {
    std::vector<Matrix> weights;
    for (const auto& a : arrays) weights.push_back(copy_matrix(view_array(a, "set_weights", true)));
    model.set_weights(layer, weights);
}

ModelMetadata metadata_from(const py::dict& d) {
    ModelMetadata m;
    if (d.contains("class_names")) m.class_names = d["class_names"].cast<std::vector<std::string>>();
    if (d.contains("feature_names")) m.feature_names = d["feature_names"].cast<std::vector<std::string>>();
    if (d.contains("epoch")) m.epoch = d["epoch"].cast<int>();
    return m;
}

py::tuple load(const std::string& path) {
    LoadedModel loaded = [&] {
        py::gil_scoped_release release;
        return load_model(path);
    }();
    py::dict meta;
    meta["class_names"] = loaded.metadata.class_names;
    meta["feature_names"] = loaded.metadata.feature_names;
    meta["epoch"] = loaded.metadata.epoch;
    // What `plexus train` applies around the network (load_run applies them; the bare model does not).
    std::vector<std::string> around;
    for (const char* key : {"standardizer", "target_standardizer", "preprocessor"})
        if (loaded.metadata.extra.contains(key)) around.emplace_back(key);
    meta["applied_around"] = around;
    return py::make_tuple(std::make_unique<Sequential>(std::move(loaded.model)), meta);
}

void register_datasets(py::module_& m) {
    m.def("list_datasets", [] {
        py::list out;
        for (const auto& d : list_datasets()) {
            py::dict info;
            info["name"] = d.name;
            info["task"] = d.task;
            info["description"] = d.description;
            info["default_samples"] = d.default_samples;
            info["default_noise"] = d.default_noise;
            info["default_classes"] = d.default_classes;
            out.append(info);
        }
        return out;
    });
    m.def("make_dataset", [](const std::string& name, std::optional<Index> samples, std::optional<double> noise,
                             std::uint64_t seed, std::optional<int> classes) {
        Dataset data = make_dataset(name, {.samples = samples, .noise = noise, .seed = seed, .classes = classes});
        py::dict d;
        d["x"] = to_numpy(std::move(data.x));
        d["y"] = to_numpy(std::move(data.y));
        d["feature_names"] = data.feature_names;
        d["class_names"] = data.class_names;
        d["target_name"] = data.target_name;
        d["source"] = data.source;
        return d;
    });
}

}  // namespace

}  // namespace plexus::python

PYBIND11_MODULE(_core, m) {
    using namespace plexus;
    using namespace plexus::python;
    m.doc() = "The Plexus C++ library (use the plexus package, not this module)";
    m.attr("__version__") = PLEXUS_VERSION;
    register_errors(m);

    py::class_<Layer, std::shared_ptr<Layer>>(m, "Layer")
        .def_property_readonly("name", &Layer::name)
        .def_property_readonly("type", &Layer::type)
        .def("config", [](const Layer& l) { return json_to_python(l.config()); });
    m.def("dense", &make_dense);
    m.def("activation", [](const std::string& activation, const std::string& name) {
        return std::shared_ptr<Layer>(std::make_shared<Activation>(ActivationOptions{.activation = activation, .name = name}));
    });
    m.def("dropout", [](double rate, const std::string& name) {
        return std::shared_ptr<Layer>(std::make_shared<Dropout>(DropoutOptions{rate, name}));
    });
    m.def("batch_normalization", [](double momentum, double epsilon, bool center, bool scale, const std::string& name) {
        return std::shared_ptr<Layer>(std::make_shared<BatchNormalization>(
            BatchNormalizationOptions{.momentum = momentum, .epsilon = epsilon, .center = center, .scale = scale, .name = name}));
    });
    m.def("layer_normalization", [](double epsilon, bool center, bool scale, const std::string& name) {
        return std::shared_ptr<Layer>(std::make_shared<LayerNormalization>(
            LayerNormalizationOptions{.epsilon = epsilon, .center = center, .scale = scale, .name = name}));
    });
    m.def("gaussian_noise", [](double stddev, const std::string& name) {
        return std::shared_ptr<Layer>(std::make_shared<GaussianNoise>(GaussianNoiseOptions{.stddev = stddev, .name = name}));
    });

    py::class_<Sequential> model(m, "Model");
    model.def(py::init<>())
        .def("add", [](Sequential& s, std::shared_ptr<Layer> layer) { s.add(LayerHandle(std::move(layer))); })
        .def("layers", [](const Sequential& s) { return s.layers(); })
        .def("compile", &compile)
        .def_property_readonly("compiled", &Sequential::compiled)
        .def_property_readonly("built", &Sequential::built)
        .def_property_readonly("input_dim", &Sequential::input_dim)
        .def_property_readonly("output_dim", &Sequential::output_dim)
        .def_property_readonly("seed", &Sequential::seed)
        .def("build", &Sequential::build)
        .def("summary", &Sequential::summary)
        .def("count_params", &Sequential::count_params)
        .def("predict", &predict)
        .def("evaluate", &evaluate)
        .def("get_weights", [](const Sequential& s, std::size_t layer) {
            py::list out;
            for (const auto& w : s.get_weights(layer)) out.append(to_numpy(w));
            return out;
        })
        .def("set_weights", &set_weights)
        .def("config", [](const Sequential& s) { return json_to_python(s.config()); })
        .def_readwrite("stop_training", &Sequential::stop_training)
        .def("save", [](Sequential& s, const std::string& path, const py::dict& metadata) {
            const ModelMetadata meta = metadata_from(metadata);
            py::gil_scoped_release release;
            save_model(s, path, meta);
        });
    m.def("load_model", &load);
    register_fit(m, model);
    register_plots(m);
    register_datasets(m);
    register_trained(m);
    register_distributed(m);
    m.def("_conversion_count", &conversion_count);
    m.def("_copy_count", &copy_count);
}
