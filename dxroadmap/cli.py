"""Command line: ``dxroadmap [FILE]`` opens the editor; ``convert``, ``info``, ``update``, ``compare`` and ``report`` work without a window.

Exit statuses (../shared/spec/plan-json.md): 0 success, 2 usage error, 3 the input
cannot be read as a plan; 1 when the output cannot be written. Reasons go to standard
error in one or two plain sentences, never a traceback, and no output file is left
behind. ``survey`` writes the department surveys; ``merge`` merges the returned ones and
exits 4 when some changes conflict (those are left out), 3 when a returned file is refused. ``convert`` to JSON never imports Qt.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

__all__ = ["main"]

EXIT_OK, EXIT_WRITE, EXIT_USAGE, EXIT_UNREADABLE, EXIT_CONFLICT = 0, 1, 2, 3, 4
_SUBCOMMANDS = ("convert", "info", "update", "compare", "report", "survey", "merge")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dxroadmap", description="DX推進計画ロードマップ editor and converter.")
    sub = parser.add_subparsers(dest="command", required=True)
    convert = sub.add_parser("convert", help="convert a plan between formats (.json .xlsx → .json .xlsx .pdf .png .svg)")
    convert.add_argument("input", help="a .json plan or an .xlsx roadmap workbook")
    convert.add_argument("output", help="the file to write; its extension names the format")
    convert.add_argument("--paper", choices=("A3", "A4", "B4"), type=str.upper, help="paper size for .pdf/.png/.svg/.xlsx (default A3)")
    convert.add_argument("--orientation", choices=("landscape", "portrait"), type=str.lower,
                         help="page orientation (default landscape)")
    convert.add_argument("--dpi", type=int, help="resolution of a .png (default 150)")
    convert.add_argument("--columns", choices=("year", "half", "quarter", "month"), type=str.lower,
                         help="time columns of an .xlsx roadmap sheet (default quarter)")
    info = sub.add_parser("info", help="print a plan's title, period and counts")
    info.add_argument("input")
    update = sub.add_parser("update", help="write a plan into a copy of an office's own roadmap workbook, in its layout")
    update.add_argument("office", help="the office's roadmap workbook (.xlsx/.xlsm); it is never changed")
    update.add_argument("plan", help="the plan to write (.json or .xlsx)")
    update.add_argument("output", help="the updated copy to write (.xlsx/.xlsm)")
    update.add_argument("--force", action="store_true",
                        help="write even where the form cannot show the plan (the data sheet keeps it exactly)")
    update.add_argument("--extend", action="store_true",
                        help="add the fiscal years the plan needs and the form lacks to the form's time axis")
    _add_compare_parser(sub)
    _add_report_parser(sub)
    survey = sub.add_parser("survey", help="write one survey workbook per department (各課照会) and survey.json")
    survey.add_argument("plan", help="the plan (.json or .xlsx)")
    survey.add_argument("outdir", help="the folder to write the workbooks into")
    survey.add_argument("--fy", type=int, help="the fiscal year asked about (default: the current one)")
    merge = sub.add_parser("merge", help="merge returned survey workbooks into the plan (取りまとめ)")
    merge.add_argument("plan", help="the master plan as it is now (.json or .xlsx)")
    merge.add_argument("returned", nargs="+", help="returned survey workbooks (.xlsx)")
    merge.add_argument("-o", "--output", required=True, help="the merged plan to write (.json or .xlsx)")
    merge.add_argument("--sent", help="the survey.json written with the surveys (default: looked for beside the "
                                      "returned files and the plan)")
    return parser


def _add_compare_parser(sub: argparse._SubParsersAction) -> None:
    compare = sub.add_parser("compare", help="the 新旧対照表 of two plans or versions as .xlsx, .pdf or .json")
    compare.add_argument("old", help="the old plan: a file, or FILE#VERSION-NAME for a saved version (版)")
    compare.add_argument("new", help="the new plan: a file, or FILE#VERSION-NAME")
    compare.add_argument("output", help="the .xlsx, .pdf or .json file to write")
    compare.add_argument("--paper", choices=("A4", "A3"), type=str.upper, default="A4", help="landscape paper (default A4)")


def _add_report_parser(sub: argparse._SubParsersAction) -> None:
    report = sub.add_parser("report", help="write a report on a plan (progress: the 進捗状況一覧; coverage: the 重点取組事項 table)")
    kinds = report.add_subparsers(dest="report", required=True)
    progress = kinds.add_parser("progress", help="the 進捗状況一覧 for a fiscal year as .xlsx or .pdf")
    progress.add_argument("input", help="a .json plan or an .xlsx roadmap workbook")
    progress.add_argument("output", help="the .xlsx or .pdf file to write")
    progress.add_argument("--fy", type=int, help="fiscal year (Western year it starts in; default: the latest with progress)")
    progress.add_argument("--paper", choices=("A4", "A3"), type=str.upper, default="A4", help="landscape paper (default A4)")
    coverage = kinds.add_parser("coverage", help="every national item of the plan's version with the initiatives serving it")
    coverage.add_argument("input", help="a .json plan or an .xlsx roadmap workbook")
    coverage.add_argument("output", help="the .xlsx or .pdf file to write")
    coverage.add_argument("--paper", choices=("A4", "A3"), type=str.upper, default="A4", help="paper (default A4)")


def _read_side(spec: str):
    """A plan and its label from FILE or FILE#VERSION-NAME; (None, None, reason) when it cannot be had."""
    from dxroadmap.model.versions import version_plan

    path, name = spec, None
    if not Path(spec).exists() and "#" in spec:
        path, _, name = spec.rpartition("#")
    result, error = _read(path)
    if error:
        return None, None, error
    if name is None:
        return result.plan, Path(path).name, None
    try:
        return version_plan(result.plan, name), name, None
    except KeyError as exc:
        return None, None, f"{Path(path).name}: {exc.args[0]}"


