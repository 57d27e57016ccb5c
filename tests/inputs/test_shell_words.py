"""The curl command splitter: the words shlex gives, plus bash's $'...' and the continuations.

The splitter is a run-at-a-time tokenizer (linear in the text; bench/bench_curl.py measures it);
these tests pin that it reads every word as shlex, bash or cmd would.
"""

from __future__ import annotations

import shlex

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oauth_debug.inputs import InputError, from_curl
from oauth_debug.inputs.shell_words import split_words

# POSIX shell text both shlex and the splitter read the same way: no $'...' (bash only), no
# backslash-newline (bash removes it, shlex keeps the newline), no cmd carets.
posix_pieces = st.sampled_from(
    [*"ab -=:/?&%é \t\r\n'\"\\", "''", '""', "\\'", '\\"', "\\\\", "a b", "'a\\b'", '"a\\$b"']
)
posix_texts = (
    st.lists(posix_pieces, max_size=30)
    .map("".join)
    .filter(lambda text: "\\\n" not in text and "\\\r\n" not in text)
)


@settings(max_examples=400, deadline=None)
@given(posix_texts)
def test_posix_words_are_the_words_shlex_gives(text: str) -> None:
    try:
        expected = shlex.split(text, comments=False, posix=True)
    except ValueError:
        with pytest.raises(InputError):
            split_words(text)
        return
    assert split_words(text) == expected


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("curl $'a\\'b' x", ["curl", "a'b", "x"]),
        ("$'\\x41\\x4g\\u00e9\\U0001F600\\x'", ["A\x04g\u00e9\U0001f600\\x"]),
        ("$'\\101\\0\\cA\\n\\t\\q'", ["A\x00\x01\n\t\\q"]),
        ("a$'b'\"c\"'d'e", ["abcde"]),
        ("$'' '' \"\"", ["", "", ""]),
        ("curl \\\n  -H 'A: b' \\\r\n x", ["curl", "-H", "A: b", "x"]),
        ('"a\\\nb" "\\$x\\"\\\\"', ["a\\\nb", '\\$x"\\']),
        ("a\\ b \\'c", ["a b", "'c"]),
        (
            'curl ^"https://h/?a=1^&b=2^" ^\n -H ^"X: ^\n\n^"',
            ["curl", "https://h/?a=1&b=2", "-H", "X: \n"],
        ),
    ],
)
def test_bash_and_cmd_quoting(text: str, words: list[str]) -> None:
    assert split_words(text) == words


@pytest.mark.parametrize(
    ("text", "position"), [("curl 'abc", 5), ('curl "a\\"', 5), ("curl $'ab\\'", 5)]
)
def test_an_unclosed_quote_names_its_position(text: str, position: int) -> None:
    with pytest.raises(InputError) as caught:
        split_words(text)
    assert caught.value.position == position
    assert f"at position {position} is never closed" in str(caught.value)


def test_a_trailing_backslash_is_an_error() -> None:
    with pytest.raises(InputError, match="No escaped character"):
        split_words("curl https://h/ \\")


def test_a_megabyte_body_is_read_whole() -> None:
    body = "a=" + "x" * 1_000_000
    parsed = from_curl(f"curl https://h/p --data-raw '{body}' -H \"X: y\"")
    assert parsed.request.body == body.encode()
    assert parsed.request.header("X") == "y"
