"""A synthetic, realistic corpus of chip-geopolitics news articles, deterministic from a seed.

The sentence shapes are modelled on the dev articles (``../shared/eval/dev``) and the seeds: a dated lead
with the event and its source ("..., according to Reuters"), paragraphs mixing further events (export
controls, sanctions, tariffs, subsidies, probes, launches, capacity, investments, deals, results),
forecasts by research firms and executives ("TrendForce projects that ... will rise to around 60% by
2027"), quotes and background. Every sentence is new: a template filled with actors of the real registry
(``pipeline/actors/registry.yaml``, under their names and aliases), some made-up companies for actor
discovery, and random figures, products, places and dates. Articles are 2-6 KB with YAML front matter
(title, publisher, published date, url).

    python -m benchmarks.corpus --size 1000 --output /tmp/corpus-1000
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline.actors.registry import Actor, load_registry

FIRST_PUBLISHED = dt.date(2019, 1, 1)
LAST_PUBLISHED = dt.date(2026, 6, 30)
MIN_BYTES, MAX_BYTES = 2000, 6000

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
ORDINALS = ("first", "second", "third", "fourth")
PRODUCTS = ("H20", "H200", "B200", "B300", "MI308", "MI325", "MI400", "Ascend 910C", "Ascend 920", "Gaudi 3",
            "Trainium2", "TPU v6", "Blackwell Ultra", "Rubin", "Kunlun P800", "MTT S4000", "Siyuan 590")
TECH = ("chipmaking equipment", "high-bandwidth memory", "advanced AI accelerators", "lithography systems",
        "etching tools", "deposition equipment", "EDA software", "advanced packaging tools",
        "semiconductor manufacturing equipment", "AI chips", "memory chips", "metrology tools")
MINERALS = ("gallium", "germanium", "antimony", "graphite", "tungsten", "rare earths", "indium", "tellurium")
SEGMENTS = ("HBM", "DRAM", "NAND Flash", "foundry", "AI server", "advanced packaging", "mature-node",
            "smartphone", "GPU", "AI accelerator", "wafer fab equipment", "edge AI", "automotive chip")
NODES = ("2nm", "3nm", "4nm", "5nm", "7nm", "14nm", "28nm", "A16", "N2P")
PLACES = ("Arizona", "Kumamoto", "Dresden", "Hsinchu", "Texas", "Ohio", "Hokkaido", "Pyeongtaek", "Wuxi",
          "Penang", "Kaohsiung", "New York", "Magdeburg", "Singapore", "Gujarat", "Idaho", "Shanghai",
          "Shenzhen", "Hiroshima", "Tainan")
NEWSWIRES = ("Reuters", "Bloomberg", "Nikkei", "the Financial Times", "The Information", "DigiTimes",
             "Focus Taiwan", "the South China Morning Post", "Yonhap", "Caixin", "The Elec", "CNBC")
FAKE_PREFIXES = ("Xin", "Hua", "Zhong", "Yang", "Tian", "Kai", "Rui", "Jing", "Bo", "Hai", "Sun", "Nova",
                 "Quanta", "Lumi", "Veri", "Astra", "Helio", "Tera")
FAKE_STEMS = ("long", "xin", "tong", "chip", "wei", "ming", "feng", "core", "sil", "wave", "gate", "logic")
FAKE_SUFFIXES = ("Technologies", "Semiconductor", "Microelectronics", "Electronics", "Systems", "Materials")
CITIES = ("Shenzhen", "Shanghai", "Hefei", "Wuhan", "Beijing", "Hsinchu", "Seoul", "Tokyo", "Austin",
          "Eindhoven", "Xi'an", "Chengdu")


@dataclass(frozen=True)
class Cast:
    """The registry's actors by role in a sentence, with the surface forms articles use for them."""

    governments: tuple[Actor, ...]
    agencies: tuple[Actor, ...]
    companies: tuple[Actor, ...]
    people: tuple[Actor, ...]
    outlets: tuple[Actor, ...]
    research: tuple[Actor, ...]
    bodies: tuple[Actor, ...]

    @classmethod
    def from_registry(cls) -> Cast:
        by_type: dict[str, list[Actor]] = {}
        for actor in load_registry().actors.values():
            by_type.setdefault(actor.actor_type, []).append(actor)
        return cls(*(tuple(sorted(by_type.get(t, ()), key=lambda a: a.actor_id)) for t in (
            "country_government", "government_agency", "company", "person", "media_outlet", "research_firm",
            "industry_body")))


