"""`import oauth_debug` stays cheap: none of the edge dependencies are pulled in by the core."""

from __future__ import annotations

import json
import subprocess
import sys

EDGE_MODULES = ("requests", "typer", "rich", "click", "httpx", "cryptography", "oauthlib")


def test_importing_the_package_imports_no_edge_dependency() -> None:
    # A fresh interpreter: this test process has long since imported all of them.
    script = (
        "import sys, json, oauth_debug\n"
        "from oauth_debug import Credentials, HttpRequest, sign_at, verify\n"
        "sign_at(HttpRequest('GET', 'http://h/'), Credentials('k'), timestamp='1', nonce='n')\n"
        f"print(json.dumps(sorted(m for m in {EDGE_MODULES!r} if m in sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=30, check=True
    )
    assert json.loads(result.stdout) == []


def test_public_api_names() -> None:
    import oauth_debug

    for name in ("Credentials", "HttpRequest", "Signer", "sign_at", "verify", "OAuthDebugError"):
        assert name in oauth_debug.__all__
        assert getattr(oauth_debug, name) is not None


def test_every_public_name_resolves_and_the_lazy_table_matches_all() -> None:
    import oauth_debug

    assert set(oauth_debug.__all__) == {*oauth_debug._PUBLIC, "__version__", "verify"}
    for name in oauth_debug.__all__:
        assert getattr(oauth_debug, name) is not None, name


def test_importing_the_package_leaves_the_diagnosis_unloaded_until_it_is_used() -> None:
    script = (
        "import sys, oauth_debug\n"
        "print(sorted(m for m in sys.modules if m.startswith('oauth_debug.diagnosis')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=30, check=True
    )
    assert result.stdout.strip() == "[]"


def test_verify_is_the_function_even_after_its_module_is_imported() -> None:
    script = (
        "import oauth_debug.verify\n"
        "from oauth_debug import verify\n"
        "print(callable(verify) and verify.__name__)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=30, check=True
    )
    assert result.stdout.strip() == "verify"


def _fresh(script: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=30, check=True
    )
    return result.stdout.strip()


def test_importing_the_package_loads_neither_the_signer_nor_the_verifier() -> None:
    # `oauth-debug --help` imports the package: it must not pay for the core it does not use.
    loaded = _fresh(
        "import sys, oauth_debug\n"
        "print(sorted(m for m in ('oauth_debug.verify', 'oauth_debug.signer', "
        "'oauth_debug.methods', 'oauth_debug.params') if m in sys.modules))\n"
    )
    assert loaded == "[]"


def test_verify_is_the_function_whichever_way_it_is_reached_first() -> None:
    out = _fresh(
        "import oauth_debug\n"
        "first = oauth_debug.verify\n"
        "from oauth_debug.verify import verify as inner, claimed_parameters\n"
        "import oauth_debug.verify as again\n"
        "print(first is inner is again is oauth_debug.verify, callable(claimed_parameters))\n"
    )
    assert out == "True True"


def test_a_submodule_imported_through_the_verifier_keeps_the_function_bound() -> None:
    # The CLI imports `oauth_debug.verify` (the module) before anyone asks for the name.
    out = _fresh(
        "import sys\n"
        "from oauth_debug.verify import verify as inner\n"
        "import oauth_debug\n"
        "print(oauth_debug.verify is inner, type(sys.modules['oauth_debug.verify']).__name__)\n"
    )
    assert out == "True module"


def test_the_inputs_package_loads_each_reader_when_its_name_is_used() -> None:
    out = _fresh(
        "import sys\n"
        "from oauth_debug.inputs import ParsedInput\n"
        "before = sorted(m for m in ('oauth_debug.inputs.curl', 'oauth_debug.inputs.raw_http') "
        "if m in sys.modules)\n"
        "from oauth_debug.inputs import from_curl\n"
        "print(before, from_curl.__module__, ParsedInput.__name__)\n"
    )
    assert out == "[] oauth_debug.inputs.curl ParsedInput"
