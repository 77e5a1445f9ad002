#!/usr/bin/env python3
"""The dependency rule of the server (docs/architecture.md), checked on the source text:

    web → flows → {domain, store, sealing, mail, jobs, identity} → {db, clock}

1. `domain` depends on nothing that does IO (no tokio, sqlx, leptos, axum, reqwest...).
2. `server/src/store/` never names the user's error (`AppError`), axum or Leptos.
3. No flow (`account/`, `contacts/`, `letters/`, `identity/`, `operators/`, `entities/`,
   `customers/`)
   imports the web layer, axum or Leptos.
4. SQL (`sqlx::query`) is written in `store/` only (and `db.rs`, which opens the pool).
5. No import circle between the files of `server/src` (a file depends on every `crate::...`
   or `super::...` module it names; each strongly connected component must be one file).

Rules 3 to 5 are being brought into force (issue 9): what breaks them today is listed in
scripts/layers-known.txt, which may only shrink. A new break fails; a listed break that is
gone fails too, until it is removed from the list (so the list stays true).
Usage: scripts/check-layers.py [--update]   (--update rewrites the list: for the lead only)
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "server", "src")
KNOWN = os.path.join(ROOT, "scripts", "layers-known.txt")
FLOWS = ("account", "contacts", "letters", "identity", "operators", "entities", "customers")
# Where SQL may be written: the stores, and the pool and migrations.
SQL_HOMES = ("store", "db")
DOMAIN_DEPENDENCIES = {"serde", "thiserror", "chrono", "chrono-tz", "unicode-normalization"}


def rust_files():
    for folder, _, files in os.walk(SRC):
        for name in sorted(files):
            if name.endswith(".rs"):
                path = os.path.join(folder, name)
                yield os.path.relpath(path, SRC).replace(os.sep, "/"), open(path).read()


def strip_tests(text):
    """The code before `#[cfg(test)]` (tests may use anything), without comments (a doc may
    name any module)."""
    code = text.split("#[cfg(test)]", 1)[0]
    return re.sub(r"//.*", "", code)


def module_of(rel):
    """`letters/send.rs` -> ['letters', 'send']; `letters/mod.rs` -> ['letters']."""
    parts = rel[:-3].split("/")
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    return parts


def domain_dependencies():
    text = open(os.path.join(ROOT, "domain", "Cargo.toml")).read()
    section = text.split("[dependencies]", 1)[1].split("\n[", 1)[0]
    names = re.findall(r"^([A-Za-z0-9_-]+)\s*[.=]", section, re.M)
    return [f"domain depends on `{n}`" for n in names if n not in DOMAIN_DEPENDENCIES]


def breaks():
    found = domain_dependencies()
    files = dict(rust_files())
    modules = {tuple(module_of(rel)): rel for rel in files}
    graph = {rel: set() for rel in files}
    for rel, text in files.items():
        code = strip_tests(text)
        top = rel.split("/")[0].removesuffix(".rs")
        if top == "store" and re.search(r"\bAppError\b|\baxum\b|\bleptos\b", code):
            found.append(f"{rel}: store names AppError, axum or Leptos")
        if top in FLOWS:
            for what in ("crate::web", "crate::http", "axum", "leptos"):
                if re.search(r"\b" + re.escape(what) + r"\b", code):
                    found.append(f"{rel}: flow uses {what}")
        if "sqlx::query" in code and top not in SQL_HOMES:
            found.append(f"{rel}: SQL outside store/")
        here = module_of(rel)
        for path in re.findall(r"\b((?:crate|super)(?:::[a-z_][a-z0-9_]*)+)", code):
            parts = path.split("::")
            # `super` is the parent of this file's module (of `letters/send.rs`: `letters`).
            base = [] if parts[0] == "crate" else here[:-1]
            target = base + parts[1:]
            # The longest prefix that is a file of ours.
            while target and tuple(target) not in modules:
                target = target[:-1]
            if target and modules[tuple(target)] != rel:
                graph[rel].add(modules[tuple(target)])
    for component in strongly_connected(graph):
        if len(component) > 1:
            found.append("import circle: " + " ".join(sorted(component)))
    return sorted(set(found))


def strongly_connected(graph):
    """Tarjan's algorithm, iterative."""
    index, low, on_stack, stack, result, counter = {}, {}, set(), [], [], [0]
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                result.append(component)
    return result


def main():
    now = breaks()
    if "--update" in sys.argv:
        with open(KNOWN, "w") as out:
            out.write("# Breaks of the dependency rule still to remove (scripts/check-layers.py).\n")
            out.write("# This list may only shrink.\n")
            out.writelines(line + "\n" for line in now)
        print(f"check-layers: {len(now)} known breaks written to {os.path.relpath(KNOWN, ROOT)}")
        return 0
    known = []
    if os.path.exists(KNOWN):
        known = [l.strip() for l in open(KNOWN) if l.strip() and not l.startswith("#")]
    new = [b for b in now if b not in known]
    gone = [b for b in known if b not in now]
    for b in new:
        print(f"check-layers: NEW break of the dependency rule: {b}", file=sys.stderr)
    for b in gone:
        print(f"check-layers: fixed, remove it from scripts/layers-known.txt: {b}", file=sys.stderr)
    if new or gone:
        return 1
    print(f"check-layers: ok ({len(known)} known breaks left, see scripts/layers-known.txt)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