def _compare(args: argparse.Namespace) -> int:
    from dxroadmap.io.errors import PlanWriteError
    from dxroadmap.model.versions import compare_plans

    out = Path(args.output)
    ext = out.suffix.lower()
    if ext not in (".xlsx", ".pdf", ".json"):
        return _fail(EXIT_USAGE, f"cannot write a 新旧対照表 as '{out.suffix or out.name}'; the output must end in .xlsx, .pdf or .json.")
    sides = []
    for spec in (args.old, args.new):
        plan, label, error = _read_side(spec)
        if error:
            return _fail(EXIT_UNREADABLE, error)
        sides.append((plan, label))
    (old, old_label), (new, new_label) = sides
    if old_label == new_label:
        old_label, new_label = f"旧（{old_label}）", f"新（{new_label}）"
    comparison = compare_plans(old, new, old_label, new_label)
    try:
        if ext == ".xlsx":
            from dxroadmap.io.xlsx.comparison import write_comparison_workbook

            write_comparison_workbook(comparison, out, title=new.title, paper=args.paper)
        elif ext == ".pdf":
            from dxroadmap.render.comparison import write_comparison_pdf

            write_comparison_pdf(comparison, out, title=new.title, paper=args.paper)
        else:
            from dxroadmap.io.storage.atomic import atomic_write_bytes
            from dxroadmap.model.versions import changes_json

            atomic_write_bytes(out, changes_json(comparison).encode("utf-8"))
    except PlanWriteError as exc:
        return _fail(EXIT_WRITE, exc)
    except OSError as exc:
        return _fail(EXIT_WRITE, f"could not write {out.name}: {exc.strerror or exc}.")
    for line in comparison.lines():
        print(line)
    if comparison.by_name:
        for label, names in (("旧にだけある取組", comparison.unmatched_old), ("新にだけある取組", comparison.unmatched_new)):
            if names:
                print(f"dxroadmap: note: 共通の ID がないため名前で照合しました。{label}（照合できなかったもの）: "
                      f"{'、'.join(names)}", file=sys.stderr)
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    from dxroadmap.io.errors import PlanWriteError

    out = Path(args.output)
    ext = out.suffix.lower()
    if ext not in (".xlsx", ".pdf"):
        return _fail(EXIT_USAGE, f"cannot write a report as '{out.suffix or out.name}'; the output must end in .xlsx or .pdf.")
    if getattr(args, "fy", None) is not None and not 1900 <= args.fy <= 2200:
        return _fail(EXIT_USAGE, "--fy must be a fiscal year such as 2024.")
    result, error = _read(args.input)
    if error:
        return _fail(EXIT_UNREADABLE, error)
    try:
        if ext == ".xlsx":
            if args.report == "progress":
                from dxroadmap.io.xlsx.progress_report import write_progress_report

                write_progress_report(result.plan, out, args.fy, paper=args.paper)
            else:
                from dxroadmap.io.xlsx.coverage_report import write_coverage_workbook

                write_coverage_workbook(result.plan, out, paper=args.paper)
        elif args.report == "progress":
            from dxroadmap.render.progress_report import write_progress_pdf

            write_progress_pdf(result.plan, out, args.fy, paper=args.paper)
        else:
            from dxroadmap.render.coverage_report import write_coverage_pdf

            write_coverage_pdf(result.plan, out, paper=args.paper)
    except KeyError as exc:  # a national plan version this dxroadmap does not know
        return _fail(EXIT_UNREADABLE, f"{Path(args.input).name}: {exc.args[0]}")
    except PlanWriteError as exc:
        return _fail(EXIT_WRITE, exc)
    except OSError as exc:
        return _fail(EXIT_WRITE, f"could not write {out.name}: {exc.strerror or exc}.")
    return EXIT_OK


