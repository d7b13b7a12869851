"""Browser tests run only when asked for: `make test-browser`, i.e.
``pytest tests/browser`` (or a file or test inside it).

The normal run (`make test`, ``pytest`` with the ``testpaths`` of
pyproject.toml) does not collect them: they need Chromium and build their
own demo server. This is done by not collecting, rather than by skip
markers, so that a selected browser test can never be silently skipped.
"""
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _explicitly_selected(config):
    base = Path(config.invocation_params.dir)
    for arg in config.args:
        path = Path(base, str(arg).split('::', 1)[0]).resolve()
        if path == HERE or HERE in path.parents:
            return True
    return False


def pytest_ignore_collect(collection_path, config):
    path = Path(collection_path).resolve()
    if path != HERE and HERE in path.parents \
            and not _explicitly_selected(config):
        return True
    return None
