"""Hand-built communique/1 records for the store, export and engine tests (no spaCy)."""

from __future__ import annotations

from communique.records import (
    Actor,
    Article,
    ArticleMeta,
    Event,
    Participant,
    Place,
    PlaceRef,
    Plover,
    Quote,
    Record,
    SentenceSpan,
    Span,
    Speaker,
    Tone,
)

PEOPLE = {
    "Xi Jinping": ("CHNGOV", "CHN", "GOV"),
    "Alexander Lukashenko": ("BLRGOV", "BLR", "GOV"),
    "Vladimir Putin": ("RUSGOV", "RUS", "GOV"),
    "Ukraine": ("UKR", "UKR", None),
    "Russia": ("RUS", "RUS", None),
}
PLACES = {
    "Tianjin": ("CHN", 39.14, 117.18, 1792947, "city"),
    "Beijing": ("CHN", 39.91, 116.40, 1816670, "city"),
    "Minsk": ("BLR", 53.90, 27.57, 625144, "city"),
    "China": ("CHN", 35.0, 105.0, 1814991, "country"),
    "Kharkiv": ("UKR", 49.98, 36.25, 706483, "city"),
}
ADMIN1 = {"Tianjin": ("CN.28", "Tianjin"), "Minsk": ("BY.04", "Minsk City"), "Kharkiv": ("UA.07", "Kharkiv")}
CODES = {  # cameo -> (root, plover event, mode, goldstein, quad class)
    "042": ("04", "CONSULT", "visit", 1.9, 1),
    "043": ("04", "CONSULT", "host", 2.8, 1),
    "040": ("04", "CONSULT", None, 1.0, 1),
    "036": ("03", "SUPPORT", None, 4.0, 1),
    "190": ("19", "ASSAULT", None, -10.0, 4),
    "111": ("11", "ACCUSE", None, -2.0, 3),
}


def span(text: str, sub: str, start: int = 0) -> Span:
    i = text.index(sub, start)
    return Span(start=i, end=i + len(sub), text=sub)


def participant(text: str, name: str, actor_id: str | None, mention: str | None = None) -> Participant:
    code, country, sector = PEOPLE.get(name, ("", None, None))
    return Participant(actor=actor_id, span=span(text, mention or name), name=name, code=code, country=country,
                       sector=sector)


def report(text: str, *, date: str | None, source: str | None = None, id: str | None = None,
           events: list[tuple] = (), quotes: list[tuple] = (), tone: float = 0.0, url: str | None = None,
           ) -> tuple[Article, Record]:
    """An article and its record. ``events``: (source name, cameo, target name, trigger, place,
    event date[, negated]); names must occur in ``text``. ``quotes``: (speaker, quoted text, cue)."""
    actors: dict[str, Actor] = {}

    def actor(name: str | None) -> str | None:
        if name is None:
            return None
        if name not in actors:
            code, country, sector = PEOPLE.get(name, ("", None, None))
            kind = "country" if code and code == country else "person"
            actors[name] = Actor(id=f"a{len(actors) + 1}", span=span(text, name), name=name, code=code,
                                 country=country, sector=sector, kind=kind)
        return actors[name].id

    places: dict[str, Place] = {}
    evs = []
    for i, ev in enumerate(events, start=1):
        src, cameo, tgt, trigger, place, edate, *rest = ev
        negated = bool(rest[0]) if rest else False
        root, plover, mode, gold, quad = CODES[cameo]
        loc = None
        if place:
            if place not in places:
                c, lat, lon, gid, feat = PLACES[place]
                places[place] = Place(id=f"p{len(places) + 1}", span=span(text, place), name=place, country=c,
                                      lat=lat, lon=lon, geonames_id=gid, feature=feat,
                                      admin1_code=ADMIN1.get(place, (None,))[0],
                                      admin1_name=ADMIN1.get(place, (None, None))[1], role="event")
            loc = PlaceRef(place=places[place].id)
        trig = span(text, trigger)
        sent_start = text.rfind("\n", 0, trig.start) + 1
        sent_end = text.find("\n", trig.end)
        sent_end = len(text) if sent_end < 0 else sent_end
        evs.append(Event(
            id=f"e{i}", sentence=SentenceSpan(start=sent_start, end=sent_end), trigger=trig,
            source=participant(text, src, actor(src)) if src else None,
            target=participant(text, tgt, actor(tgt)) if tgt else None,
            cameo=cameo, cameo_root=root, plover=Plover(event=plover, mode=mode), goldstein=gold, quad_class=quad,
            date=edate, date_from="text" if edate and edate != date else ("article" if edate else None),
            location=loc, negated=negated, confidence=0.8))
    qs = []
    for i, (speaker, said, cue) in enumerate(quotes, start=1):
        code, country, _ = PEOPLE.get(speaker, ("", None, None))
        qs.append(Quote(id=f"q{i}", span=span(text, said), type="direct",
                        speaker=Speaker(actor=actor(speaker), span=span(text, speaker), name=speaker, code=code,
                                        country=country),
                        cue=span(text, cue)))
    rec = Record(article=ArticleMeta(id=id or f"art-{abs(hash(text)) % 10**8}", date=date, source=source, url=url),
                 actors=list(actors.values()), events=evs, quotes=qs, places=list(places.values()),
                 tone=Tone(tone=tone, words=len(text.split())))
    art = Article(text=text, id=rec.article.id, date=date, source=source, url=url, origin=f"<test {rec.article.id}>")
    return art, rec


def meeting_reports() -> list[tuple[Article, Record]]:
    """Two outlets report the same Tianjin meeting a day apart; a third reports a Minsk meeting."""
    t1 = ("Xi Jinping met Alexander Lukashenko in Tianjin on Friday.\n"
          "Lukashenko said: \"China is our closest friend.\"")
    t2 = ("Chinese leader Xi Jinping held talks with Alexander Lukashenko in Tianjin.\n"
          "The two discussed trade and the Shanghai Cooperation Organization summit.")
    t3 = ("Xi Jinping met Alexander Lukashenko in Minsk.\n"
          "Xi Jinping praised Belarus.")
    return [
        report(t1, date="2025-08-29", source="BELTA", id="belta-1", tone=3.0, url="https://belta.by/1",
               events=[("Xi Jinping", "042", "Alexander Lukashenko", "met", "Tianjin", "2025-08-29")],
               quotes=[("Alexander Lukashenko", "China is our closest friend.", "said")]),
        report(t2, date="2025-08-30", source="Xinhua", id="xinhua-1", tone=1.0,
               events=[("Xi Jinping", "042", "Alexander Lukashenko", "held talks", "Tianjin", "2025-08-29")]),
        report(t3, date="2025-09-20", source="BELTA", id="belta-2",
               events=[("Xi Jinping", "042", "Alexander Lukashenko", "met", "Minsk", "2025-09-20"),
                       ("Xi Jinping", "036", None, "praised", None, "2025-09-20")]),
    ]
