"""oauth_debug.inputs: every input kind a person has, read into the exact request it describes.

Samples live in tests/data/inputs/ (their shapes and sources are in its README.md).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from oauth_debug import InvalidURLError, MalformedHeaderError
from oauth_debug.inputs import (
    InputError,
    ParsedInput,
    from_curl,
    from_http,
    from_parts,
    from_url,
    request_from_options,
)

SAMPLES = Path(__file__).parents[1] / "data" / "inputs"
FORM = "application/x-www-form-urlencoded"

# The URL of the forum thread (/work/shared/seed/forum-thread.txt), as the interactive docs gave it.
FORUM_URL = (
    "http://dminform:80/gallery/api/v1/workflows/<id>/jobs/?oauth_timestamp=1539784724&"
    "oauth_signature_method=HMAC-SHA1&oauth_consumer_key=<Key>&oauth_version=1.0&"
    "oauth_nonce=7Ck8g&oauth_signature=TC1bpIecwPsMPO2Ui1l5O%2FwEhzU%3D"
)
IN_QUERY = "oauth_signature found in the query string"
IN_HEADER = "oauth_signature found in the Authorization header"
NOT_SIGNED = (
    "the request carries no oauth_signature (in the Authorization header, the query or a form "
    "body): there is nothing to verify"
)
FORM_BODY = "the body is application/x-www-form-urlencoded, so its parameters are signed"
CURL_FORM = (
    f"curl -d sends Content-Type: {FORM} when no Content-Type header is given, so the body's "
    "parameters are part of the signature (RFC 5849 3.4.1.3.1)"
)
TWITTER_URL = "https://api.twitter.com/1.1/statuses/update.json?include_entities=true"
TWITTER_BODY = b"status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21"
TWITTER_AUTH = (
    'OAuth oauth_consumer_key="xvz1evFS4wEEPTGEFPHBog", '
    'oauth_nonce="kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", '
    'oauth_signature="hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D", oauth_signature_method="HMAC-SHA1", '
    'oauth_timestamp="1318622958", '
    'oauth_token="370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", oauth_version="1.0"'
)
GALLERY_QUERY = (
    "oauth_consumer_key=key&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1539784724&"
    "oauth_nonce=7Ck8g&oauth_version=1.0&oauth_signature=TC1bpIecwPsMPO2Ui1l5O%2FwEhzU%3D"
)


def sample(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


def curl(text: str) -> ParsedInput:
    return from_curl(text)


# --- a signed URL, and method + URL + headers ------------------------------------------------


def test_forum_url_is_read_as_a_get_with_the_signature_in_the_query() -> None:
    parsed = from_url(FORUM_URL)
    assert parsed.request.method == "GET"
    assert parsed.request.url == FORUM_URL
    assert parsed.request.headers == ()
    assert parsed.request.body is None
    assert parsed.kind == "url"
    assert parsed.notes == (IN_QUERY,)


def test_url_copied_with_quotes_html_escaping_and_a_fragment_is_cleaned_with_notes() -> None:
    parsed = from_url("  'https://h.example/p?a=1&amp;oauth_signature=x#top'  ", "post")
    assert parsed.request.url == "https://h.example/p?a=1&oauth_signature=x"
    assert parsed.request.method == "post"
    assert parsed.notes == (
        "removed the '' around the URL",
        "the URL contained '&amp;' (copied from HTML source); read it as '&', which is what a "
        "browser sends",
        "dropped the #fragment: it is never sent, so it is never signed",
        "the method 'post' is not upper case; the base string uses 'POST' (RFC 5849 3.4.1.1), "
        "but many servers reject the request itself",
        IN_QUERY,
    )


def test_url_without_a_signature_says_there_is_nothing_to_verify() -> None:
    assert from_url("https://h.example/p?a=1").notes == (NOT_SIGNED,)


def test_url_with_a_raw_space_is_kept_and_noted() -> None:
    parsed = from_url("https://h.example/p?q=blue shoes")
    assert parsed.request.url == "https://h.example/p?q=blue shoes"
    assert parsed.notes[0] == (
        "the URL contains spaces; read as %20, which is how HTTP clients send them"
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "the URL is empty; expected an absolute URL such as https://host/path?oauth_..."),
        (
            "https://h.example/a?\nb=1",
            "the URL contains a line break or tab at position 20; expected one absolute URL (join "
            "a URL copied across lines)",
        ),
        (
            # "\udce9": how Python reads a Latin-1 "é" byte from a UTF-8 command line.
            "https://h.example/caf\udce9?oauth_signature=x",
            "the URL holds a character that is not valid UTF-8 text at position 21; expected a "
            "URL in UTF-8 (percent-encode the byte, e.g. %E9, or retype it)",
        ),
    ],
)
def test_malformed_url_is_an_input_error(url: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        from_url(url)
    assert str(caught.value) == message
    assert caught.value.kind == "url"


def test_url_without_scheme_names_the_missing_component() -> None:
    with pytest.raises(InvalidURLError) as caught:
        from_url("dminform/gallery/api/v1/workflows")
    assert caught.value.component == "scheme"


def test_method_must_be_a_token() -> None:
    with pytest.raises(InputError, match="'GE T' is not an HTTP method; expected a word"):
        from_url("https://h.example/", "GE T")


def test_parts_with_an_authorization_header() -> None:
    header = (
        'OAuth oauth_consumer_key="k", oauth_signature="c2ln", oauth_signature_method="PLAINTEXT"'
    )
    parsed = from_parts("POST", "https://h.example/p", [("Authorization", header)], None)
    assert parsed.request.method == "POST"
    assert parsed.request.headers == (("Authorization", header),)
    assert parsed.kind == "parts"
    assert parsed.notes == (IN_HEADER,)


def test_parts_note_a_basic_header_and_a_body_without_content_type() -> None:
    parsed = from_parts("PUT", "https://h.example/p", {"Authorization": "Basic dTpw"}, "a=1")
    assert parsed.request.body == b"a=1"
    assert parsed.notes == (
        "the Authorization header uses the 'Basic' scheme, not 'OAuth', so it carries no OAuth "
        "1.0 parameters",
        "the body has no Content-Type, so it is not part of the signature; if it was sent as a "
        f"form, add the header 'Content-Type: {FORM}'",
        NOT_SIGNED,
    )


def test_parts_with_a_broken_oauth_header_raise_the_header_error() -> None:
    with pytest.raises(MalformedHeaderError):
        from_parts("GET", "https://h.example/", [("Authorization", "OAuth oauth_nonce=x")])


# --- curl command lines ------------------------------------------------------------------------


def test_chrome_bash_copy_with_ansi_c_quoting_and_backslash_continuations() -> None:
    parsed = curl(sample("chrome-bash.curl"))
    request = parsed.request
    assert request.method == "POST"
    assert request.url == "https://gallery.example.com/gallery/api/v1/workflows/5b7f0c/jobs/"
    assert [name for name, _ in request.headers] == [
        "accept",
        "accept-language",
        "authorization",
        "content-type",
        "origin",
        "user-agent",
    ]
    assert request.header("authorization") == (
        'OAuth oauth_consumer_key="key", oauth_nonce="7Ck8g", '
        'oauth_signature="TC1bpIecwPsMPO2Ui1l5O%2FwEhzU%3D", oauth_signature_method="HMAC-SHA1", '
        'oauth_timestamp="1539784724", oauth_version="1.0"'
    )
    # $'...': \' is a quote and \\n a backslash followed by n (a JSON escape), not a newline.
    assert request.body == (
        b'{"questions":[{"name":"Customer\'s name","value":"O\'Brien\\n"}],"priorityId":"0"}'
    )
    assert parsed.kind == "curl"
    assert parsed.notes == (
        "ignored curl options that do not change what is signed: --compressed",
        "the body is application/json, so it is not part of the signature (only "
        "application/x-www-form-urlencoded bodies are, RFC 5849 3.4.1.3.1)",
        IN_HEADER,
    )


def test_chrome_cmd_copy_with_caret_escapes_and_continuations() -> None:
    parsed = curl(sample("chrome-cmd.curl"))
    assert parsed.request.method == "GET"
    assert parsed.request.url == (
        "https://gallery.example.com/gallery/api/v1/workflows/subscription/?search=sales%20report&"
        + GALLERY_QUERY
    )
    assert parsed.request.headers == (
        ("accept", "application/json"),
        ("sec-ch-ua", '"Chromium";v="120"'),
    )
    assert parsed.request.body is None
    assert parsed.notes == (
        "ignored curl options that do not change what is signed: --compressed",
        IN_QUERY,
    )


def test_postman_snippet_with_location_request_and_data_urlencode() -> None:
    parsed = curl(sample("postman.curl"))
    assert parsed.request.method == "POST"
    assert parsed.request.url == TWITTER_URL
    assert parsed.request.header("Content-Type") == FORM
    assert parsed.request.body == TWITTER_BODY
    assert parsed.notes == (
        "ignored curl options that do not change what is signed: --location",
        FORM_BODY,
        IN_HEADER,
    )


def test_swagger_ui_snippet() -> None:
    parsed = curl(sample("swagger.curl"))
    assert parsed.request.method == "GET"
    assert parsed.request.url == (
        "https://gallery.example.com/gallery/api/v1/workflows/subscription/?search=sales&"
        + GALLERY_QUERY
    )
    assert parsed.request.headers == (("accept", "application/json"),)
    assert parsed.notes == (IN_QUERY,)


def test_data_defaults_to_post_and_a_form_content_type_and_several_d_are_joined() -> None:
    parsed = curl("curl https://h.example/p -d a=1 --data b=2 --data-ascii c=3")
    assert parsed.request.method == "POST"
    assert parsed.request.headers == (("Content-Type", FORM),)
    assert parsed.request.body == b"a=1&b=2&c=3"
    assert parsed.notes == (CURL_FORM, NOT_SIGNED)


def test_get_moves_the_data_into_the_query() -> None:
    parsed = curl("curl -G https://h.example/p?x=1 -d 'q=blue shoes' -d n=2")
    assert parsed.request.method == "GET"
    assert parsed.request.url == "https://h.example/p?x=1&q=blue shoes&n=2"
    assert parsed.request.body is None
    assert parsed.request.headers == ()
    assert parsed.notes[0] == "-G/--get moves the data into the query string"


def test_data_urlencode_forms() -> None:
    parsed = curl(
        "curl https://h.example/ --data-urlencode 'a b' --data-urlencode '=c&d' "
        "--data-urlencode 'name=x y!' -H 'Content-Type: text/plain'"
    )
    assert parsed.request.body == b"a%20b&c%26d&name=x%20y%21"
    assert parsed.request.headers == (("Content-Type", "text/plain"),)


def test_data_files_are_noted_but_not_read_without_a_reader() -> None:
    parsed = curl("curl https://h.example/ -d @body.txt")
    assert parsed.request.body == b""
    assert parsed.notes[0] == (
        "-d @body.txt sends a file's content; it was not read here, so the body lacks it"
    )


def test_data_files_are_read_with_a_reader_and_d_strips_newlines() -> None:
    files = {"body.txt": b"a=1\r\n&b=2\n", "raw.bin": b"x=1\n"}
    parsed = from_curl(
        "curl https://h.example/ -d @body.txt --data-binary @raw.bin --data-urlencode n@raw.bin",
        reader=files.__getitem__,
    )
    assert parsed.request.body == b"a=1&b=2&x=1\n&n=x%3D1%0A"
    assert "read -d @body.txt (newlines removed, as curl -d does)" in parsed.notes
    assert "read --data-binary @raw.bin" in parsed.notes


def test_a_reader_that_fails_gives_an_input_error() -> None:
    def reader(path: str) -> bytes:
        raise FileNotFoundError(2, "No such file or directory")

    with pytest.raises(InputError, match=r"^curl -d @x: cannot read the file \(No such file"):
        from_curl("curl https://h.example/ -d @x", reader=reader)


def test_short_option_clusters_and_attached_values() -> None:
    parsed = curl("curl -sSLk -XPUT -HX-A:1 -dq=1 https://h.example/")
    assert parsed.request.method == "PUT"
    assert parsed.request.headers == (("X-A", "1"), ("Content-Type", FORM))
    assert parsed.request.body == b"q=1"
    assert "ignored curl options that do not change what is signed: -s, -S, -L, -k" in (
        parsed.notes
    )


def test_head_user_unknown_options_and_extra_urls_are_noted() -> None:
    parsed = curl(
        "curl -I -u alice:s3cret --frobnicate https://h.example/a https://h.example/b "
        "-A 'agent' --max-time 5"
    )
    assert parsed.request.method == "HEAD"
    assert parsed.request.url == "https://h.example/a"
    assert parsed.notes[:4] == (
        "-u sends HTTP Basic credentials, which OAuth 1.0 does not use; ignored (its value is "
        "not shown)",
        "unknown curl option --frobnicate ignored; if it takes a value, that value was read as "
        "a URL",
        "the command names 2 URLs; only the first is read",
        "ignored curl options that do not change what is signed: -A, --max-time",
    )
    assert not any("s3cret" in note for note in parsed.notes)


def test_url_option_missing_scheme_and_shell_tail() -> None:
    parsed = curl("$ curl --url h.example/p?a=1 | jq .")
    assert parsed.request.url == "http://h.example/p?a=1"
    assert parsed.notes[:2] == (
        "ignored everything from the shell operator '|' on",
        "the URL has no scheme; curl assumes http://",
    )


def test_header_removal_empty_header_json_and_multipart() -> None:
    removed = curl("curl https://h.example/ -H 'Content-Type:' -H 'X-Empty;' -d a=1")
    assert removed.request.headers == (("X-Empty", ""),)
    assert removed.notes[0] == "-H 'Content-Type:' removes the Content-Type header curl would send"
    json_body = curl("curl https://h.example/ --json '{\"a\":1}'")
    assert json_body.request.method == "POST"
    assert json_body.request.headers == (
        ("Content-Type", "application/json"),
        ("Accept", "application/json"),
    )
    multipart = curl("curl https://h.example/ -F file=@a.png")
    assert multipart.request.method == "POST"
    assert multipart.request.headers == (("Content-Type", "multipart/form-data"),)
    assert multipart.request.body is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the curl command is empty; expected a command line such as curl 'https://host/path'"),
        (
            "wget https://h.example/",
            "expected a curl command line starting with 'curl', got 'wget'",
        ),
        ("curl -H 'A: b", "the ' quote at position 8 is never closed; expected a matching '"),
        ('curl "https://h', 'the " quote at position 5 is never closed; expected a matching "'),
        ("curl $'abc", "the $' quote at position 5 is never closed; expected a matching '"),
        ("curl https://h.example/ -X", "curl option -X needs a value, but the command ends there"),
        (
            "curl https://h.example/ -H nonsense",
            "curl -H 'nonsense': expected a header 'Name: value'",
        ),
        (
            "curl -s --compressed",
            "the curl command has no URL; expected curl [options] 'https://host/path'",
        ),
    ],
)
def test_malformed_curl_is_an_input_error(text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        from_curl(text)
    assert str(caught.value) == message
    assert caught.value.kind == "curl"


def test_unbalanced_quote_reports_its_position() -> None:
    with pytest.raises(InputError) as caught:
        from_curl("curl -H 'A: b")
    assert caught.value.position == 8


# --- raw HTTP requests ---------------------------------------------------------------------


def test_proxy_log_with_crlf_folded_header_and_content_length() -> None:
    raw = (SAMPLES / "mitmproxy.http").read_bytes()
    assert b"\r\n" in raw
    parsed = from_http(raw, scheme="https")
    assert parsed.request.method == "POST"
    assert parsed.request.url == TWITTER_URL
    assert parsed.request.header("Authorization") == TWITTER_AUTH
    assert parsed.request.body == TWITTER_BODY
    assert parsed.kind == "http"
    assert parsed.notes == (
        "joined the folded (indented) continuation lines of the Authorization header",
        "the host comes from the Host header and the scheme is https:// (both are part of the "
        "signed URI)",
        FORM_BODY,
        IN_HEADER,
    )


def test_proxy_log_without_scheme_defaults_to_http_and_says_so() -> None:
    parsed = from_http((SAMPLES / "mitmproxy.http").read_bytes())
    assert parsed.request.url == TWITTER_URL.replace("https", "http", 1)
    assert parsed.notes[1] == (
        "the host comes from the Host header and the scheme is http://; pass --scheme https if "
        "the request went over TLS (both are part of the signed URI)"
    )


def test_absolute_form_target_with_lf_line_ends() -> None:
    parsed = from_http(sample("fiddler.http"))
    assert parsed.request.method == "GET"
    assert parsed.request.url == (
        "http://dminform:80/gallery/api/v1/workflows/5b7f0c/jobs/?oauth_timestamp=1539784724&"
        "oauth_signature_method=HMAC-SHA1&oauth_consumer_key=key&oauth_version=1.0&"
        "oauth_nonce=7Ck8g&oauth_signature=TC1bpIecwPsMPO2Ui1l5O%2FwEhzU%3D"
    )
    assert parsed.request.header("Host") == "dminform:80"
    assert parsed.request.body is None
    assert parsed.notes == (IN_QUERY,)


def test_absolute_form_and_host_disagreeing_is_noted() -> None:
    parsed = from_http("GET https://a.example/p HTTP/1.1\nHost: b.example\n\n")
    assert parsed.request.url == "https://a.example/p"
    assert parsed.notes[0] == (
        "the absolute-form target names 'a.example' but the Host header says 'b.example'; the "
        "target wins (RFC 9112 3.2.2)"
    )


def test_content_length_cuts_the_body_and_a_short_body_is_noted() -> None:
    long = from_http("POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\na=1\r\n\r\n")
    assert long.request.body == b"a=1"
    assert "ignored 4 bytes after the Content-Length" in long.notes
    short = from_http("POST /p HTTP/1.1\nHost: h\nContent-Length: 10\n\na=1")
    assert short.request.body == b"a=1"
    assert "the body has 3 bytes but Content-Length says 10: the log may be cut short" in (
        short.notes
    )


def test_body_without_length_loses_the_editors_trailing_newline() -> None:
    parsed = from_http(
        "POST /p HTTP/1.1\nHost: h:8080\nContent-Type: application/x-www-form-urlencoded\n\na=1\n"
    )
    assert parsed.request.url == "http://h:8080/p"
    assert parsed.request.body == b"a=1"
    assert "removed the line break at the end of the body (no Content-Length given)" in (
        parsed.notes
    )


def test_chunked_body_is_decoded() -> None:
    parsed = from_http(
        "POST /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        "3\r\na=1\r\n4;ext=1\r\n&b=2\r\n0\r\n\r\n"
    )
    assert parsed.request.body == b"a=1&b=2"
    assert "decoded the chunked transfer coding of the body" in parsed.notes


def test_http2_pseudo_headers_and_leading_blank_lines_and_no_version() -> None:
    parsed = from_http("\r\n\r\nGET /p?a=1\r\n:authority: h.example\r\n:scheme: https\r\n\r\n")
    assert parsed.request.url == "https://h.example/p?a=1"
    assert parsed.request.headers == ()
    assert parsed.notes[:3] == (
        "the request line has no HTTP version; read it as HTTP/1.1",
        "read the HTTP/2 pseudo-headers :authority, :scheme",
        "the :scheme pseudo-header gives the scheme https",
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "\r\n\r\n",
            "the HTTP request is empty; expected a request line such as 'GET /path "
            "HTTP/1.1', header lines, an empty line and the body",
        ),
        (
            "HTTP/1.1 401 Unauthorized\r\n\r\n",
            "'HTTP/1.1 401 Unauthorized' is a response's status line; expected the "
            "request, starting with a request line such as 'GET /path HTTP/1.1'",
        ),
        (
            "GET /p HTTP/1.1 extra\n",
            "expected a request line 'METHOD target HTTP/1.1', got 'GET /p HTTP/1.1 extra'",
        ),
        (
            "GET /p FTP/1.0\n",
            "expected a request line 'METHOD target HTTP/1.1', got 'GET /p FTP/1.0'",
        ),
        (
            "GET /p HTTP/1.1\nHost h\n",
            "line 2 of the HTTP request: expected a header 'Name: value', got 'Host h'",
        ),
        (
            "GET /p HTTP/1.1\n folded\n",
            "line 2 of the HTTP request is indented but follows no header; expected 'Name: value'",
        ),
        (
            "GET /p HTTP/1.1\nAccept: */*\n\n",
            "the request has no Host header, which gives the host of the signed URL; "
            "expected a line such as 'Host: api.example.com' (or an absolute URL in the "
            "request line)",
        ),
        (
            "GET /p HTTP/1.1\nHost: a b\n",
            "the Host header 'a b' is not a host[:port]; expected e.g. 'Host: api.example.com'",
        ),
        (
            "GET /p HTTP/1.1\nHost: a\nHost: b\n",
            "the request has 2 different Host headers; expected one (RFC 9112 3.2)",
        ),
        (
            "OPTIONS * HTTP/1.1\nHost: a\n",
            "the request target '*' cannot carry a signed request; expected a path such as "
            "/api/v1/items?x=1 or an absolute URL",
        ),
        (
            "POST /p HTTP/1.1\nHost: a\nContent-Length: ten\n\nx",
            "Content-Length 'ten' is not a number of bytes",
        ),
        (
            "POST /p HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\n\nzz\nx",
            "chunked body: expected a hexadecimal chunk size, got b'zz'",
        ),
    ],
)
def test_malformed_http_is_an_input_error(text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        from_http(text)
    assert str(caught.value) == message
    assert caught.value.kind == "http"


def test_scheme_must_be_http_or_https() -> None:
    with pytest.raises(InputError, match="the scheme must be http or https, got 'ftp'"):
        from_http("GET / HTTP/1.1\nHost: h\n", scheme="ftp")


# --- request_from_options: the CLI edge ------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "said"),
    [
        ({}, "none was"),
        ({"url": "https://h/", "curl": "curl https://h/"}, "--url and --curl were"),
        ({"url": "https://h/", "http": "-"}, "--url and --http were"),
    ],
)
def test_exactly_one_input_is_required(options: dict[str, str], said: str) -> None:
    with pytest.raises(InputError) as caught:
        request_from_options(**options)  # type: ignore[arg-type]
    assert str(caught.value) == (
        f"give the request with exactly one of --url, --curl or --http ({said} given)"
    )


def test_url_with_headers_and_data_becomes_a_form_post() -> None:
    parsed = request_from_options(
        url="https://h.example/p", headers=['Authorization: OAuth oauth_nonce="n"'], data="a=1"
    )
    assert parsed.request.method == "POST"
    assert parsed.request.headers == (
        ("Authorization", 'OAuth oauth_nonce="n"'),
        ("Content-Type", FORM),
    )
    assert parsed.request.body == b"a=1"
    assert parsed.kind == "parts"
    assert parsed.notes[:2] == (
        "--data given without --method: sent as POST",
        f"--data without a Content-Type header is read as {FORM} (as curl -d sends it), so its "
        "parameters are signed; add -H 'Content-Type: ...' if it was sent otherwise",
    )


def test_url_alone_uses_from_url_and_the_given_method() -> None:
    parsed = request_from_options(url=FORUM_URL, method="DELETE")
    assert parsed == ParsedInput(from_url(FORUM_URL, "DELETE").request, "url", (IN_QUERY,))


def test_http_from_standard_input_and_from_a_file(tmp_path: Path) -> None:
    raw = (SAMPLES / "mitmproxy.http").read_bytes()
    from_stdin = request_from_options(http="-", scheme="https", stdin=io.BytesIO(raw))
    assert from_stdin.request.url == TWITTER_URL
    text_stdin = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8", newline="")
    assert request_from_options(http="-", scheme="https", stdin=text_stdin) == from_stdin
    path = tmp_path / "request.txt"
    path.write_bytes(raw)
    assert request_from_options(http=str(path), scheme="https") == from_stdin


def test_missing_http_file_is_a_one_line_input_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    with pytest.raises(InputError) as caught:
        request_from_options(http=str(missing))
    assert str(caught.value) == (
        f"cannot read --http file {str(missing)!r}: No such file or directory"
    )


def test_a_data_path_no_file_system_accepts_is_a_one_line_input_error() -> None:
    with pytest.raises(InputError) as caught:
        request_from_options(url="https://h/", data="@a\x00b")
    assert str(caught.value) == "cannot read --data file 'a\\x00b': embedded null byte"


def test_stdin_needed_but_absent() -> None:
    with pytest.raises(InputError, match="--http - reads standard input, but none was given"):
        request_from_options(http="-")


def test_data_from_a_file_and_data_with_curl_rejected(tmp_path: Path) -> None:
    body = tmp_path / "body"
    body.write_bytes(b"x=1")
    parsed = request_from_options(url="https://h/", method="PUT", data=f"@{body}")
    assert (parsed.request.method, parsed.request.body) == ("PUT", b"x=1")
    with pytest.raises(InputError, match="--data goes with --url"):
        request_from_options(curl="curl https://h/", data="a=1")


def test_curl_reads_data_files_through_the_options(tmp_path: Path) -> None:
    body = tmp_path / "body.txt"
    body.write_bytes(b"a=1\n")
    parsed = request_from_options(curl=f"curl https://h/ -d @{body}")
    assert parsed.request.body == b"a=1"


def test_method_and_headers_override_a_curl_or_http_input() -> None:
    parsed = request_from_options(
        curl="curl -H 'Accept: text/html' https://h/", method="POST", headers=["Accept: */*"]
    )
    assert parsed.request.method == "POST"
    assert parsed.request.headers == (("Accept", "*/*"),)
    assert parsed.notes[-2:] == (
        "--method POST replaces the method GET of the input",
        "-H Accept replaces the Accept header of the input",
    )


def test_scheme_outside_http_is_noted_and_bad_header_option_rejected() -> None:
    parsed = request_from_options(url="https://h/", scheme="https")
    assert parsed.notes[-1] == "--scheme only applies to --http; ignored"
    with pytest.raises(InputError, match="-H/--header: expected a header 'Name: value'"):
        request_from_options(url="https://h/", headers=["no colon"])


def test_a_malformed_header_is_echoed_only_by_its_start() -> None:
    # It may be an Authorization header holding a PLAINTEXT signature: the key itself.
    line = 'Authorization OAuth oauth_signature="my-key%26"'
    for reader, text in (
        (from_curl, f"curl https://h.example/ -H '{line}'"),
        (from_http, f"GET / HTTP/1.1\nHost: h.example\n{line}\n\n"),
    ):
        with pytest.raises(InputError) as raised:
            reader(text)
        assert "my-key" not in str(raised.value)
        assert "'Name: value'" in str(raised.value)
