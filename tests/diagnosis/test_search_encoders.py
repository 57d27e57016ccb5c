"""The search's table encoders write exactly what the recipes' own encoders write.

The search encodes every name and value of a request under each encoding a mistake makes, with
one ``str.translate`` per ASCII text (search._ascii_encoder) instead of urllib's quote; here every
encoder a recipe can make (recipe._encoder's flags, and the "/" the URI stage keeps) is compared
with it on generated text, ASCII or not, errors included.
"""

from __future__ import annotations

from itertools import product

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oauth_debug.diagnosis import search as fast
from oauth_debug.recipe import rfc_with

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
    | st.text(alphabet="ab %+=&/!*'()~\x7f", min_size=fast._LONG, max_size=3 * fast._LONG)
)
def test_the_table_encoder_writes_what_the_recipe_encoder_writes(
    lowercase_hex: bool, space_as_plus: bool, keep_reserved: bool, extra: str, text: str
) -> None:
    recipe = rfc_with(
        {"lowercase_hex": lowercase_hex, "space_as_plus": space_as_plus,
         "keep_reserved": keep_reserved}
    )  # fmt: skip
    real = recipe.encoder(extra)
    table = fast._ascii_encoder(real, lowercase_hex, space_as_plus, keep_reserved, extra)
    assert _written(table, text) == _written(real, text)


def test_every_ascii_character_is_written_alike() -> None:
    every = "".join(map(chr, range(128)))
    for lowercase_hex, space_as_plus, keep_reserved, extra in FLAGS:
        recipe = rfc_with(
            {"lowercase_hex": lowercase_hex, "space_as_plus": space_as_plus,
             "keep_reserved": keep_reserved}
        )  # fmt: skip
        real = recipe.encoder(extra)
        table = fast._ascii_encoder(real, lowercase_hex, space_as_plus, keep_reserved, extra)
        assert table(every) == real(every)
        assert table(every) != every  # something was escaped: the table is not the identity
        long = every * 3  # written by replacements, not by translate
        assert len(long) >= fast._LONG
        assert table(long) == real(long)
