"""Recognising what a file's bytes are, and reading them as text without loading them whole.

The order is the issue's: a byte-order mark first, then strict UTF-8, then UTF-16
without a mark (many NUL bytes in alternate positions), then cp1252. cp1252 decodes
almost any byte string, so the detector (charset-normalizer) is asked only when the
bytes do not look like Western European text: a byte cp1252 leaves undefined
(0x81, 0x8D, 0x8F, 0x90, 0x9D), or so many high bytes that the text is more likely
Cyrillic, Greek or East Asian than accented Latin.

Text is decoded as a stream (:class:`io.TextIOWrapper` runs an incremental decoder
over the file's chunks), so a 200 MB file never sits in memory. Bytes that break the
chosen encoding later in the file do not stop the import: in UTF-8 they are read as
cp1252 (a file edited by two programs), elsewhere they become U+FFFD.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, cast

from coffeechat.imports.records import ImportFileError

SAMPLE_SIZE = 64 * 1024

# What a byte decodes to in cp1252, with the five bytes cp1252 leaves undefined read
# as Latin-1 (which is what Windows itself does with them).
_CP1252_TABLE = tuple(
    bytes([b]).decode("cp1252") if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else chr(b)
    for b in range(256)
)
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
FALLBACK_ERRORS = "coffeechat-cp1252"


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    return "".join(_CP1252_TABLE[b] for b in bad), exc.end


codecs.register_error(FALLBACK_ERRORS, _cp1252_fallback)

# Magic numbers of files people upload by mistake.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"%PDF", "a PDF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document (.xls or .doc)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"{\\rtf", "a rich-text (RTF) document"),
)
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")


@dataclass(frozen=True, slots=True)
class Sniffed:
    """What the first bytes of a file told us."""

    encoding: str  # a codec name for TextIOWrapper
    errors: str  # the error handler to decode the rest with
    text: str  # the decoded sample
    complete: bool  # the sample is the whole file
    is_zip: bool = False


def binary_kind(head: bytes) -> str | None:
    """'a PNG image', 'a PDF document'… for a known binary signature, else None."""
    for magic, kind in _SIGNATURES:
        if head.startswith(magic):
            return kind
    if head[:1024].lstrip().startswith(b"%PDF-"):
        return "a PDF document"
    if head[:4] == b"RIFF" and head[8:12] in (b"WEBP", b"AVI ", b"WAVE"):
        return "a WebP image" if head[8:12] == b"WEBP" else "a media file"
    if head[4:8] == b"ftyp":
        return "a photo or video (HEIC/MP4)"
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when NULs sit in every other byte, as in mostly-ASCII UTF-16."""
    if len(sample) < 4:
        return None
    even = sample[0::2]
    odd = sample[1::2]
    even_nuls = even.count(0)
    odd_nuls = odd.count(0)
    if odd_nuls > 0.3 * len(odd) and even_nuls < 0.05 * len(even):
        return "utf-16-le"
    if even_nuls > 0.3 * len(even) and odd_nuls < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _looks_binary(sample: bytes) -> bool:
    """Too many NULs or control bytes for any text file."""
    if not sample:
        return False
    controls = sum(sample.count(bytes([b])) for b in (*range(0, 9), 11, 12, *range(14, 27), 28))
    return controls > 0.05 * len(sample) or sample.count(0) > 0.01 * len(sample) + 2


def _prefer_detector(sample: bytes) -> bool:
    """Whether cp1252 is a poor guess for these (non-UTF-8) bytes."""
    if any(b in _CP1252_UNDEFINED for b in sample):
        return True
    high = sum(1 for b in sample if b >= 0x80)
    letters = sum(1 for b in sample if 0x41 <= (b | 0x20) <= 0x7A) + high
    # Accented Latin text has a few high bytes per word; other scripts are mostly high bytes.
    return letters > 0 and high > 0.4 * letters


def _detect(sample: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is None:
        return None
    try:
        return codecs.lookup(best.encoding).name
    except LookupError:
        return None


def _decode_sample(sample: bytes, encoding: str, errors: str, final: bool) -> str:
    decoder = codecs.getincrementaldecoder(encoding)(errors)
    return decoder.decode(sample, final=final)


def sniff(read: Callable[[int], bytes], name: str) -> Sniffed:
    """Read the first bytes through ``read`` and decide how to decode the file.

    Raises :class:`ImportFileError` for an empty file and for files that are not text
    (images, PDFs, other binaries). A zip archive is reported through ``is_zip``.
    """
    try:
        sample = read(SAMPLE_SIZE)
        extra = read(1) if len(sample) == SAMPLE_SIZE else b""
    except OSError as exc:
        raise ImportFileError(f"{name}: the file could not be read ({exc}).") from exc
    complete = not extra
    if complete and not sample.strip(b" \t\r\n\x00\x0b\x0c"):
        raise ImportFileError(f"{name}: the file is empty.")
    if sample.startswith(ZIP_MAGIC):
        return Sniffed("", "", "", complete, is_zip=True)
    kind = binary_kind(sample)
    if kind:
        raise ImportFileError(
            f"{name}: this is {kind}, not a contacts file. "
            "Upload a CSV file or a vCard (.vcf) file."
        )
    encoding, errors = _choose_encoding(sample, name)
    text = _decode_sample(sample, encoding, errors, final=complete)
    if not text.strip("\ufeff \t\r\n\x00\x0b\x0c"):
        if complete:
            raise ImportFileError(f"{name}: the file is empty.")
        raise ImportFileError(
            f"{name}: the first {SAMPLE_SIZE // 1024} KB of the file are blank; "
            "this does not look like a contacts file."
        )
    return Sniffed(encoding, errors, text, complete)


def _choose_encoding(sample: bytes, name: str) -> tuple[str, str]:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", FALLBACK_ERRORS
    if sample.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32", "replace"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", "replace"
    utf16 = _utf16_without_bom(sample)
    if utf16:
        return utf16, "replace"
    if _looks_binary(sample):
        raise ImportFileError(
            f"{name}: this looks like a binary file, not a CSV file or a vCard (.vcf) file."
        )
    try:
        _decode_sample(sample, "utf-8", "strict", final=False)
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8", FALLBACK_ERRORS
    if _prefer_detector(sample):
        detected = _detect(sample)
        if detected and detected not in ("cp1252", "latin_1", "iso8859_15", "ascii"):
            return detected, "replace"
    return "cp1252", FALLBACK_ERRORS


class _NoNulText(io.TextIOWrapper):
    """Decoded text without NUL characters.

    A NUL left after decoding is damage, not content, and PostgreSQL refuses to
    store it in text; dropping it here keeps every later step simple.
    """

    def __next__(self) -> str:  # type: ignore[override]
        return super().__next__().replace("\x00", "")

    def readline(self, size: int | None = -1, /) -> str:  # type: ignore[override]
        return super().readline(-1 if size is None else size).replace("\x00", "")

    def read(self, size: int | None = -1, /) -> str:
        return super().read(size).replace("\x00", "")


def text_stream(raw: IO[bytes], sniffed: Sniffed) -> io.TextIOWrapper:
    """The file as text, decoded incrementally; lines keep their own line endings."""
    return _NoNulText(
        cast(io.BufferedReader, raw), encoding=sniffed.encoding, errors=sniffed.errors, newline=""
    )
