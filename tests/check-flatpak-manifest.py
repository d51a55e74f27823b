#!/usr/bin/env python3
"""Validates Strata's Flatpak manifest offline.

Usage: check-flatpak-manifest.py [--schema SCHEMA] [--check CHECK] MANIFEST

CHECK is one of:
  schema   the manifest against flatpak-builder's JSON schema (python3-jsonschema);
  policy   what this project requires of its manifest: the GNOME runtime and SDK of one
           release, no network and no file-system access (files go through the portal),
           every downloaded source pinned by SHA-256, the application built from the
           local tree;
  builder  `flatpak-builder --show-manifest` reads the manifest with no warning and
           keeps every property (an unknown one is dropped with a warning);
  all      the three (the default).

Exit status: 0 when the checks pass, 1 when one fails, 2 on bad usage, and 77 (meson's
"skipped") when flatpak-builder is not installed and every other check passed.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

EXIT_SKIP = 77

APP_ID = "io.github.stratareview.Strata"
COMMAND = "strata"

# finish-args every build must have, and ones it must never have.
REQUIRED_FINISH_ARGS = {
    "--share=ipc",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--device=dri",
}
FORBIDDEN_FINISH_ARGS = {
    "--share=network": "clinical data: no network access",
    "--socket=x11": "use --socket=fallback-x11",
    "--device=all": "only --device=dri is needed",
    "--talk-name=org.freedesktop.Flatpak": "escapes the sandbox",
}
# Any --filesystem grant is refused: files are opened and saved through the portal.
FORBIDDEN_FINISH_ARG_PREFIXES = {
    "--filesystem=": "files go through the file-chooser portal",
    "--persist=": "no persistent home directories are needed",
}

# Source types that are downloaded and so must carry a checksum.
DOWNLOADED_SOURCE_TYPES = {"archive", "file", "extra-data"}
CHECKSUM_KEYS = {"sha256": 64, "sha512": 128}
REQUIRED_MODULES = ("gsl", "libxlsxwriter")


def check_schema(manifest, schema_path):
    """Validates MANIFEST against the JSON schema at SCHEMA_PATH; returns error lines."""
    try:
        import jsonschema
    except ImportError:
        return ["python3-jsonschema is not installed (it is in debian-packages.txt)"]

    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    errors = []
    for error in sorted(validator.iter_errors(manifest), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        message = error.message
        if error.context:
            # "not valid under any of the given schemas": name the likeliest reason.
            message += f" ({jsonschema.exceptions.best_match(error.context).message})"
        errors.append(f"{where}: {message}")
    return errors


def check_source(source, where, manifest_dir):
    """Returns the policy errors of one module source."""
    errors = []
    if isinstance(source, str):
        # A path to a JSON file of sources: it must be in the repository and checked too.
        return [f"{where}: external source file {source!r}: inline the sources instead"]
    kind = source.get("type")
    if kind in DOWNLOADED_SOURCE_TYPES and "url" in source:
        if not source["url"].startswith("https://"):
            errors.append(f"{where}: {source['url']!r} is not an https:// URL")
        pinned = [key for key, length in CHECKSUM_KEYS.items()
                  if re.fullmatch(r"[0-9a-f]{%d}" % length, source.get(key, ""))]
        if not pinned:
            errors.append(f"{where}: {source['url']!r} is not pinned by a sha256 checksum")
    elif kind == "git":
        if not re.fullmatch(r"[0-9a-f]{40}", source.get("commit", "")):
            errors.append(f"{where}: a git source must be pinned to a full commit hash")
    elif kind == "dir":
        path = os.path.normpath(os.path.join(manifest_dir, source.get("path", "")))
        if not os.path.isdir(path):
            errors.append(f"{where}: directory {source.get('path')!r} does not exist")
    return errors


def check_policy(manifest, manifest_path):
    """Checks what Strata requires of its manifest; returns error lines."""
    errors = []
    manifest_dir = os.path.dirname(os.path.abspath(manifest_path))

    app_id = manifest.get("id", manifest.get("app-id"))
    if app_id != APP_ID:
        errors.append(f"id is {app_id!r}, not {APP_ID!r}")
    if manifest.get("command") != COMMAND:
        errors.append(f"command is {manifest.get('command')!r}, not {COMMAND!r}")
    if manifest.get("runtime") != "org.gnome.Platform":
        errors.append(f"runtime is {manifest.get('runtime')!r}, not 'org.gnome.Platform'")
    if manifest.get("sdk") != "org.gnome.Sdk":
        errors.append(f"sdk is {manifest.get('sdk')!r}, not 'org.gnome.Sdk'")
    version = str(manifest.get("runtime-version", ""))
    if not re.fullmatch(r"[0-9]+", version):
        errors.append(f"runtime-version {version!r} is not a stable GNOME release (e.g. '50')")

    finish_args = manifest.get("finish-args", [])
    for arg in sorted(REQUIRED_FINISH_ARGS - set(finish_args)):
        errors.append(f"finish-args lacks {arg}")
    for arg in finish_args:
        if arg in FORBIDDEN_FINISH_ARGS:
            errors.append(f"finish-args has {arg}: {FORBIDDEN_FINISH_ARGS[arg]}")
        for prefix, reason in FORBIDDEN_FINISH_ARG_PREFIXES.items():
            if arg.startswith(prefix):
                errors.append(f"finish-args has {arg}: {reason}")
    build_args = manifest.get("build-options", {}).get("build-args", [])
    if "--share=network" in build_args:
        errors.append("build-options grants network access to the build")

    modules = manifest.get("modules", [])
    names = [m.get("name") if isinstance(m, dict) else m for m in modules]
    for name in REQUIRED_MODULES:
        if name not in names:
            errors.append(f"no module {name!r}")
    for index, module in enumerate(modules):
        if not isinstance(module, dict):
            errors.append(f"modules/{index}: external module file {module!r}: inline it")
            continue
        where = f"modules/{module.get('name', index)}"
        if "--share=network" in module.get("build-options", {}).get("build-args", []):
            errors.append(f"{where}: build-options grants network access to the build")
        for s_index, source in enumerate(module.get("sources", [])):
            errors += check_source(source, f"{where}/sources/{s_index}", manifest_dir)

    # The application itself: the last module, built with meson from the local tree.
    app = modules[-1] if modules and isinstance(modules[-1], dict) else {}
    if app.get("buildsystem") != "meson":
        errors.append("the last module (the application) is not built with meson")
    dirs = [s for s in app.get("sources", []) if isinstance(s, dict) and s.get("type") == "dir"]
    if len(dirs) != 1:
        errors.append("the application module must have one source of type 'dir'")
    else:
        root = os.path.normpath(os.path.join(manifest_dir, dirs[0].get("path", "")))
        meson_build = os.path.join(root, "meson.build")
        try:
            with open(meson_build, encoding="utf-8") as f:
                if not re.search(r"project\(\s*'strata'", f.read()):
                    errors.append(f"{meson_build} is not Strata's root meson.build")
        except OSError as e:
            errors.append(f"the application's source directory has no meson.build: {e}")
    return errors


def check_builder(manifest, manifest_path, flatpak_builder):
    """Runs flatpak-builder --show-manifest; returns error lines."""
    # flatpak-builder writes its state directory (.flatpak-builder/) into the working
    # directory: run it in a throwaway one.
    with tempfile.TemporaryDirectory(prefix="strata-flatpak-") as workdir:
        proc = subprocess.run([flatpak_builder, "--show-manifest", os.path.abspath(manifest_path)],
                              cwd=workdir, capture_output=True, text=True, timeout=120)
    errors = []
    if proc.returncode != 0:
        errors.append(f"flatpak-builder --show-manifest exited with {proc.returncode}")
    for line in proc.stderr.splitlines():
        if "WARNING" in line.upper() or "CRITICAL" in line.upper():
            errors.append(f"flatpak-builder: {line.strip()}")
    if proc.returncode == 0:
        try:
            shown = json.loads(proc.stdout)
        except json.JSONDecodeError as e:
            return errors + [f"flatpak-builder printed no JSON manifest: {e}"]
        # Every property we wrote must have been understood, at the top level and in each
        # module (flatpak-builder drops an unknown one).
        for key in sorted(set(manifest) - set(shown)):
            errors.append(f"flatpak-builder dropped the top-level property {key!r}")
        for mine, theirs in zip(manifest.get("modules", []), shown.get("modules", [])):
            if isinstance(mine, dict) and isinstance(theirs, dict):
                for key in sorted(set(mine) - set(theirs)):
                    errors.append(f"flatpak-builder dropped {mine.get('name')}/{key}")
    return errors


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description="Validates the Flatpak manifest offline.")
    parser.add_argument("manifest", help="the Flatpak manifest (JSON)")
    parser.add_argument("--schema",
                        default=os.path.join(here, "..", "flatpak", "flatpak-manifest.schema.json"),
                        help="the flatpak-builder JSON schema")
    parser.add_argument("--check", choices=["schema", "policy", "builder", "all"], default="all")
    args = parser.parse_args()

    try:
        with open(args.manifest, encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        print(f"FAIL: cannot read {args.manifest}: {e}")
        return 1

    checks = ["schema", "policy", "builder"] if args.check == "all" else [args.check]
    failed = skipped = False
    for check in checks:
        if check == "schema":
            errors = check_schema(manifest, args.schema)
        elif check == "policy":
            errors = check_policy(manifest, args.manifest)
        else:
            flatpak_builder = shutil.which("flatpak-builder")
            if flatpak_builder is None:
                print("SKIP builder: flatpak-builder is not installed")
                skipped = True
                continue
            errors = check_builder(manifest, args.manifest, flatpak_builder)
        for error in errors:
            print(f"FAIL {check}: {error}")
        if errors:
            failed = True
        else:
            print(f"PASS {check}")
    if failed:
        return 1
    return EXIT_SKIP if skipped else 0


if __name__ == "__main__":
    sys.exit(main())
