"""inputs.postman: a v2.1 collection's OAuth 1.0 options read as the recipe Postman signs with."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest

from oauth_debug.inputs import InputError
from oauth_debug.inputs.postman import read_postman, request_names
from oauth_debug.signer import sign_at

COLLECTION = (
    Path(__file__).parent.parent / "data" / "captures" / "postman-oauth1.postman_collection.json"
).read_text()


def base_string(name: str) -> str:
    recipe = read_postman(COLLECTION, name)
    assert recipe.timestamp is not None and recipe.nonce is not None
    trace = sign_at(
        recipe.request,
        recipe.credentials,
        timestamp=recipe.timestamp,
        nonce=recipe.nonce,
        **recipe.sign_options(),
    )
    return trace.base_string


def test_a_request_without_auth_inherits_the_collections_and_its_variables() -> None:
    recipe = read_postman(COLLECTION, "List workflows")
    assert recipe.name == "Workflows/List workflows"
    assert (
        recipe.request.url
        == "https://gallery.example.com/gallery/api/v1/workflows/?limit=5&search="
    )
    assert recipe.placement == "header"
    assert recipe.credentials.token is None  # empty and addEmptyParamsToSign false: left out
    assert recipe.signature_method == "HMAC-SHA1"
    assert "search%3D" in base_string("List workflows")  # an empty query parameter is still signed


def test_params_to_the_form_body_and_empty_ones_signed() -> None:
    recipe = read_postman(COLLECTION, "Queue a job")
    assert recipe.placement == "body"
    assert recipe.request.body == b"priority=0&questions=%5B%5D"  # the disabled field is not sent
    assert recipe.signature_method == "HMAC-SHA256"
    assert recipe.realm is None  # empty realm, and no header to carry one
    assert "oauth_token%3D%26" in base_string("Queue a job")


def test_body_hash_of_a_raw_json_body_and_unencoded_header_values() -> None:
    recipe = read_postman(COLLECTION, "Upload JSON")
    body = b'{"name": "{{workflowName}}"}'
    assert recipe.request.body == body
    assert recipe.request.content_type == "application/json"
    assert recipe.body_hash is True
    assert recipe.realm == "gallery"
    assert recipe.header_encoded is False
    digest = base64.b64encode(hashlib.sha1(body).digest()).decode()
    encoded_twice = digest.replace("/", "%252F").replace("+", "%252B").replace("=", "%253D")
    assert f"oauth_body_hash%3D{encoded_twice}" in base_string("Upload JSON")
    assert any("{{workflowName}}" in note for note in recipe.notes)


def test_names_folders_and_errors() -> None:
    assert request_names(COLLECTION) == [
        "Workflows/List workflows",
        "Workflows/Queue a job",
        "Workflows/Upload JSON",
    ]
    with pytest.raises(InputError, match="its requests: 'Workflows/List workflows'"):
        read_postman(COLLECTION, "Delete")
    document = json.loads(COLLECTION)
    document["auth"] = {"type": "noauth"}
    with pytest.raises(InputError, match=r"not OAuth 1\.0"):
        read_postman(json.dumps(document), "List workflows")
    with pytest.raises(InputError, match="Postman collection"):
        read_postman("[]", "x")


def test_v2_0_auth_object_is_read_like_v2_1() -> None:
    document = json.loads(COLLECTION)
    document["auth"]["oauth1"] = {e["key"]: e["value"] for e in document["auth"]["oauth1"]}
    recipe = read_postman(json.dumps(document), "List workflows")
    assert recipe.nonce == "pmnonce1"
    assert recipe.credentials.consumer_key == "gallery-key"
