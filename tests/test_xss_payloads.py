"""Payloads for tests/test_xss.py; no tests here. Each of PAYLOADS fits a 120-character field."""

import re

PAYLOADS = [
    # Script tags, split and nested.
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<script>/*</script><script>*/alert(1)</script>",
    # Event handlers.
    "<img src=x onerror=alert(1)>",
    "<body onload=alert(1)>",
    "<input onfocus=alert(1) autofocus>",
    '<div onmouseover="alert(1)">hover me</div>',
    "<details open ontoggle=alert(1)>",
    "<svg onload=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    '<a href="https://example.com" onclick="alert(1)">x</a>',
    "<xss id=x tabindex=1 onfocus=alert(1)></xss>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    # javascript: in Markdown links, autolinks and reference links.
    "[click](javascript:alert(1))",
    "<javascript:alert(1)>",
    "[ref][1]\n\n[1]: javascript:alert(1)",
    "[ref]\n\n[ref]: <javascript:alert(1)> 'title'",
    "[x](javascript:1)",
    "[x](  javascript:alert(1)  )",
    # ... and in raw HTML.
    "<a href=javascript:alert(1)>x</a>",
    "<a href='javascript:alert(1)'>x</a>",
    # Entity-encoded, mixed-case and split schemes.
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript&#x3A;alert(1))",
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "[x](jav&#x09;ascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](<java\nscript:alert(1)>)",
    "[x](java\nscript:alert(1))",
    "[x](java\tscript:alert(1))",
    '<a href="&#0;javascript:alert(1)">x</a>',
    # data: and vbscript:
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "[x](vbscript:msgbox(1))",
    '<a href="VBScript:msgbox(1)">x</a>',
    # Bare text the linkifier might turn into a data: link.
    "data:x.com/html,%3Cscript%3Ealert(1)%3C/script%3E",
    "data://example.com/,%3Cscript%3Ealert(1)%3C/script%3E",
    # Mutation tricks with foreign content and raw-text elements.
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<template><img src=x onerror=alert(1)></template>",
    "<style>@import'//evil.example/x.css';</style>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:image/svg+xml,<svg onload=alert(1)>">',
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<form><button formaction=javascript:alert(1)>go</button></form>",
    '<svg><a xlink:href="javascript:alert(1)"><text y=9>x</text></a></svg>',
    '<math href="javascript:alert(1)">x</math>',
    "<frameset onload=alert(1)>",
    "<link rel=stylesheet href=javascript:alert(1)>",
    # Breaking out of attributes, textareas, titles and the feed's XML.
    '" onmouseover="alert(1)',
    "' onmouseover='alert(1)",
    "'><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "]]><script>alert(1)</script>",
    "</content><content type='xhtml'><script>alert(1)</script>",
    # Markdown link titles with quotes, and images.
    '[x](https://example.com "a\\" onmouseover=\\"alert(1)")',
    "[x](https://example.com 'a\\' onmouseover=\\'alert(1)')",
    '![x](https://example.com/x.png" onerror="alert(1))',
    '![x" onerror="alert(1)](https://example.com/x.png)',
    "[<img src=x onerror=alert(1)>](https://example.com)",
    '[x](https://example.com "<script>alert(1)</script>")',
    # Code fence info strings and table alignment (which markdown-it writes as style).
    '```" onmouseover="alert(1)\nx\n```',
    '| <script>alert(1)</script> |\n|:-:|\n| " onmouseover="alert(1) |',
    # CSS.
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<div style="width:expression(alert(1))">x</div>',
    # CDATA and comments.
    "<![CDATA[<img src=x onerror=alert(1)>]]>",
    "<!--<img src=x onerror=alert(1)>-->",
    "<!--><img src=x onerror=alert(1)>-->",
    # Linkified text.
    'https://example.com/"><script>alert(1)</script>',
    '<https://example.com/" onmouseover="alert(1)>',
    # Unicode and zero-width tricks.
    "<scr\u200bipt>alert(1)</script>",
    "[x](\u200bjavascript:alert(1))",
    "[x](java\u00adscript:alert(1))",
    "\ufeff<script>alert(1)</script>",
    "\u202e<img src=x onerror=alert(1)>",
    "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
    # Already-escaped text and template syntax must stay text.
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "{{ config.SECRET_KEY }}{% print(7*7) %}",
]

# Characters the forms drop, sent straight to the services as another caller might.
CONTROL_PAYLOADS = [
    '<a href="\x01javascript:alert(1)">x</a>',
    "[x](\x08javascript:alert(1))",
    "[x](java\x0bscript:alert(1))",
    "[x](\x1fjavascript:alert(1))",
    "<scr\x0cipt>alert(1)</script>",
    "\u202e<img src=x onerror=alert(1)>",
    "[x](\u202ejavascript:alert(1))",
]

LINKS = [
    "[a link](https://example.com/page)",
    "<https://example.com/auto>",
    "see www.example.com today",
    "<mailto:someone@example.com>",
    '[titled](http://example.com "A title")',
    '<a href="https://example.com" target="_blank" rel="opener">raw</a> and [md](https://e.com)',
]


SCHEMES = [
    ("[x](https://example.com)", "https://example.com"),
    ("[x](http://example.com)", "http://example.com"),
    ("<mailto:a@example.com>", "mailto:a@example.com"),
    ("[x](ftp://example.com/f)", None),
    ("[x](file:///etc/passwd)", None),
    ("[x](javascript:alert(1))", None),
    ("[x](javascript:1)", None),
    ("[x](vbscript:msgbox(1))", None),
    ("[x](data:text/html,hi)", None),
    ("[x](ms-settings:display)", None),
    ("[x](tel:+441234567890)", None),
    ("[Call the helpline](tel:09001234567)", None),
    ("[x](sms:123)", None),
    ("[x](intent:1)", None),
    ("<tel:123>", None),
    ("see ftp://example.com/f", None),
    ("ssh://example.com", None),
    ("irc://example.com/room", None),
    ("data:x.com/html,hi", None),
    ("see www.example.com", "http://www.example.com"),
]


IMAGES = [
    "![x](https://example.com/a.png)",
    "![x](data:image/png;base64,iVBORw0KGgo=)",
    "![x][pic]\n\n[pic]: https://example.com/a.png",
    "[![x](https://example.com/a.png)](https://example.com)",
    '<img src="https://example.com/a.png">',
    "<picture><source srcset=https://example.com/a.png><img></picture>",
]


def payload_id(payload):
    """A short readable test id."""
    return re.sub(r"[^A-Za-z0-9]+", "-", payload).strip("-")[:32] or "blank"


PAYLOAD_IDS = [f"{n:02d}-{payload_id(p)}" for n, p in enumerate(PAYLOADS)]
