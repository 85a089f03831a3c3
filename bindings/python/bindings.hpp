// Shared declarations of the Python extension module (plexus._core).
//
// The module is thin: it converts arrays, maps errors, and releases the GIL
// around the library's calls; everything Keras-flavoured lives in python/plexus/.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <string>
#include <vector>

#include "plexus/plexus.hpp"

namespace plexus::python {

namespace py = pybind11;

// A float32 (n, cols) view of a Python object. Float32 C-contiguous 2-D arrays are viewed in
// place (`holder` keeps them alive); anything else (float64, integers, Fortran order, strided,
// lists) is converted once by NumPy, which counts in conversion_count(). 1-D input is a column
// when `allow_1d`. ShapeError for other ranks, naming `what` and the shape received.
struct ArrayView {
    py::array_t<float, py::array::c_style> holder;
    Eigen::Map<const Matrix> map{nullptr, 0, 0};
};
ArrayView view_array(const py::handle& object, const char* what, bool allow_1d = false);
// The view as fit takes it (valid while `view` lives).
inline MatrixView view_of(const ArrayView& view) { return {view.map.data(), view.map.rows(), view.map.cols()}; }
// A Matrix copy of the view (fit needs an owning Matrix); counts in copy_count().
Matrix copy_matrix(const ArrayView& view);
// A NumPy array that takes ownership of `m` without copying it.
py::array_t<float> to_numpy(Matrix&& m);
py::array_t<float> to_numpy(const Matrix& m);
// Test hooks: how many inputs were converted by NumPy / copied into a Matrix since start.
std::size_t conversion_count();
std::size_t copy_count();

// JSON <-> Python through the json module (configs, evidence).
py::object json_to_python(const nlohmann::json& j);
nlohmann::json python_to_json(const py::handle& object);

// A doctor finding as the dict plexus.Finding(**d) takes.
py::dict finding_to_python(const Finding& f);

void register_errors(py::module_& m);
void register_trained(py::module_& m);
void register_fit(py::module_& m, py::class_<Sequential>& model);
void register_plots(py::module_& m);
void register_distributed(py::module_& m);

// Makes `options` a data-parallel fit over this process's MPI world (plexus.distributed;
// distributed/data_parallel.hpp's configure_distributed). A world of one: no change.
void configure_data_parallel(FitOptions& options);

}  // namespace plexus::python
