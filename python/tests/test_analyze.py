"""fevercheck.analyze returns the report the command line writes."""

import json
import subprocess

import pytest

import fevercheck


def cli_report(cli, tmp_path, session, *options):
    out = tmp_path / "report"
    done = subprocess.run(
        [cli, "analyze", str(session), "--out", str(out), "--plots", "none", "-q", *options],
        capture_output=True,
        text=True,
    )
    assert done.returncode in (0, 1), done.stderr
    report = json.loads((out / "report.json").read_text())
    report["tool"]["command_line"] = None
    return report


@pytest.mark.parametrize(
    "session, options, python_options",
    [
        ("clamping-up-down", [], {}),
        ("honest-21x3", ["--stated-accuracy", "0.3"], {"stated_accuracy": 0.3}),
        ("offset-fahrenheit-21x1", ["--alarm-threshold", "37.8"], {"alarm_threshold": 37.8}),
        ("frames-compressing-11x1", [], {}),
        (
            "european-locale",
            ["--exclude-outliers", "--stated-accuracy", "0.4"],
            {"exclude_outliers": True, "stated_accuracy": 0.4},
        ),
    ],
)
def test_the_report_equals_the_command_lines(
    repository, fevercheck_cli, tmp_path, session, options, python_options
):
    path = repository / "fixtures" / session
    expected = cli_report(fevercheck_cli, tmp_path, path, *options)
    report = fevercheck.analyze(path, **python_options)
    assert report == expected
    assert report["tool"]["command_line"] is None


def test_the_clamping_fixture_is_found_clamping(repository):
    # fixtures/clamping-up-down: readings clamped at 37.3 °C (regenerate.sh).
    report = fevercheck.analyze(repository / "fixtures" / "clamping-up-down")
    assert report["verdict"]["manipulation"] == "suspected"
    assert report["verdict"]["primary_signature"] == "clamp"


def test_bad_sessions_and_options_raise_with_the_command_lines_message(repository, tmp_path):
    with pytest.raises(fevercheck.FevercheckError, match="no-such-session"):
        fevercheck.analyze(tmp_path / "no-such-session")
    with pytest.raises(fevercheck.FevercheckError, match="--bogus"):
        fevercheck.analyze(repository / "fixtures" / "honest-21x3", bogus=1)
    with pytest.raises(fevercheck.FevercheckError, match="--stated-accuracy must be a positive"):
        fevercheck.analyze(repository / "fixtures" / "honest-21x3", stated_accuracy=-1)
    bad = tmp_path / "bad.csv"
    bad.write_text("reference_c,reported_c\n36.0,36.1\n37.0,abc\n")
    with pytest.raises(fevercheck.FevercheckError, match="line 3"):
        fevercheck.analyze(bad)


def test_out_writes_the_command_lines_files_under_its_rules(repository, fevercheck_cli, tmp_path):
    session = repository / "fixtures" / "clamping-up-down"
    out = tmp_path / "report"
    report = fevercheck.analyze(session, out=out, plots="svg")
    written = json.loads((out / "report.json").read_text())
    assert written == report
    assert written["tool"]["command_line"] is None
    assert (out / "report.html").is_file() and (out / "report.md").is_file()
    assert sorted(p.suffix for p in (out / "plots").iterdir()) == [".svg"] * len(list((out / "plots").iterdir()))
    assert report == cli_report(fevercheck_cli, tmp_path, session)
    # A folder holding a file of the user's is refused, and left as it was.
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    with pytest.raises(fevercheck.FevercheckError, match="notes.txt|fevercheck did not write"):
        fevercheck.analyze(session, out=mine)
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    assert (mine / "notes.txt").read_text() == "keep me"
    # An input is never an output.
    with pytest.raises(fevercheck.FevercheckError):
        fevercheck.analyze(session, out=session)
