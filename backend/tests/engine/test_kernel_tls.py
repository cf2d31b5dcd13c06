"""The kernel channel's identities: a key both ends derive from the secret, pinned over a real TLS 1.3 handshake."""

from __future__ import annotations

import asyncio
import os

import pytest

from app.engine.kernel import kernel_tls


def test_the_secret_is_32_random_bytes_in_base64url() -> None:
    first, second = kernel_tls.new_secret(), kernel_tls.new_secret()
    assert first != second
    assert len(first) == 43
    assert "=" not in first
    assert len(kernel_tls.secret_bytes(first)) == kernel_tls.SECRET_BYTES


@pytest.mark.parametrize("secret", ["", "c2hvcnQ", "not base64 at all!"])
def test_a_short_or_malformed_secret_is_refused_without_quoting_it(secret: str) -> None:
    with pytest.raises(kernel_tls.SecretError) as refused:
        kernel_tls.secret_bytes(secret)
    assert not secret or secret not in str(refused.value)


def test_both_ends_derive_the_same_key_and_only_the_secret_answers_the_nonce() -> None:
    secret = kernel_tls.new_secret()
    pin = kernel_tls.public_key_der(secret)
    assert pin == kernel_tls.public_key_der(secret) != kernel_tls.public_key_der(kernel_tls.new_secret())
    nonce = os.urandom(kernel_tls.NONCE_BYTES)
    assert kernel_tls.check_proof(secret, nonce, kernel_tls.proof(secret, nonce))
    assert not kernel_tls.check_proof(secret, nonce, kernel_tls.proof(kernel_tls.new_secret(), nonce))
    assert not kernel_tls.check_proof(secret, os.urandom(kernel_tls.NONCE_BYTES), kernel_tls.proof(secret, nonce))


async def _handshake(agent_secret: str, server_secret: str) -> tuple[str, str | None]:
    """A TLS connection to a listener serving `agent_secret`'s certificate: (TLS version, the pin check's refusal)."""
    server = await asyncio.start_server(
        lambda _, writer: writer.close(), "127.0.0.1", 0, ssl=kernel_tls.server_context(agent_secret)
    )
    port = server.sockets[0].getsockname()[1]
    _, writer = await asyncio.open_connection("127.0.0.1", port, ssl=kernel_tls.client_context(), server_hostname="")
    ssl_object = writer.get_extra_info("ssl_object")
    result = ssl_object.version(), kernel_tls.check_pin(ssl_object.getpeercert(binary_form=True), server_secret)
    writer.close()
    server.close()
    return result


@pytest.mark.asyncio
async def test_the_certificate_served_for_a_secret_passes_only_that_secrets_pin() -> None:
    secret = kernel_tls.new_secret()
    assert await _handshake(secret, secret) == ("TLSv1.3", None)
    version, refusal = await _handshake(kernel_tls.new_secret(), secret)
    assert version == "TLSv1.3"
    assert refusal == "its certificate's key is not the one derived from the secret"
    assert kernel_tls.check_pin(None, secret) == "it presented no certificate"
