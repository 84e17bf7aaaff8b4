"""Translation files are contributions from outside the core team: parsed strictly, and each
translation checked against its English message (placeholders, tags, roles, links)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tipkb.build import translations

ROOT = Path(__file__).resolve().parents[1]
HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'


def problems(tmp_path, body: str, name: str = "chapter.po") -> list[str]:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return [str(p) for p in translations.check_file(path)]


def test_the_project_translations_pass():
    assert [str(p) for p in translations.check("es")] == []


@pytest.mark.parametrize("body,line", [
    ('msgid "Hello world"\nmsgstr "Hola "\nmundo"\n', 7),                 # a continuation lost its opening quote
    ('msgid "Hello"\nmsgstr "Hola\n', 6),                                   # unterminated string
    ('msgid "Hello"\nmsgstr "Hola \\q"\n', 6),                             # unknown escape
    ('msgid "Hello"\nmsgstr "Hola" "mundo"\n', 6),                        # two strings on one line
    ('msgid "Hello"\n\nmsgid "World"\nmsgstr "Mundo"\n', 5),             # a msgid without msgstr
])
def test_a_syntax_error_is_named_with_its_line(tmp_path, body, line):
    """Issue 14, defect 9: Babel (and so Sphinx) would skip the line and keep part of the string."""
    found = problems(tmp_path, body)
    assert any(f"chapter.po, line {line}: po-syntax" in p for p in found), found


@pytest.mark.parametrize("english,spanish", [
    ("Data", "Datos <img src=x onerror=alert(1)>"),
    ("Data", "Datos <script>alert(1)</script>"),
    ("Data", "Datos {raw}`<b>x</b>`"),
    ("Data", "Datos [aquí](https://evil.example/)"),
    ("See [the method](methodology.md).", "Véase [el método](https://evil.example/)."),
    ("Data", "Datos {{ config }}"),
    ("Data", "Datos\n:::{raw} html\n<b>x</b>\n:::"),
    ("Updated on %(date)s.", "Actualizado el %(fecha)s."),
])
def test_markup_a_translation_adds_or_changes_is_refused(tmp_path, english, spanish):
    """Issue 14, defects 3 and 9: a translation may reword the English, not add markup to it."""
    spanish = spanish.replace("\n", "\\n")
    found = problems(tmp_path, f'msgid "{english}"\nmsgstr "{spanish}"\n')
    assert any("chapter.po, line 6: markup" in p for p in found), found


def test_markup_kept_from_the_english_is_accepted(tmp_path):
    body = ('msgid "See **[the method](methodology.md)** and `<5`."\n'
            'msgstr "Véase **[el método](methodology.md)** y `<5`."\n')
    assert problems(tmp_path, body) == []


def test_theme_strings_may_not_add_quotes_or_angle_brackets(tmp_path):
    """Templates insert sphinx.po strings into attributes unescaped: a quote would end one."""
    found = problems(tmp_path, 'msgid "Search"\nmsgstr "Buscar\\" onmouseover=\\"alert(1)"\n', name="sphinx.po")
    assert any("sphinx.po, line 6: template-text-is-plain" in p for p in found), found


def test_translations_check_names_a_broken_file(tmp_path):
    """./scripts/translations --check reports the syntax error, with file and line."""
    from bookcopy import copy_env, make_small_copy

    root = make_small_copy(tmp_path / "copy")
    po = root / "locales" / "es" / "LC_MESSAGES" / "book" / "countries" / "arg.po"
    lines = po.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, start=1) if text.startswith('msgstr "') and text != 'msgstr ""')
    lines.insert(line, "this line is not PO")
    po.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "tipkb.build.translations", "--check"], cwd=root,
                            env=copy_env(root), capture_output=True, text=True)
    assert result.returncode == 1
    assert f"arg.po, line {line + 1}: po-syntax" in result.stdout, result.stdout
