"""The way to the buyers' area: the header's link for signed-in people, and the board's for whoever publishes."""

from .conftest import url

AREA_LINK = 'href="{}">Buyers\' area</a>'


def test_a_signed_in_person_finds_the_buyers_area_in_the_header(client, setting):
    client.force_login(setting.people.stranger)
    for language in ("it", "en"):
        page = client.get(url("ecosystem:home", language=language)).content.decode()
        assert f'href="{url("buyers:home", language=language)}"' in page, language
    assert AREA_LINK.format(url("buyers:home")) in client.get(url("ecosystem:home")).content.decode()


def test_the_opportunities_board_points_buyers_to_their_area(client, setting):
    board = client.get(url("opportunities:board")).content.decode()
    assert f'Do you publish opportunities? <a href="{url("buyers:home")}">Publish them in the buyers\' area</a>' in (
        board
    )
    assert AREA_LINK.format(url("buyers:home")) not in board  # the header's link is for signed-in people


def test_the_link_leads_a_member_to_the_area(client, setting):
    client.force_login(setting.people.member)
    area = client.get(url("buyers:home"))
    assert area.status_code == 200 and setting.buyer.name in area.content.decode()
