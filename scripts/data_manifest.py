"""Write simulator/data/MANIFEST.sha256: the SHA-256 of every packaged data file.

    python scripts/data_manifest.py          # (re)write the manifest
    python scripts/data_manifest.py --check  # exit 1 if it is out of date

Every ``.csv``, ``.json``, ``.geojson`` and ``.hexjson`` file under ``simulator/data/`` is
listed, sorted by path, in ``sha256sum`` format (``<hash>  <path>``, paths
relative to ``simulator/data/``), so ``cd simulator/data && sha256sum -c
MANIFEST.sha256`` verifies them too.  Idempotent: the same files give the same
bytes; the file is written whole (temporary file + rename).
``tests/trust/test_data_integrity.py`` fails when a packaged file changes, is
added without an entry, or is missing.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "simulator" / "data"
MANIFEST = DATA / "MANIFEST.sha256"
SUFFIXES = (".csv", ".json", ".geojson", ".hexjson")


def data_files(root: Path = DATA) -> list[Path]:
    """Every packaged data file, sorted by its path relative to ``root``."""
    return sorted((p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
                   and "__pycache__" not in p.parts), key=lambda p: p.relative_to(root).as_posix())


def digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def manifest_text(root: Path = DATA) -> str:
    return "".join(f"{digest(p)}  {p.relative_to(root).as_posix()}\n" for p in data_files(root))


def main(argv: list[str]) -> int:
    text = manifest_text()
    if "--check" in argv:
        current = MANIFEST.read_text(encoding="utf-8") if MANIFEST.exists() else ""
        if current != text:
            print(f"{MANIFEST} is out of date; run python scripts/data_manifest.py", file=sys.stderr)
            return 1
        print(f"{MANIFEST}: {text.count(chr(10))} files, up to date")
        return 0
    handle, name = tempfile.mkstemp(prefix=".MANIFEST.", dir=DATA)
    with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
        out.write(text)
    os.replace(name, MANIFEST)
    print(f"wrote {MANIFEST} ({text.count(chr(10))} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