def _fail(status: int, message: str | BaseException) -> int:
    """Print ``message`` (an error is worded from the catalogue in the user's language) and return ``status``."""
    if isinstance(message, BaseException):
        message = _error_text(message)
    print(f"dxroadmap: {message}", file=sys.stderr)
    return status


def _error_text(exc: BaseException) -> str:
    """A PlanReadError / PlanWriteError in the user's locale, worded by the catalogue (pure Python, no Qt)."""
    from dxroadmap.io.errors import message_language
    from dxroadmap.ui.strings import error_text

    return error_text(exc, message_language())


def _notice_text(warning: object) -> str:
    """An import warning (a Notice or a plain sentence) in the user's locale."""
    from dxroadmap.io.errors import message_language
    from dxroadmap.ui.strings import notice_text

    return notice_text(warning, message_language())


def _read(path: str):
    from dxroadmap.formats import read_any
    from dxroadmap.io.errors import PlanReadError

    try:
        return read_any(path), None
    except PlanReadError as exc:
        return None, _error_text(exc)
    except MemoryError:
        return None, f"{Path(path).name} is too large to read."
    except Exception as exc:  # a reader bug must still end in a sentence, not a traceback
        return None, f"{Path(path).name} could not be read as a plan ({type(exc).__name__})."


def _convert(args: argparse.Namespace) -> int:
    from dxroadmap.formats import WRITE_EXTENSIONS, write_any
    from dxroadmap.io.errors import PlanWriteError

    out = Path(args.output)
    ext = out.suffix.lower()
    if ext not in WRITE_EXTENSIONS:
        return _fail(EXIT_USAGE, f"cannot write '{out.suffix or out.name}' files; the output must end in "
                                 f"{', '.join(WRITE_EXTENSIONS)}.")
    if ext in (".json", ".pptx", ".html") and (args.paper or args.orientation or args.dpi):
        return _fail(EXIT_USAGE, "--paper, --orientation and --dpi apply to .xlsx, .pdf, .png and .svg output only.")
    if args.columns and ext != ".xlsx":
        return _fail(EXIT_USAGE, "--columns applies to .xlsx output only.")
    if args.dpi is not None and not 30 <= args.dpi <= 1200:
        return _fail(EXIT_USAGE, "--dpi must be between 30 and 1200.")
    result, error = _read(args.input)
    if error:
        return _fail(EXIT_UNREADABLE, error)
    for warning in result.warnings:
        print(f"dxroadmap: warning: {_notice_text(warning)}", file=sys.stderr)
    for change in result.changes:  # a colleague's edits of a saved workbook, applied to the saved plan
        print(f"dxroadmap: change: {change.describe()}", file=sys.stderr)
    options = {k: v for k, v in (("paper", args.paper), ("orientation", args.orientation), ("dpi", args.dpi),
                                 ("columns", args.columns)) if v}
    try:
        write_any(result.plan, out, **options)
    except ModuleNotFoundError as exc:
        return _fail(EXIT_WRITE, f"writing {ext} files needs the Python package '{(exc.name or '?').split('.')[0]}', "
                                 f"which this installation lacks; reinstall dxroadmap with its dependencies.")
    except PlanWriteError as exc:
        return _fail(EXIT_WRITE, exc)
    except OSError as exc:
        return _fail(EXIT_WRITE, f"could not write {out.name}: {exc.strerror or exc}.")
    return EXIT_OK


