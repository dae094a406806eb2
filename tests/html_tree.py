"""A small HTML tree for tests that ask where a piece of text sits on a page."""

from html.parser import HTMLParser

VOID = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
     "wbr")
)  # fmt: skip


class Node:
    """One element: its tag, attributes, parent and children (text children are strings)."""

    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    def text(self):
        """All the text inside, with whitespace runs folded to single spaces."""
        parts = []
        for child in self.children:
            parts.append(child if isinstance(child, str) else child.text())
        return " ".join("".join(parts).split())

    def ancestors(self):
        node = self
        while node is not None:
            yield node
            node = node.parent

    def walk(self):
        """Every element below this one, depth first."""
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.walk()

    def texts(self):
        """(text, element holding it) for every text node below this one."""
        for child in self.children:
            if isinstance(child, str):
                yield child, self
            else:
                yield from child.texts()


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("#document", {}, None)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, attrs, self.current))

    def handle_endtag(self, tag):
        for node in self.current.ancestors():
            if node.tag == tag:
                self.current = node.parent
                return

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html):
    """The page as a tree of Nodes under a '#document' root."""
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root
