"""Kring's documentation lives in the project: every link in the README and docs/ leads to a file of the project,
and nothing points at notes outside it that a person who clones Kring does not have."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def test_every_local_link_in_the_docs_leads_to_a_file_of_the_project():
    broken = []
    for doc in DOCS:
        for target in LINK.findall(doc.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target):
                continue  # a web address
            if not (doc.parent / target).resolve().exists():
                broken.append(f"{doc.relative_to(ROOT)} -> {target}")
    assert broken == []


def test_the_docs_cover_architecture_domain_security_and_operations():
    names = {doc.name for doc in DOCS}
    assert {"architecture.md", "domain.md", "security.md", "operations.md"} <= names


def test_nothing_in_the_project_points_outside_it_to_the_team_notes():
    outside = re.compile(r"\.\./shared|/work/shared")
    hits = []
    for path in [*ROOT.glob("*.md"), *ROOT.glob("docs/*.md"), *ROOT.glob("webapp/**/*.py"), *ROOT.glob("tests/**/*.py"),
                 *ROOT.glob("e2e/**/*.py"), *ROOT.glob("bench/*.py"), *ROOT.glob("scripts/*"),
                 *ROOT.glob("webapp/templates/**/*.html")]:
        if path.is_file() and path != Path(__file__).resolve() and outside.search(path.read_text(encoding="utf-8")):
            hits.append(str(path.relative_to(ROOT)))
    assert hits == []
