"""Who is who on a kernel task's connection: both ends know the kernel's secret, and nothing else.

From the secret, both derive the same EC P-256 key. The agent serves a self-signed certificate for it; the server
accepts the TLS connection only if the certificate carries that key (pinning: only a holder of the secret can be the
kernel), then proves it holds the secret too by answering the agent's nonce with an HMAC.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import os
import secrets
import ssl
import tempfile

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.x509.oid import NameOID

SECRET_BYTES = 32
NONCE_BYTES = 32
_KEY_INFO = b"notebook-kernel-tls"
_PROOF_LABEL = b"client"
# The order of P-256's group: a private key is a number in [1, n - 1].
_P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


class SecretError(ValueError):
    pass


def new_secret() -> str:
    """32 random bytes, base64url without padding."""
    return base64.urlsafe_b64encode(secrets.token_bytes(SECRET_BYTES)).rstrip(b"=").decode()


def secret_bytes(secret: str) -> bytes:
    """The secret's bytes; SecretError (which never quotes it) if it is not base64url of at least 32 bytes."""
    try:
        raw = base64.urlsafe_b64decode(secret + "=" * (-len(secret) % 4))
    except ValueError:
        raise SecretError("the kernel secret is not base64url") from None
    if len(raw) < SECRET_BYTES:
        raise SecretError(f"the kernel secret holds {len(raw)} bytes: it needs at least {SECRET_BYTES}")
    return raw


def private_key(secret: str) -> ec.EllipticCurvePrivateKey:
    # 40 bytes for a 256-bit group: reducing them modulo n leaves no usable bias.
    material = HKDF(algorithm=hashes.SHA256(), length=40, salt=None, info=_KEY_INFO).derive(secret_bytes(secret))
    scalar = int.from_bytes(material, "big") % (_P256_ORDER - 1) + 1
    return ec.derive_private_key(scalar, ec.SECP256R1())


def public_key_der(secret: str) -> bytes:
    return _spki(private_key(secret).public_key())


def _spki(key: ec.EllipticCurvePublicKey | object) -> bytes:
    if not isinstance(key, ec.EllipticCurvePublicKey):
        return b""
    return key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def server_context(secret: str) -> ssl.SSLContext:
    """The agent's TLS context: TLS 1.3, a self-signed certificate for the key derived from the secret."""
    key = private_key(secret)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "notebook-kernel")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))  # only the key is checked, never the dates
        .sign(key, hashes.SHA256())
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    # The ssl module loads a certificate chain from files only: a private directory, removed at once.
    with tempfile.TemporaryDirectory(prefix="kernel-tls-") as directory:
        path = os.path.join(directory, "identity.pem")
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(certificate.public_bytes(serialization.Encoding.PEM))
            file.write(
                key.private_bytes(
                    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
                )
            )
        context.load_cert_chain(path)
    return context


def client_context() -> ssl.SSLContext:
    """The server's TLS context: TLS 1.3 and no CA; `check_pin` is what authenticates the kernel."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def check_pin(certificate_der: bytes | None, secret: str) -> str | None:
    """None if the peer's certificate carries the key derived from `secret`, else why not."""
    if not certificate_der:
        return "it presented no certificate"
    try:
        presented = _spki(x509.load_der_x509_certificate(certificate_der).public_key())
    except ValueError as error:
        return f"its certificate could not be read: {error}"
    if not hmac.compare_digest(presented, public_key_der(secret)):
        return "its certificate's key is not the one derived from the secret"
    return None


def proof(secret: str, nonce: bytes) -> bytes:
    """The server's answer to the agent's nonce."""
    return hmac.new(secret_bytes(secret), _PROOF_LABEL + nonce, hashlib.sha256).digest()


def check_proof(secret: str, nonce: bytes, answer: bytes) -> bool:
    return hmac.compare_digest(proof(secret, nonce), answer)
