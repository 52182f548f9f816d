#!/usr/bin/env python3
"""Checks the CI templates in ci/: each parses as YAML, has the structure its CI system needs,
and every `wslcuda SUBCOMMAND [SUBSUBCOMMAND] --flag` it uses exists in the built binary's --help.

Templates: ci/github/driver-gate.yml and ci/gitlab/driver-gate.yml (a gate job per GPU machine,
then a fan-in collector job that imports every report into the fleet store and writes
`history changes --markdown` to the job summary), ci/kubernetes/wslcuda-baremetal-job.yaml (a
bare-metal reference run: one GPU, a GPU-model node selector, the report pushed at the end).

Commands another issue adds later (PENDING) may be named before the binary has them: the check
says so and checks their flags once they exist.

Usage: check_ci_templates.py WSLCUDA_BINARY SOURCE_DIR. Exit 0 when all hold, 1 otherwise.
"""
import re
import subprocess
import sys

import yaml

# Commands and options a template may name before this build has them, and who adds them
# (none now: `history changes` is checked against its --help like every other command).
PENDING = {}
PENDING_FLAGS = {("run", "--history"): "`run --history` records with "
                                       "history::record_with_fallback once wired (issue 23/25)"}

# A URI with a password in it: credentials belong in secrets (PGPASSWORD), never in a template.
URI_WITH_PASSWORD = re.compile(r"postgres(?:ql)?://[^/\s:@\"']+:[^@\s\"']+@")


def help_text(binary, *args):
    run = subprocess.run([binary, *args, "--help"], capture_output=True, text=True)
    return run.stdout if run.returncode == 0 else None


def subcommands(help_out):
    """Subcommand names listed in a CLI11 help text (its "Subcommands:" section)."""
    if not help_out or "Subcommands:" not in help_out:
        return set()
    section = help_out.split("Subcommands:", 1)[1]
    return set(re.findall(r"^\s+([a-z][\w-]*)\s", section, re.M))


def invocations(text):
    """(words, [flags]) for every `wslcuda run …` style call in the text: words is the
    subcommand, and a nested one when the next word is not a flag or a value."""
    # `…/bin/wslcuda`, or `wslcuda` where a shell command starts (a line, a YAML list item, after
    # && || ; or `$(`); never in a comment or in prose such as a step's name.
    text = re.sub(r"^[ \t]*#.*$", "", text, flags=re.M)
    start = r"(?:bin/|^[ \t]*(?:-[ \t]+)?|(?:&&|\|\||;|\$\()[ \t]*)"
    for m in re.finditer(start + r"wslcuda[ \t]+([a-z][\w-]*)([^\n]*)", text, re.M):
        rest = re.split(r"&&|\|\||;|\|", m.group(2))[0]
        rest = re.sub(r"\"[^\"]*\"|'[^']*'", " ", rest)
        nested = re.match(r"[ \t]+([a-z][\w-]*)", rest)
        yield m.group(1), nested.group(1) if nested else None, re.findall(r"(--[a-z][a-z-]*)", rest)


def check_commands(binary, path, text, errors, notes):
    top = help_text(binary)
    calls = list(invocations(text))
    for sub, nested, flags in calls:
        if sub not in subcommands(top):
            errors.append(f"{path}: `wslcuda {sub}` is not a command")
            continue
        words = [sub]
        if nested and nested in subcommands(help_text(binary, sub)):
            words.append(nested)
        elif nested and (sub, nested) in PENDING:
            notes.append(f"{path}: `wslcuda {sub} {nested}` is not in this build yet: "
                         f"{PENDING[(sub, nested)]}")
            continue
        sub_help = help_text(binary, *words) or ""
        for flag in flags:
            if flag in sub_help:
                continue
            if (" ".join(words), flag) in PENDING_FLAGS:
                notes.append(f"{path}: `wslcuda {' '.join(words)} {flag}` is not in this build "
                             f"yet: {PENDING_FLAGS[(' '.join(words), flag)]}")
            else:
                errors.append(f"{path}: `wslcuda {' '.join(words)} {flag}` is not an option")
        if words == ["run"]:
            for needed in ("--json", "--junit", "--markdown"):
                if needed not in flags:
                    errors.append(f"{path}: `wslcuda run` should write {needed}")
    if not any(sub == "run" for sub, _, _ in calls):
        errors.append(f"{path}: never calls `wslcuda run`")
    return calls


def has_call(calls, sub, nested, *flags):
    return any(s == sub and n == nested and all(f in fl for f in flags) for s, n, fl in calls)


