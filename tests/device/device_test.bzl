"""Tests built for a device target and run under QEMU user-mode emulation.

device_test(name, binary, cpu) builds `binary` (any cc_test or cc_binary of the project)
with the cross toolchain for `cpu` (tools/toolchains) and runs it under qemu-<arch> with
the target's Debian sysroot (run_under_qemu.sh). `host_binary` (optional, built for the
host as usual) is handed to the runner too, for tests that compare the device's results
with the host's (golden_outputs.cc). The files of `data` are the program's arguments.
"""

def _to_device_impl(settings, attr):
    return {
        "//command_line_option:crosstool_top": "//tools/toolchains:suite",
        "//command_line_option:cpu": attr.cpu,
        "//command_line_option:host_crosstool_top": "@bazel_tools//tools/cpp:toolchain",
        # One statically linked program (glibc and libstdc++ stay shared, from the sysroot).
        "//command_line_option:dynamic_mode": "off",
        # The device build is the toolchain's alone: the host's --config=asan/ubsan/scalar
        # flags (no sanitizer runtimes for these targets; NEON is what is tested) stay out.
        "//command_line_option:copt": [],
        "//command_line_option:linkopt": [],
        "//command_line_option:compilation_mode": "opt",
    }

_to_device = transition(
    implementation = _to_device_impl,
    inputs = [],
    outputs = [
        "//command_line_option:crosstool_top",
        "//command_line_option:cpu",
        "//command_line_option:host_crosstool_top",
        "//command_line_option:dynamic_mode",
        "//command_line_option:copt",
        "//command_line_option:linkopt",
        "//command_line_option:compilation_mode",
    ],
)

def _single(target):
    return target[0] if type(target) == "list" else target

def _device_test_impl(ctx):
    device = _single(ctx.attr.binary)
    device_exe = device[DefaultInfo].files_to_run.executable
    runner = ctx.executable._runner
    args = [ctx.attr.cpu, device_exe.short_path]
    runfiles = ctx.runfiles(files = [device_exe, runner]).merge(device[DefaultInfo].default_runfiles)
    if ctx.attr.host_binary:
        host_exe = ctx.attr.host_binary[DefaultInfo].files_to_run.executable
        args = ["--host", host_exe.short_path, "--kernels", ctx.attr.kernels] + args
        runfiles = runfiles.merge(ctx.runfiles(files = [host_exe]))
        runfiles = runfiles.merge(ctx.attr.host_binary[DefaultInfo].default_runfiles)
    for d in ctx.attr.data:
        files = d[DefaultInfo].files.to_list()
        runfiles = runfiles.merge(ctx.runfiles(files = files))
        args += [f.short_path for f in files]
    script = ctx.actions.declare_file(ctx.label.name + ".sh")
    ctx.actions.write(
        output = script,
        is_executable = True,
        content = "#!/usr/bin/env bash\nexec %s %s \"$@\"\n" % (
            runner.short_path,
            " ".join(["'%s'" % a for a in args]),
        ),
    )
    return [DefaultInfo(executable = script, runfiles = runfiles.merge(ctx.attr._runner[DefaultInfo].default_runfiles))]

device_test = rule(
    implementation = _device_test_impl,
    test = True,
    attrs = {
        "binary": attr.label(cfg = _to_device, executable = True, mandatory = True),
        "cpu": attr.string(mandatory = True, values = ["aarch64", "armhf"]),
        "host_binary": attr.label(cfg = "target", executable = True),
        "data": attr.label_list(allow_files = True),
        # With host_binary: the SIMD path the device build must run (kernels::backend_name()).
        "kernels": attr.string(),
        "_runner": attr.label(default = "//tests/device:run_under_qemu", cfg = "target", executable = True),
        "_allowlist_function_transition": attr.label(
            default = "@bazel_tools//tools/allowlists/function_transition_allowlist",
        ),
    },
)
