#!/usr/bin/env python3
"""Validates every committed JSON document against its schema: ci/gate-policy.json, and the
reports and baselines under reports/examples/ and reports/baselines/.

Usage: validate_committed.py SOURCE_DIR. Exit 0 when all are valid.
"""
import glob
import json
import sys

import jsonschema


def main():
    src = sys.argv[1]
    groups = [("policy.schema.json", [f"{src}/ci/gate-policy.json"]),
              ("report.schema.json", sorted(glob.glob(f"{src}/reports/examples/*.json"))),
              ("baseline.schema.json", sorted(glob.glob(f"{src}/reports/baselines/*.json")))]
    bad = checked = 0
    for schema_name, files in groups:
        with open(f"{src}/reports/schema/{schema_name}", encoding="utf-8") as f:
            schema = json.load(f)
        jsonschema.Draft202012Validator.check_schema(schema)
        validator = jsonschema.Draft202012Validator(schema)
        for path in files:
            checked += 1
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
            for e in validator.iter_errors(doc):
                bad += 1
                print(f"{path}: /{'/'.join(str(p) for p in e.absolute_path)}: {e.message}", file=sys.stderr)
    # The schemas that describe outputs only must be valid schemas too.
    for name in ("comparison.schema.json",):
        with open(f"{src}/reports/schema/{name}", encoding="utf-8") as f:
            jsonschema.Draft202012Validator.check_schema(json.load(f))
    print(f"validated {checked} committed document(s): {bad} problem(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