def surface(actor: Actor, rng: random.Random) -> str:
    """A name or alias of the actor as an article would write it (never one starting lowercase)."""
    forms = [actor.name] + [a for a in actor.aliases if a[:1].isupper() and not a.startswith("The ")]
    return rng.choice(forms)


class Slots:
    """Fills a template's ``{slot}`` fields with fresh actors, figures and dates for one article."""

    def __init__(self, cast: Cast, rng: random.Random, published: dt.date):
        self.cast, self.rng, self.published = cast, rng, published
        # An article is about a few actors, named again and again (as news is), plus some passers-by.
        self.main_company = rng.choice(cast.companies)
        self.main_government = rng.choice(cast.governments[:20])
        self.fake = self._fake_company()

    def _fake_company(self) -> str:
        rng = self.rng
        return f"{rng.choice(FAKE_PREFIXES)}{rng.choice(FAKE_STEMS)} {rng.choice(FAKE_SUFFIXES)}"

    def company(self) -> str:
        roll = self.rng.random()
        if roll < 0.35:
            return surface(self.main_company, self.rng)
        return surface(self.rng.choice(self.cast.companies), self.rng)

    def government(self) -> str:
        if self.rng.random() < 0.5:
            return surface(self.main_government, self.rng)
        return surface(self.rng.choice(self.cast.governments), self.rng)

    def agency(self) -> str:
        """An agency as news names it: "the Commerce Department", but "MOFCOM", "China's Ministry of ..."."""
        name = surface(self.rng.choice(self.cast.agencies), self.rng)
        first = name.split()[0]
        return name if first.isupper() or "'" in first or "’" in first else f"the {name}"

    def country(self) -> str:
        """A government named by its country (the first alias), for "exports to X", "X's share"."""
        actor = self.main_government if self.rng.random() < 0.4 else self.rng.choice(self.cast.governments)
        return actor.aliases[0] if actor.aliases else actor.name

    def year(self, ahead: int = 0) -> int:
        return self.published.year + ahead

    def money(self) -> str:
        rng = self.rng
        amount = rng.choice((rng.randint(2, 99) / 10, rng.randint(1, 120), rng.randint(100, 900)))
        text = f"{amount:g}"
        roll = rng.random()
        if roll < 0.55:
            return f"US${text} {rng.choice(('billion', 'million'))}"
        if roll < 0.7:
            return f"${text} {rng.choice(('billion', 'million'))}"
        if roll < 0.8:
            return f"€{text} billion"
        if roll < 0.9:
            return f"{text} billion {rng.choice(('yen', 'yuan'))}"
        return f"{text} trillion won"

    def pct(self) -> str:
        rng = self.rng
        return f"{rng.choice((rng.randint(2, 95), rng.randint(10, 950) / 10)):g}%"

    def date(self) -> str:
        """A date phrase before the publication date: weekday, day of month, month, quarter or half."""
        rng, year = self.rng, self.published.year
        roll = rng.random()
        if roll < 0.35:
            return f"on {rng.choice(WEEKDAYS)}"
        if roll < 0.6:
            month = rng.randint(1, self.published.month)
            return f"on {MONTHS[month - 1]} {rng.randint(1, 28)}"
        if roll < 0.75:
            return f"in {rng.choice(MONTHS)} {year - rng.randint(0, 2)}"
        if roll < 0.9:
            return f"in {rng.randint(1, 4)}Q{(year - rng.randint(0, 1)) % 100:02d}"
        return f"last {rng.choice(MONTHS)}"

    def horizon(self) -> str:
        rng, year = self.rng, self.published.year
        roll = rng.random()
        if roll < 0.45:
            return f"{rng.choice(('in', 'by'))} {year + rng.randint(0, 5)}"
        if roll < 0.6:
            return f"in {rng.randint(1, 2)}H{(year + rng.randint(0, 2)) % 100:02d}"
        if roll < 0.75:
            return f"in {rng.randint(1, 4)}Q{(year + rng.randint(0, 1)) % 100:02d}"
        if roll < 0.85:
            return "this year"
        if roll < 0.93:
            return "next year"
        return f"through fiscal {year + rng.randint(1, 6)}"

    def attribution(self) -> str:
        rng = self.rng
        source = rng.choice(NEWSWIRES) if rng.random() < 0.75 else surface(rng.choice(self.cast.outlets), rng)
        return rng.choice(("according to {s}", "as per {s}", "{s} reported", "citing {s}")).format(s=source)

    def fill(self, template: str) -> str:
        rng = self.rng
        values: dict[str, Callable[[], object]] = {
            "company": self.company, "company2": lambda: surface(rng.choice(self.cast.companies), rng),
            "gov": self.government, "country": self.country, "country2": self.country,
            "agency": self.agency,
            "person": lambda: surface(rng.choice(self.cast.people), rng),
            "outlet": lambda: surface(rng.choice(self.cast.outlets), rng),
            "firm": lambda: surface(rng.choice(self.cast.research), rng),
            "body": lambda: surface(rng.choice(self.cast.bodies), rng),
            "fake": lambda: self.fake, "city": lambda: rng.choice(CITIES),
            "attr": self.attribution, "date": self.date, "date2": self.date, "horizon": self.horizon,
            "weekday": lambda: rng.choice(WEEKDAYS), "month": lambda: rng.choice(MONTHS),
            "year": self.year, "prev_year": lambda: self.year(-rng.randint(1, 4)),
            "money": self.money, "money2": self.money, "pct": self.pct, "pct2": self.pct,
            "num": lambda: rng.randint(2, 400), "big": lambda: f"{rng.randint(11, 990) * 1000:,}",
            "ord": lambda: rng.choice(ORDINALS), "product": lambda: rng.choice(PRODUCTS),
            "tech": lambda: rng.choice(TECH), "mineral": lambda: rng.choice(MINERALS),
            "mineral2": lambda: rng.choice(MINERALS), "segment": lambda: rng.choice(SEGMENTS),
            "node": lambda: rng.choice(NODES), "place": lambda: rng.choice(PLACES),
        }
        fields = {}
        for name in _fields(template):
            fields[name] = values[name]()
        text = template.format(**fields)
        return text[:1].upper() + text[1:]


