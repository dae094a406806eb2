"""One visitor to a running Kettle over HTTP: cookies, CSRF tokens and signing in.

The harness hands the cookies it gathers here to wrk (`-H "Cookie: ..."`), so wrk loads
pages as this visitor: a signed-in reader, or a writer with its own session and token.
"""

import html
import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


class _Stay(urllib.request.HTTPRedirectHandler):
    """Answers are read as they come: a 303 is a success to count, not a page to fetch."""

    def redirect_request(self, *args, **kwargs):
        return None


class Visitor:
    """A browser-like visitor to `base` (http://127.0.0.1:port) with its own cookie jar."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _Stay()
        )

    def get(self, path):
        """(status, text) of a GET; HTTP errors are answers too, never raised."""
        return self._open(urllib.request.Request(self.base + path))  # noqa: S310

    def post(self, path, fields):
        """(status, text) of a form POST, not following its redirect."""
        data = urllib.parse.urlencode(fields, doseq=True).encode()
        request = urllib.request.Request(self.base + path, data=data, method="POST")  # noqa: S310
        return self._open(request)

    def _open(self, request):
        """(status, text); status 0 when no answer came in 60 seconds or the connection
        failed, with what went wrong as the text."""
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as answer:
            return answer.code, answer.read().decode("utf-8", "replace")
        except OSError as trouble:  # URLError, timeouts, refused connections
            return 0, str(trouble)

    def token(self, path):
        """The CSRF token of the first form on `path` (fetching it starts the session)."""
        status, page = self.get(path)
        found = TOKEN.search(page)
        if not found:
            raise RuntimeError(f"no csrf_token in {path} (HTTP {status})")
        return html.unescape(found.group(1) or found.group(2))

    def sign_in(self, handle, password):
        """Sign in through POST /login; raises RuntimeError unless Kettle answers 303."""
        token = self.token("/login")
        fields = {"csrf_token": token, "handle": handle, "password": password}
        status, _ = self.post("/login", fields)
        if status != 303:
            raise RuntimeError(f"signing in answered HTTP {status}, not 303")
        return self

    def cookie_header(self):
        """The visitor's cookies as one `Cookie:` header for wrk."""
        return "Cookie: " + "; ".join(f"{c.name}={c.value}" for c in self.jar)
