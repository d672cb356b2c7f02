#!/usr/bin/python3
"""Checks that docker-compose.yml describes the same service graph as `./wdp up`.

Usage: check_compose.py <repo root>. Runs Debian's `docker-compose config` (which validates the
file) and compares its services, admin ports and restart/health policies with `./wdp graph`.
"""
import subprocess
import sys

import yaml

root = sys.argv[1]


def compose(*files):
    args = ["docker-compose"]
    for f in files:
        args += ["-f", f]
    out = subprocess.run(args + ["config"], cwd=root, check=True, capture_output=True, text=True).stdout
    return yaml.safe_load(out)["services"]


graph = {}
for line in subprocess.run(["./wdp", "graph"], cwd=root, check=True, capture_output=True, text=True).stdout.splitlines():
    name, admin_port, *_ = line.split()
    graph[name] = admin_port

errors = []
services = compose("docker-compose.yml")
if set(services) != set(graph):
    errors.append(f"compose services {sorted(services)} != launcher services {sorted(graph)}")
for name, svc in services.items():
    env = svc.get("environment", {})
    if name in graph and env.get("WDP_ADMIN_PORT") != graph[name]:
        errors.append(f"{name}: compose admin port {env.get('WDP_ADMIN_PORT')} != launcher {graph[name]}")
    if svc.get("command", [None])[0] != name:
        errors.append(f"{name}: runs {svc.get('command')}, expected the {name} binary")
    if "healthcheck" not in svc:
        errors.append(f"{name}: no healthcheck")
    if svc.get("restart") != "unless-stopped":
        errors.append(f"{name}: restart policy {svc.get('restart')}")
    if name != "bus-forwarder" and not env.get("WDP_BUS_SUB", "").endswith("bus-forwarder:7101"):
        errors.append(f"{name}: not subscribed through the forwarder")
if "wdp-db:/var/lib/wdp/db" not in " ".join(services["api-gateway"].get("volumes", [])) and not any(
        v.get("source") == "wdp-db" if isinstance(v, dict) else False for v in services["api-gateway"].get("volumes", [])):
    errors.append("api-gateway: no SQLite volume")

# The per-node overlay adds a pipeline and leaves the base graph unchanged.
overlay = compose("docker-compose.yml", "deploy/docker-compose.node.yml")
if not set(services) < set(overlay):
    errors.append("the node overlay must only add services")

if errors:
    print("\n".join(errors))
    sys.exit(1)
print(f"compose graph matches the launcher: {len(services)} services; node overlay adds {len(overlay) - len(services)}")
