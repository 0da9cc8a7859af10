"""The bot's commands: one table feeds both the handlers and Telegram's command menu."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import BotCommand

from bot.prevention import job_ad_check, job_offer_check


@dataclass(frozen=True)
class CommandSpec:
    name: str
    description: str
    """Shown in Telegram's command menu (Indonesian, at most 256 characters)."""
    action: str = ""
    """The engine action the command opens (adapter actions such as `deldata` included); empty
    for staff commands, which have a callback of their own."""


START = CommandSpec("start", "Mulai dan tampilkan menu utama", "start")
DELETE_DATA = CommandSpec("hapusdata", "Hapus semua data tentang Anda", "deldata")
ENGINE_COMMANDS = (
    CommandSpec("menu", "Menu utama", "menu"),
    CommandSpec("faq", "Tanya jawab seputar TPPO per topik", "faq-categories"),
    CommandSpec("statistik", "Statistik kasus TPPO di Kalimantan Timur", "stats"),
    CommandSpec("lapor", "Layanan bantuan dan cara melapor", "channels"),
    CommandSpec("darurat", "Nomor darurat bila Anda dalam bahaya", "emergency"),
    CommandSpec(job_offer_check.DEEP_LINK_PAYLOAD, "Cek tanda bahaya sebuah tawaran kerja",
                job_offer_check.ACTION),
    CommandSpec(job_ad_check.DEEP_LINK_PAYLOAD,
                "Teruskan iklan lowongan kerja untuk dicek tanda bahayanya",
                job_ad_check.PROMPT_ACTION),
    CommandSpec("privasi", "Data apa yang disimpan bot ini", "privacy"),
    CommandSpec("tentang", "Tentang bot ini", "about"),
    CommandSpec("bantuan", "Cara memakai bot ini", "help"),
)
"""Commands answered by the engine's `reply_to_action` alone."""

SUBSCRIBE = CommandSpec("langganan", "Terima satu tip pencegahan TPPO setiap minggu")
UNSUBSCRIBE = CommandSpec("berhenti", "Berhenti menerima tips mingguan")
SAFE_MODE = CommandSpec("aman", "Mode aman: chat terhapus otomatis, tanpa bunyi notifikasi")
ALL_COMMANDS = (START, *ENGINE_COMMANDS, SAFE_MODE, SUBSCRIBE, UNSUBSCRIBE, DELETE_DATA)
ACTION_BY_COMMAND = {spec.name: spec.action for spec in ENGINE_COMMANDS}
RELOAD = CommandSpec("reload", "Muat ulang konten sekarang (khusus petugas)")
REPORT = CommandSpec("laporan", "Ringkasan penggunaan 7 hari terakhir (khusus petugas)")
SEND_TIPS = CommandSpec("kirimtips", "Pratinjau lalu kirim tips minggu ini (khusus petugas)")
STAFF_COMMANDS = (RELOAD, REPORT, SEND_TIPS)
"""Only for BOT_ADMIN_IDS: never in the public menu, shown in each admin's own chat."""


def bot_commands() -> list[BotCommand]:
    """The list for setMyCommands, in menu order."""
    return [BotCommand(spec.name, spec.description) for spec in ALL_COMMANDS]


def staff_bot_commands() -> list[BotCommand]:
    """An admin's menu: everyone's commands, then the staff ones."""
    return [*bot_commands(), *(BotCommand(spec.name, spec.description) for spec in STAFF_COMMANDS)]


def command_name(text: str | None) -> str:
    """`/Statistik@TppoBot extra` → `statistik`."""
    first = (text or "").split(maxsplit=1)[0] if (text or "").strip() else ""
    return first.lstrip("/").split("@", 1)[0].lower()
