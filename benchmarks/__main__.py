"""`python -m benchmarks [NAME ...] [--quick] [--postgres URL] [--mariadb URL]`: run every
benchmarks/bench_*.py (or those named) on SQLite, and on PostgreSQL / MariaDB when a server is
given (a scratch database is created and dropped), then print every figure: product vs raw
driver. `reads`, `writes`, `workspaces`, `knowledge`, `conversations` and `loader` run on
MariaDB too; `graph`, `memory` and `chat_export_read` do not run on MariaDB."""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil

import benchmarks
from benchmarks.common import print_figures


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("names", nargs="*", help="bench module names without bench_ (default: all)")
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument(
        "--postgres", metavar="URL", help="a PostgreSQL server (default: NEXUS_TEST_POSTGRES_URL)"
    )
    parser.add_argument(
        "--mariadb", metavar="URL", help="a MariaDB server (default: NEXUS_TEST_MARIADB_URL)"
    )
    args = parser.parse_args()
    if args.postgres:
        os.environ["NEXUS_BENCH_POSTGRES_URL"] = args.postgres
    if args.mariadb:
        os.environ["NEXUS_BENCH_MARIADB_URL"] = args.mariadb
    found = sorted(
        m.name for m in pkgutil.iter_modules(benchmarks.__path__) if m.name.startswith("bench_")
    )
    chosen = [f"bench_{n}" for n in args.names] if args.names else found
    for name in chosen:
        module = importlib.import_module(f"benchmarks.{name}")
        module.run(quick=args.quick)
    print_figures()


if __name__ == "__main__":
    main()