def main():
    binary, source = sys.argv[1], sys.argv[2]
    errors, notes = [], []
    github_path = f"{source}/ci/github/driver-gate.yml"
    gitlab_path = f"{source}/ci/gitlab/driver-gate.yml"
    k8s_path = f"{source}/ci/kubernetes/wslcuda-baremetal-job.yaml"
    texts = {p: open(p, encoding="utf-8").read() for p in (github_path, gitlab_path, k8s_path)}
    github, gitlab, k8s = (yaml.safe_load(texts[p]) for p in (github_path, gitlab_path, k8s_path))

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
    if "GITHUB_STEP_SUMMARY" not in texts[github_path]:
        errors.append("github: the Markdown summary must go to $GITHUB_STEP_SUMMARY")
    collect = jobs.get("collect", {})
    needs = collect.get("needs", [])
    if "gate" not in ([needs] if isinstance(needs, str) else needs):
        errors.append("github: a collect job must fan in from the gate job (needs: gate)")
    if "always()" not in str(collect.get("if", "")):
        errors.append("github: the collect job must run whatever the gates said (if: always())")
    collect_steps = collect.get("steps", [])
    if not any(s.get("uses", "").startswith("actions/download-artifact") for s in collect_steps):
        errors.append("github: the collect job must download every machine's report")
    collect_text = yaml.safe_dump(collect)
    if "GITHUB_STEP_SUMMARY" not in collect_text:
        errors.append("github: the collect job must write the changes to $GITHUB_STEP_SUMMARY")
    if "secrets." not in str(collect.get("env", {}).get("PGPASSWORD", "")):
        errors.append("github: the collect job's password must come from a secret (PGPASSWORD)")

    job = gitlab.get("driver-gate", {})
    base = gitlab.get(".wslcuda-gate", {})
    if job.get("extends") != ".wslcuda-gate":
        errors.append("gitlab: driver-gate must extend .wslcuda-gate")
    if base.get("artifacts", {}).get("reports", {}).get("junit") != "wslcuda-out/wslcuda-junit.xml":
        errors.append("gitlab: artifacts:reports:junit must name the JUnit file")
    if base.get("artifacts", {}).get("when") != "always":
        errors.append("gitlab: artifacts must be kept when the job fails")
    gl_collect = gitlab.get("collect", {})
    if gl_collect.get("stage") not in gitlab.get("stages", []) or gl_collect.get("when") != "always":
        errors.append("gitlab: a collect job in a later stage must run always")
    if not any(isinstance(n, dict) and n.get("job") == "driver-gate" and n.get("artifacts")
               for n in gl_collect.get("needs", [])):
        errors.append("gitlab: the collect job must need driver-gate's artifacts")

    if k8s.get("kind") != "Job" or not str(k8s.get("apiVersion", "")).startswith("batch/"):
        errors.append("kubernetes: a batch Job is expected")
    pod = k8s.get("spec", {}).get("template", {}).get("spec", {})
    if pod.get("restartPolicy") not in ("Never", "OnFailure"):
        errors.append("kubernetes: a Job's pod must not restart Always")
    if "nvidia.com/gpu.product" not in pod.get("nodeSelector", {}):
        errors.append("kubernetes: a GPU-model node selector (nvidia.com/gpu.product) is expected")
    containers = pod.get("containers", [])
    limits = containers[0].get("resources", {}).get("limits", {}) if containers else {}
    if str(limits.get("nvidia.com/gpu")) != "1":
        errors.append("kubernetes: the container must request one GPU (limits nvidia.com/gpu: 1)")

    for path, text in texts.items():
        calls = check_commands(binary, path, text, errors, notes)
        if URI_WITH_PASSWORD.search(text):
            errors.append(f"{path}: a password in a URI: use PGPASSWORD from a secret")
        if path == k8s_path:
            run_at = text.find("wslcuda run")
            push_at = text.find("wslcuda history push")
            if not has_call(calls, "history", "push", "--to") or push_at < run_at:
                errors.append(f"{path}: the report must be pushed at the end (history push --to)")
            continue
        if not has_call(calls, "history", "import", "--history"):
            errors.append(f"{path}: the collector must import the reports (history import)")
        if not any(s == "history" and n == "changes" and "--markdown" in f for s, n, f in calls):
            errors.append(f"{path}: the collector must write `history changes --markdown`")
        gate_codes = re.search(r"-in\s+([\d, ]+)", text)
        codes = {c.strip() for c in gate_codes.group(1).split(",")} if gate_codes else set()
        for code in sorted({"1", "3", "4", "6"} - codes):
            errors.append(f"{path}: the job must fail on exit {code}")
        # Exit 6 (inconclusive) fails unless the pipeline opts out with the named flag.
        if "--allow-inconclusive" not in text:
            errors.append(f"{path}: no opt-out from failing on an inconclusive gate")
        elif "--allow-inconclusive" not in help_text(binary, "run"):
            errors.append(f"{path}: `wslcuda run --allow-inconclusive` is not an option")
    for n in notes:
        print("note:", n)
    for e in errors:
        print(e, file=sys.stderr)
    print(f"checked {len(texts)} templates: {len(errors)} problem(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