def _fields(template: str) -> list[str]:
    import string

    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


# Sentence templates by kind. Events first (one family per event type of the contract), then forecasts,
# then quotes and background; each is one sentence as the dev articles write them.
EVENTS = (
    # export controls tightened
    "{agency} {date} unveiled new export controls on {tech} shipped to {country}, {attr}.",
    "{gov} said {date} that it will widen its national export controls on {tech} from {month} 1, requiring "
    "licences for certain {tech}.",
    "Exports of {mineral} and {mineral2} to {country} will no longer be permitted, {agency} said {date}.",
    "{gov} imposed new curbs on exports of {tech} to {country} {date}, citing national security.",
    "{company} said {date} that {gov} had told it that a licence is now required to ship its {product} "
    "chips to {country}.",
    # export controls eased
    "{gov} approved {company}'s {product} exports to {country} {date}, {attr}.",
    "{gov} lifted the ban on shipments of {tech} to {country} {date}, easing one of the curbs imposed in "
    "{prev_year}.",
    # sanctions
    "{agency} {date} added {num} entities to the Entity List, including {company} and {fake}.",
    "{company} has been on the Entity List since {month} {prev_year}, which restricts its access to tools "
    "for processes at {node} and below.",
    "{gov} blacklisted {company} and {num} of its affiliates {date}, {attr}.",
    # tariffs
    "{gov} raised tariffs on imported {tech} to {pct} from {pct2} {date}, {attr}.",
    "{gov} announced {date} that it would impose tariffs of {pct} on {segment} chips made in {country}.",
    # procurement policy
    "{gov} has added domestic AI chips from {company} and {company2} to its official government procurement "
    "list, {attr}.",
    "{body} urged domestic companies to be cautious when buying chips from {country}, arguing that they are "
    "no longer reliable.",
    # industrial policy
    "{agency} approved up to {money} in additional subsidies for {company} for fiscal {year}.",
    "{agency} finalized up to {money} in CHIPS Act grants for {company}'s {place} fab {date}.",
    "{gov} set up a state-backed chip fund with registered capital of {money}, {attr}.",
    # regulatory action
    "{agency} said {date} that it has opened an investigation into {company} over suspected violations of "
    "antitrust rules, {attr}.",
    "{agency} conditionally approved {company}'s acquisition of {company2} {date}.",
    # product launches
    "{company} unveiled its next-generation {product} accelerator {date}, {attr}.",
    "{company} started shipping {segment} samples to major customers {date}, the company said.",
    "{city}-based chipmaker {fake} launched a new {segment} processor {date}.",
    # production capacity
    "{company} entered volume production on its {node} process at its {place} fab {date}.",
    "{company} started running its {node} pilot line in {place} {date}, a milestone on the way to mass "
    "production in {year}.",
    "{company} broke ground on a new fab in {place} {date}, with a planned capacity of {big} wafers per month.",
    # investment
    "{company} plans to invest {money} in a new advanced packaging plant in {place}, the company said {date}.",
    "{company} set its capital budget for {year} at {money} to {money2}, {attr}.",
    "{gov} plans to take an equity stake in {company} with a {money} investment.",
    # acquisitions
    "{company} agreed to acquire {company2} for about {money}, {attr}.",
    "{company} completed its {money} acquisition of {company2} {date}.",
    # partnerships and orders
    "{company} signed a multiyear supply agreement with {company2} worth {money} {date}.",
    "{company} and {company2} reportedly ordered at least {money} worth of {product} chips {date}.",
    "{company} partnered with {company2} to develop {segment} chips in {place}, {attr}.",
    # financial results
    "{company} {date} reported {ord}-quarter revenue of {money}, up {pct} year-on-year, {attr}.",
    "{company}'s net profit jumped {pct} to {money} in the quarter, beating analysts' expectations.",
    "{company} said {date} that it expects to take charges of up to about {money} tied to its {product} "
    "inventory.",
)
FORECASTS = (
    "{firm} projects that {country}'s share of global {segment} capacity will rise to around {pct} {horizon}.",
    "According to {firm}, total {segment} shipments are projected to exceed {big} units {horizon}.",
    "{firm} expects {segment} revenue to grow by about {pct} {horizon}, with {company} gaining share.",
    "{person} told analysts that revenue is expected to grow by close to {pct} {horizon}.",
    "{company} expects revenue in the {ord} quarter to fall by {pct} to {pct2} sequentially.",
    "{firm} estimates that the {segment} market will expand to roughly {money} {horizon}, up from {money2} "
    "in {prev_year}.",
    "Some analysts warn that {company}'s {segment} share could slip below {pct} {horizon}.",
    "{company} targets revenue of {money} to {money2} {horizon}, {attr}.",
    "{firm} forecasts that {segment} contract prices will rise {pct} to {pct2} quarter-on-quarter {horizon}.",
    "{firm} noted that {company} could hold more than {pct} of the {segment} market {horizon}.",
    "{company} expects capital expenditure to stay roughly flat at around {money} {horizon}.",
    "A {outlet} report suggests the restrictions could cost {company} between {money} and {money2} in revenue "
    "{horizon}.",
)
QUOTES = (
    '"We will continue to comply with all applicable regulations," a {company} spokesperson said.',
    "{person} said the measures were aimed at protecting national security and would be applied narrowly.",
    "{person} described the move as a serious escalation, {attr}.",
    "A spokesperson for {agency} said the department was reviewing the rules and declined to comment further.",
    "{company} declined to comment on the report.",
)
BACKGROUND = (
    "{segment} has become one of the tightest bottlenecks in AI server supply.",
    "Export controls on {tech} have been a central lever of technology policy since {month} {prev_year}.",
    "The move comes amid a rapid escalation in the tech standoff between {country} and {country2}.",
    "Investors reacted cautiously, and {company}'s shares fell {pct} {date}, {attr}.",
    "Demand had been running hot as customers pulled in orders ahead of possible new restrictions.",
    "{company} remains a large but shrinking market player, and its {segment} business accounted for about "
    "{pct} of revenue in {prev_year}.",
    "Overseas fabs typically carry higher construction and labor costs than plants at home, which tends to "
    "weigh on margins.",
    "Analysts say buyers may need years to build alternative supply chains.",
    "{country} dominates the supply of {mineral}, accounting for {pct} of refined output last year.",
    "Founded in {prev_year} with backing from several local companies, {fake} designs {segment} chips.",
    "The {product} is a pared-back accelerator designed to comply with earlier rules, and it had been among "
    "the most capable chips that could still be sold legally in {country}.",
    "{segment} chips stack several dies on top of one another and sit right next to the processor in the "
    "same package.",
    "Most of the rules take effect immediately, although some provisions carry a compliance date of {month} "
    "{num}.",
    "The timing is awkward for {company}, whose customers in {country} generated roughly {pct} of its sales.",
    "Funding remains the biggest open question for the project, and private investment so far has been "
    "modest.",
    "Investors will look for fresh commentary on demand when {company} reports results on {month} {num}.",
    "{country} remains an important market for {company} despite the restrictions.",
    "The three suppliers are on different footing, and yields remain the main constraint.",
)
HEADINGS = ("Outlook", "Market reaction", "Supply chain", "Policy background", "What comes next")
TITLES = (
    "{company} {verb} as {gov} Weighs New Chip Curbs",
    "{gov} Moves on {tech}; {company} Says Impact Limited",
    "{firm}: {segment} Market Seen Growing {pct} {horizon}",
    "{company} Reports Results, Guides {segment} Demand Higher",
    "{agency} Targets {company} in Latest Chip Action",
)


