"""Paths and fingerprints of the source checkout, shared by the CLI and the
test runner (no Tryton import here)."""
import hashlib
import os
from pathlib import Path

__all__ = ['project_root', 'schema_hash', 'SCHEMA_SUFFIXES']

#: files whose content defines the database schema of the addons
SCHEMA_SUFFIXES = ('.py', '.xml', '.cfg', '.po')


def project_root():
    """The source checkout when installed editable (``pip install -e .``),
    otherwise the current directory."""
    env = os.environ.get('AISHANG_ROOT')
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve().parent.parent
    if (here / 'pyproject.toml').is_file() and (here / 'addons').is_dir():
        return here
    return Path.cwd().resolve()


def schema_hash(root=None, length=16):
    """A hash of every addons/**/*.py, *.xml, *.cfg, *.po file (path and
    content) and of pyproject.toml (the pinned dependencies).

    Tryton's DB_CACHE is keyed by module names only, so cached test
    databases must be thrown away whenever this changes.
    """
    root = Path(root or project_root())
    digest = hashlib.sha256()
    addons = root / 'addons'
    files = []
    if addons.is_dir():
        for dirpath, dirnames, filenames in os.walk(addons):
            dirnames[:] = sorted(
                d for d in dirnames
                if d not in {'__pycache__', 'node_modules'}
                and not d.startswith('.'))
            for name in filenames:
                if name.endswith(SCHEMA_SUFFIXES):
                    files.append(Path(dirpath, name))
    pyproject = root / 'pyproject.toml'
    if pyproject.is_file():
        files.append(pyproject)
    for path in sorted(files):
        digest.update(path.relative_to(root).as_posix().encode('utf-8'))
        digest.update(b'\0')
        digest.update(path.read_bytes())
        digest.update(b'\0')
    return digest.hexdigest()[:length]
