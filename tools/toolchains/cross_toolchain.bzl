"""A cc_toolchain over one of Debian's cross compilers (tools/setup.sh installs them).

Reuses Bazel's own Unix toolchain configuration (the one it generates for the host), with
the cross compiler's tool paths and flags. The compilers live under /usr/bin and search
/usr/include too (xsimd's headers), so no sysroot is declared.
"""

load("@bazel_tools//tools/cpp:unix_cc_toolchain_config.bzl", "cc_toolchain_config")
load("@rules_cc//cc:defs.bzl", "cc_toolchain")

_TOOLS = ["ar", "cpp", "gcc", "gcov", "ld", "nm", "objcopy", "objdump", "strip"]

def cross_toolchain(name, cpu, prefix, target_system_name, target_libc, compile_flags, link_flags, include_dirs, opt_flags = ["-O2"], link_libs = ["-lstdc++", "-lm"]):
    """Declares `name` (a cc_toolchain) for --cpu=`cpu`, compiling with /usr/bin/`prefix`-gcc.

    Args:
      name: the cc_toolchain's name (listed in the suite under `cpu`).
      cpu: the --cpu value selecting it (also what config_settings match).
      prefix: the compiler triple, e.g. aarch64-linux-gnu.
      target_system_name: Bazel's target system name.
      target_libc: "glibc" or "newlib".
      compile_flags: flags for every compile (architecture, FPU, ABI).
      link_flags: flags for every link.
      include_dirs: directories the compiler searches by itself (Bazel checks every
        included header lies in a declared directory).
      opt_flags: optimisation flags of -c opt builds.
      link_libs: libraries every link ends with.
    """
    cc_toolchain_config(
        name = name + "_config",
        cpu = cpu,
        compiler = "gcc",
        toolchain_identifier = name,
        host_system_name = "x86_64-linux-gnu",
        target_system_name = target_system_name,
        target_libc = target_libc,
        abi_version = "gcc",
        abi_libc_version = target_libc,
        cxx_builtin_include_directories = include_dirs,
        # llvm-cov is only looked up (for coverage); the host's stands in.
        tool_paths = dict([(t, "/usr/bin/%s-%s" % (prefix, t)) for t in _TOOLS] + [("llvm-cov", "/usr/bin/llvm-cov")]),
        compile_flags = compile_flags + ["-Wall"],
        opt_compile_flags = ["-g0", "-DNDEBUG", "-ffunction-sections", "-fdata-sections"] + opt_flags,
        dbg_compile_flags = ["-g"],
        cxx_flags = ["-std=c++17"],
        link_flags = link_flags,
        link_libs = link_libs,
        opt_link_flags = ["-Wl,--gc-sections"],
        unfiltered_compile_flags = [
            "-fno-canonical-system-headers",
            "-Wno-builtin-macro-redefined",
            "-D__DATE__=\"redacted\"",
            "-D__TIMESTAMP__=\"redacted\"",
            "-D__TIME__=\"redacted\"",
        ],
        supports_start_end_lib = False,
    )
    cc_toolchain(
        name = name,
        all_files = ":empty",
        ar_files = ":empty",
        as_files = ":empty",
        compiler_files = ":empty",
        dwp_files = ":empty",
        linker_files = ":empty",
        objcopy_files = ":empty",
        strip_files = ":empty",
        supports_param_files = 1,
        toolchain_config = ":" + name + "_config",
        toolchain_identifier = name,
    )
