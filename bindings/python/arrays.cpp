// Arrays, JSON and errors between Python and the library.
#include <atomic>

#include "bindings.hpp"

namespace plexus::python {

namespace {
std::atomic<std::size_t> conversions{0}, copies{0};

std::string shape_of(const py::array& a) {
    std::string s = "(";
    for (py::ssize_t i = 0; i < a.ndim(); ++i) s += (i ? ", " : "") + std::to_string(a.shape(i));
    return s + (a.ndim() == 1 ? ",)" : ")");
}
}  // namespace

std::size_t conversion_count() { return conversions.load(); }
std::size_t copy_count() { return copies.load(); }

ArrayView view_array(const py::handle& object, const char* what, bool allow_1d) {
    using CArray = py::array_t<float, py::array::c_style>;
    ArrayView view;
    if (py::isinstance<CArray>(object)) {
        view.holder = py::reinterpret_borrow<CArray>(object);
    } else {
        ++conversions;
        auto converted = py::array_t<float, py::array::c_style | py::array::forcecast>::ensure(object);
        if (!converted) {
            const std::string type = py::str(py::type::of(object).attr("__name__"));
            PyErr_Clear();
            throw DataError(std::string(what) + ": expected numbers (an array or nested lists of numbers); received a " +
                            type + " that NumPy cannot convert to float32");
        }
        view.holder = std::move(converted);
    }
    const auto& a = view.holder;
    if (a.ndim() == 2) {
        new (&view.map) Eigen::Map<const Matrix>(a.data(), a.shape(0), a.shape(1));
    } else if (a.ndim() == 1 && allow_1d) {
        new (&view.map) Eigen::Map<const Matrix>(a.data(), a.shape(0), 1);
    } else {
        throw ShapeError(std::string(what) + ": expected a 2-D array (rows, " +
                         (allow_1d ? "columns) or a 1-D array" : "features)") + "; received shape " + shape_of(a) +
                         (a.ndim() == 1 ? "; for one feature use x.reshape(-1, 1)" : ""));
    }
    return view;
}

Matrix copy_matrix(const ArrayView& view) {
    ++copies;
    return Matrix(view.map);
}

py::array_t<float> to_numpy(Matrix&& m) {
    auto* owned = new Matrix(std::move(m));
    py::capsule owner(owned, [](void* p) { delete static_cast<Matrix*>(p); });
    const auto rows = static_cast<py::ssize_t>(owned->rows()), cols = static_cast<py::ssize_t>(owned->cols());
    const auto size = static_cast<py::ssize_t>(sizeof(float));
    return py::array_t<float>({rows, cols}, {cols * size, size}, owned->data(), owner);
}
py::array_t<float> to_numpy(const Matrix& m) { return to_numpy(Matrix(m)); }

py::object json_to_python(const nlohmann::json& j) { return py::module_::import("json").attr("loads")(j.dump()); }
nlohmann::json python_to_json(const py::handle& object) {
    return nlohmann::json::parse(py::str(py::module_::import("json").attr("dumps")(object)).cast<std::string>());
}

void register_errors(py::module_& m) {
    // plexus.Error and its subclasses; each also derives from the matching built-in so
    // `except ValueError` / `except OSError` catch them.
    const auto make = [&](const char* name, py::handle bases, const char* doc) {
        PyObject* type = PyErr_NewExceptionWithDoc((std::string("plexus.") + name).c_str(), doc, bases.ptr(), nullptr);
        if (!type) throw py::error_already_set();
        m.add_object(name, py::handle(type));
        return type;
    };
    static PyObject* error = make("Error", PyExc_Exception, "Base of every Plexus error.");
    const auto with = [&](PyObject* builtin) { return py::make_tuple(py::handle(error), py::handle(builtin)); };
    static PyObject* shape = make("ShapeError", with(PyExc_ValueError), "An array had the wrong shape.");
    static PyObject* config = make("ConfigError", with(PyExc_ValueError), "An option, name or configuration is invalid.");
    static PyObject* data = make("DataError", with(PyExc_ValueError), "Data content is invalid (NaN, ragged, ...).");
    static PyObject* io = make("IoError", with(PyExc_OSError), "A file could not be read or written, or is corrupt.");
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const ShapeError& e) {
            PyErr_SetString(shape, e.what());
        } catch (const ConfigError& e) {
            PyErr_SetString(config, e.what());
        } catch (const DataError& e) {
            PyErr_SetString(data, e.what());
        } catch (const IoError& e) {
            PyErr_SetString(io, e.what());
        } catch (const Error& e) {
            PyErr_SetString(error, e.what());
        }
    });
}

}  // namespace plexus::python