class ArticleWriter:
    """Writes article ``i`` of a corpus: same seed and index, same text."""

    def __init__(self, seed: int = 7):
        self.seed = seed
        self.cast = Cast.from_registry()

    def published(self, rng: random.Random) -> dt.date:
        span = (LAST_PUBLISHED - FIRST_PUBLISHED).days
        return FIRST_PUBLISHED + dt.timedelta(days=rng.randint(0, span))

    def sentence(self, slots: Slots, kind: tuple[str, ...]) -> str:
        return slots.fill(slots.rng.choice(kind))

    def paragraph(self, slots: Slots) -> str:
        rng = slots.rng
        kinds = [EVENTS, FORECASTS, QUOTES, BACKGROUND]
        weights = [0.3, 0.2, 0.1, 0.4]
        return " ".join(self.sentence(slots, rng.choices(kinds, weights)[0]) for _ in range(rng.randint(2, 4)))

    def article(self, index: int) -> dict:
        """Article ``index``: its metadata and body, as a feed line holds them."""
        rng = random.Random(f"{self.seed}:{index}")
        published = self.published(rng)
        slots = Slots(self.cast, rng, published)
        target = rng.randint(MIN_BYTES, MAX_BYTES - 400)  # room for the last paragraph and the front matter
        paragraphs = [self.sentence(slots, EVENTS) + " " + self.sentence(slots, EVENTS)]
        while sum(len(p.encode()) + 2 for p in paragraphs) < target:
            if rng.random() < 0.08:
                paragraphs.append(rng.choice(HEADINGS))
            paragraphs.append(self.paragraph(slots))
        title = slots.fill(rng.choice(TITLES).replace("{verb}", rng.choice(("Slips", "Rallies", "Expands"))))
        publisher = surface(rng.choice(self.cast.outlets), rng)
        slug = hashlib.sha256(f"{self.seed}:{index}".encode()).hexdigest()[:12]
        return {"id": slug, "title": title, "publisher": publisher, "published": published.isoformat(),
                "url": f"https://news.example.com/{slug}", "text": "\n\n".join(paragraphs) + "\n"}

    def text(self, index: int) -> str:
        """Article ``index`` as a file: YAML front matter, then the body."""
        a = self.article(index)
        front = (f"---\ntitle: {_yaml_string(a['title'])}\npublisher: {_yaml_string(a['publisher'])}\n"
                 f"published: {a['published']}\nurl: {a['url']}\n---\n")
        return front + a["text"]


