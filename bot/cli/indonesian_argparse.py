"""argparse speaking Indonesian: staff read its help and its errors ("argumen tidak dikenal").

argparse looks its messages up through the module-level `_` (gettext) at the moment it prints
them, and the project ships no translation catalogue, so the parser's own messages are mapped
here; anything unknown stays as argparse wrote it.
"""

from __future__ import annotations

import argparse
from typing import Any, NoReturn

_MESSAGES = {
    "usage: ": "cara pakai: ",
    "positional arguments": "argumen",
    "options": "pilihan",
    "show this help message and exit": "tampilkan bantuan ini lalu keluar",
    "%(prog)s: error: %(message)s\n": "%(prog)s: kesalahan: %(message)s\n",
    "the following arguments are required: %s": "argumen berikut wajib diisi: %s",
    "unrecognized arguments: %s": "argumen tidak dikenal: %s",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "pilihan %(value)r tidak ada (pilih salah satu: %(choices)s)",
    "invalid %(type)s value: %(value)r": "nilai %(value)r tidak sah (harus %(type)s)",
    "expected one argument": "perlu satu nilai",
    "expected at least one argument": "perlu paling sedikit satu nilai",
    "expected at most one argument": "paling banyak satu nilai",
    "argument %(argument_name)s: %(message)s": "argumen %(argument_name)s: %(message)s",
    "ambiguous option: %(option)s could match %(matches)s":
        "pilihan %(option)s kurang jelas, bisa berarti %(matches)s",
    "not allowed with argument %s": "tidak boleh dipakai bersama %s",
    "one of the arguments %s is required": "salah satu argumen ini wajib diisi: %s",
}
_TYPE_NAMES = {"int": "bilangan bulat", "float": "angka"}


def _translate(message: str) -> str:
    return _MESSAGES.get(message, message)


def _translate_plural(singular: str, plural: str, count: int) -> str:
    return _translate(singular if count == 1 else plural)


argparse._ = _translate  # type: ignore[attr-defined]
argparse.ngettext = _translate_plural  # type: ignore[attr-defined]


class IndonesianArgumentParser(argparse.ArgumentParser):
    """Errors and help in Indonesian, with a hint to `--help`."""

    def _get_value(self, action: argparse.Action, arg_string: str) -> Any:
        try:
            return super()._get_value(action, arg_string)
        except argparse.ArgumentError as error:
            name = getattr(action.type, "__name__", "")
            if name in _TYPE_NAMES:
                raise argparse.ArgumentError(
                    action, f"nilai {arg_string!r} tidak sah (harus {_TYPE_NAMES[name]})"
                ) from error
            raise

    def error(self, message: str) -> NoReturn:
        self.print_usage()
        self.exit(2, f"{self.prog}: kesalahan: {message}\n"
                     f"Lihat '{self.prog} --help' untuk semua pilihan.\n")
