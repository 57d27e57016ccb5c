"""`verify --curl` takes Chrome's "Copy as PowerShell" as it takes a curl line."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from oauth_debug.cli.app import app
from oauth_debug.model import Credentials, HttpRequest
from oauth_debug.signer import sign_at

runner = CliRunner()


def test_verify_reads_a_powershell_copy_and_says_so() -> None:
    request = HttpRequest("GET", "https://api.example.com/v1/items?q=a%20b")
    trace = sign_at(request, Credentials("key", "secret"), timestamp=1709287200, nonce="n1")
    header = trace.authorization_header
    assert header is not None
    escaped = header.replace('"', '`"')
    text = (
        'Invoke-WebRequest -UseBasicParsing -Uri "https://api.example.com/v1/items?q=a%20b" `\n'
        f'-Headers @{{\n"authority"="api.example.com"\n  "authorization"="{escaped}"\n}}'
    )
    result = runner.invoke(
        app, ["verify", "--curl", text, "--consumer-secret", "secret", "--format", "json"]
    )
    document = json.loads(result.stdout)
    assert result.exit_code == 0
    assert document["valid"] is True
    assert document["input_kind"] == "powershell"
