"""Page weights of the built site: what a reader downloads for one page (its HTML and the images it
shows; the theme's shared CSS and JavaScript are counted once per site, not per page)."""
from __future__ import annotations

import re
import sys
from pathlib import Path

from .. import lang as langs

LIMIT = 1.5 * 2**20  # no page over 1.5 MB
IMG = re.compile(r'<img[^>]+src="([^"]+)"')


def page_weight(page: Path) -> int:
    html = page.read_text(encoding="utf-8")
    images = {(page.parent / src).resolve() for src in IMG.findall(html) if not src.startswith(("http", "data:"))}
    return page.stat().st_size + sum(p.stat().st_size for p in images if p.exists())


def pages(site: Path, lang: str) -> list[Path]:
    return [p for p in (site / lang).rglob("*.html") if "_static" not in p.parts]


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def weights(site: Path) -> dict[str, list[tuple[int, str]]]:
    return {lang: sorted(((page_weight(p), str(p.relative_to(site))) for p in pages(site, lang)), reverse=True)
            for lang in langs.LANGS}


def report(site: Path) -> str:
    lines = []
    for lang, items in weights(site).items():
        lines.append(f"site size [{lang}]: {dir_size(site / lang) / 2**20:.1f} MB in {len(items)} pages; heaviest pages:")
        lines += [f"    {w / 2**10:8.0f} KB  {name}" for w, name in items[:5]]
        over = [name for w, name in items if w > LIMIT]
        lines.append(f"    pages over 1.5 MB: {len(over)}" + (f" ({', '.join(over)})" if over else ""))
    lines.append(f"search index (Pagefind, both languages): {dir_size(site / 'pagefind') / 2**20:.1f} MB")
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("_build/site")))
