"""What a document page open in a browser receives about campaigns: each grouping event
carries the campaign with its counts and its representative (as GET shows comments), live and
in a catch-up, so static/js/document.js draws it as the server renders the page."""
from collab.extensions import db
from collab.models import Campaign
from tests.campaigns.helpers import FORM, OTHERS, PERSONAL
from tests.conftest import any_database, events_of
from tests.realtime.helpers import join, received


@any_database
def test_grouping_events_carry_the_campaign_and_its_representative(make, socket_client):
    from collab.services.campaign_grouping import group_all, group_step
    from collab.services.comments import edit_comment

    admin = make.admin()
    document = make.document(admin=admin)
    make.open_period(document, admin)
    clause_id = make.clause_ids(document)[1]
    reader = make.user(group="students")
    sock = socket_client(token=make.token(reader))
    since = join(sock, document.id)["head"]
    received(sock)
    first = make.comment(make.user(group="families"), clause_id, body=FORM)
    personal = make.comment(make.user(group="students"), clause_id, body=f"{FORM}\n\n{PERSONAL}")
    group_all(document.id)
    [campaign] = db.session.query(Campaign).all()

    [proposed] = received(sock, "campaign.proposed")
    assert proposed["campaign"] == {"id": campaign.id, "document_id": document.id, "state": "proposed",
                                    "representative_id": first.id, "count": 2, "unique_count": 1,
                                    "by_group": {"families": 1, "students": 1}}
    assert proposed["representative"]["id"] == first.id and proposed["representative"]["body"] == FORM
    assert proposed["data"]["unique_comment_ids"] == [personal.id]

    # The copy with a paragraph of its own is rewritten: it leaves, and the campaign of one is dissolved.
    edit_comment(personal.author, personal.id, body=OTHERS[0] + " " + OTHERS[1])
    received(sock)
    group_step()
    [left] = received(sock, "campaign.left")
    assert left["campaign"]["state"] == "dissolved" and "representative" not in left
    assert [c["id"] for c in left["comments"]] == [personal.id]

    # A catch-up (a page that reconnects) gets each campaign as it is now, as for comments.
    missed = join(sock, document.id, since=since)["missed"]
    by_action = {event["action"]: event for event in missed}
    assert by_action["campaign.proposed"]["campaign"]["state"] == "dissolved"
    assert by_action["campaign.left"]["comments"][0]["id"] == personal.id
    assert [e.action for e in events_of() if e.action.startswith("campaign.")] == ["campaign.proposed",
                                                                                  "campaign.left"]
