"""The fixed vocabulary of the demo program: tiers, regions and their countries, specializations,
and the word lists partner organization names are built from.

Everything random in the generator draws from these lists, so the demo reads like a real
networking vendor's partner program rather than lorem ipsum.
"""

from __future__ import annotations

from dataclasses import dataclass

from cascade.tenancy.models import BusinessModel

PROGRAM_NAME = "Northwind Networks"
DEFAULT_TENANT_SLUG = "northwind"
PROGRAM_LOCALES = ("en", "fr", "de", "es", "ja")
PRIMARY_COLOUR = "#0b5cad"
ACCENT_COLOUR = "#e8772e"

# (name, rank, description); rank 1 is the entry tier.
TIERS = (
    ("Registered", 1, "Signed the partner agreement; access to sales and technical basics."),
    ("Silver", 2, "Certified sales and presales staff; deal registration and MDF eligible."),
    ("Gold", 3, "Specialized, with certified engineers in at least two specializations."),
    ("Platinum", 4, "Top partners: full specialization coverage and managed-service offers."),
)

SPECIALIZATIONS = (
    ("security", "Security", "Next-generation firewalls, zero trust access and SASE."),
    ("data-center", "Data Center", "Spine-leaf fabrics, switching and storage networking."),
    ("cloud-networking", "Cloud Networking", "Multi-cloud connectivity and cloud edge."),
    ("sd-wan", "SD-WAN", "Branch connectivity, WAN optimisation and SD-WAN orchestration."),
    ("wireless", "Wireless", "Wi-Fi 7 campus and industrial wireless."),
    ("collaboration", "Collaboration", "Unified communications and meeting-room systems."),
    ("automation", "Network Automation", "Intent-based networking, APIs and observability."),
    ("managed-services", "Managed Services", "Operating Northwind networks for customers."),
)


@dataclass(frozen=True)
class Country:
    code: str
    faker_locale: str
    # The language people there usually pick, or "" when the program does not offer theirs.
    language: str
    legal_forms: tuple[str, ...]
    cities: tuple[tuple[str, str], ...]  # (city, IANA time zone)


@dataclass(frozen=True)
class RegionInfo:
    code: str
    name: str
    weight: int  # share of partner organizations
    countries: tuple[tuple[str, int], ...]  # (ISO 3166 code, weight)


