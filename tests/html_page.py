"""A written HTML page read back for the report tests: nesting errors, every element
with the elements open around it, the text of the document and of each ``<title>``."""

from __future__ import annotations

from html.parser import HTMLParser

#: elements that are never closed (``rect`` is written either self-closed or with its
#: ``<title>`` inside, so it is not one of them)
VOID = frozenset({"meta", "br", "hr", "img", "input", "link"})


class HtmlPage(HTMLParser):
    """The parsed page. ``errors`` lists what is closed out of order or left open;
    ``elements`` holds (tag, attributes, the open elements around it)."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.source = text
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.elements: list[tuple[str, dict[str, str], tuple[str, ...]]] = []
        self.titles: list[str] = []
        self.texts: list[str] = []
        self._title: list[str] | None = None
        self.feed(text)
        self.close()
        if self.stack:
            self.errors.append(f"left open: {self.stack}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}, tuple(self.stack)))
        if tag in VOID:
            return
        self.stack.append(tag)
        if tag == "title":
            self._title = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}, tuple(self.stack)))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()
        if tag == "title" and self._title is not None:
            self.titles.append("".join(self._title))
            self._title = None
        self.closed(tag)

    def closed(self, tag: str) -> None:
        """``tag`` was closed in order (for subclasses that collect more)."""

    def handle_data(self, data: str) -> None:
        self.texts.append(data)
        if self._title is not None:
            self._title.append(data)

    @property
    def text(self) -> str:
        return "".join(self.texts)

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [
            found
            for name, found, _ in self.elements
            if name == tag and all(found.get(k) == v for k, v in attrs.items())
        ]
