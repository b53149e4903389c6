"""`manage.py load_frameworks`: every framework and item of the data folder, idempotent, all or nothing."""

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from socialplan.alignment.models import Framework, FrameworkItem
from socialplan.alignment.reference_data import DATA_DIR, ReferenceDataError
from socialplan.alignment.services import load_frameworks


def run(*args: str) -> str:
    out = StringIO()
    call_command("load_frameworks", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the data folder, to spoil."""
    return Path(shutil.copytree(DATA_DIR, tmp_path / "data"))


def spoil(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.django_db
def test_every_framework_is_loaded_with_its_items() -> None:
    output = run()

    assert list(Framework.objects.values_list("code", flat=True)) == [
        "EU-SEAP",
        "EU-CR",
        "EU-TP",
        "UN-SSE",
        "OECD-SSE",
        "ILO-SSE",
        "SDG",
    ]
    council = Framework.objects.get(code="EU-CR")
    assert council.year == 2023 and council.publisher == "Council of the European Union"
    assert council.title_it.startswith("Raccomandazione del Consiglio, del 27 novembre 2023")
    assert council.items.count() == 25
    state_aid = council.items.get(code="EU-CR-2.6")
    assert state_aid.parent is not None and state_aid.parent.code == "EU-CR-2"
    assert state_aid.title_en.startswith("Use State aid rules fully")
    assert not FrameworkItem.objects.get(framework__code="EU-SEAP", code="EU-SEAP-3.5").verified
    sdg = FrameworkItem.objects.filter(framework__code="SDG")
    assert sdg.filter(parent=None).count() == 17 and sdg.exclude(parent=None).count() == 169
    procurement = sdg.get(code="12.7")
    assert procurement.parent.code == "12" and procurement.title_it.startswith("Promuovere pratiche")
    assert sdg.get(code="12").title_en == "Responsible consumption and production"
    codes_of_goal_1 = list(sdg.filter(parent__code="1").values_list("code", flat=True))
    assert codes_of_goal_1 == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.a", "1.b"]
    assert "Frameworks: 317 created, 0 updated, 0 unchanged, 0 differences kept." in output


@pytest.mark.django_db
def test_a_second_run_changes_nothing() -> None:
    run()
    output = run()
    assert "0 created, 0 updated, 317 unchanged" in output
    assert FrameworkItem.objects.count() == 310


@pytest.mark.django_db
def test_corrections_made_on_the_platform_are_reported_and_kept_unless_overwritten() -> None:
    load_frameworks()
    FrameworkItem.objects.filter(framework__code="EU-CR", code="EU-CR-2.7").update(title_en="Taxation")

    output = run()
    assert "1 differences between the database and the files were kept" in output
    assert "EU-CR/EU-CR-2.7: title_en is 'Taxation' in the database" in output
    assert FrameworkItem.objects.get(code="EU-CR-2.7").title_en == "Taxation"

    output = run("--overwrite")
    assert "EU-CR/EU-CR-2.7" in output.split("updated ", 1)[1].splitlines()[0]
    assert FrameworkItem.objects.get(code="EU-CR-2.7").title_en.startswith("Favourable taxation")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "frameworks.yaml",
            "parent: EU-CR-2\n",
            "parent: EU-CR-9\n",
            "frameworks.yaml: item 'EU-CR-2.1' of 'EU-CR': the parent 'EU-CR-9' is not an item listed before it",
        ),
        (
            "frameworks.yaml",
            "code: EU-CR-2.7\n",
            "code: EU-CR-2.6\n",
            "frameworks.yaml: item 'EU-CR-2.6' of 'EU-CR': the code is used twice",
        ),
        (
            "frameworks.yaml",
            "code: EU-TP-14\n",
            "code: EU TP 14\n",
            "item 'EU TP 14' of 'EU-TP': the code may hold only letters, digits, dots and hyphens",
        ),
        (
            "frameworks.yaml",
            'label_en: "Favourable taxation: simpler procedures, well-designed tax incentives"',
            'label_en: ""',
            "item 'EU-CR-2.7' of 'EU-CR': 'label_en' is missing or empty",
        ),
        ("frameworks.yaml", "frameworks:\n", "frameworks: [\n", "frameworks.yaml: file: is not valid YAML"),
        ("sdg/global_targets_it.yml", "12-7-title:", "12-77-title:", "is not in both languages"),
    ],
    ids=["unknown-parent", "duplicate-code", "bad-code", "empty-label", "bad-yaml", "missing-translation"],
)
def test_a_bad_file_is_refused_whole_naming_the_file_the_item_and_the_reason(
    data_copy: Path, file: str, old: str, new: str, message: str
) -> None:
    spoil(data_copy / file, old, new)

    with pytest.raises(ReferenceDataError) as error:
        load_frameworks(data_dir=data_copy)

    assert message in str(error.value)
    assert not Framework.objects.exists() and not FrameworkItem.objects.exists()


@pytest.mark.django_db
def test_a_bad_file_changes_nothing_already_loaded(data_copy: Path) -> None:
    load_frameworks()
    spoil(data_copy / "frameworks.yaml", "code: EU-CR-2.7\n", "code: EU-CR-2.6\n")
    FrameworkItem.objects.filter(code="EU-CR-2.7").update(title_en="Taxation")

    with pytest.raises(ReferenceDataError):
        load_frameworks(data_dir=data_copy, overwrite=True)

    assert FrameworkItem.objects.get(code="EU-CR-2.7").title_en == "Taxation"


@pytest.mark.django_db
def test_the_command_reports_a_bad_file_as_a_command_error(data_copy: Path) -> None:
    with pytest.raises(CommandError) as error:
        call_command("load_frameworks", "--data-dir", str(data_copy / "missing"), stdout=StringIO())
    assert "frameworks.yaml - file: does not exist" in str(error.value)
    assert "Nothing was loaded" in str(error.value)
    assert not Framework.objects.exists()
