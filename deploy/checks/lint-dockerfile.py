#!/usr/bin/env python3
"""Lints deploy/docker/Dockerfile against the image rules of issue #8 (no Docker engine needed).

  python3 deploy/checks/lint-dockerfile.py [Dockerfile]

Rules: multi-stage with named stages; every FROM is Node 24 (ARG defaults resolved); the runtime (last) stage runs as a
numeric non-root USER, has a HEALTHCHECK, an exec-form ENTRYPOINT or CMD running node directly (PID 1 receives
SIGTERM), and gets its node_modules from a stage that ran `npm ci --omit=dev`; no `npm install`, no ADD of URLs, no
secret-looking ENV or ARG; COPY --from names an earlier stage; every local COPY source exists; the BuildKit
ignore file beside the Dockerfile keeps node_modules and .git out of the context.
"""
import json
import os
import re
import shlex
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))


def instructions(text):
    """(line number, INSTRUCTION, arguments) with continuations joined and comments dropped."""
    out, buf, start = [], '', None
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        if not buf and (not line.strip() or line.lstrip().startswith('#')):
            continue
        if buf and line.lstrip().startswith('#'):
            continue
        if start is None:
            start = n
        if line.endswith('\\'):
            buf += line[:-1] + ' '
            continue
        buf += line
        word, _, rest = buf.strip().partition(' ')
        out.append((start, word.upper(), rest.strip()))
        buf, start = '', None
    return out


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, 'deploy', 'docker', 'Dockerfile')
    with open(path) as f:
        ins = instructions(f.read())
    problems = []
    args = {}
    stages = []  # dicts: name, base, line, instructions
    for n, word, rest in ins:
        if word == 'ARG' and not stages:
            k, _, v = rest.partition('=')
            args[k] = v
        if word == 'FROM':
            m = re.match(r'(\S+)(?:\s+AS\s+(\S+))?$', rest, re.I)
            if not m:
                problems.append(f'line {n}: FROM {rest!r} not understood')
                continue
            base = re.sub(r'\$\{?(\w+)\}?', lambda a: args.get(a.group(1), a.group(0)), m.group(1))
            stages.append({'name': m.group(2), 'base': base, 'line': n, 'ins': []})
            continue
        if stages:
            stages[-1]['ins'].append((n, word, rest))

    if len(stages) < 2:
        problems.append('not multi-stage: build and runtime must be separate stages')
    names = [s['name'] for s in stages]
    for s in stages:
        if not s['name']:
            problems.append(f'line {s["line"]}: stage without a name (FROM ... AS <name>)')
        if not re.match(r'^(docker\.io/(library/)?)?node:24([.-]|$)', s['base']):
            problems.append(f'line {s["line"]}: base image {s["base"]} is not Node 24 (node:24-...)')
    npm_ci_prod_stages = set()
    for i, s in enumerate(stages):
        for n, word, rest in s['ins']:
            if word == 'RUN':
                if re.search(r'\bnpm\s+(install|i)\b', rest):
                    problems.append(f'line {n}: npm install; use npm ci (the lock file decides)')
                if re.search(r'\bnpm\s+ci\b', rest) and '--omit=dev' in rest:
                    npm_ci_prod_stages.add(s['name'])
            if word == 'ADD' and re.search(r'https?://', rest):
                problems.append(f'line {n}: ADD of a URL; fetch in a RUN step with a checksum instead')
            if word in ('ENV', 'ARG') and re.search(r'(SECRET|PASSWORD|TOKEN|_KEY)\b', rest.upper()):
                problems.append(f'line {n}: {word} {rest.split("=")[0]} looks like a secret baked into the image')
            if word == 'COPY':
                parts = shlex.split(rest)
                frm = next((p.split('=', 1)[1] for p in parts if p.startswith('--from=')), None)
                srcs = [p for p in parts if not p.startswith('--')][:-1]
                if frm is not None:
                    if frm not in names[:i]:
                        problems.append(f'line {n}: COPY --from={frm} names no earlier stage')
                else:
                    for src in srcs:
                        if not os.path.exists(os.path.join(ROOT, src.rstrip('/'))):
                            problems.append(f'line {n}: COPY source {src} does not exist in the repository')

    if stages:
        final = stages[-1]
        words = {w for _, w, _ in final['ins']}
        users = [r for _, w, r in final['ins'] if w == 'USER']
        if not users:
            problems.append('runtime stage has no USER: it would run as root')
        else:
            user = users[-1].split(':')[0]
            if user in ('0', 'root') or not user.isdigit():
                problems.append(f'runtime USER {users[-1]} must be a numeric non-root uid (Kubernetes runAsNonRoot can only verify numbers)')
        if 'HEALTHCHECK' not in words:
            problems.append('runtime stage has no HEALTHCHECK')
        starts = [(w, r) for _, w, r in final['ins'] if w in ('ENTRYPOINT', 'CMD')]
        if not starts:
            problems.append('runtime stage has no ENTRYPOINT or CMD')
        for w, r in starts:
            try:
                argv = json.loads(r)
            except ValueError:
                problems.append(f'{w} {r}: use the exec form (JSON array) so node is PID 1 and receives SIGTERM')
                continue
            if w == 'ENTRYPOINT' and argv[0] != 'node':
                problems.append(f'ENTRYPOINT {argv}: must run node directly (no shell wrapper swallowing SIGTERM)')
        copies_modules = any(w == 'COPY' and re.search(r'--from=(\S+)', r) and re.search(r'--from=(\S+)', r).group(1) in npm_ci_prod_stages for _, w, r in final['ins'])
        if not npm_ci_prod_stages:
            problems.append('no stage runs `npm ci --omit=dev`: production images must hold production dependencies only')
        elif not copies_modules:
            problems.append(f'runtime stage copies nothing from the npm ci --omit=dev stage ({", ".join(sorted(npm_ci_prod_stages))})')
        if any(w == 'RUN' and re.search(r'\bnpm\s+ci\b', r) and '--omit=dev' not in r for _, w, r in final['ins']):
            problems.append('runtime stage runs npm ci without --omit=dev')

    ignore = path + '.dockerignore'
    if not os.path.exists(ignore):
        problems.append(f'{os.path.relpath(ignore, ROOT)} is missing: node_modules and .git would enter the build context')
    else:
        with open(ignore) as f:
            lines = {l.strip() for l in f if l.strip() and not l.startswith('#')}
        for must in ('**/node_modules', '.git'):
            if must not in lines:
                problems.append(f'{os.path.relpath(ignore, ROOT)} does not exclude {must}')

    for p in problems:
        print(f'lint-dockerfile: {os.path.relpath(path, ROOT)}: {p}', file=sys.stderr)
    print(f'lint-dockerfile: {os.path.relpath(path, ROOT)}: {len(stages)} stages ({", ".join(str(s) for s in names)}), {len(ins)} instructions, {len(problems)} problems')
    sys.exit(1 if problems else 0)


if __name__ == '__main__':
    main()
