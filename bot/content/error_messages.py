"""Pydantic's validation errors rewritten as Indonesian advice for staff."""

from __future__ import annotations

from typing import Any

from pydantic_core import ErrorDetails

_PATTERN_HINTS = {
    "id": "hanya huruf kecil, angka, dan tanda hubung, misalnya apa-itu-tppo",
    "category": "hanya huruf kecil, angka, dan tanda hubung",
    "phone": "hanya angka, spasi, atau tanda hubung, boleh diawali +, dan diberi tanda kutip",
    "whatsapp": "hanya angka, spasi, atau tanda hubung, boleh diawali +, dan diberi tanda kutip",
    "url": "alamat harus diawali https:// atau http://",
    "email": "alamat e-mail tidak sah",
}
_QUOTE_HINT = (
    'beri tanda kutip, misalnya "0811129129" atau "08.00-16.00"; '
    "nomor telepon dan jam selalu ditulis di dalam tanda kutip"
)


def describe(error: ErrorDetails) -> str:
    """One Indonesian sentence: the field, what is wrong, and how to fix it."""
    loc = error["loc"]
    field = _field_name(loc)
    kind = error["type"]
    value: Any = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return f"kolom '{field}' wajib diisi"
    if kind == "extra_forbidden":
        return f"kolom '{field}' tidak dikenal; periksa ejaannya atau hapus kolom ini"
    if kind == "string_type":
        if isinstance(value, int | float):
            return f"'{field}' harus berupa teks, bukan angka ({value}); {_QUOTE_HINT}"
        return f"'{field}' harus berupa teks"
    if kind == "string_too_short":
        return f"'{field}' tidak boleh kosong"
    if kind == "string_pattern_mismatch":
        hint = _PATTERN_HINTS.get(field, "formatnya tidak sesuai")
        return f"'{field}' tidak sah ({value!r}): {hint}"
    if kind == "too_short" and field == "examples":
        count = len(value) if isinstance(value, list) else 0
        need = ctx.get("min_length", "")
        return f"pertanyaan ini baru punya {count} contoh; minimal {need} contoh cara orang bertanya"
    if kind == "too_short":
        return f"'{field}' tidak boleh kosong; isi minimal {ctx.get('min_length', 1)} butir"
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return f"'{field}' harus bilangan bulat tanpa tanda kutip (sekarang: {value!r})"
    if kind in {"greater_than_equal", "greater_than"}:
        return f"'{field}' tidak boleh kurang dari {ctx.get('ge', ctx.get('gt'))} ({value!r})"
    if kind in {"less_than_equal", "less_than"}:
        return f"'{field}' terlalu besar ({value!r})"
    if kind.startswith("date"):
        return f"'{field}' harus tanggal dengan format \"TTTT-BB-HH\", misalnya \"2026-01-28\""
    if kind == "literal_error":
        return f"'{field}' harus salah satu dari: {ctx.get('expected', '')}"
    if kind in {"list_type", "tuple_type"}:
        return f"'{field}' harus berupa daftar (setiap butir diawali '- ')"
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return f"'{field}' harus berupa kumpulan 'kolom: isi'"
    if kind == "bool_type":
        return f"'{field}' harus true atau false"
    return f"'{field}': {error['msg']}"


def _field_name(loc: tuple[int | str, ...]) -> str:
    for part in reversed(loc):
        if isinstance(part, str):
            return part
    return str(loc[-1]) if loc else "berkas"
