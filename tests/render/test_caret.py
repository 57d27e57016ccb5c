"""The "^ first difference" caret stays under the difference when the compared strings wrap."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from oauth_debug import Credentials, HttpRequest, sign_at
from oauth_debug.cli.app import app

runner = CliRunner()
SECRET = "sup3r-s3cret-value"


def _default_port_url() -> str:
    """A URL signed over a base string that kept ':80' (the default-port-kept mistake)."""
    request = HttpRequest("GET", "http://dminform:80/gallery/api/v1/workflows/wf1/jobs/")
    trace = sign_at(request, Credentials("ck", SECRET), timestamp=1, nonce="n", placement="query")
    assert trace.signed_url is not None
    from dataclasses import replace

    from oauth_debug import RFC
    from oauth_debug.signer import compute, place

    unsigned = place(request, trace.oauth_parameters[:-1], "query")
    wrong = compute(unsigned, Credentials("ck", SECRET), "HMAC-SHA1", replace(RFC, port="always"))
    return place(request, [*trace.oauth_parameters[:-1], ("oauth_signature", wrong.signature)],
                 "query").url  # fmt: skip


def _check_carets(output: str, labels: tuple[str, str]) -> int:
    """For every caret line, the caret's column is the first column where the two lines above
    it differ (after their labels); returns how many carets there were."""
    lines = output.splitlines()
    carets = 0
    for index, line in enumerate(lines):
        if "^" not in line or labels[0] not in lines[index - 2]:
            continue
        first, second = lines[index - 2], lines[index - 1]
        assert labels[1] in second, (first, second)
        start = first.index(labels[0]) + len(labels[0])
        differs = next(
            i for i in range(start, max(len(first), len(second)))
            if first[i : i + 1] != second[i : i + 1]
        )  # fmt: skip
        assert line.index("^") == differs, "\n".join(lines[index - 2 : index + 1])
        carets += 1
    return carets


@pytest.mark.parametrize("width", [40, 60])
def test_diagnose_caret_is_under_the_difference(width: int) -> None:
    result = runner.invoke(
        app,
        ["diagnose", "--url", _default_port_url(), "--consumer-secret", SECRET, "--now", "1"],
        env={"COLUMNS": str(width)},
    )
    assert "default-port-kept" in result.output, result.output
    assert all(len(line) <= width for line in result.output.splitlines())
    assert _check_carets(result.output, ("yours: ", "RFC:   ")) >= 1


@pytest.mark.parametrize("width", [40, 60])
def test_diff_caret_is_under_the_difference(width: int) -> None:
    a = "GET&http%3A%2F%2Fa.example%2Fsome%2Flong%2Fpath&b%3D1%26c%3D2%26d%3D3"
    b = "GET&http%3A%2F%2Fa.example%2Fsome%2Flong%2Fpath&b%3D1%26c%3D2%26d%3D4"
    result = runner.invoke(app, ["diff", a, b], env={"COLUMNS": str(width)})
    assert result.exit_code == 1
    assert _check_carets(result.output, ("A: ", "B: ")) == 1
