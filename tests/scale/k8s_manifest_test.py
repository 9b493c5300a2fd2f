#!/usr/bin/python3
"""The Kubernetes Indexed Job of docs/scale-out.md, checked against the Kubernetes API
schema as Debian's python3-kubernetes (the official client, API 1.22) generates it: every
field must exist in its object type (attribute_map), have the type openapi_types says, and
the objects must build with the client's own required-field validation. Then the things
the sharding relies on: completionMode Indexed, completions == parallelism == the N of
--shard, and the index taken from JOB_COMPLETION_INDEX. Also checks that the docs page
shows this very file. Exit 77 (skipped) when python3-kubernetes is missing."""
import re
import sys

try:
    import yaml
    import kubernetes.client as k8s
except ImportError:
    print("python3-kubernetes is not installed: skipped")
    sys.exit(77)

MANIFEST = "examples/scale-out/k8s-reliability-job.yaml"
errors = []


def check(value, type_name, path):
    if value is None:
        return
    m = re.fullmatch(r"list\[(.+)\]", type_name)
    if m:
        if not isinstance(value, list):
            errors.append(f"{path}: expected a list")
            return
        for i, item in enumerate(value):
            check(item, m.group(1), f"{path}[{i}]")
        return
    m = re.fullmatch(r"dict\(str, (.+)\)", type_name)
    if m:
        if not isinstance(value, dict):
            errors.append(f"{path}: expected a map")
            return
        for key, item in value.items():
            check(item, m.group(1), f"{path}.{key}")
        return
    scalars = {"str": str, "int": int, "bool": bool, "float": (int, float)}
    if type_name in scalars:
        ok = isinstance(value, scalars[type_name]) and not (type_name == "int" and isinstance(value, bool))
        if not ok:
            errors.append(f"{path}: expected {type_name}, found {type(value).__name__}")
        return
    if type_name in ("object", "datetime", "date"):
        return  # IntOrString, Quantity, free-form
    cls = getattr(k8s, type_name)
    if not isinstance(value, dict):
        errors.append(f"{path}: expected a {type_name} object")
        return
    by_json = {json: attr for attr, json in cls.attribute_map.items()}
    for key, item in value.items():
        if key not in by_json:
            errors.append(f"{path}.{key}: no such field in {type_name}")
            continue
        check(item, cls.openapi_types[by_json[key]], f"{path}.{key}")


with open(MANIFEST) as f:
    job = yaml.safe_load(f)
check(job, "V1Job", "Job")
try:  # the client's own validation of required fields while building the objects
    k8s.ApiClient()._ApiClient__deserialize(job, "V1Job")
except ValueError as e:
    errors.append(f"Job: {e}")

spec = job.get("spec", {})
if spec.get("completionMode") != "Indexed":
    errors.append("spec.completionMode must be Indexed (each pod needs its JOB_COMPLETION_INDEX)")
args = " ".join(spec["template"]["spec"]["containers"][0].get("args", []))
shard = re.search(r"--shard \$JOB_COMPLETION_INDEX/(\d+)", args)
if not shard:
    errors.append("the container must pass --shard $JOB_COMPLETION_INDEX/N")
elif not (spec.get("completions") == spec.get("parallelism") == int(shard.group(1))):
    errors.append(f"completions and parallelism must equal the N of --shard ({shard.group(1)})")

with open(MANIFEST) as f:
    body = "".join(line for line in f if not line.startswith("#"))
with open("docs/scale-out.md") as f:
    if body not in f.read():
        errors.append("docs/scale-out.md does not show " + MANIFEST + " as it is")

for e in errors:
    print(e)
sys.exit(1 if errors else 0)
