"""`python -m benchmarks [NAME ...] [--quick]`: run every benchmarks/bench_*.py (or those named)."""

from __future__ import annotations

import argparse
import importlib
import pkgutil

import benchmarks


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("names", nargs="*", help="bench module names without bench_ (default: all)")
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    args = parser.parse_args()
    found = sorted(
        m.name for m in pkgutil.iter_modules(benchmarks.__path__) if m.name.startswith("bench_")
    )
    chosen = [f"bench_{n}" for n in args.names] if args.names else found
    for name in chosen:
        module = importlib.import_module(f"benchmarks.{name}")
        module.run(quick=args.quick)


if __name__ == "__main__":
    main()
