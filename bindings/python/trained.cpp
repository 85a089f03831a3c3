// plexus.load_run: a model file as `plexus predict` uses it (run::ModelFile): the
// stored feature standardizer, target scaling and table preprocessor applied, the
// training support checked. See python/plexus/_trained.py.
#include "bindings.hpp"
#include "plexus/doctor/doctor.hpp"
#include "plexus/run/data_source.hpp"
#include "plexus/run/outputs.hpp"
#include "plexus/run/table_source.hpp"
#include "plexus/run/trained_model.hpp"

namespace plexus::python {
namespace {

py::list findings_to_python(const std::vector<Finding>& findings) {
    py::list out;
    for (const auto& f : findings) out.append(finding_to_python(f));
    return out;
}

// Outputs in the user's units for raw features x, and predict.extrapolation if rows lie outside the training data.
py::tuple predict_rows(run::ModelFile& mf, const Matrix& x, std::vector<Finding> findings) {
    Matrix outputs = run::predict_outputs(mf, run::model_inputs(mf, x));
    const auto names = run::feature_names_or_default(mf.metadata().feature_names, mf.input_dim());
    if (const auto support = run::support_from_extra(mf.metadata().extra, mf.path); support && support->features() == x.cols() && x.rows() > 0)
        for (auto& f : check_prediction(*support, x, names)) findings.push_back(std::move(f));
    return py::make_tuple(to_numpy(std::move(outputs)), findings_to_python(findings));
}

}  // namespace

void register_trained(py::module_& m) {
    py::class_<run::ModelFile>(m, "TrainedModel")
        .def(py::init([](const std::string& path) { return run::open_model(path, "load_run"); }), py::arg("path"))
        .def_readonly("path", &run::ModelFile::path)
        .def_property_readonly("class_names", [](const run::ModelFile& mf) { return mf.metadata().class_names; })
        .def_property_readonly("feature_names", [](const run::ModelFile& mf) {
            return run::feature_names_or_default(mf.metadata().feature_names, mf.input_dim());
        })
        .def_property_readonly("classification", &run::ModelFile::classification)
        .def_property_readonly("input_dim", &run::ModelFile::input_dim)
        .def_property_readonly("takes_tables", [](const run::ModelFile& mf) {
            return run::preprocessor_from_extra(mf.metadata().extra).has_value();
        })
        .def_property_readonly("config", [](run::ModelFile& mf) { return json_to_python(mf.model().config()); })
        .def("predict_array", [](run::ModelFile& mf, const py::handle& x) {
            if (run::preprocessor_from_extra(mf.metadata().extra))
                throw ConfigError("predict: " + mf.path + " was trained on a table (text categories or missing cells) and takes raw "
                                  "rows; fix: predict_csv(path) with the training file's columns");
            const ArrayView view = view_array(x, "predict: x");
            if (view.map.cols() != mf.input_dim())
                throw ShapeError("predict: x has " + std::to_string(view.map.cols()) + " columns, the model " + mf.path + " takes " +
                                 std::to_string(mf.input_dim()) + "; fix: pass the features it was trained on, in order");
            return predict_rows(mf, Matrix(view.map), {});
        }, py::arg("x"))
        .def("predict_csv", [](run::ModelFile& mf, const std::string& csv) {
            std::vector<Finding> findings;
            run::DataConfig data;
            data.data = csv;
            Dataset d = run::load_data_for_model(data, 0, mf, false, &findings);
            return predict_rows(mf, d.x, std::move(findings));
        }, py::arg("path"));
}

}  // namespace plexus::python