COUNTRIES = {
    c.code: c
    for c in (
        Country(
            "US",
            "en_US",
            "en",
            ("Inc.", "LLC", "Corp."),
            (
                ("New York", "America/New_York"),
                ("Chicago", "America/Chicago"),
                ("Austin", "America/Chicago"),
                ("Seattle", "America/Los_Angeles"),
                ("Denver", "America/Denver"),
                ("Atlanta", "America/New_York"),
                ("Boston", "America/New_York"),
                ("San Jose", "America/Los_Angeles"),
            ),
        ),
        Country(
            "CA",
            "en_CA",
            "en",
            ("Inc.", "Ltd."),
            (
                ("Toronto", "America/Toronto"),
                ("Vancouver", "America/Vancouver"),
                ("Montreal", "America/Toronto"),
                ("Calgary", "America/Edmonton"),
            ),
        ),
        Country(
            "GB",
            "en_GB",
            "en",
            ("Ltd", "plc"),
            (
                ("London", "Europe/London"),
                ("Manchester", "Europe/London"),
                ("Edinburgh", "Europe/London"),
                ("Bristol", "Europe/London"),
            ),
        ),
        Country(
            "IE", "en_IE", "en", ("Ltd",), (("Dublin", "Europe/Dublin"), ("Cork", "Europe/Dublin"))
        ),
        Country(
            "FR",
            "fr_FR",
            "fr",
            ("SAS", "SARL", "SA"),
            (
                ("Paris", "Europe/Paris"),
                ("Lyon", "Europe/Paris"),
                ("Toulouse", "Europe/Paris"),
                ("Lille", "Europe/Paris"),
                ("Nantes", "Europe/Paris"),
            ),
        ),
        Country(
            "DE",
            "de_DE",
            "de",
            ("GmbH", "AG", "GmbH & Co. KG"),
            (
                ("Berlin", "Europe/Berlin"),
                ("Munich", "Europe/Berlin"),
                ("Hamburg", "Europe/Berlin"),
                ("Frankfurt", "Europe/Berlin"),
                ("Cologne", "Europe/Berlin"),
            ),
        ),
        Country(
            "CH",
            "de_CH",
            "de",
            ("AG", "GmbH"),
            (("Zurich", "Europe/Zurich"), ("Geneva", "Europe/Zurich"), ("Basel", "Europe/Zurich")),
        ),
        Country(
            "ES",
            "es_ES",
            "es",
            ("S.L.", "S.A."),
            (
                ("Madrid", "Europe/Madrid"),
                ("Barcelona", "Europe/Madrid"),
                ("Valencia", "Europe/Madrid"),
                ("Seville", "Europe/Madrid"),
            ),
        ),
        Country(
            "IT",
            "it_IT",
            "",
            ("S.r.l.", "S.p.A."),
            (("Milan", "Europe/Rome"), ("Rome", "Europe/Rome"), ("Turin", "Europe/Rome")),
        ),
        Country(
            "NL",
            "nl_NL",
            "",
            ("B.V.",),
            (
                ("Amsterdam", "Europe/Amsterdam"),
                ("Rotterdam", "Europe/Amsterdam"),
                ("Utrecht", "Europe/Amsterdam"),
            ),
        ),
        Country(
            "SE",
            "sv_SE",
            "",
            ("AB",),
            (("Stockholm", "Europe/Stockholm"), ("Gothenburg", "Europe/Stockholm")),
        ),
        Country(
            "PL",
            "pl_PL",
            "",
            ("Sp. z o.o.", "S.A."),
            (
                ("Warsaw", "Europe/Warsaw"),
                ("Krakow", "Europe/Warsaw"),
                ("Wroclaw", "Europe/Warsaw"),
            ),
        ),
        Country(
            "AE",
            "en_IN",
            "en",
            ("FZ-LLC", "LLC"),
            (("Dubai", "Asia/Dubai"), ("Abu Dhabi", "Asia/Dubai")),
        ),
        Country(
            "ZA",
            "en_GB",
            "en",
            ("(Pty) Ltd",),
            (("Johannesburg", "Africa/Johannesburg"), ("Cape Town", "Africa/Johannesburg")),
        ),
        Country(
            "JP",
            "ja_JP",
            "ja",
            ("K.K.", "G.K."),
            (
                ("Tokyo", "Asia/Tokyo"),
                ("Osaka", "Asia/Tokyo"),
                ("Nagoya", "Asia/Tokyo"),
                ("Fukuoka", "Asia/Tokyo"),
            ),
        ),
        Country(
            "AU",
            "en_AU",
            "en",
            ("Pty Ltd",),
            (
                ("Sydney", "Australia/Sydney"),
                ("Melbourne", "Australia/Melbourne"),
                ("Brisbane", "Australia/Brisbane"),
                ("Perth", "Australia/Perth"),
            ),
        ),
        Country(
            "NZ",
            "en_NZ",
            "en",
            ("Ltd",),
            (("Auckland", "Pacific/Auckland"), ("Wellington", "Pacific/Auckland")),
        ),
        Country(
            "IN",
            "en_IN",
            "en",
            ("Pvt. Ltd.", "Ltd."),
            (
                ("Bengaluru", "Asia/Kolkata"),
                ("Mumbai", "Asia/Kolkata"),
                ("Pune", "Asia/Kolkata"),
                ("Hyderabad", "Asia/Kolkata"),
                ("Chennai", "Asia/Kolkata"),
            ),
        ),
        Country("SG", "en_GB", "en", ("Pte. Ltd.",), (("Singapore", "Asia/Singapore"),)),
        Country(
            "MX",
            "es_MX",
            "es",
            ("S.A. de C.V.",),
            (
                ("Mexico City", "America/Mexico_City"),
                ("Monterrey", "America/Monterrey"),
                ("Guadalajara", "America/Mexico_City"),
            ),
        ),
        Country(
            "BR",
            "pt_BR",
            "pt-br",
            ("Ltda.", "S.A."),
            (
                ("Sao Paulo", "America/Sao_Paulo"),
                ("Rio de Janeiro", "America/Sao_Paulo"),
                ("Curitiba", "America/Sao_Paulo"),
            ),
        ),
        Country(
            "AR",
            "es_AR",
            "es",
            ("S.R.L.", "S.A."),
            (
                ("Buenos Aires", "America/Argentina/Buenos_Aires"),
                ("Cordoba", "America/Argentina/Cordoba"),
            ),
        ),
        Country(
            "CO",
            "es_CO",
            "es",
            ("S.A.S.",),
            (("Bogota", "America/Bogota"), ("Medellin", "America/Bogota")),
        ),
        Country("CL", "es_CL", "es", ("SpA", "Ltda."), (("Santiago", "America/Santiago"),)),
    )
}

