"""The serialization package: JSON entry points, options, lazy hooks, deprecated aliases."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from importlib import resources
from typing import Any

import cattrs
import pytest

import otocore
from otocore import campaigns as campaigns_module
from otocore import serialization
from otocore.campaigns import Campaign, sample_campaigns
from otocore.customers import Cpf, CpfPolicy, Customer
from otocore.errors import ValidationError
from otocore.filters import Filter, SegmentIn
from otocore.rfv import SegmentGrid, default_grid
from otocore.sellers import Store
from otocore.serialization import (
    OtocoreConverter,
    configure_converter,
    dump_campaigns,
    dumps,
    load_campaigns,
    loads,
    make_converter,
)

GRID_TEXT = json.dumps(serialization.converter.unstructure(default_grid()))
SAMPLE_TEXT = resources.files("otocore").joinpath("data/campaigns_sample.json").read_text("utf-8")
WHEN = datetime(2026, 3, 1, 15, 0, tzinfo=UTC)


def _customer_data(cpf: str) -> dict[str, Any]:
    customer = Customer(customer_id="C1", name="Ana Souza", registered_at=WHEN)
    data: dict[str, Any] = serialization.converter.unstructure(customer)
    data["cpf"] = cpf
    return data


# JSON entry points -----------------------------------------------------------------------


def test_loads_reads_what_dumps_writes() -> None:
    grid = default_grid()
    assert loads(dumps(grid), SegmentGrid) == grid
    assert loads(dumps(grid).encode(), SegmentGrid) == grid
    assert json.loads(dumps(grid, indent=2)) == json.loads(dumps(grid))
    assert "\n  " in dumps(grid, indent=2)


def test_loads_names_bad_json_and_bad_fields() -> None:
    with pytest.raises(ValidationError) as info:
        loads("{not json", SegmentGrid)
    assert info.value.field == "SegmentGrid"
    assert info.value.value == "{not json"
    with pytest.raises(ValidationError) as info:
        loads('{"store_id": "L1", "name": 3}', Store)
    assert [e.field for e in info.value.errors] == ["Store.name"]
    with pytest.raises(ValidationError) as info:
        loads("[", list[Store])
    assert info.value.field == "$"


def test_the_shipped_sample_file_reads_to_the_sample_campaigns() -> None:
    assert load_campaigns(SAMPLE_TEXT, grid=default_grid()) == sample_campaigns()
    assert dump_campaigns(sample_campaigns()) == SAMPLE_TEXT


def test_the_converter_is_built_once_on_first_use() -> None:
    first = serialization.converter
    assert isinstance(first, OtocoreConverter)
    assert serialization.converter is first
    assert "converter" in dir(serialization)


# options of make_converter -----------------------------------------------------------------


def test_make_converter_takes_its_options_by_keyword_only() -> None:
    with pytest.raises(TypeError):
        make_converter(CpfPolicy())  # type: ignore[misc]
    with pytest.raises(ValidationError, match="cpf_policy must be a CpfPolicy"):
        make_converter(cpf_policy=True)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="grid must be a SegmentGrid"):
        make_converter(grid="default")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="forbid_extra_keys must be True or False"):
        make_converter(forbid_extra_keys=None)  # type: ignore[arg-type]


def test_cpf_policy_reaches_a_cpf_inside_a_customer() -> None:
    data = _customer_data("111.111.111-11")
    with pytest.raises(ValidationError, match=r"Customer\.cpf must not repeat"):
        make_converter().structure(data, Customer)
    permissive = make_converter(cpf_policy=CpfPolicy(allow_repeated_digits=True))
    assert permissive.structure(data, Customer).cpf == Cpf("11111111111", allow_repeated=True)


def test_grid_checks_the_audience_of_a_campaign() -> None:
    data = serialization.converter.unstructure(sample_campaigns()[2])
    data["audience"] = {"segment_in": ["vips"]}
    assert make_converter().structure(data, Campaign).audience == SegmentIn(["vips"])
    with pytest.raises(ValidationError) as info:
        make_converter(grid=default_grid()).structure(data, Campaign)
    assert [e.field for e in info.value.errors] == ["Campaign.audience.segment_in[0]"]
    with pytest.raises(ValidationError) as info:
        make_converter(grid=default_grid()).structure({"not": {"segment_in": ["vips"]}}, Filter)
    assert [e.field for e in info.value.errors] == ["Filter.not.segment_in[0]"]


def test_forbid_extra_keys_can_be_turned_off() -> None:
    data = {"store_id": "L1", "name": "Centro", "manager": "Ana"}
    assert make_converter(forbid_extra_keys=False).structure(data, Store) == Store(
        store_id="L1", name="Centro"
    )
    with pytest.raises(ValidationError, match=r"Store\.manager is not a known field"):
        make_converter().structure(data, Store)


# hooks installed on first use ----------------------------------------------------------------


def test_a_hook_registered_before_its_part_is_installed_still_wins() -> None:
    conv = make_converter()

    def cpf_from_anything(value: Any, _: type) -> Cpf:
        return Cpf("52998224725")

    conv.register_structure_hook(Cpf, cpf_from_anything)  # before any customer type is seen
    assert conv.structure(_customer_data("not a cpf"), Customer).cpf == Cpf("52998224725")
    assert conv.structure("111", Cpf) == Cpf("52998224725")


def test_a_copy_has_every_hook() -> None:
    copy = make_converter().copy()
    assert copy.unstructure(Cpf("52998224725")) == "52998224725"
    with pytest.raises(ValidationError, match="must not repeat"):
        copy.structure(_customer_data("111.111.111-11"), Customer)


def test_a_plain_cattrs_converter_gets_every_hook_at_once() -> None:
    conv = cattrs.Converter()
    configure_converter(conv, cpf_policy=CpfPolicy(allow_repeated_digits=True))
    assert conv.structure("111.111.111-11", Cpf) == Cpf("11111111111", allow_repeated=True)
    data = conv.unstructure(sample_campaigns()[0])
    assert conv.structure(data, Campaign) == sample_campaigns()[0]


# deprecated aliases: each warns, names the new spelling and gives the same result ------------


def test_segment_grid_from_json_is_a_deprecated_alias_of_loads() -> None:
    with pytest.warns(
        DeprecationWarning, match=r"otocore\.serialization\.loads\(text, SegmentGrid\)"
    ):
        grid = SegmentGrid.from_json(GRID_TEXT)
    assert grid == loads(GRID_TEXT, SegmentGrid)
    data = json.loads(GRID_TEXT)
    with pytest.warns(DeprecationWarning, match="SegmentGrid.from_json is deprecated"):
        assert SegmentGrid.from_json(data) == serialization.structure(data, SegmentGrid)
    with (
        pytest.raises(ValidationError) as old,
        pytest.warns(DeprecationWarning, match="from_json"),
    ):
        SegmentGrid.from_json("{not json")
    with pytest.raises(ValidationError) as new:
        loads("{not json", SegmentGrid)
    assert str(old.value) == str(new.value)


def test_campaigns_load_and_dump_are_deprecated_aliases() -> None:
    with pytest.warns(
        DeprecationWarning,
        match=r"otocore\.campaigns\.load_campaigns is deprecated; use otocore\.serialization\.load_campaigns",
    ):
        old = campaigns_module.load_campaigns(SAMPLE_TEXT, grid=default_grid())
    assert old == load_campaigns(SAMPLE_TEXT, grid=default_grid())
    with pytest.warns(
        DeprecationWarning,
        match=r"otocore\.campaigns\.dump_campaigns is deprecated; use otocore\.serialization\.dump_campaigns",
    ):
        text = campaigns_module.dump_campaigns(old)
    assert text == dump_campaigns(old)
    with pytest.raises(ValidationError) as info, pytest.warns(DeprecationWarning, match="load"):
        campaigns_module.load_campaigns('[{"campaign_id": "X"}]')
    assert info.value.errors[0].field == "campaigns[0].name"


def test_top_level_load_campaigns_is_a_deprecated_alias() -> None:
    with pytest.warns(
        DeprecationWarning,
        match=r"otocore\.load_campaigns is deprecated; use otocore\.serialization\.load_campaigns",
    ):
        old = otocore.load_campaigns(SAMPLE_TEXT)
    assert old == load_campaigns(SAMPLE_TEXT) == sample_campaigns()
