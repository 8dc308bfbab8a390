"""Instructions per page: the work of each load page counted by valgrind, a figure that does not move with the machine.

`bench/page_cpu.py` times pages with the processor's clock, and on a shared machine that clock moves by a third or
more from one run to the next (and by half from one day's machine to the next's): two versions of the code can only
be compared by its timings in turns. This script counts the processor instructions a page takes instead, under
valgrind's callgrind, which gives the same figure for the same code and data whatever else the machine does.

It builds the demo household as page_cpu.py does (a throwaway instance folder, SQLite, the real migrations), signs in
as --role, and for each page warms up, then counts the instructions of --requests requests (callgrind counts only
then: setting up runs uncounted) and prints millions per request. The last lines read `<page>_minstr: N`, then
`load_pages_max_minstr: N` over the load pages (page_cpu.py's five, the composer, which bench/load.py's writers
open before they post, and the score page, which its scorers open). Needs valgrind (Debian: `apt-get install
valgrind`); it runs about a minute. On this 2-core machine a millisecond of a page was 4.5 to 6.5 million instructions (2026-12-07,
page_cpu.py's quiet runs against these counts), so the 5 ms target is about 25 million.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

PAGES = ["floor", "home", "timeline", "composer", "score", "calendar", "scales", "plan"]
LOAD_PAGES = PAGES[1:]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=10, help="counted requests per page (default 10)")
    parser.add_argument("--role", default="voorzitter", help="demo username (default: the chair)")
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated, of: " + ", ".join(PAGES))
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)  # the run under valgrind
    parser.add_argument("--out", help=argparse.SUPPRESS)
    return parser.parse_args()


def control(*args: str) -> None:
    subprocess.run(["callgrind_control", *args, str(os.getpid())], check=True, capture_output=True)


def inside(args) -> None:
    """Under valgrind: count each page's requests and dump the count under the page's name."""
    import page_cpu

    instance = tempfile.mkdtemp(prefix="kring-page-instructions-")
    try:
        app = page_cpu.build(instance)
        client, household = page_cpu.sign_in(app, args.role)
        for name in args.pages.split(","):
            url = page_cpu.page_url(app, name, household)
            for _ in range(5):
                assert client.get(url, headers=page_cpu.PHONE).status_code == 200, url
            control("--zero")
            control("--instr=on")
            for _ in range(args.requests):
                client.get(url, headers=page_cpu.PHONE)
            control("--instr=off")
            control("--dump=" + name)
    finally:
        shutil.rmtree(instance, ignore_errors=True)


def totals(folder: str) -> dict[str, int]:
    """page -> instructions, from callgrind's dumps ("desc: Trigger: Client Request: <page>" ... "totals: N")."""
    found = {}
    for path in Path(folder).glob("out.*"):
        page = total = None
        for line in path.read_text(errors="replace").splitlines():
            if line.startswith("desc: Trigger:"):
                page = line.rsplit(" ", 1)[-1].strip('"')
            elif line.startswith("totals:"):
                total = int(line.split()[1])
        if page in PAGES and total is not None:
            found[page] = total
    return found


def main() -> None:
    args = parse_args()
    if args.inside:
        inside(args)
        return
    if not shutil.which("valgrind") or not shutil.which("callgrind_control"):
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    folder = tempfile.mkdtemp(prefix="kring-callgrind-")
    try:
        env = {**os.environ, "PYTHONHASHSEED": "0"}  # the same dict layouts every run
        subprocess.run(["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={folder}/out",
                        sys.executable, __file__, "--inside", "--requests", str(args.requests), "--role", args.role,
                        "--pages", args.pages], check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        counted = totals(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"Instructions per request (millions), {args.requests} requests each, demo household as {args.role}, SQLite")
    for name in args.pages.split(","):
        print(f"{name}_minstr: {counted[name] / args.requests / 1e6:.2f}")
    load = [counted[name] / args.requests / 1e6 for name in LOAD_PAGES if name in counted]
    if load:
        print(f"load_pages_max_minstr: {max(load):.2f}")


if __name__ == "__main__":
    main()
