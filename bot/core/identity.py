"""Pseudonyms and invite codes: keyed hashes, so nothing reversible is stored."""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Callable

# Crockford-like alphabet without 0/O, 1/I/L and U: easy to read aloud and to type.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_GROUPS = (4, 4, 3)  # 11 characters: log2(30**11) = 54 bits
_START = re.compile(r"^/start(?:@\w+)?(?=\s|$)", re.IGNORECASE)


def pseudonym(secret: bytes, telegram_id: int) -> str:
    """Return the stable pseudonym of a Telegram user (HMAC-SHA256, 10 hex digits)."""
    digest = hmac.new(secret, f"tg:{telegram_id}".encode(), hashlib.sha256).hexdigest()
    return "P" + digest[:10].upper()


def facilitator_alias(secret: bytes, pid: str) -> str:
    """A second, unrelated pseudonym for what facilitators see (e.g. "J-4F2A9C").

    Facilitators see it next to a link to the person, so it must not be the research
    pseudonym: otherwise anyone holding an alert could re-identify exported data.
    """
    digest = hmac.new(secret, f"alias:{pid}".encode(), hashlib.sha256).hexdigest()
    return "J-" + digest[:6].upper()


def new_invite_code(rand_bytes: Callable[[int], bytes]) -> str:
    """Return a fresh, unguessable, human-friendly code like ``JD7K-M3QX-P9A``."""
    total = sum(CODE_GROUPS)
    chars: list[str] = []
    while len(chars) < total:
        for byte in rand_bytes(total * 2):
            if byte < 240:  # 240 = 8 * 30: keeps the choice uniform
                chars.append(ALPHABET[byte % len(ALPHABET)])
                if len(chars) == total:
                    break
    out, i = [], 0
    for size in CODE_GROUPS:
        out.append("".join(chars[i : i + size]))
        i += size
    return "-".join(out)


def normalise_code(text: str) -> str:
    """Upper-case a typed code; drop spaces, dashes and a leading ``/start`` or ``/start@bot``."""
    text = _START.sub("", unicodedata.normalize("NFKC", text).strip())
    return "".join(ch for ch in text.upper() if ch.isascii() and ch.isalnum())


def hash_code(secret: bytes, code: str) -> str:
    """Return the stored form of a normalised invite code."""
    return hmac.new(secret, f"invite:{code}".encode(), hashlib.sha256).hexdigest()
