"""Pydantic's validation errors rewritten as Indonesian advice for staff."""

from __future__ import annotations

from typing import Any

from pydantic_core import ErrorDetails

_PATTERN_HINTS = {
    "id": "hanya huruf kecil, angka, dan tanda hubung, misalnya apa-itu-tppo",
    "category": "hanya huruf kecil, angka, dan tanda hubung, sama dengan id di bagian categories",
    "channels": "tulis id kanal: huruf kecil, angka, dan tanda hubung, misalnya sapa-129",
    "related": "tulis id pertanyaan: huruf kecil, angka, dan tanda hubung",
    "phone": "hanya angka, spasi, atau tanda hubung, boleh diawali +, di dalam tanda kutip",
    "whatsapp": "hanya angka, spasi, atau tanda hubung, boleh diawali +, di dalam tanda kutip",
    "url": "alamat harus diawali https:// atau http:// dan tanpa spasi",
    "email": "alamat e-mail tidak sah",
    "kata": "satu kata saja, huruf kecil a-z dan angka, tanpa spasi atau tanda baca",
    "pengisi": "satu kata saja, huruf kecil a-z dan angka, tanpa spasi atau tanda baca",
    "frasa": "huruf kecil a-z dan angka, kata dipisah spasi, tanpa tanda baca",
    "bersama": "huruf kecil a-z dan angka, kata dipisah spasi, tanpa tanda baca",
}
_QUOTE_WHY = "nomor telepon dan jam selalu ditulis di dalam tanda kutip"


def describe(error: ErrorDetails, *, typed: str | None = None,
             suggestion: str | None = None) -> str:
    """One Indonesian sentence: the field, what is wrong, and how to fix it.

    `typed` is the value exactly as written in the file (pydantic only sees 8111129129 where
    staff wrote 08111129129); `suggestion` is a known field name close to an unknown one.
    """
    loc = error["loc"]
    field = field_name(loc)
    kind = error["type"]
    value: Any = error.get("input")
    ctx = error.get("ctx") or {}
    if loc and loc[-1] == "[key]":
        return _bad_key(loc, value)
    if kind == "missing":
        return f"kolom '{field}' wajib diisi; tambahkan baris '{field}: ...'"
    if kind == "extra_forbidden":
        if suggestion:
            return f"kolom '{field}' tidak dikenal; mungkin maksudnya '{suggestion}'?"
        return f"kolom '{field}' tidak dikenal; periksa ejaannya atau hapus kolom ini"
    if kind == "string_type":
        return _not_text(field, value, typed)
    if kind == "string_too_short":
        return f"'{field}' tidak boleh kosong"
    if kind == "string_pattern_mismatch":
        hint = _PATTERN_HINTS.get(field, "formatnya tidak sesuai")
        return f"'{field}' tidak sah ({value!r}): {hint}"
    if kind == "too_short":
        return f"'{field}' tidak boleh kosong; isi minimal {ctx.get('min_length', 1)} butir"
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        if value is None:
            return f"'{field}' belum diisi; tulis sebuah bilangan bulat"
        return f"'{field}' harus bilangan bulat tanpa tanda kutip (sekarang: {value!r})"
    if kind in {"greater_than_equal", "greater_than"}:
        return f"'{field}' tidak boleh kurang dari {ctx.get('ge', ctx.get('gt'))} ({value!r})"
    if kind in {"less_than_equal", "less_than"}:
        return f"'{field}' terlalu besar ({value!r}); paling besar {ctx.get('le', ctx.get('lt'))}"
    if kind.startswith("date"):
        shown = f" (sekarang: {typed or value!r})" if value is not None else ""
        return (f"'{field}' harus tanggal dengan format \"TTTT-BB-HH\", misalnya "
                f"\"2026-01-28\"{shown}")
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace(" or ", " atau ")
        return f"'{field}' harus salah satu dari: {expected} (sekarang: {value!r})"
    if kind in {"list_type", "tuple_type"}:
        return f"'{field}' harus berupa daftar (setiap butir di baris sendiri, diawali '- ')"
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        if field == "berkas":
            return "isi berkas harus berupa kumpulan 'kolom: isi'; bandingkan dengan versi lama"
        return f"'{field}' harus berupa kumpulan 'kolom: isi' (setiap kolom di baris sendiri)"
    if kind == "bool_type":
        return f"'{field}' harus true atau false"
    return f"'{field}': {error['msg']}"


def _bad_key(loc: tuple[int | str, ...], value: Any) -> str:
    parent = field_name(loc[:-2])
    if parent == "counts":
        return (f"'{value}' di counts harus id wilayah dari bagian regions (huruf kecil dan "
                "tanda hubung), misalnya kutai-barat")
    return f"kunci '{value}' di '{parent}' tidak sah; tulis dengan huruf kecil tanpa tanda baca"


def _not_text(field: str, value: Any, typed: str | None) -> str:
    if value is None:
        return f"'{field}' belum diisi; tulis teksnya setelah tanda titik dua"
    if isinstance(value, bool):
        return f"'{field}' harus berupa teks; beri tanda kutip, misalnya {field}: \"{typed}\""
    if isinstance(value, int | float):
        written = typed or str(value)
        lost = {"0": " (angka 0 di depannya hilang)", "+": " (tanda + di depannya hilang)"}
        return (f"'{field}' ditulis tanpa tanda kutip, jadi terbaca sebagai angka {value}"
                f"{lost.get(written[:1], '')}; tulis {field}: \"{written}\" — {_QUOTE_WHY}")
    if isinstance(value, list):
        return f"'{field}' harus berupa teks, bukan daftar"
    if isinstance(value, dict):
        return (f"'{field}' harus berupa teks; bila teksnya memuat tanda ':', bungkus seluruh "
                "teks dengan tanda kutip")
    return f"'{field}' harus berupa teks"


def field_name(loc: tuple[int | str, ...]) -> str:
    """The innermost named field ("examples" for ("faqs", 3, "examples", 2))."""
    for part in reversed(loc):
        if isinstance(part, str) and part != "[key]":
            return part
    return "berkas"
