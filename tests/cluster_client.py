"""A small browser for the cluster tests: one person's cookie jar, able to send each request
to server "a", server "b" or the balancer "lb", and to fill in forms with their CSRF token."""

import http.client
import secrets
import urllib.parse
from dataclasses import dataclass
from http.cookies import SimpleCookie

from tests.accounts_helpers import PASSWORD
from tests.cluster import TOPIC
from tests.html_tree import parse


@dataclass
class Page:
    status: int
    headers: http.client.HTTPMessage
    text: str

    @property
    def location(self):
        return self.headers.get("Location", "")

    @property
    def server(self):
        """Which server answered through the balancer ("a" or "b"); None when sent directly."""
        return self.headers.get("X-Kettle-Server")

    def elements(self, css_class):
        """Elements whose class list holds `css_class`."""
        return [node for node in parse(self.text).walk()
                if css_class in node.attrs.get("class", "").split()]  # fmt: skip

    def field(self, name):
        """The value of the first input named `name`, or None."""
        for node in parse(self.text).walk():
            if node.tag == "input" and node.attrs.get("name") == name:
                return node.attrs.get("value")
        return None

    def links_to_question(self, question_id):
        return f'href="/q/{question_id}"' in self.text


def documentation_address():
    """A random address from IPv6's documentation range, one /64 each (Kettle counts IPv6
    by /64), so each test person has rate limits of their own, run after run."""
    return f"2001:db8:{secrets.randbelow(0x10000):x}:{secrets.randbelow(0x10000):x}::1"


class Browser:
    """One person. Requests sent straight to "a" or "b" say they come from `address`
    through one proxy (the servers trust one, as behind the balancer); through "lb" the
    balancer says where they come from itself."""

    def __init__(self, cluster, address=None):
        self.cluster = cluster
        self.address = address or documentation_address()
        self.cookies = {}

    def copy(self):
        """Another browser holding the same cookies now, as someone who copied them would."""
        other = Browser(self.cluster, self.address)
        other.cookies = dict(self.cookies)
        return other

    def request(self, where, method, path, data=None):
        headers = {"X-Forwarded-For": self.address}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.cluster.ports[where], timeout=30)
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            page = Page(response.status, response.headers, response.read().decode())
        finally:
            connection.close()
        self._keep(page.headers.get_all("Set-Cookie") or [])
        return page

    def _keep(self, set_cookies):
        for header in set_cookies:
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def get(self, where, path):
        return self.request(where, "GET", path)

    def post(self, where, path, data):
        return self.request(where, "POST", path, data)

    def send(self, where, page_path, data, action=None):
        """Open `page_path` on `where`, then post `data` with the page's CSRF token to
        `action` (default the same path) on the same server."""
        token = self.get(where, page_path).field("csrf_token")
        assert token, f"no CSRF token on {page_path}"
        return self.post(where, action or page_path, {**data, "csrf_token": token})

    def join(self, where, handle, pseudonym):
        form = {"handle": handle, "password": PASSWORD, "password_confirm": PASSWORD,
                "pseudonym": pseudonym}  # fmt: skip
        sent = self.send(where, "/join", form)
        assert sent.status == 303, sent.text[:2000]
        return sent

    def sign_in(self, where, handle):
        return self.send(where, "/login", {"handle": handle, "password": PASSWORD})

    def ask(self, where, title, body="Words from the two-server test."):
        """Ask anonymously in TOPIC; returns the response (303 to /q/<id> when posted)."""
        return self.send(where, "/ask", {"title": title, "body": body, "topic": TOPIC})

    def ask_id(self, where, title):
        sent = self.ask(where, title)
        assert sent.status == 303 and "/q/" in sent.location, (sent.status, sent.text[:2000])
        return int(sent.location.rsplit("/q/", 1)[1])

    def report(self, where, question_id, reason="abuse"):
        target = f"question:{question_id}"
        sent = self.send(where, f"/report?target={target}", {"target": target, "reason": reason},
                         action="/report")  # fmt: skip
        assert sent.status in (200, 303), (sent.status, sent.text[:2000])
        return sent
