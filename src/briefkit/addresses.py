"""Email addresses as a user types them (`--to`, `--from`, theme.yaml), checked where they enter.

RFC 5322's addr-spec in its dot-atom form, optionally behind a display name (`Briefs Desk <briefs@example.org>`),
with an internationalised domain converted to its ASCII (IDNA) form, which is what a mail header can carry. A
domain literal (`a@[192.0.2.1]`) must hold a real IP address. Anything else is refused with the reason, before
any work, so that the draft email never fails at the end of a build.
"""

from __future__ import annotations

import ipaddress
import re
from email.headerregistry import Address

_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LOCAL = re.compile(rf"^{_ATEXT}(?:\.{_ATEXT})*$")
_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")
_NAMED = re.compile(r"^(?P<name>[^<>]*?)\s*<(?P<spec>[^<>]*)>$")
_NAME_SPECIALS = set('()<>[]:;@\\,"')
MAX_LENGTH = 254  # RFC 5321's limit on a path, less its angle brackets


def parse_address(value: str) -> str:
    """The address as a mail header should carry it, or ValueError saying what is wrong with it."""
    if any(ord(c) < 32 or ord(c) == 0x7F for c in value):
        raise ValueError("holds a line break or control character")
    text = value.strip()
    named = _NAMED.match(text)
    name, spec = (named["name"].strip(), named["spec"].strip()) if named else ("", text)
    if any(c in _NAME_SPECIALS for c in name):
        raise ValueError(f"the name before <...> may not hold any of {''.join(sorted(_NAME_SPECIALS))}")
    if "," in spec or ";" in spec:
        raise ValueError("holds a list separator (, or ;): one address only")
    local, at, domain = spec.rpartition("@")
    if not at or not local or not domain:
        raise ValueError("needs the form name@domain")
    if not _LOCAL.match(local) or len(local) > 64:
        raise ValueError(f"{local!r} before the @ is not a mailbox name (letters, digits and .!#$%&'*+/=?^_`{{|}}~-)")
    ascii_domain = _domain(domain)
    addr_spec = f"{local}@{ascii_domain}"
    if len(addr_spec) > MAX_LENGTH:
        raise ValueError(f"is {len(addr_spec)} characters long; the limit is {MAX_LENGTH}")
    return str(Address(display_name=name, addr_spec=addr_spec)) if name else addr_spec


def _domain(domain: str) -> str:
    if domain.startswith("[") or domain.endswith("]"):
        if not (domain.startswith("[") and domain.endswith("]")):
            raise ValueError(f"{domain!r} is not a closed domain literal such as [192.0.2.1]")
        inner = domain[1:-1]
        try:
            ipaddress.ip_address(inner.removeprefix("IPv6:"))
        except ValueError:
            raise ValueError(f"{domain!r} does not hold an IP address") from None
        return domain
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        raise ValueError(f"{domain!r} is not a valid domain name") from None
    labels = ascii_domain.rstrip(".").split(".")
    if len(ascii_domain) > 253 or not all(_LABEL.match(label) for label in labels):
        raise ValueError(f"{domain!r} is not a valid domain name")
    return ascii_domain.rstrip(".")
