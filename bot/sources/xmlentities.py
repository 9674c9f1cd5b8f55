"""Entity declarations made harmless before feedparser sees a feed.

feedparser removes a DTD's entity declarations itself, but only those that start a line
(its pattern is `^\\s*<!ENTITY`). A "billion laughs" feed written on one line slipped past,
and Python's expat expanded it until its amplification limit stopped it: 1.7-2.8 s and
67 MiB more peak memory per poll, for a feed that then parsed loosely anyway. Here every
declaration that could expand to more than its own text (a value that refers to another
entity, a parameter entity, an external entity) is dropped from the internal subset wherever
it stands; a plain one such as `<!ENTITY copy "(c)">` stays, as feedparser keeps it too.
References to a dropped entity are left as text, which is what feedparser gave before.
"""

from __future__ import annotations

import re

# one piece of an internal DTD subset: whitespace, a comment, a processing instruction, a
# declaration (quoted values may hold '>'), or a parameter-entity reference
_PIECE = re.compile(r"""\s+|<!--.*?-->|<\?.*?\?>|<!(?:[^>"']|"[^"]*"|'[^']*')*>|%[^;\s<>]*;""", re.S)
_SAFE_ENTITY = re.compile(r"""<!ENTITY\s+[\w.:-]+\s+(?:"(?:[^&%"]*|&\#\w+;)"|'(?:[^&%']*|&\#\w+;)')\s*>$""")
_CODECS = (("latin-1", b"<!ENTITY"),                          # any ASCII-compatible encoding, byte for byte
           ("utf-16-le", "<!ENTITY".encode("utf-16-le")),
           ("utf-16-be", "<!ENTITY".encode("utf-16-be")))


def defuse_entities(body: bytes) -> bytes:
    """`body` with its DTD's expanding entity declarations removed; unchanged when it declares none."""
    for codec, marker in _CODECS:
        if marker in body:
            text = body.decode(codec, errors="replace")   # latin-1 never replaces: every byte is a character
            defused = _defuse(text)
            if defused is text:
                return body
            return defused.encode(codec)
    return body


def _defuse(text: str) -> str:
    """The text with unsafe declarations cut from the internal subset (the same object when nothing changed)."""
    doctype = text.find("<!DOCTYPE")
    if doctype < 0:
        return text
    opening = re.compile(r"""<!DOCTYPE(?:[^>\["']|"[^"]*"|'[^']*')*\[""").match(text, doctype)
    if opening is None:
        return text   # no internal subset: nothing declared here
    kept = [text[:opening.end()]]
    position = opening.end()
    dropped = False
    while True:
        piece = _PIECE.match(text, position)
        if piece is None:
            break   # the subset's closing ']' (or text that is not a DTD: left for the parser to refuse)
        value = piece.group()
        if value.startswith("%") or (value.startswith("<!ENTITY") and not _SAFE_ENTITY.match(value)):
            dropped = True
        else:
            kept.append(value)
        position = piece.end()
    if not dropped:
        return text
    kept.append(text[position:])
    return "".join(kept)
