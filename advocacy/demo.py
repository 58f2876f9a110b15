"""A demo data set: an Indonesian ride-hailing brand, its competitor, customers, mentions, referrals."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from advocacy.application import AdvocacyApplication
from advocacy.inputs import Handle, NewMention

OUR_BRAND = "Gojek"
COMPETITORS = ("Grab", "Maxim")
CHANNELS = ("instagram", "tiktok", "x", "facebook")

FIRST_NAMES = (
    "Budi", "Sari", "Andi", "Dewi", "Rina", "Agus", "Putri", "Eko", "Wulan", "Fajar",
    "Indah", "Joko", "Lestari", "Hendra", "Maya", "Rizky", "Nur", "Yoga", "Citra", "Dimas",
)
LAST_NAMES = ("Santoso", "Wijaya", "Pratama", "Saputra", "Lestari", "Hidayat", "Kurniawan", "Utami")

PRAISE = (
    "Pelayanannya mantap banget, sangat puas!",
    "Drivernya ramah dan cepat, keren banget {brand}",
    "Makasih {brand}, pesanan sampai tepat waktu. Recommended!",
    "Love the new {brand} promo, super hemat dan gampang dipakai",
    "Best app for ojek online, driver sopan sekali",
    "Udah 3 tahun pakai {brand}, nggak pernah kecewa",
    "Great service today, the driver was really helpful!",
    "Aplikasinya makin bagus, top deh",
)
COMPLAINTS = (
    "Aplikasinya lemot parah, kecewa banget",
    "Driver cancel terus, tidak profesional",
    "Saldo kepotong tapi order gagal, tolong dibantu dong",
    "Worst experience ever, waited 40 minutes and no driver",
    "CS nya lambat banget responnya, nyesel",
    "Harga naik terus tapi pelayanan makin jelek",
)
NEUTRAL = (
    "Ada promo apa minggu ini di {brand}?",
    "Jam berapa layanan {brand} buka besok?",
    "Baru download {brand}, coba dulu ah",
    "Is {brand} available in Makassar?",
)
SPAM = (
    "Lucky Club Casino Site - Login to your Instagram, TikTok 365 Followers, 138 Following, 689 Posts",
    "SLOT GACOR hari ini maxwin, depo 10rb via dana, link alternatif di bio!!",
    "Situs togel terpercaya RTP tinggi, WA 0812-3456-7890 sekarang",
    "Check out my channel for free followers!!! 1000 followers gratis",
)


def load_demo(app: AdvocacyApplication, *, now: datetime | None = None, seed: int = 7) -> int:
    """Record a realistic demo data set ending at `now` (the application's clock by default); returns the log
    position reached."""
    rng = random.Random(seed)
    now = (now or app.clock()).replace(microsecond=0)
    start = now - timedelta(days=75)
    app.track_brand(OUR_BRAND, own=True)
    for competitor in COMPETITORS:
        app.track_brand(competitor, own=False)
    app.define_campaign(
        "Ramadan Hemat",
        OUR_BRAND,
        (now - timedelta(days=40)).date(),
        (now - timedelta(days=20)).date(),
        "Diskon 50% untuk perjalanan berbuka puasa",
    )

    customers = _register_customers(app, rng)
    mentions = [_mention(rng, i, customers, start, now) for i in range(600)]
    for offset in range(0, len(mentions), 200):
        app.record_mentions(mentions[offset : offset + 200])
    _referrals(app, rng, customers, start, now)
    _outreach(app, rng, customers, now)
    return app.head()


def _register_customers(app: AdvocacyApplication, rng: random.Random) -> list[str]:
    crm_ids = []
    for n in range(40):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        crm_id = f"CRM-{1000 + n}"
        handle = f"{first.lower()}{last.lower()[:3]}{n}"
        app.register_customer(
            crm_id,
            f"{first} {last}",
            f"{handle}@example.co.id",
            [Handle(rng.choice(CHANNELS), handle)],
        )
        crm_ids.append(crm_id)
    return crm_ids


def _mention(rng: random.Random, i: int, customers: list[str], start: datetime, now: datetime) -> NewMention:
    brand = OUR_BRAND if rng.random() < 0.65 else rng.choice(COMPETITORS)
    roll = rng.random()
    pool = PRAISE if roll < 0.5 else COMPLAINTS if roll < 0.72 else NEUTRAL if roll < 0.9 else SPAM
    by_customer = pool is not SPAM and rng.random() < 0.6
    occurred = start + (now - start) * rng.random()
    return NewMention(
        source="demo-listening",
        external_id=f"demo-{i}",
        brand=brand,
        channel=rng.choice(CHANNELS),
        text=rng.choice(pool).format(brand=brand),
        occurred_at=occurred,
        crm_id=rng.choice(customers) if by_customer else None,
        author=None if by_customer else Handle(rng.choice(CHANNELS), f"user{rng.randrange(5000)}"),
        reach=int(rng.lognormvariate(6, 1.5)),
        campaign="Ramadan Hemat" if brand == OUR_BRAND and rng.random() < 0.2 else None,
    )


def _referrals(app: AdvocacyApplication, rng: random.Random, customers: list[str], start: datetime, now: datetime) -> None:
    for n in range(60):
        referrer = rng.choice(customers[:15])
        made = start + (now - start) * rng.random()
        external_id = f"demo-ref-{n}"
        app.make_referral(
            external_id,
            referrer,
            made,
            referee_email=f"teman{n}@example.co.id",
            referee_name=f"Teman {n}",
            campaign="Ramadan Hemat" if rng.random() < 0.3 else None,
        )
        if rng.random() < 0.4:
            app.convert_referral(
                external_id, f"CRM-NEW-{n}", min(now, made + timedelta(days=rng.randint(1, 10))), value=rng.choice((25000, 50000, 120000))
            )


def _outreach(app: AdvocacyApplication, rng: random.Random, customers: list[str], now: datetime) -> None:
    for crm_id in rng.sample(customers, 8):
        when = now - timedelta(days=rng.randint(1, 45))
        result = app.log_outreach(crm_id, rng.choice(("thank", "reward", "ask_review")), "officer.rina", occurred_at=when)
        if rng.random() < 0.5:
            app.answer_outreach(crm_id, result.id, "replied", occurred_at=when + timedelta(hours=5))
    app.opt_out(customers[3], occurred_at=now - timedelta(days=2))

