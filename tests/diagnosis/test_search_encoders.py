"""The table encoders write exactly what urllib's quote writes for the same flags.

A recipe's encoder (and the search, which encodes every name and value of a request under each
encoding a mistake makes) uses one ``str.translate`` per ASCII text (recipe.table_encoder)
instead of urllib's quote (recipe.quoted_encoder, the reference); here every encoder a recipe
can make (its flags, and the "/" the URI stage keeps) is compared with the reference on
generated text, ASCII or not, errors included.
"""

from __future__ import annotations

from itertools import product

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oauth_debug.recipe import LONG_TEXT, quoted_encoder, rfc_with, table_encoder

FLAGS = list(product([False, True], [False, True], [False, True], ["", "/"]))


def _written(encode: object, text: str) -> tuple[str, str]:
    try:
        return "text", encode(text)  # type: ignore[operator]
    except Exception as error:  # the error's type is what is compared
        return "error", type(error).__name__


@pytest.mark.parametrize(("lowercase_hex", "space_as_plus", "keep_reserved", "extra"), FLAGS)
@given(
    text=st.text(alphabet=st.characters(max_codepoint=0x2FF))
    | st.text()
    | st.text(alphabet="ab %+=&/!*'()~\x7f", min_size=LONG_TEXT, max_size=3 * LONG_TEXT)
)
def test_the_table_encoder_writes_what_the_recipe_encoder_writes(
    lowercase_hex: bool, space_as_plus: bool, keep_reserved: bool, extra: str, text: str
) -> None:
    real = quoted_encoder(lowercase_hex, space_as_plus, keep_reserved, extra)
    table = table_encoder(lowercase_hex, space_as_plus, keep_reserved, extra)
    assert _written(table, text) == _written(real, text)
    recipe = rfc_with(
        {"lowercase_hex": lowercase_hex, "space_as_plus": space_as_plus,
         "keep_reserved": keep_reserved}
    )  # fmt: skip
    assert _written(recipe.encoder(extra), text) == _written(real, text)


def test_every_ascii_character_is_written_alike() -> None:
    every = "".join(map(chr, range(128)))
    for lowercase_hex, space_as_plus, keep_reserved, extra in FLAGS:
        real = quoted_encoder(lowercase_hex, space_as_plus, keep_reserved, extra)
        table = table_encoder(lowercase_hex, space_as_plus, keep_reserved, extra)
        assert table(every) == real(every)
        assert table(every) != every  # something was escaped: the table is not the identity
        long = every * 3  # written by replacements, not by translate
        assert len(long) >= LONG_TEXT
        assert table(long) == real(long)


def test_a_safe_set_no_table_can_say_is_left_to_quote() -> None:
    for extra in ("é/", "%"):
        for lowercase_hex in (False, True):
            real = quoted_encoder(lowercase_hex, False, False, extra)
            table = table_encoder(lowercase_hex, False, False, extra)
            for text in ("é", "%AB", "a b%2f", "é" * 200):
                assert table(text) == real(text)