def _info(args: argparse.Namespace) -> int:
    from dxroadmap.model.wareki import format_fiscal_year

    result, error = _read(args.input)
    if error:
        return _fail(EXIT_UNREADABLE, error)
    plan = result.plan
    counts = plan.counts()
    period = (f"{format_fiscal_year(plan.start_fy)}〜{format_fiscal_year(plan.end_fy)} "
              f"({plan.start_fy}–{plan.end_fy})") if plan.start_fy >= 1926 else f"{plan.start_fy}–{plan.end_fy}"
    print(f"title: {plan.title}")
    print(f"organization: {plan.organization}")
    print(f"period: {period}")
    for key in ("pillars", "initiatives", "phases", "milestones"):
        print(f"{key}: {counts[key]}")
    for warning in result.warnings:
        print(f"warning: {_notice_text(warning)}")
    return EXIT_OK


def _update(args: argparse.Namespace) -> int:
    from dxroadmap.formats import update_office
    from dxroadmap.io.errors import PlanReadError, PlanWriteError
    from dxroadmap.io.xlsx.update.writer import UpdateRefused

    out = Path(args.output)
    if out.suffix.lower() not in (".xlsx", ".xlsm"):
        return _fail(EXIT_USAGE, "the output of update must end in .xlsx or .xlsm.")
    if out.suffix.lower() != Path(args.office).suffix.lower():
        return _fail(EXIT_USAGE, f"the output must keep the office workbook's extension ({Path(args.office).suffix}).")
    try:
        if out.resolve() == Path(args.office).resolve():
            return _fail(EXIT_USAGE, "update writes a copy; give an output other than the office workbook.")
    except OSError:
        pass
    result, error = _read(args.plan)
    if error:
        return _fail(EXIT_UNREADABLE, error)
    try:
        updated = update_office(args.office, result.plan, out, force=args.force, extend=args.extend)
    except UpdateRefused as exc:  # before PlanWriteError, which it is: nothing was written
        return _fail(EXIT_WRITE, exc)
    except PlanReadError as exc:
        return _fail(EXIT_UNREADABLE, exc)
    except MemoryError:
        return _fail(EXIT_UNREADABLE, f"{Path(args.office).name} is too large to update.")
    except PlanWriteError as exc:
        return _fail(EXIT_WRITE, exc)
    except OSError as exc:
        return _fail(EXIT_WRITE, f"could not write {out.name}: {exc.strerror or exc}.")
    for issue in updated.issues:
        print(f"dxroadmap: warning: {issue}", file=sys.stderr)
    for line in updated.summary:
        print(line)
    return EXIT_OK


def _survey(args: argparse.Namespace) -> int:
    from dxroadmap.io.errors import PlanWriteError
    from dxroadmap.io.surveys.write import write_surveys

    result, error = _read(args.plan)
    if error:
        return _fail(EXIT_UNREADABLE, error)
    plan = result.plan
    if args.fy is not None and not plan.start_fy <= args.fy <= plan.end_fy:
        return _fail(EXIT_USAGE, f"--fy must be within the plan period ({plan.start_fy}–{plan.end_fy}).")
    try:
        files = write_surveys(plan, args.outdir, args.fy)
    except PlanWriteError as exc:
        return _fail(EXIT_WRITE, exc)
    except OSError as exc:
        return _fail(EXIT_WRITE, f"could not write into {args.outdir}: {exc.strerror or exc}.")
    if not files:
        print("dxroadmap: warning: no initiative names a department (関係部門); no survey written.", file=sys.stderr)
    for f in files:
        print(f"{f.path}\t{f.department}\t{f.rows}")
    return EXIT_OK


