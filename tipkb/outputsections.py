"""Headings in a notebook's Markdown output become real sections of the page.

MyST-NB renders the Markdown a code cell displays with headings turned into rubrics (a bold line
with no place in the page's table of contents, no anchor for a link, no sub-result in search).
The book's generated pages need real sections: a country page is one call, ``kb.country_profile``,
whose output holds every section of the profile, so that the structure is defined once in
``tipkb.profile`` and translated once in the codebook rather than in 35 pages and 35 ``.po`` files.

This transform runs after docutils has attached ``(label)=`` targets to the heading that follows
them, and rebuilds the cell's output as sections nested under the section the cell sits in:
heading levels are taken relative to that section, body that follows the cell in the page moves
into the last new section (docutils allows no body after a subsection), and the label becomes the
section's first id — the anchor is then the same in every language.
"""
from __future__ import annotations

from docutils import nodes
from sphinx.transforms import SphinxTransform


def _is(node, element: str) -> bool:
    return isinstance(node, nodes.container) and node.get("nb_element") == element


def _markdown_nodes(cell: nodes.Element) -> list[nodes.Node] | None:
    """The rendered Markdown of a cell's outputs, if it holds a heading (a rubric with a level)."""
    rendered = []
    for bundle in cell.findall(lambda n: _is(n, "mime_bundle")):
        for alternative in bundle.children:
            if alternative.get("mime_type") == "text/markdown":
                inner = alternative.children[0] if len(alternative.children) == 1 and \
                    isinstance(alternative.children[0], nodes.container) else alternative
                rendered += list(inner.children)
    if not any(isinstance(n, nodes.rubric) and n.get("level") for n in rendered):
        return None
    return rendered


def _depth(section: nodes.Element) -> int:
    depth = 0
    node = section
    while node is not None:
        if isinstance(node, nodes.section):
            depth += 1
        node = node.parent
    return depth


class OutputSections(SphinxTransform):
    default_priority = 262  # after docutils' PropagateTargets (260) has moved labels onto rubrics

    def apply(self, **kwargs) -> None:
        for cell in list(self.document.findall(lambda n: _is(n, "cell_code"))):
            rendered = _markdown_nodes(cell)
            if rendered is not None:
                self._lift(cell, rendered)

    def _section(self, rubric: nodes.rubric, labels: list[str]) -> nodes.section:
        section = nodes.section()
        # Labels that PropagateTargets moved onto the heading are explicit names; the heading's own
        # id (from its text, hence different in each language) is an implicit one.
        explicit = labels + [i for i in rubric["ids"] if self.document.nametypes.get(i) and i not in labels]
        section["ids"] = explicit + [i for i in rubric["ids"] if i not in explicit]
        section["names"] = list(rubric["names"])
        section["classes"] = list(rubric["classes"])
        section.source, section.line = rubric.source, rubric.line
        for node_id in section["ids"]:
            self.document.ids[node_id] = section
        section += nodes.title(rubric.rawsource, "", *[child.deepcopy() for child in rubric.children])
        return section

    def _lift(self, cell: nodes.Element, rendered: list[nodes.Node]) -> None:
        parent = cell.parent
        while not isinstance(parent, (nodes.section, nodes.document)):
            cell, parent = parent, parent.parent  # the cell's top-level ancestor within its section
        index = parent.index(cell)
        trailing = parent.children[index + 1:]
        del parent.children[index:]
        base = _depth(parent)
        levels = [n["level"] for n in rendered if isinstance(n, nodes.rubric) and n.get("level")]
        shift = base + 1 - min(levels)
        lead = nodes.container(classes=["kb-output"])
        stack: list[tuple[int, nodes.Element]] = [(base, parent)]
        current: nodes.Element = lead
        parent += lead
        labels: list[str] = []  # a "(label)=" target waiting for the heading that follows it
        for node in rendered:
            node.parent = None
            if isinstance(node, nodes.rubric) and node.get("level"):
                level = node["level"] + shift
                while stack[-1][0] >= level:
                    stack.pop()
                section = self._section(node, labels)
                labels = []
                stack[-1][1].append(section)
                stack.append((level, section))
                current = section
            elif isinstance(node, nodes.target) and not node.children and node.get("refid"):
                continue  # a label already moved onto the heading that follows it
            elif isinstance(node, nodes.target) and not node.children and node.get("ids") and not node.get("refuri"):
                labels += node["ids"]  # becomes the first id of the next section
            else:
                if labels:  # a label not followed by a heading keeps its own anchor
                    current += nodes.target("", "", ids=labels)
                    labels = []
                current += node
        if not lead.children:
            parent.remove(lead)
        # Body that followed the cell belongs to the last section now; sections stay siblings.
        for node in trailing:
            node.parent = None
            if isinstance(node, nodes.section):
                parent += node
            else:
                current += node
