#!/usr/bin/env python3
"""Compiles every ```cpp block of README.md and docs/*.md, so that no snippet can rot.

How a block is compiled is declared by an HTML comment on the line before it (docs/README.md):
  <!-- snippet: program -->         a whole program: compiled and linked against the SDK
  <!-- snippet: file -->            namespace-scope code (declarations, functions): compiled
  <!-- snippet: body -->            statements: compiled inside a function that declares the
                                    names snippets assume (client, query, options, record, ...)
  <!-- snippet: skip REASON -->     not compiled; the reason is required
Without a comment: a block with `int main(` is a program; any other block must compile as a
file or as a body (it is tried as both).
usage: doc_snippets.py SOURCE_DIR WORK_DIR CXX CXXFLAGS INCLUDE_DIRS(;) LINK_ITEMS(;)
Prints FIGURE doc_snippets_compiled N; exits 1 when a block does not compile.
"""
import concurrent.futures
import glob
import os
import re
import subprocess
import sys

PRELUDE = """#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <myna/myna.hpp>
#include <myna/client/listener.hpp>
#include <myna/export/csv.hpp>
#include <myna/export/fhir.hpp>
#include <myna/export/json_lines.hpp>
#include <myna/process/notifier_gate.hpp>
"""
POSTGRES = "#include <myna/postgres/postgres.hpp>\n"
# The names a `body` snippet may assume, declared as an application would have them.
BODY_BEFORE = """void log(const std::string& line);
void respond(int status, const char* content_type, const std::string& body);
[[maybe_unused]] static void snippet_body(std::shared_ptr<myna::Client> client, myna::Query query,
                                          myna::ClientOptions& options, const myna::CheckupRecord& record,
                                          const std::string& request_body,
                                          const std::string& key_from_your_secret_manager) {
  (void)client; (void)query; (void)options; (void)record; (void)request_body; (void)key_from_your_secret_manager;
  {  // a block of its own: the snippet may declare these names itself
"""
BODY_AFTER = "\n  }\n}\n"
COMMENT = re.compile(r"<!--\s*snippet:\s*(program|file|body|skip)\b\s*(.*?)\s*-->")


def blocks(source_dir):
    files = [os.path.join(source_dir, "README.md")] + sorted(glob.glob(os.path.join(source_dir, "docs", "*.md")))
    for path in files:
        text = open(path, encoding="utf-8").read()
        for m in re.finditer(r"^```cpp\n(.*?)^```", text, re.S | re.M):
            line = text.count("\n", 0, m.start()) + 1
            before = text[:m.start()].rstrip("\n").rsplit("\n", 1)[-1]
            c = COMMENT.search(before)
            yield os.path.relpath(path, source_dir), line, m.group(1), (c.group(1), c.group(2)) if c else (None, "")


def translation_unit(code, kind):
    includes = [l for l in code.splitlines() if l.startswith("#include")]
    rest = "\n".join(l for l in code.splitlines() if not l.startswith("#include"))
    head = PRELUDE + (POSTGRES if "myna::pg::" in code else "") + "\n".join(includes) + "\n"
    if kind == "program":
        return head + rest
    if kind == "file":
        return head + "namespace {\n" + rest + "\n}  // namespace\n"
    return head + BODY_BEFORE + rest + BODY_AFTER


def compile_block(args, name, code, kind):
    work, cxx, flags, includes, links = args
    tu = os.path.join(work, name + "-" + kind + ".cpp")
    with open(tu, "w", encoding="utf-8") as f:
        f.write(translation_unit(code, kind))
    cmd = [cxx, "-std=c++17", *flags.split(), *("-I" + d for d in includes), "-Wall", "-Werror", "-Wno-unused"]
    if kind == "program" and "myna::pg::" not in code:
        cmd += [tu, "-o", tu[:-4], *links]
    else:
        cmd += ["-fsyntax-only", tu]
    r = subprocess.run(cmd, capture_output=True, text=True)
    return r.returncode == 0, r.stderr


def check(args, item):
    path, line, code, (kind, reason) = item
    name = re.sub(r"[^A-Za-z0-9]", "_", path) + "_" + str(line)
    if kind == "skip":
        return path, line, "skipped" if reason else "skip without a reason", ""
    kinds = [kind] if kind else (["program"] if "int main(" in code else ["file", "body"])
    errors = ""
    for k in kinds:
        ok, err = compile_block(args, name, code, k)
        if ok:
            return path, line, "ok", k
        errors += f"--- as {k}:\n{err}"
    return path, line, "failed", errors


def main():
    source_dir, work, cxx, flags, includes, links = sys.argv[1:7]
    os.makedirs(work, exist_ok=True)
    args = (work, cxx, flags, [d for d in includes.split(";") if d], [l for l in links.split(";") if l])
    items = list(blocks(source_dir))
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda item: check(args, item), items))
    compiled, failed = 0, 0
    for path, line, outcome, detail in results:
        print(f"{path}:{line}: {outcome} {detail if outcome == 'ok' else ''}")
        if outcome == "ok":
            compiled += 1
        elif outcome != "skipped":
            failed += 1
            print(detail)
    print(f"FIGURE doc_snippets_compiled {compiled}")
    print(f"FIGURE doc_snippets_skipped {sum(1 for r in results if r[2] == 'skipped')}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
