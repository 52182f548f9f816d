#!/usr/bin/env python3
"""Validates a JSON document against a JSON Schema (draft 2020-12).

Usage: validate_json.py SCHEMA INSTANCE. Exit 0 when valid, 1 when not (errors on stderr with
their JSON pointer), 2 when a file cannot be read.
"""
import json
import sys

import jsonschema


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        with open(sys.argv[1], encoding="utf-8") as f:
            schema = json.load(f)
        with open(sys.argv[2], encoding="utf-8") as f:
            instance = json.load(f)
    except (OSError, ValueError) as e:
        print(f"validate_json: {e}", file=sys.stderr)
        return 2
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
    for e in errors[:20]:
        pointer = "/" + "/".join(str(p) for p in e.absolute_path)
        print(f"{sys.argv[2]}: {pointer}: {e.message}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
