"""Curation that survives rebuilds: a dev release plus a curation file, each decision visible and logged."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.cli import run_build
from pipeline.release.curation import ACTOR_REFERENCES, CurationError, parse_curation
from pipeline.release.review import worklist
from pipeline.release.tables import with_event_provenance
from pipeline.release.validation import validate_tables
from schemas.vocabularies import EVENT_TYPES
from tests.conftest import SHARED

DEV = SHARED / "eval" / "dev"
CHECKER = SHARED / "contract" / "check_release.py"
UNKNOWN_EVENT = "0000000000000000"


def read(release: Path, table: str) -> pd.DataFrame:
    return pd.read_parquet(release / f"{table}.parquet")


@pytest.fixture(scope="module")
def dev_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("dev") / "release"
    assert run_build(DEV, output).success
    return output


@pytest.fixture(scope="module")
def plan(dev_release: Path) -> dict:
    """What the curation file decides, chosen from the uncurated release (ids are read, not written down)."""
    events, roles = read(dev_release, "events"), read(dev_release, "event_actors")
    dropped, retyped = events["event_id"].iloc[0], events["event_id"].iloc[1]
    old_type = events["event_type"].iloc[1]
    # an actor taking part in a kept event is merged into another actor
    kept_roles = roles[~roles["event_id"].isin([dropped])]
    merged = kept_roles["actor_id"].iloc[0]
    into = next(a for a in read(dev_release, "actors")["actor_id"] if a != merged)
    texts = read(dev_release, "document_texts")
    doc_id, body = texts["doc_id"].iloc[0], texts["body"].iloc[0]
    evidence = body[:body.index(".") + 1]  # the article's first sentence, read from the release at test time
    return {"dropped": dropped, "retyped": retyped, "new_type": next(t for t in EVENT_TYPES if t != old_type),
            "merged": merged, "merged_name": read(dev_release, "actors").set_index("actor_id").at[merged, "name"],
            "into": into, "doc_id": doc_id, "evidence": evidence}


def curation_text(p: dict) -> str:
    evidence = json.dumps(p["evidence"])  # a JSON string is a YAML double-quoted string
    return "\n".join([
        f"- {{action: drop_event, event_id: {p['dropped']}, reason: 'commentary, not an event', by: reviewer-a,"
        " date: 2026-01-15}",
        f"- {{action: retype_event, event_id: {p['retyped']}, event_type: {p['new_type']}, reason: wrong type}}",
        f"- {{action: merge_actors, actor_id: {p['merged']}, into: {p['into']}, reason: same actor}}",
        f"- {{action: add_alias, actor_id: {p['into']}, alias: Curated Test Alias, reason: seen in print}}",
        f"- action: add_forecast\n  doc_id: {p['doc_id']}\n  evidence: {evidence}\n  metric: market_share\n"
        f"  value_low: 50\n  value_high: 50\n  unit: percent\n  comparator: '~'\n  horizon_end: 2026-12-31\n"
        f"  forecaster_actor_id: {p['into']}\n  reason: missed",
        f"- {{action: drop_event, event_id: {UNKNOWN_EVENT}, reason: gone since}}",
        ""])


@pytest.fixture(scope="module")
def curated(tmp_path_factory: pytest.TempPathFactory, plan: dict) -> tuple[Path, Path]:
    """(sources with curation.yaml at their root, the release built from them)."""
    root = tmp_path_factory.mktemp("curated")
    sources = root / "sources"
    shutil.copytree(DEV, sources)
    (sources / "curation.yaml").write_text(curation_text(plan), encoding="utf-8")
    output = root / "release"
    assert run_build(sources, output).success
    return sources, output


def test_each_decision_is_visible_in_the_release(curated: tuple[Path, Path], plan: dict) -> None:
    _, release = curated
    events = read(release, "events").set_index("event_id")
    assert plan["dropped"] not in events.index
    for table in ("event_reports", "event_actors"):
        assert plan["dropped"] not in set(read(release, table)["event_id"])
    assert events.at[plan["retyped"], "event_type"] == plan["new_type"]
    actors = read(release, "actors").set_index("actor_id")
    assert plan["merged"] not in actors.index
    for table, column in (("actor_mentions", "actor_id"), ("event_actors", "actor_id"),
                          ("event_reports", "attributed_to_actor_id"), ("forecasts", "forecaster_actor_id"),
                          ("forecasts", "subject_actor_id")):
        assert plan["merged"] not in set(read(release, table)[column].dropna()), (table, column)
    aliases = set(actors.at[plan["into"], "aliases"])
    assert {"Curated Test Alias", plan["merged_name"]} <= aliases
    forecasts = read(release, "forecasts")
    added = forecasts[forecasts["rule"] == "curation"]
    assert len(added) == 1
    row = added.iloc[0]
    body = read(release, "document_texts").set_index("doc_id").at[plan["doc_id"], "body"]
    assert body[row["char_start"]:row["char_end"]] == row["evidence_text"] == plan["evidence"]
    assert (row["confidence"], row["value_low"], row["forecaster_actor_id"]) == (1.0, 50.0, plan["into"])


def test_rows_curation_took_out_of_the_previous_release_are_tombstoned_as_curation(
        dev_release: Path, curated: tuple[Path, Path], plan: dict, tmp_path: Path) -> None:
    output = tmp_path / "release"
    shutil.copytree(dev_release, output)  # the uncurated release is the one replaced
    assert run_build(curated[0], output).success
    reasons = {(r["table_name"], json.loads(r["row_key"]).get("event_id") or json.loads(r["row_key"]).get("actor_id")):
               r["reason"] for r in read(output, "removed").to_dict("records")}
    assert reasons[("events", plan["dropped"])] == "curation"
    assert reasons[("event_reports", plan["dropped"])] == "curation"
    assert reasons[("actors", plan["merged"])] == "curation"
    assert set(reasons.values()) == {"curation"}


def test_curation_log_has_one_row_per_decision_and_reports_the_unknown_id(curated: tuple[Path, Path]) -> None:
    log = read(curated[1], "curation_log")
    assert list(log["position"]) == [1, 2, 3, 4, 5, 6]
    assert list(log["action"]) == ["drop_event", "retype_event", "merge_actors", "add_alias", "add_forecast",
                                   "drop_event"]
    assert list(log["status"]) == ["applied"] * 5 + ["unmatched"]
    assert (log["rows_changed"].iloc[:5] > 0).all() and log["rows_changed"].iloc[5] == 0
    assert UNKNOWN_EVENT in log["detail"].iloc[5]
    assert log.at[0, "decided_by"] == "reviewer-a" and str(log.at[0, "decided_on"])[:10] == "2026-01-15"
    assert log["decided_by"].iloc[1:].isna().all()
    assert list(log["line"]) == [1, 2, 3, 4, 5, 16]


def test_id_redirects_maps_the_merged_actor(curated: tuple[Path, Path], plan: dict) -> None:
    redirects = read(curated[1], "id_redirects")
    assert redirects.to_dict("records") == [{"old_id": plan["merged"], "new_id": plan["into"], "table": "actors",
                                             "reason": "same actor"}]


def test_the_curated_release_passes_the_contract_and_the_file_is_no_article(curated: tuple[Path, Path]) -> None:
    sources, release = curated
    checked = subprocess.run([sys.executable, str(CHECKER), str(release), "--sources", str(sources)],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout[-3000:]
    assert "curation.yaml" not in set(read(release, "quarantine")["source_path"])
    manifest = json.loads((release / "release.json").read_text(encoding="utf-8"))
    assert manifest["schema_version"] == "1.3.0"
    assert manifest["row_counts"]["curation_log"] == 6


def test_strict_fails_on_an_unmatched_decision_and_keeps_the_release(tmp_path: Path, curated) -> None:
    sources, _ = curated
    output = tmp_path / "release"
    result = run_build(sources, output, strict=True)
    assert not result.success
    assert not (output / "release.json").exists()


def test_a_malformed_file_fails_the_build_before_anything_is_applied(tmp_path: Path) -> None:
    curation = tmp_path / "decisions.yaml"
    curation.write_text("- {action: drop_event, event_id: 0123456789abcdef, reason: fine}\n"
                        "- {action: retype_event, event_id: 0123456789abcdef, event_type: coup, reason: x}\n",
                        encoding="utf-8")
    output = tmp_path / "release"
    result = run_build(DEV, output, curation=curation)
    assert not result.success
    assert not (output / "release.json").exists()


def test_a_long_bad_value_is_shown_by_its_start() -> None:
    with pytest.raises(CurationError) as error:
        parse_curation(f"- {{action: set_actor, actor_id: tsmc, country: {'X' * 5000}, reason: x}}\n",
                       Path("curation.yaml"))
    assert "country 'XXXX" in str(error.value) and "'..." in str(error.value) and len(str(error.value)) < 300


@pytest.mark.parametrize(("text", "line", "message"), [
    ("- {action: drop_event, event_id: 0123456789abcdef}\n", 1, "needs reason"),
    ("- {action: drop_event, event_id: 0123456789abcdef, reason: ok}\n- {action: explode, reason: x}\n", 2,
     "action must be one of"),
    ("- {action: add_alias, actor_id: tsmc, alias: TSMC, reason: x, colour: red}\n", 1, "unknown key 'colour'"),
    ("- {action: redate_event, event_id: 0123456789abcdef, event_date: 2025-03-15, date_precision: month, "
     "reason: x}\n", 1, "does not fit date_precision"),
    ("- {action: set_event_actors, event_id: 0123456789abcdef, actors: {tsmc: boss}, reason: x}\n", 1,
     "role 'boss'"),
    ("- {action: add_forecast, doc_id: 0123456789abcdef, evidence: A line, metric: market_share, unit: percent,\n"
     "   comparator: '~', reason: x}\n", 1, "needs value_low or value_high"),
    ("- {action: set_actor, actor_id: tsmc, country: Taiwan, reason: x}\n", 1, "country 'Taiwan'"),
    ("- {action: set_actor, actor_id: tsmc, reason: x}\n", 1, "needs one of actor_type, country"),
    ("action: drop_event\n", 1, "must be a list of decisions"),
    ("- {action: drop_event, event_id: 0123456789abcdef, reason: x}\n"
     "- {action: redate_event, event_id: 0123456789abcdef, event_date: 2025-02-30, date_precision: day, "
     "reason: x}\n", 2, "event_date must be a date (YYYY-MM-DD), not '2025-02-30'"),
    ("- {action: drop_event, event_id: [1, 2\n", 2, "not valid YAML"),  # found at the end of the file
])
def test_every_malformed_line_is_named(text: str, line: int, message: str) -> None:
    with pytest.raises(CurationError) as error:
        parse_curation(text, Path("curation.yaml"))
    assert f"curation.yaml:{line}:" in str(error.value)
    assert message in str(error.value)
    assert len(str(error.value).splitlines()) == 1  # one problem, said once


def test_all_problems_are_listed_not_only_the_first() -> None:
    text = ("- {action: drop_event, event_id: 0123456789abcdef, reason: ok}\n"
            "- {action: drop_event, reason: no id}\n"
            "- {action: drop_forecast, forecast_id: nothex, reason: x}\n")
    with pytest.raises(CurationError) as error:
        parse_curation(text, Path("c.yaml"))
    assert "c.yaml:2:" in str(error.value) and "c.yaml:3:" in str(error.value)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="-{}[]:,'\" \nabcdefgh_0123456789#", max_size=120))
def test_any_text_parses_or_fails_with_a_curation_error(text: str) -> None:
    try:
        decisions = parse_curation(text, Path("curation.yaml"))
    except CurationError as error:
        assert str(error).startswith("curation.yaml")
    else:
        assert all(d.reason for d in decisions)


def test_every_report_and_forecast_says_its_rule_and_confidence(dev_release: Path) -> None:
    for table in ("event_reports", "forecasts"):
        df = read(dev_release, table)
        assert len(df) and df["rule"].str.len().gt(0).all(), table
        assert df["confidence"].between(0, 1).all(), table
        assert df["rule"].str.match(r"^(grammar|frame|forecast)\.").all(), table


def test_release_json_states_the_extractor_and_its_measured_quality(dev_release: Path) -> None:
    quality = json.loads((dev_release / "release.json").read_text(encoding="utf-8"))["quality"]
    assert len(quality["extractor_version"]) == 16
    for part in ("actors", "events", "forecasts"):
        scores = quality["scores"]["annotated"][part]
        assert 0 < scores["precision"] <= 1 and 0 < scores["recall"] <= 1 and 0 < scores["f1"] <= 1
    assert quality["scores"]["event_types"]
    assert len(quality["measured_on"]["sha256"]) == 64


def test_the_review_worklist_entries_are_ready_to_paste(dev_release: Path, tmp_path: Path) -> None:
    items = worklist(dev_release)
    assert set(items["kind"]) <= {"low_confidence", "no_date", "no_forecaster"}
    assert len(items)
    assert not items.duplicated(["kind", "curation"]).any()  # an event reported twice is one item
    decisions = parse_curation("\n".join(items["curation"]), Path("pasted.yaml"))
    assert len(decisions) >= len(items)
    done = subprocess.run([sys.executable, "-m", "pipeline", "review", str(dev_release), "--output",
                           str(tmp_path / "review")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "review.md").read_text(encoding="utf-8").startswith("# Review worklist")
    assert len(pd.read_csv(tmp_path / "review.csv")) == len(items)


# ---------------------------------------------------------------- each action on the dev release's tables


@pytest.fixture()
def tables(dev_release: Path) -> dict[str, pd.DataFrame]:
    from schemas.tables import TABLE_MODELS
    return {name: read(dev_release, name) for name in TABLE_MODELS if name not in ("curation_log", "id_redirects")}


def apply(tables: dict[str, pd.DataFrame], text: str, strict: bool = False) -> dict[str, pd.DataFrame]:
    from pipeline.release.curation import apply_curation
    return apply_curation(tables, parse_curation(text, Path("c.yaml")), Path("c.yaml"), strict=strict)


def test_event_actions_change_the_event_and_its_actors(tables: dict[str, pd.DataFrame]) -> None:
    event = tables["events"]["event_id"].iloc[2]
    actor = tables["actors"]["actor_id"].iloc[0]
    out = apply(tables, f"- {{action: set_event_actors, event_id: {event}, actors: {{{actor}: target}}, reason: a}}\n"
                        f"- {{action: redate_event, event_id: {event}, event_date: 2025-04-01, date_precision: quarter,"
                        " reason: b}\n")
    roles = out["event_actors"][out["event_actors"]["event_id"] == event]
    assert roles[["actor_id", "role"]].values.tolist() == [[actor, "target"]]
    row = out["events"].set_index("event_id").loc[event]
    assert (str(row["event_date"])[:10], row["date_precision"]) == ("2025-04-01", "quarter")
    assert list(out["curation_log"]["status"]) == ["applied", "applied"]


def test_actor_actions_and_a_chain_of_merges(tables: dict[str, pd.DataFrame]) -> None:
    mentions = tables["actor_mentions"]
    first, second, third = tables["actors"]["actor_id"].iloc[:3]
    texts = mentions[mentions["actor_id"] == first]["text"]
    alias = texts.iloc[0]
    out = apply(tables, f"- {{action: split_alias, actor_id: {first}, alias: {json.dumps(alias)}, into: {second}, "
                        "reason: two companies}\n"
                        f"- {{action: set_actor, actor_id: {third}, country: JP, actor_type: company, reason: c}}\n"
                        f"- {{action: merge_actors, actor_id: {second}, into: {third}, reason: d}}\n"
                        f"- {{action: merge_actors, actor_id: {first}, into: {third}, reason: e}}\n")
    moved = out["actor_mentions"][out["actor_mentions"]["text"] == alias]
    assert set(moved["actor_id"]) == {third}  # given to the second, which was then merged into the third
    actor = out["actors"].set_index("actor_id").loc[third]
    assert (actor["country"], actor["actor_type"]) == ("JP", "company")
    assert alias in set(actor["aliases"]) or alias == actor["name"]
    redirects = out["id_redirects"].set_index("old_id")["new_id"].to_dict()
    assert redirects == {second: third, first: third}


def test_additions_are_grounded_and_drops_remove(tables: dict[str, pd.DataFrame]) -> None:
    texts = tables["document_texts"]
    doc_id, body = texts["doc_id"].iloc[1], texts["body"].iloc[1]
    evidence = body[:body.index(".") + 1]
    actor = tables["actors"]["actor_id"].iloc[0]
    dropped = tables["forecasts"]["forecast_id"].iloc[0]
    out = apply(tables, f"- {{action: add_event, doc_id: {doc_id}, evidence: {json.dumps(evidence)}, "
                        f"event_type: investment, actors: {{{actor}: initiator}}, event_date: 2025-03-01, "
                        "date_precision: month, reason: missed}\n"
                        f"- {{action: add_event, doc_id: {doc_id}, evidence: \"A sentence this test wrote.\", "
                        f"event_type: investment, actors: {{{actor}: initiator}}, reason: gone}}\n"
                        f"- {{action: drop_forecast, forecast_id: {dropped}, reason: a past result}}\n")
    added = out["event_reports"][out["event_reports"]["rule"] == "curation"]
    assert len(added) == 1
    row = added.iloc[0]
    assert body[row["char_start"]:row["char_end"]] == row["evidence_text"] and row["confidence"] == 1.0
    assert row["event_id"] in set(out["events"]["event_id"])
    assert dropped not in set(out["forecasts"]["forecast_id"])
    assert list(out["curation_log"]["status"]) == ["applied", "unmatched", "applied"]
    assert "not in the body" in out["curation_log"]["detail"].iloc[1]
    # As the build does: the events' sources counted over their reports as curated, then validated.
    out = with_event_provenance(out)
    added_event = out["events"].set_index("event_id").loc[row["event_id"]]
    assert (added_event["n_documents"], added_event["n_sources"]) == (1, 1)
    _, rejected = validate_tables(out, strict=True)
    assert rejected == []


def test_strict_raises_naming_the_unmatched_line(tables: dict[str, pd.DataFrame]) -> None:
    with pytest.raises(CurationError, match=r"c\.yaml:2: drop_forecast matched nothing"):
        actor = tables["actors"]["actor_id"].iloc[0]
        apply(tables, f"- {{action: add_alias, actor_id: {actor}, alias: Extra, reason: a}}\n"
                      "- {action: drop_forecast, forecast_id: 0000000000000000, reason: b}\n", strict=True)


def test_the_calibration_table_in_the_docs_is_the_quality_files() -> None:
    from benchmarks.calibrate import DOCS, markdown
    from pipeline.release.quality import load_quality
    assert markdown(load_quality()) in DOCS.read_text(encoding="utf-8")


def test_only_the_root_curation_file_is_skipped_by_ingest(tmp_path: Path) -> None:
    from pipeline.sources.ingest import source_files
    (tmp_path / "sub").mkdir()
    for path in (tmp_path / "curation.yaml", tmp_path / "sub" / "curation.yaml", tmp_path / "a.txt"):
        path.write_text("A line this test wrote.\n", encoding="utf-8")
    assert [rel for _, rel in source_files(tmp_path)] == ["a.txt", "sub/curation.yaml"]  # the latter quarantined


def test_the_sensor_rebuilds_the_corpus_when_only_the_curation_file_changes(tmp_path: Path) -> None:
    import dagster as dg

    from pipeline.defs.assets import CORPUS_ASSETS
    from pipeline.watch import Watcher
    (tmp_path / "home").mkdir()
    sources = tmp_path / "sources"
    sources.mkdir()
    shutil.copyfile(DEV / "dev-01.txt", sources / "a.txt")
    with dg.DagsterInstance.local_temp(str(tmp_path / "home")) as instance:
        watcher = Watcher(sources, tmp_path / "release", instance)
        first = watcher.tick()
        watcher.apply(dg.SensorResult(dynamic_partitions_requests=first.dynamic_partitions_requests))
        assert not watcher.tick().run_requests  # nothing new
        (sources / "curation.yaml").write_text("- {action: drop_event, event_id: 0000000000000000, reason: x}\n",
                                               encoding="utf-8")
        (run,) = watcher.tick().run_requests
        assert {key.to_user_string() for key in run.asset_selection} == set(CORPUS_ASSETS)
        assert watcher.found == "the curation file changed"
        assert not watcher.tick().run_requests  # applied once


def test_a_merged_actor_leaves_no_reference_behind(tables: dict[str, pd.DataFrame]) -> None:
    observed = tables["observations"]["subject_actor_id"].dropna()
    old = observed.iloc[0]
    into = next(a for a in tables["actors"]["actor_id"] if a != old)
    out = apply(tables, f"- {{action: merge_actors, actor_id: {old}, into: {into}, reason: same company}}\n")
    for table, column in ACTOR_REFERENCES:
        assert old not in set(out[table][column].dropna()), (table, column)
    assert (out["observations"]["subject_actor_id"] == into).sum() >= (observed == old).sum()


def test_an_input_whose_rows_curation_dropped_is_no_longer_coded(tables: dict[str, pd.DataFrame]) -> None:
    reports, forecasts = tables["event_reports"], tables["forecasts"]
    doc = reports["doc_id"].iloc[0]
    assert tables["coverage"].set_index("doc_id").loc[doc, "outcome"] == "coded"
    events = sorted(reports.loc[reports["doc_id"] == doc, "event_id"].unique())
    dropped = sorted(forecasts.loc[forecasts["doc_id"] == doc, "forecast_id"])
    text = "".join([*(f"- {{action: drop_event, event_id: {e}, reason: x}}\n" for e in events),
                    *(f"- {{action: drop_forecast, forecast_id: {f}, reason: x}}\n" for f in dropped)])
    out = with_event_provenance(apply(tables, text))
    assert out["coverage"].set_index("doc_id").loc[doc, "outcome"] == "no_event"
