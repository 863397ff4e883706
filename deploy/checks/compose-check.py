#!/usr/bin/env python3
"""Validates docker-compose.yml without Docker.

  python3 deploy/checks/compose-check.py [--compose FILE] [--emit-env OUT.json]

Checks: every Ledgerline service is built from deploy/docker/Dockerfile with a SERVICE that exists under services/,
has a healthcheck, depends on healthy Kafka and PostgreSQL, and gets KAFKA_BROKERS, DATABASE_URL, HOST and PORT;
sandboxes sit behind the "sandboxes" profile; images are pinned; every bind-mounted path exists; the Grafana
dashboards directory holds valid dashboards with unique uids; Prometheus scrapes every Ledgerline service on its port;
the compose services and the chart's services list name the same set. --emit-env writes each service's environment
(${VAR:-default} resolved to its default) for compose-env-check.cjs, which runs the services' own config loaders on it.
"""
import argparse
import json
import os
import re
import sys

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
NO_HEALTHCHECK_OK = {'otel-collector', 'jaeger'}  # images without a shell or HTTP client
INFRA = {'kafka', 'postgres'}


def resolve(value):
    """${VAR:-default} -> default (what a fresh checkout gets), ${VAR} -> '' (reported as missing)."""
    return re.sub(r'\$\{([A-Z0-9_]+)(?::?-([^}]*))?\}', lambda m: m.group(2) or '', str(value))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--compose', default=os.path.join(ROOT, 'docker-compose.yml'))
    ap.add_argument('--values', default=os.path.join(ROOT, 'charts', 'ledgerline', 'values.yaml'))
    ap.add_argument('--base', help='directory relative bind mounts start from (default: the compose file\'s)')
    ap.add_argument('--emit-env')
    args = ap.parse_args()
    base = args.base or os.path.dirname(os.path.abspath(args.compose))
    with open(args.compose) as f:
        doc = yaml.safe_load(f)
    problems = []
    services = doc.get('services') or {}
    ours = {}
    for name, svc in services.items():
        where = f'services.{name}'
        image = svc.get('image', '')
        build = svc.get('build')
        if build:
            if build.get('dockerfile') != 'deploy/docker/Dockerfile':
                problems.append(f'{where}: build.dockerfile must be deploy/docker/Dockerfile (one pattern for every service)')
            target = (build.get('args') or {}).get('SERVICE')
            if target != name:
                problems.append(f'{where}: build.args.SERVICE is {target!r}; expected {name!r} (the folder under services/)')
            elif not os.path.isdir(os.path.join(ROOT, 'services', target)):
                problems.append(f'{where}: services/{target} does not exist')
            ours[name] = svc
        elif ':' not in image or image.endswith(':latest'):
            problems.append(f'{where}: image {image!r} must be pinned to a version tag')
        if 'healthcheck' not in svc and name not in NO_HEALTHCHECK_OK:
            problems.append(f'{where}: no healthcheck')
        for vol in svc.get('volumes') or []:
            src = vol.split(':')[0] if isinstance(vol, str) else vol.get('source', '')
            if src.startswith('.') or src.startswith('/'):
                path = os.path.normpath(os.path.join(base, src))
                if not os.path.exists(path):
                    problems.append(f'{where}: bind mount {src} does not exist')
    host_ports = {}
    for name, svc in services.items():
        for p in svc.get('ports') or []:
            host = ':'.join(str(p).split(':')[:-1])
            if host in host_ports:
                problems.append(f'services.{name}: host port {host} is also used by {host_ports[host]}')
            host_ports[host] = name

    envs = {}
    for name, svc in ours.items():
        where = f'services.{name}'
        env = {k: resolve(v) for k, v in (svc.get('environment') or {}).items()}
        envs[name] = env
        sandbox = name.startswith('sandbox-')
        if sandbox:
            if 'sandboxes' not in (svc.get('profiles') or []):
                problems.append(f'{where}: sandboxes must sit behind the "sandboxes" profile')
            port_env = (svc['build'].get('args') or {}).get('PORT_ENV')
            if not port_env or port_env not in env:
                problems.append(f'{where}: build.args.PORT_ENV must name the port variable set in its environment')
            continue
        deps = svc.get('depends_on') or {}
        for infra in INFRA:
            if (deps.get(infra) or {}).get('condition') != 'service_healthy':
                problems.append(f'{where}: depends_on.{infra} must be condition service_healthy')
        for var in ('KAFKA_BROKERS', 'DATABASE_URL', 'HOST', 'PORT'):
            if not env.get(var):
                problems.append(f'{where}: environment {var} is missing')
        if env.get('HOST') != '0.0.0.0':
            problems.append(f'{where}: HOST must be 0.0.0.0 inside a container')

    # Prometheus scrapes every Ledgerline service at <name>:<container port>.
    prom_path = os.path.join(ROOT, 'deploy', 'observability', 'prometheus', 'prometheus.yml')
    with open(prom_path) as f:
        prom = yaml.safe_load(f)
    targets = {t for job in prom.get('scrape_configs', []) for sc in job.get('static_configs', []) for t in sc.get('targets', [])}
    for name, svc in ours.items():
        env = envs[name]
        port_env = (svc['build'].get('args') or {}).get('PORT_ENV', 'PORT')
        target = f'{name}:{env.get(port_env, "3000")}'
        if target not in targets:
            problems.append(f'prometheus.yml: no scrape target {target} for services.{name}')

    # Dashboards Grafana provisions.
    dash_dir = os.path.join(ROOT, 'charts', 'ledgerline', 'dashboards')
    uids = {}
    files = sorted(f for f in os.listdir(dash_dir) if f.endswith('.json'))
    if not files:
        problems.append('charts/ledgerline/dashboards holds no dashboards')
    for f in files:
        try:
            with open(os.path.join(dash_dir, f)) as fh:
                d = json.load(fh)
        except ValueError as e:
            problems.append(f'dashboards/{f}: not JSON: {e}')
            continue
        if not d.get('uid') or not d.get('panels'):
            problems.append(f'dashboards/{f}: needs a uid and panels')
        if d.get('uid') in uids:
            problems.append(f'dashboards/{f}: uid {d["uid"]} also used by {uids[d["uid"]]}')
        uids[d.get('uid')] = f

    # Compose and chart deploy the same services.
    with open(args.values) as f:
        chart_services = set((yaml.safe_load(f).get('services') or {}).keys())
    if chart_services != set(ours):
        problems.append(f'compose and charts/ledgerline/values.yaml list different services: only in compose {sorted(set(ours) - chart_services)}, only in the chart {sorted(chart_services - set(ours))}')

    for p in problems:
        print(f'compose-check: {p}', file=sys.stderr)
    print(f'compose-check: {len(services)} compose services ({len(ours)} Ledgerline images, {len(files)} dashboards): {len(problems)} problems')
    if args.emit_env:
        with open(args.emit_env, 'w') as f:
            json.dump(envs, f, indent=2)
    sys.exit(1 if problems else 0)


if __name__ == '__main__':
    main()
