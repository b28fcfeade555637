"""Builds dms._native with CMake from the libdms sources (pyproject.toml has the metadata).

The sources are the checkout this file sits in (../..), or DMS_SOURCE_DIR. The module is
linked against libdms.so.0 and libdms_c.so.0, which are copied beside it; every one of them
carries RPATH $ORIGIN, so the installed package needs nothing outside itself but the system's
shared libraries (protobuf, pqxx, sodium, sqlite3). The CMake build directory stays in
build-cmake/, so a second install only rebuilds what changed; ccache is used when found.
Parallel jobs: DMS_JOBS (default 2)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent


def source_root():
    for candidate in (os.environ.get("DMS_SOURCE_DIR"), HERE.parent.parent):
        if candidate and (Path(candidate) / "src" / "CMakeLists.txt").is_file():
            return Path(candidate).resolve()
    raise RuntimeError("the libdms sources were not found next to bindings/python "
                       "(set DMS_SOURCE_DIR)")


class CMakeExtension(Extension):
    def __init__(self, name):
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        root = source_root()
        out_dir = Path(self.get_ext_fullpath(ext.name)).resolve().parent
        # bindings/python/build-cmake: as deep below the sources as bindings/node/build, so with
        # CCACHE_BASEDIR the two packages' compilations of the library hit each other's cache.
        build = HERE / "build-cmake"
        build.mkdir(parents=True, exist_ok=True)
        configure = [
            "cmake", "-S", str(root), "-B", str(build),
            "-DCMAKE_BUILD_TYPE=Release",
            f"-DPython3_EXECUTABLE={sys.executable}",
            "-DDMS_BUILD_PYTHON=ON", "-DDMS_BUILD_NODE=OFF", "-DDMS_BUILD_CLI=OFF",
            "-DDMS_BUILD_TESTS=OFF", "-DDMS_BUILD_BENCHMARKS=OFF", "-DDMS_BUILD_EXAMPLES=OFF",
            "-DDMS_INSTALL=OFF",
            # the module and the libraries find each other in the package directory
            "-DCMAKE_BUILD_WITH_INSTALL_RPATH=ON", "-DCMAKE_INSTALL_RPATH=$ORIGIN",
        ]
        if shutil.which("ccache"):
            configure += ["-DCMAKE_CXX_COMPILER_LAUNCHER=ccache",
                          "-DCMAKE_C_COMPILER_LAUNCHER=ccache"]
        env = dict(os.environ)
        env.setdefault("CCACHE_BASEDIR", os.path.commonpath([str(root), str(build)]))
        subprocess.check_call(configure, env=env)
        jobs = os.environ.get("DMS_JOBS", "2")
        subprocess.check_call(["cmake", "--build", str(build), "--target", "dms_python",
                               "-j", jobs], env=env)
        out_dir.mkdir(parents=True, exist_ok=True)
        built = list((build / "python" / "dms").glob("_native*.so"))
        if len(built) != 1:
            raise RuntimeError(f"expected one dms._native module in {build}, found {built}")
        shutil.copyfile(built[0], self.get_ext_fullpath(ext.name))
        # The libraries under their SONAMEs (what the module's NEEDED entries name).
        for lib in (build / "src" / "libdms.so.0", build / "bindings" / "c" / "libdms_c.so.0"):
            shutil.copyfile(lib.resolve(), out_dir / lib.name)


setup(ext_modules=[CMakeExtension("dms._native")], cmdclass={"build_ext": CMakeBuild})