def _merge(args: argparse.Namespace) -> int:
    from dxroadmap.formats import write_any
    from dxroadmap.io.errors import PlanReadError, PlanWriteError, message_language
    from dxroadmap.io.surveys.layout import SURVEY_JSON
    from dxroadmap.io.surveys.merge_back import change_line, load_sent, merge_returned

    result, error = _read(args.plan)
    if error:
        return _fail(EXIT_UNREADABLE, error)
    candidates = [Path(args.sent)] if args.sent else []
    candidates += [Path(r).parent / SURVEY_JSON for r in args.returned] + [Path(args.plan).parent / SURVEY_JSON]
    rounds, seen, current = [], set(), None
    for path in candidates:
        key = str(path.resolve()) if path.exists() else str(path)
        if key in seen or not path.is_file():
            if args.sent and path == Path(args.sent) and not path.is_file():
                return _fail(EXIT_UNREADABLE, f"there is no file {path}.")
            continue
        seen.add(key)
        try:
            rounds.append(load_sent(path))
            if args.sent and path == Path(args.sent):
                current = rounds[-1]
        except PlanReadError as exc:
            if args.sent and path == Path(args.sent):
                return _fail(EXIT_UNREADABLE, exc)
    outcome = merge_returned(result.plan, args.returned, rounds, current)
    japanese = message_language() == "ja"
    for refused in outcome.refused:
        print(f"dxroadmap: refused: {refused.ja if japanese else refused.en}", file=sys.stderr)
    if outcome.round is None:
        return _fail(EXIT_UNREADABLE, "no returned workbook answers a survey of this plan; nothing was written.")
    for change in outcome.applied:
        print("\t".join(change_line(change)))
    for conflict in outcome.conflicts:
        for change in conflict.changes:
            source, name, what = change_line(change)
            print(f"{'master' if source == 'ours' else source}\t{name}\tconflict: {what}")
    for source, note in outcome.notes:
        print(f"dxroadmap: note: {source}: {note}", file=sys.stderr)
    try:
        write_any(outcome.plan, Path(args.output))
    except PlanWriteError as exc:
        return _fail(EXIT_WRITE, exc)
    except OSError as exc:
        return _fail(EXIT_WRITE, f"could not write {Path(args.output).name}: {exc.strerror or exc}.")
    for a in outcome.answered:
        print(f"answered\t{a['department']}\t{a['file']}\t{a['modified']}")
    if outcome.not_yet:
        print("not yet answered\t" + "、".join(outcome.not_yet))
    if outcome.refused:
        return EXIT_UNREADABLE
    return EXIT_CONFLICT if outcome.conflicts else EXIT_OK


def _gui(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="dxroadmap", description="Open the DX推進計画 roadmap editor.",
                                     epilog="Sub-commands: dxroadmap convert IN OUT, dxroadmap info IN, "
                                            "dxroadmap update OFFICE.xlsx PLAN OUT.xlsx, dxroadmap compare OLD NEW OUT, "
                                            "dxroadmap report progress|coverage PLAN OUT, dxroadmap survey PLAN OUTDIR, "
                                            "dxroadmap merge PLAN RETURNED.xlsx… -o OUT.")
    parser.add_argument("file", nargs="?", help="a plan (.json) or roadmap workbook (.xlsx) to open")
    args = parser.parse_args(argv)
    try:
        from dxroadmap.ui.app import run
    except ImportError as exc:
        return _fail(EXIT_USAGE, f"the editor cannot start because Qt is not available ({exc}).")
    return run(args.file)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in _SUBCOMMANDS:
        return _gui(argv)
    args = _parser().parse_args(argv)
    if args.command == "update":
        return _update(args)
    if args.command == "compare":
        return _compare(args)
    if args.command == "report":
        return _report(args)
    if args.command in ("survey", "merge"):
        return _survey(args) if args.command == "survey" else _merge(args)
    return _convert(args) if args.command == "convert" else _info(args)


if __name__ == "__main__":
    sys.exit(main())
