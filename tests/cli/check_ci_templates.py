#!/usr/bin/env python3
"""Checks the CI templates in ci/: each parses as YAML, has the structure its CI system needs,
and every `wslcuda SUBCOMMAND --flag` it uses exists in the built binary's --help.

Usage: check_ci_templates.py WSLCUDA_BINARY SOURCE_DIR. Exit 0 when all hold, 1 otherwise.
"""
import re
import subprocess
import sys

import yaml


def help_text(binary, *args):
    return subprocess.run([binary, *args, "--help"], capture_output=True, text=True, check=True).stdout


def invocations(text):
    """(subcommand, [flags]) for every 'wslcuda run ...' style call in the text."""
    for m in re.finditer(r"bin/wslcuda\s+(\w+)([^\"\n]*)", text):
        yield m.group(1), re.findall(r"(--[a-z][a-z-]*)", m.group(2))


def main():
    binary, source = sys.argv[1], sys.argv[2]
    errors = []
    github_path = f"{source}/ci/github/driver-gate.yml"
    gitlab_path = f"{source}/ci/gitlab/driver-gate.yml"
    github = yaml.safe_load(open(github_path, encoding="utf-8"))
    gitlab = yaml.safe_load(open(gitlab_path, encoding="utf-8"))

    jobs = github.get("jobs", {})
    gate = jobs.get("gate", {})
    if "self-hosted" not in gate.get("runs-on", []) or "wsl2" not in gate.get("runs-on", []):
        errors.append("github: the gate job must run on self-hosted WSL 2 runners")
    if not gate.get("strategy", {}).get("matrix", {}).get("gpu"):
        errors.append("github: a matrix of GPUs is expected")
    uses = [s.get("uses", "") for s in gate.get("steps", [])]
    if not any(u.startswith("actions/upload-artifact") for u in uses):
        errors.append("github: the report must be uploaded")
    if not any("junit" in u for u in uses):
        errors.append("github: the JUnit file must be published")
    if "GITHUB_STEP_SUMMARY" not in open(github_path, encoding="utf-8").read():
        errors.append("github: the Markdown summary must go to $GITHUB_STEP_SUMMARY")

    job = gitlab.get("driver-gate", {})
    base = gitlab.get(".wslcuda-gate", {})
    if job.get("extends") != ".wslcuda-gate":
        errors.append("gitlab: driver-gate must extend .wslcuda-gate")
    if base.get("artifacts", {}).get("reports", {}).get("junit") != "wslcuda-out/wslcuda-junit.xml":
        errors.append("gitlab: artifacts:reports:junit must name the JUnit file")
    if base.get("artifacts", {}).get("when") != "always":
        errors.append("gitlab: artifacts must be kept when the job fails")

    top = help_text(binary)
    for path in (github_path, gitlab_path):
        text = open(path, encoding="utf-8").read()
        calls = list(invocations(text))
        if not any(sub == "run" for sub, _ in calls):
            errors.append(f"{path}: never calls `wslcuda run`")
        for sub, flags in calls:
            if not re.search(rf"^\s+{sub}\s", top, re.M):
                errors.append(f"{path}: `wslcuda {sub}` is not a command")
                continue
            sub_help = help_text(binary, sub)
            for flag in flags:
                if flag not in sub_help:
                    errors.append(f"{path}: `wslcuda {sub} {flag}` is not an option")
            for needed in ("--json", "--junit", "--markdown"):
                if sub == "run" and needed not in flags:
                    errors.append(f"{path}: `wslcuda run` should write {needed}")
        gate = re.search(r"-in\s+([\d, ]+)", text)
        codes = {c.strip() for c in gate.group(1).split(",")} if gate else set()
        for code in sorted({"1", "3", "4", "6"} - codes):
            errors.append(f"{path}: the job must fail on exit {code}")
        # Exit 6 (inconclusive) fails unless the pipeline opts out with the named flag.
        if "--allow-inconclusive" not in text:
            errors.append(f"{path}: no opt-out from failing on an inconclusive gate")
        elif "--allow-inconclusive" not in help_text(binary, "run"):
            errors.append(f"{path}: `wslcuda run --allow-inconclusive` is not an option")
    for e in errors:
        print(e, file=sys.stderr)
    print(f"checked 2 templates: {len(errors)} problem(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
