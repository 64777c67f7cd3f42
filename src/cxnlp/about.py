"""Package metadata, importable without importing anything heavy."""

__version__ = "0.1.0"


def library_versions(*packages: str) -> dict[str, str]:
    """Python, cxnlp and the installed versions of ``packages`` (for meta.json and benchmark records)."""
    import platform
    from importlib import metadata

    found = {"python": platform.python_version(), "cxnlp": __version__}
    for name in packages:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found
