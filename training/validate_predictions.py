#!/usr/bin/python3
"""Validates predictions / truth JSON files against schemas/predictions.schema.json (python3-jsonschema).
Exit 0 when every file is valid, 1 otherwise (the first error per file is printed)."""
import json
import os
import sys

import jsonschema

SCHEMA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "schemas", "predictions.schema.json")


def validate(path, schema=None):
    if schema is None:
        with open(SCHEMA) as f:
            schema = json.load(f)
    with open(path) as f:
        jsonschema.validate(json.load(f), schema)


def main(paths):
    if not paths:
        print(__doc__)
        return 2
    bad = 0
    for p in paths:
        try:
            validate(p)
            print(f"{p}: valid")
        except (jsonschema.ValidationError, ValueError, OSError) as e:
            print(f"{p}: INVALID: {getattr(e, 'message', e)}")
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
