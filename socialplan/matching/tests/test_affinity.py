"""CPV affinity along the hierarchy, and the catch-all groups that say little."""

from socialplan.matching.affinity import SHARED_LEVEL, catch_all_prefixes, cpv_affinity


def test_a_capability_covers_the_codes_below_it_and_answers_part_of_the_codes_above():
    assert cpv_affinity("90911200", "90910000") == (1.0, 8)
    assert cpv_affinity("90910000", "90911200") == (0.8, 8)


def test_codes_sharing_a_class_a_group_or_a_division_score_less_the_higher_they_meet():
    assert cpv_affinity("90911200", "90919200") == (SHARED_LEVEL[4], 4)  # class 9091, cleaning services
    assert cpv_affinity("90911200", "90920000") == (SHARED_LEVEL[3], 3)  # group 909, cleaning and sanitation
    assert cpv_affinity("90911200", "90500000") == (SHARED_LEVEL[2], 2)  # division 90


def test_sharing_a_catch_all_group_counts_as_sharing_only_its_division():
    # 79900000 "Miscellaneous business and business-related services": reception desks and event services.
    assert "799" in catch_all_prefixes()
    assert cpv_affinity("79992000", "79952000") == (SHARED_LEVEL[2], 2)
    # A group that is not a catch-all keeps its level.
    assert "909" not in catch_all_prefixes()
    assert cpv_affinity("90911200", "90920000")[1] == 3
