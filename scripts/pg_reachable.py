"""Exit 0 when a PostgreSQL server answers at the given URL within a few seconds (used by scripts/test.sh).

With --may-create-databases: exit 0 when its user may also create databases (the parallel tests make one per
test process)."""
import sys
from urllib.parse import urlsplit


def describe(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port or 5432}/{parts.path.lstrip('/')}"


def main() -> int:
    if sys.argv[1] == "--describe":
        print(describe(sys.argv[2]))
        return 0
    import psycopg
    create = sys.argv[1] == "--may-create-databases"
    url = sys.argv[-1].replace("postgresql+psycopg://", "postgresql://").replace("postgres://", "postgresql://")
    try:
        with psycopg.connect(url, connect_timeout=3) as conn:
            if create:
                query = "SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user"
                return 0 if conn.execute(query).fetchone()[0] else 1
            conn.execute("SELECT 1")
    except psycopg.Error:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
