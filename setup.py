"""pip install . : builds the Python package's extension module with the project's CMake build.

Offline, into a virtual environment that sees Debian's numpy/pybind11/setuptools:
    /usr/bin/python3 -m venv --system-site-packages .venv
    .venv/bin/python -m pip install --no-build-isolation --no-index .
(--no-build-isolation: use the installed setuptools instead of downloading one.)

The extension is built for any x86-64 CPU (-DPLEXUS_NATIVE=OFF), so a wheel made here runs on
other machines; PLEXUS_NATIVE=1 in the environment builds it for this CPU only (-march=native:
faster kernels, but an illegal instruction on an older CPU).
"""
import os
import pathlib
import re
import shutil
import subprocess
import sys

from setuptools import Extension, find_packages, setup
from setuptools.command.build_ext import build_ext

ROOT = pathlib.Path(__file__).parent.resolve()
VERSION = re.search(r"project\(plexus VERSION ([0-9.]+)", (ROOT / "CMakeLists.txt").read_text()).group(1)


class CMakeBuild(build_ext):
    """Configures the CMake project (tests and benchmarks off) and builds only plexus._core."""

    def build_extension(self, ext):
        native = os.environ.get("PLEXUS_NATIVE", "0") not in ("", "0", "OFF", "off")
        build_dir = ROOT / "build-pip" / ("cmake-native" if native else "cmake")
        subprocess.run(["cmake", "-S", str(ROOT), "-B", str(build_dir), "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release",
                        f"-DPython3_EXECUTABLE={sys.executable}", "-DPLEXUS_BUILD_TESTS=OFF",
                        "-DPLEXUS_BUILD_BENCH=OFF", f"-DPLEXUS_NATIVE={'ON' if native else 'OFF'}"], check=True)
        subprocess.run(["cmake", "--build", str(build_dir), "--target", "plexus_python", "-j",
                        str(os.cpu_count() or 1)], check=True)
        built = sorted((build_dir / "python" / "plexus").glob("_core*.so"))
        if not built:
            raise RuntimeError(f"the CMake build made no plexus/_core*.so in {build_dir}")
        target = pathlib.Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(built[0], target)


setup(
    name="plexus",
    version=VERSION,
    description="Dense neural networks with a training doctor (C++20), NumPy in, NumPy out, and a Keras-compatible API",
    packages=find_packages("python"),
    package_dir={"": "python"},
    ext_modules=[Extension("plexus._core", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
    options={"build": {"build_base": "build-pip"}, "egg_info": {"egg_base": "build-pip"}},
    python_requires=">=3.9",
    install_requires=["numpy"],
    zip_safe=False,
)