REGIONS = (
    RegionInfo("NA", "North America", 32, (("US", 80), ("CA", 20))),
    RegionInfo(
        "EMEA",
        "EMEA",
        38,
        (
            ("GB", 18),
            ("DE", 18),
            ("FR", 15),
            ("ES", 8),
            ("IT", 8),
            ("NL", 7),
            ("PL", 6),
            ("SE", 5),
            ("CH", 4),
            ("AE", 4),
            ("ZA", 4),
            ("IE", 3),
        ),
    ),
    RegionInfo("APAC", "APAC", 18, (("JP", 30), ("IN", 28), ("AU", 22), ("SG", 12), ("NZ", 8))),
    RegionInfo("LATAM", "LATAM", 12, (("BR", 40), ("MX", 35), ("AR", 10), ("CO", 10), ("CL", 5))),
)

# Brand-like words partner names start with ("Northwind" is the vendor, so it is not here).
NAME_WORDS = (
    "Apex", "Arcadia", "Aurora", "Beacon", "Birchwood", "Blue Harbor", "Boreal", "Brightline",
    "Cascade Peak", "Cedar", "Clearpath", "Cobalt", "Compass", "Copperleaf", "Crescent",
    "Crosswind",
    "Delta", "Driftwood", "Eastgate", "Ember", "Evergreen", "Falcon", "Fjord", "Foundry",
    "Granite", "Greenfield", "Halcyon", "Harbor", "Helix", "Highland", "Horizon", "Ironwood",
    "Juniper", "Keystone", "Kite", "Lakeshore", "Lighthouse", "Lodestar", "Maple", "Meridian",
    "Mistral", "Monarch", "Nimbus", "Northstar", "Oakridge", "Obsidian", "Orbit", "Pacifica",
    "Paragon", "Pinnacle", "Polaris", "Prairie", "Quantum", "Quarry", "Redwood", "Ridgeline",
    "Riverbend", "Sable", "Sequoia", "Sierra", "Silverline", "Skyward", "Solstice", "Sterling",
    "Stonebridge", "Summit", "Tidewater", "Timberline", "Trident", "Union Square", "Vantage",
    "Vertex", "Westbrook", "Willow", "Windward", "Zenith",
)  # fmt: skip
# Made-up compounds: "Netbridge", "Datacore"...
COMPOUND_STARTS = (
    "Net", "Data", "Cloud", "Cyber", "Signal", "Bright", "Clear", "True", "Swift", "Fiber", "Link",
    "Omni", "Blue", "Core", "Wave", "Secure",
)  # fmt: skip
COMPOUND_ENDS = (
    "bridge", "path", "point", "core", "gate", "stream", "field", "works", "scale", "line", "wave",
    "sphere", "logic", "nest", "forge", "span",
)  # fmt: skip

SUFFIXES = {
    BusinessModel.DISTRIBUTOR: ("Distribution", "Channel Distribution", "Supply", "Trading"),
    BusinessModel.RESELLER: (
        "Networks",
        "Systems",
        "IT",
        "Technologies",
        "Solutions",
        "Computing",
        "Tech",
        "Data",
    ),
    BusinessModel.MSP: ("Managed Services", "Cloud Services", "IT Services", "Operations"),
    BusinessModel.SYSTEM_INTEGRATOR: (
        "Integration",
        "Systems Integration",
        "Engineering",
        "Infrastructure",
    ),
    BusinessModel.REFERRAL: ("Partners", "Advisors", "Group"),
    BusinessModel.CONSULTANCY: ("Consulting", "Advisory"),
    BusinessModel.ISV: ("Software", "Labs"),
}

# Partner organizations that are not distributors, by business model (weights).
PARTNER_BUSINESS_MODELS = (
    (BusinessModel.RESELLER, 50),
    (BusinessModel.MSP, 18),
    (BusinessModel.SYSTEM_INTEGRATOR, 15),
    (BusinessModel.REFERRAL, 10),
    (BusinessModel.CONSULTANCY, 4),
    (BusinessModel.ISV, 3),
)
