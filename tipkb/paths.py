"""Where things live. The package sits at the repository root (installed editable)."""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
LOCALES = ROOT / "locales"
BUILD = ROOT / "_build"
SITE = BUILD / "site"
ASSETS = BUILD / "assets"
SEARCH = "pagefind"  # <site>/pagefind/<lang>/: each language's Pagefind bundle (search_bundle)
DATA_ZIP = "tip-americas-kb-data.zip"  # the data package as one download, at <site>/downloads/


def search_bundle(site: Path, lang: str) -> Path:
    """The folder of a language's search index in a site."""
    return site / SEARCH / lang