def _yaml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def file_name(index: int) -> str:
    return f"article-{index:06d}.txt"


def write_corpus(folder: Path, size: int, seed: int = 7, start: int = 0) -> list[Path]:
    """Articles ``start .. start+size-1`` of the corpus of this seed, one ``.txt`` file each."""
    folder.mkdir(parents=True, exist_ok=True)
    writer = ArticleWriter(seed)
    paths = []
    for index in range(start, start + size):
        path = folder / file_name(index)
        path.write_text(writer.text(index), encoding="utf-8")
        paths.append(path)
    return paths


def feed_name(size: int) -> str:
    return f"feed-{size:06d}.jsonl"


def write_feed(folder: Path, size: int, seed: int = 7) -> Path:
    """Articles ``0 .. size-1`` of the corpus of this seed as one JSONL feed (one article per line)."""
    folder.mkdir(parents=True, exist_ok=True)
    writer = ArticleWriter(seed)
    path = folder / feed_name(size)
    with open(path, "w", encoding="utf-8") as handle:
        for index in range(size):
            handle.write(json.dumps(writer.article(index), ensure_ascii=False) + "\n")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--output", required=True)
    parser.add_argument("--feed", action="store_true", help="one JSONL feed instead of a file per article")
    args = parser.parse_args(argv)
    if args.feed:
        path = write_feed(Path(args.output), args.size, args.seed)
        print(f"wrote {args.size} articles ({path.stat().st_size / 2**20:.1f} MiB) to {path}")
        return 0
    paths = write_corpus(Path(args.output), args.size, args.seed)
    total = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} articles ({total / len(paths) / 1024:.1f} KiB on average) to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
