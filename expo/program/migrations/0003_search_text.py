"""Fill the accent-free search text of the sessions that existed before it (expo/program/search.py)."""

from django.db import migrations


def fill(apps, schema_editor):
    from expo.program.search import session_search_text

    Session = apps.get_model("program", "Session")
    sessions = list(Session.objects.select_related("track").prefetch_related("speakers"))
    for session in sessions:
        tracks = [session.track.name_es, session.track.name_en] if session.track else []
        session.search_text = session_search_text(
            title=session.title, abstract=session.abstract,
            speakers=[(s.name, s.affiliation) for s in session.speakers.all()], tracks=tracks,
        )
    Session.objects.bulk_update(sessions, ["search_text"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("program", "0002_agenda_enrollment_attendance_certificates")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
