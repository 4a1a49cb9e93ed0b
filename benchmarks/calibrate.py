"""Calibrate ``confidence`` and measure the extractor on the annotated sets: writes ``pipeline/release/quality.json``.

    uv run python -m benchmarks.calibrate            # rewrite quality.json and the table in docs/EXTRACTION.md

The sets: ``../shared/eval/dev``, the project's ``eval/holdout*`` and ``../shared/eval/real-dev``. Every fourth
real-dev article (rd-04, rd-08, ...) is kept out of the calibration as a blind check: its rows only say how well
the confidences hold on articles they were not fitted to (the ``blind`` columns). Every article is built into
one release, scored with ``../shared/eval/score.py``; a released event or forecast of a scored document is right
when the scorer matches it to a gold item (it is not among the document's false positives).

A rule's confidence is its precision on the calibration articles, shrunk towards its parent rule's
(``grammar.investment.state`` -> ``grammar.investment`` -> ``grammar`` -> the table) by ``PRIOR_WEIGHT`` rows,
so a rule seen twice does not claim 0 or 1. The file records the sha256 of the articles and gold it was
computed on and the extractor version; no time, so the same data and code give the same file.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import re
import shutil
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

import pandas as pd

from pipeline.cli import run_build
from pipeline.defs.assets import EXTRACTOR_VERSION
from pipeline.release.quality import QUALITY_FILE, rule_confidence

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared"
SCORER = SHARED / "eval" / "score.py"
DOCS = ROOT / "docs" / "EXTRACTION.md"
PRIOR_WEIGHT = 4  # rows of the parent rule's precision a rule's own rows are weighed against
BLIND_EVERY = 4  # rd-04, rd-08, ...: never calibrated on
MIN_TYPE_SAMPLE = 5  # gold or released events of a type before its own scores are stated
BINS = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001)
TABLES = {"event_reports": "events", "forecasts": "forecasts"}  # release table -> scorer part
START, END = "<!-- calibration:start -->", "<!-- calibration:end -->"


def annotated_sets() -> dict[str, Path]:
    sets = {"dev": SHARED / "eval" / "dev", "real-dev": SHARED / "eval" / "real-dev"}
    sets.update({folder.name: folder for folder in sorted((ROOT / "eval").glob("holdout*")) if folder.is_dir()})
    return sets


def is_blind(name: str) -> bool:
    found = re.fullmatch(r"rd-(\d+)\.(?:txt|gold\.json)", name)
    return found is not None and int(found.group(1)) % BLIND_EVERY == 0


def gather(sets: dict[str, Path], folder: Path) -> str:
    """Copy every annotated article and its gold into ``folder/<set>/``; the sha256 of them all."""
    digest = hashlib.sha256()
    for name, source in sets.items():
        (folder / name).mkdir(parents=True)
        for path in sorted([*source.glob("*.txt"), *source.glob("*.gold.json")]):
            shutil.copyfile(path, folder / name / path.name)
            digest.update(f"{name}/{path.name}\0".encode() + path.read_bytes())
    return digest.hexdigest()


def load_scorer():
    spec = importlib.util.spec_from_file_location("chipgeo_score", SCORER)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def judged_rows(release: Path, gold: Path, scorer) -> tuple[pd.DataFrame, dict, dict]:
    """(every event report and forecast of the set's documents with whether it is right, the scorer's tallies,
    its per-document details)."""
    problems: list[str] = []
    golds = scorer.load_gold(gold, problems)
    tables, missing = scorer.load_release(release, problems)
    index = scorer.ReleaseIndex(tables, missing, problems)
    doc_map = scorer.map_documents(tables["documents"], golds)
    tallies, details = scorer.score(golds, doc_map, index, problems)
    rows = []
    for table, part in TABLES.items():
        df = pd.read_parquet(release / f"{table}.parquet")
        key = "event_id" if table == "event_reports" else "forecast_id"
        for doc, detail in details.items():
            if detail["doc_id"] is None:
                continue
            wrong = {line.split(" ", 1)[0] for line in detail[part]["false_positives"]}
            for row in df[df["doc_id"] == detail["doc_id"]].itertuples():
                rows.append({"table": table, "doc": doc, "rule": row.rule, "confidence": row.confidence,
                             "right": getattr(row, key) not in wrong})
    return pd.DataFrame(rows, columns=["table", "doc", "rule", "confidence", "right"]), tallies, details


def calibrate(rows: pd.DataFrame) -> dict:
    """Per table, every rule (and each of its parents) with its rows, right ones and confidence."""
    out = {}
    for table in TABLES:
        mine = rows[rows["table"] == table]
        n, right = len(mine), int(mine["right"].sum())
        default = right / n if n else 0.5
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for rule, ok in zip(mine["rule"], mine["right"], strict=True):
            parts = rule.split(".")
            for end in range(1, len(parts) + 1):
                counts[".".join(parts[:end])][0] += 1
                counts[".".join(parts[:end])][1] += int(ok)
        rules: dict[str, dict] = {}
        for rule in sorted(counts, key=lambda r: (r.count("."), r)):  # parents first
            seen, ok = counts[rule]
            parent = rules.get(rule.rsplit(".", 1)[0]) if "." in rule else None
            prior = parent["confidence"] if parent else default
            rules[rule] = {"rows": seen, "right": ok,
                           "confidence": round((ok + PRIOR_WEIGHT * prior) / (seen + PRIOR_WEIGHT), 3)}
        out[table] = {"default": round(default, 3), "rows": n, "right": right, "rules": rules}
    return out


def bins(rows: pd.DataFrame) -> list[dict]:
    """Rows by confidence band: how many, the mean confidence, and the share that was right."""
    out = []
    for low, high in zip(BINS, BINS[1:], strict=False):
        band = rows[(rows["confidence"] >= low) & (rows["confidence"] < high)]
        out.append({"band": f"{low:.1f}-{min(high, 1.0):.1f}", "rows": len(band),
                    "mean_confidence": round(float(band["confidence"].mean()), 3) if len(band) else None,
                    "precision": round(float(band["right"].mean()), 3) if len(band) else None})
    return out


def scores(tallies: dict) -> dict:
    return {part: {k: (round(v, 3) if isinstance(v, float) else v) for k, v in tally.scores().items()}
            for part, tally in tallies.items()}


def type_scores(details: list[dict]) -> dict:
    """Events per type (the released type for false positives, the gold type for misses, the released type
    of the matched rows): precision, recall and F1 where the type had ``MIN_TYPE_SAMPLE`` rows or more."""
    tp, fp, fn = Counter(), Counter(), Counter()
    for detail in details:
        for line in detail["events"]["false_positives"]:
            fp[line.split(" ")[1]] += 1
        for line in detail["events"]["misses"]:
            fn[line.split(" ")[0].split("|")[0]] += 1
        tp.update(detail["_right_types"])
    out = {}
    for kind in sorted(set(tp) | set(fp) | set(fn)):
        if tp[kind] + max(fp[kind], fn[kind]) < MIN_TYPE_SAMPLE:
            continue
        p = tp[kind] / (tp[kind] + fp[kind]) if tp[kind] + fp[kind] else 0.0
        r = tp[kind] / (tp[kind] + fn[kind]) if tp[kind] + fn[kind] else 0.0
        out[kind] = {"tp": tp[kind], "fp": fp[kind], "fn": fn[kind], "precision": round(p, 3),
                     "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}
    return out


def measure(release: Path, folder: Path, scorer) -> dict:
    """Per set folder (split into calibration and blind), the judged rows, tallies and details."""
    parts = {"calibration": defaultdict(list), "blind": defaultdict(list)}
    for set_folder in sorted(p for p in folder.iterdir() if p.is_dir()):
        for group in ("calibration", "blind"):
            gold = folder / f".{group}-{set_folder.name}"
            gold.mkdir()
            for path in set_folder.glob("*.gold.json"):
                if is_blind(path.name) == (group == "blind"):
                    shutil.copyfile(path, gold / path.name)
            if not any(gold.iterdir()):
                continue
            rows, tallies, details = judged_rows(release, gold, scorer)
            parts[group]["rows"].append(rows)
            parts[group]["tallies"].append(tallies)
            events = pd.read_parquet(release / "events.parquet").set_index("event_id")["event_type"]
            reports = pd.read_parquet(release / "event_reports.parquet")
            for detail in details.values():
                wrong = {line.split(" ", 1)[0] for line in detail["events"]["false_positives"]}
                ids = set(reports.loc[reports["doc_id"] == detail["doc_id"], "event_id"]) - wrong
                detail["_right_types"] = Counter(events[i] for i in ids)
                parts[group]["details"].append(detail)
    return parts


def summed(tallies: list[dict], scorer) -> dict:
    total = {part: scorer.Tally() for part in scorer.PARTS}
    for one in tallies:
        for part, tally in one.items():
            total[part].add(tally)
    return total


def markdown(quality: dict) -> str:
    lines = [START, "",
             f"Calibrated by `uv run python -m benchmarks.calibrate` on {quality['measured_on']['articles']} "
             f"annotated articles (sha256 `{quality['measured_on']['sha256'][:16]}`), extractor "
             f"`{quality['extractor_version']}`. *Calibration*: the rows of the articles the confidences were fitted "
             f"on; *blind*: the {quality['measured_on']['blind_articles']} real-dev articles kept out of fitting "
             "(every fourth).", "",
             "| confidence | rows (calibration) | mean confidence | right | rows (blind) | mean confidence | right |",
             "|---|---|---|---|---|---|---|"]
    for fitted, blind in zip(quality["calibration"]["calibration"], quality["calibration"]["blind"], strict=True):
        def cell(value):
            return "-" if value is None else f"{value:.2f}"
        lines.append(f"| {fitted['band']} | {fitted['rows']} | {cell(fitted['mean_confidence'])} | "
                     f"{cell(fitted['precision'])} | {blind['rows']} | {cell(blind['mean_confidence'])} | "
                     f"{cell(blind['precision'])} |")
    lines += ["", "| table | set | precision | recall | F1 | tp | fp | fn |", "|---|---|---|---|---|---|---|---|"]
    for group in ("annotated", "blind"):
        for part, s in quality["scores"][group].items():
            lines.append(f"| {part} | {group} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | "
                         f"{s['tp']} | {s['fp']} | {s['fn']} |")
    return "\n".join([*lines, "", END])


def write_docs(quality: dict, path: Path = DOCS) -> None:
    text = path.read_text(encoding="utf-8")
    block = markdown(quality)
    if START in text:
        text = text[:text.index(START)] + block + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n## Confidence calibration\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", default=str(QUALITY_FILE), help="quality file to write")
    parser.add_argument("--no-docs", action="store_true", help="leave docs/EXTRACTION.md as it is")
    args = parser.parse_args(argv)
    scorer = load_scorer()
    with tempfile.TemporaryDirectory(prefix="chipgeo-calibrate-") as temporary:
        folder, release = Path(temporary) / "sources", Path(temporary) / "release"
        sets = annotated_sets()
        digest = gather(sets, folder)
        if not run_build(folder, release).success:
            raise SystemExit("the build of the annotated sets failed")
        parts = measure(release, folder, scorer)
    fitted = pd.concat(parts["calibration"]["rows"], ignore_index=True)
    blind = pd.concat(parts["blind"]["rows"], ignore_index=True)
    confidence = calibrate(fitted)
    quality = {"extractor_version": EXTRACTOR_VERSION, "confidence": confidence}
    for rows in (fitted, blind):  # each row's confidence as the new calibration gives it
        rows["confidence"] = [rule_confidence(t, r, quality) for t, r in zip(rows["table"], rows["rule"], strict=True)]
    quality.update({
        "measured_on": {"sets": sorted(sets), "articles": len(parts["calibration"]["details"])
                        + len(parts["blind"]["details"]), "blind_articles": len(parts["blind"]["details"]),
                        "sha256": digest},
        "scores": {"annotated": scores(summed(parts["calibration"]["tallies"], scorer)),
                   "blind": scores(summed(parts["blind"]["tallies"], scorer)),
                   "event_types": type_scores(parts["calibration"]["details"])},
        "calibration": {"calibration": bins(fitted), "blind": bins(blind)},
    })
    Path(args.output).write_text(json.dumps(quality, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {args.output}")
    if not args.no_docs:
        write_docs(quality)
        print(f"updated {DOCS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
