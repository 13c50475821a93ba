"""The demo program's catalog as plain data: what Northwind Networks teaches its partners.

Lessons and microlearning cards carry their text (a summary, key points and a paragraph on
practice, assembled into a Markdown body), their formats, the product versions they cover, the
audience and owning team they belong to, and some translations. Modules gather lessons (the same
lesson appears in several modules and courses), courses gather modules, and learning paths mix
courses, lessons and cards with electives. `cascade.demo.catalog_seed` writes all of it through
the catalog's services; items marked `tiny` are the subset the test scale writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# Teams that own content, and the demo logins (local parts) who belong to them. Every team holds
# one of the two demo reviewers, so content for every partner can collect its owning team's
# approval.
TEAMS: dict[str, tuple[str, ...]] = {
    "Channel": ("admin", "cam"),
    "Product": ("reviewer", "author"),
    "Marketing": ("admin",),
}

# (product line, version, released on, superseded by): several versions side by side, one legacy.
PRODUCT_VERSIONS: tuple[tuple[str, str, str, str | None], ...] = (
    ("Firewall OS", "7.4", "2023-03-14", "8.0"),
    ("Firewall OS", "8.0", "2025-02-11", None),
    ("SD-WAN Orchestrator", "3.2", "2024-09-24", None),
    ("Campus Wi-Fi 7", "2025.1", "2025-01-28", None),
    ("Fabric Manager", "5.1", "2024-11-05", None),
    ("Zero Trust Access", "2.0", "2025-05-20", None),
)
FW74 = "Firewall OS 7.4"
FW80 = "Firewall OS 8.0"
SDWAN = "SD-WAN Orchestrator 3.2"
WIFI = "Campus Wi-Fi 7 2025.1"
FABRIC = "Fabric Manager 5.1"
ZTA = "Zero Trust Access 2.0"

VIDEO_HOST = "https://media.northwind.example/videos"


@dataclass(frozen=True)
class Text:
    title: str
    summary: str
    body: str


@dataclass(frozen=True)
class LessonPlan:
    key: str
    kind: str  # "lesson" or "card"
    title: str
    summary: str
    points: tuple[str, ...]
    practice: str
    minutes: int
    team: str
    audience: str
    # Equivalent formats, in the order learners are offered them: video, article, document, link.
    formats: tuple[str, ...]
    versions: tuple[str, ...] = ()
    translations: Mapping[str, Text] = field(default_factory=dict)
    # The video has captions and a transcript in the media library.
    tracks: bool = False
    link: str = ""
    tiny: bool = False

    @property
    def body(self) -> str:
        return lesson_body(self.summary, self.points, self.practice)


def lesson_body(summary: str, points: tuple[str, ...], practice: str) -> str:
    bullets = "\n".join(f"- {point}" for point in points)
    return f"{summary}\n\n## Key points\n\n{bullets}\n\n## In practice\n\n{practice}\n"


@dataclass(frozen=True)
class ContainerPlan:
    key: str
    kind: str  # "module", "course" or "path"
    title: str
    summary: str
    team: str
    audience: str
    children: tuple[str, ...]
    # Paths only: children that are electives, and how many of them complete the path.
    electives: tuple[str, ...] = ()
    electives_required: int = 0
    versions: tuple[str, ...] = ()
    teaser: bool = False
    translations: Mapping[str, Text] = field(default_factory=dict)
    tiny: bool = False


def _fr(title: str, summary: str, body: str) -> Text:
    return Text(title, summary, body)


LESSONS: tuple[LessonPlan, ...] = (
    # --- the portfolio and the partner program --------------------------------------------------
    LessonPlan(
        key="portfolio",
        kind="lesson",
        title="The Northwind portfolio in 15 minutes",
        summary="Firewalls, SD-WAN, campus Wi-Fi, data center fabrics and zero trust access: what "
        "each product line solves, and which customers buy it.",
        points=(
            "Firewall OS secures the edge and the data center with one policy model.",
            "SD-WAN Orchestrator connects branches over any transport and steers applications.",
            "Campus Wi-Fi 7 and Fabric Manager modernise the campus and the data center.",
            "Zero Trust Access replaces VPNs with per-application access.",
        ),
        practice="Open every first customer meeting with the map of the portfolio, then go deep "
        "on the one or two lines that match the customer's current project.",
        minutes=15,
        team="Channel",
        audience="everyone",
        formats=("video", "article", "document"),
        tracks=True,
        tiny=True,
        translations={
            "fr": _fr(
                "Le portefeuille Northwind en 15 minutes",
                "Pare-feu, SD-WAN, Wi-Fi de campus, fabrics de centre de données et accès zero "
                "trust : ce que résout chaque gamme, et quels clients l'achètent.",
                "Chaque gamme répond à un projet client précis.\n\n## À retenir\n\n"
                "- Firewall OS protège la périphérie et le centre de données.\n"
                "- SD-WAN Orchestrator relie les agences sur tout type de lien.\n"
                "- Zero Trust Access remplace le VPN par un accès par application.\n",
            ),
            "de": _fr(
                "Das Northwind-Portfolio in 15 Minuten",
                "Firewalls, SD-WAN, Campus-WLAN, Rechenzentrums-Fabrics und Zero-Trust-Zugriff: "
                "welches Problem jede Produktlinie löst und wer sie kauft.",
                "Jede Produktlinie passt zu einem bestimmten Kundenprojekt.\n\n## Das Wichtigste\n"
                "\n- Firewall OS schützt Netzwerkrand und Rechenzentrum.\n"
                "- SD-WAN Orchestrator verbindet Filialen über jede Leitung.\n"
                "- Zero Trust Access ersetzt das VPN durch Zugriff pro Anwendung.\n",
            ),
        },
    ),
    LessonPlan(
        key="partner-program",
        kind="lesson",
        title="How the Northwind partner program works",
        summary="Tiers, specializations, benefits and what it takes to move up from Registered "
        "to Platinum.",
        points=(
            "Four tiers: Registered, Silver, Gold and Platinum, reviewed every quarter.",
            "Tiers depend on certified people per role and on specializations held.",
            "Deal registration, market development funds and rebates grow with the tier.",
        ),
        practice="Check your organization's tier requirements in the partner portal each quarter "
        "and plan certifications a quarter ahead of the review.",
        minutes=10,
        team="Channel",
        audience="everyone",
        formats=("article", "document"),
        tiny=True,
        translations={
            "fr": _fr(
                "Comment fonctionne le programme partenaires Northwind",
                "Niveaux, spécialisations, avantages, et ce qu'il faut pour passer de Registered "
                "à Platinum.",
                "Quatre niveaux, revus chaque trimestre.\n\n## À retenir\n\n"
                "- Le niveau dépend des personnes certifiées par rôle.\n"
                "- Les avantages (enregistrement d'affaires, fonds marketing) augmentent avec le "
                "niveau.\n",
            ),
        },
    ),
    LessonPlan(
        key="deal-registration",
        kind="lesson",
        title="Registering a deal, step by step",
        summary="Protect your opportunity and your margin: when to register, what to enter and "
        "how approval works.",
        points=(
            "Register as soon as the customer has a budget and a timeline.",
            "Approval takes two business days; the registration lasts 90 days.",
            "Registered deals earn extra discount on the quote.",
        ),
        practice="Register before the first quote goes out, and extend the registration from "
        "the portal if the decision slips.",
        minutes=12,
        team="Channel",
        audience="everyone",
        formats=("video", "article"),
        translations={
            "fr": _fr(
                "Enregistrer une affaire, pas à pas",
                "Protégez votre opportunité et votre marge : quand enregistrer, quoi saisir et "
                "comment se passe l'approbation.",
                "Enregistrez dès que le client a un budget et un calendrier.\n\n## À retenir\n\n"
                "- L'approbation prend deux jours ouvrés.\n"
                "- L'enregistrement dure 90 jours.\n",
            ),
        },
    ),
    LessonPlan(
        key="mdf",
        kind="lesson",
        title="Planning a campaign with market development funds",
        summary="How to request MDF, which activities qualify and how to claim the funds after "
        "the campaign.",
        points=(
            "Submit the plan at least 30 days before the activity.",
            "Events, digital campaigns and demand generation qualify; merchandise does not.",
            "Claims need proof of performance within 60 days.",
        ),
        practice="Plan two campaigns per half-year around Northwind launches and reuse the "
        "marketing kit's assets to save preparation time.",
        minutes=10,
        team="Marketing",
        audience="no_referral",
        formats=("article", "link"),
        link="https://partners.northwind.example/mdf",
    ),
    LessonPlan(
        key="value-selling",
        kind="lesson",
        title="Selling outcomes, not boxes",
        summary="Turn a hardware refresh into a business conversation: risk, cost of operations "
        "and time to deploy.",
        points=(
            "Start from the customer's business goal, not from the data sheet.",
            "Quantify operating cost: truck rolls, tickets, outages.",
            "Tie each product to one measurable outcome.",
        ),
        practice="Before each meeting, write down the outcome the customer will be measured on "
        "and the Northwind capability that moves it.",
        minutes=18,
        team="Channel",
        audience="sales_presales",
        formats=("video", "article"),
        tiny=True,
    ),
    LessonPlan(
        key="discovery",
        kind="lesson",
        title="Discovery questions for network refresh projects",
        summary="Twelve questions that reveal the real project behind a request for quotes.",
        points=(
            "Ask what triggered the project now.",
            "Map who owns security, the network and the budget.",
            "Find the deadline that cannot move.",
        ),
        practice="Use the downloadable question sheet in your next discovery call and share the "
        "answers with your Northwind channel manager.",
        minutes=14,
        team="Channel",
        audience="sales_presales",
        formats=("article", "document"),
    ),
    LessonPlan(
        key="competitive",
        kind="lesson",
        title="Positioning against the incumbent",
        summary="Where Northwind wins, where it does not, and how to run a fair proof of concept.",
        points=(
            "Lead with operations: one policy model across edge and data center.",
            "Offer a scoped proof of concept with written success criteria.",
            "Never disparage the incumbent; compare outcomes.",
        ),
        practice="Agree on success criteria with the customer before any proof of concept "
        "starts, and book the Northwind lab two weeks ahead.",
        minutes=20,
        team="Marketing",
        audience="gold_plus",
        formats=("article", "document"),
    ),
    LessonPlan(
        key="pricing",
        kind="lesson",
        title="Quoting and the price list",
        summary="Build a correct quote: bundles, subscriptions, support levels and partner "
        "discounts.",
        points=(
            "Hardware, subscription and support are quoted as one bundle.",
            "Subscriptions are co-termed to one renewal date.",
            "Tier and deal registration discounts stack.",
        ),
        practice="Use the quoting tool rather than the spreadsheet price list: it applies "
        "co-terming and discounts for you.",
        minutes=12,
        team="Channel",
        audience="everyone",
        formats=("article", "link"),
        link="https://partners.northwind.example/quote",
    ),
    LessonPlan(
        key="renewals",
        kind="lesson",
        title="Renewals and support contracts",
        summary="Keep customers covered and your revenue recurring: renewal notices, grace "
        "periods and upgrades at renewal.",
        points=(
            "Renewal notices go out 90, 60 and 30 days before expiry.",
            "A 30-day grace period keeps support running while paperwork completes.",
            "Renewal is the best moment to propose the next version.",
        ),
        practice="Review your renewal pipeline every month and pair each renewal with an "
        "upgrade proposal.",
        minutes=8,
        team="Channel",
        audience="everyone",
        formats=("article",),
    ),
    LessonPlan(
        key="hospital-story",
        kind="lesson",
        title="Customer story: a hospital group's campus refresh",
        summary="How a reseller replaced 1,200 access points across four hospitals without a "
        "minute of clinical downtime.",
        points=(
            "Night-time cut-overs planned ward by ward.",
            "Wi-Fi 7 access points with location services for equipment tracking.",
            "One operations team for wired and wireless.",
        ),
        practice="Use this story with healthcare prospects; the slide version is in the "
        "marketing kit.",
        minutes=9,
        team="Marketing",
        audience="everyone",
        formats=("video", "article"),
    ),
    LessonPlan(
        key="co-marketing",
        kind="lesson",
        title="Co-branded campaigns with the marketing kit",
        summary="Ready-made e-mails, landing pages and social posts you can brand as your own.",
        points=(
            "Every launch ships with a campaign in a box.",
            "Co-branding rules: your logo first, Northwind's as 'powered by'.",
            "Campaign results count toward MDF proof of performance.",
        ),
        practice="Pick one campaign per quarter from the kit and run it to your installed base.",
        minutes=10,
        team="Marketing",
        audience="no_referral",
        formats=("article", "document"),
    ),
    # --- Firewall OS ------------------------------------------------------------------------------
    LessonPlan(
        key="fw-architecture",
        kind="lesson",
        title="Firewall OS 8.0 architecture",
        summary="The data plane, the management plane and the security services, and how traffic "
        "flows through them.",
        points=(
            "Single-pass inspection: each packet is parsed once for every security service.",
            "The management plane runs separately, so a busy console never slows traffic.",
            "Security services update hourly from Northwind threat intelligence.",
        ),
        practice="Draw the traffic flow for the customer's main use case before sizing: "
        "inspection features, not port speed, decide the model.",
        minutes=22,
        team="Product",
        audience="everyone",
        formats=("video", "article", "document"),
        versions=(FW80,),
        tracks=True,
        tiny=True,
        translations={
            "fr": _fr(
                "Architecture de Firewall OS 8.0",
                "Le plan de données, le plan de gestion et les services de sécurité, et le "
                "parcours du trafic.",
                "Chaque paquet est analysé une seule fois.\n\n## À retenir\n\n"
                "- Inspection en une passe pour tous les services de sécurité.\n"
                "- Le plan de gestion est séparé du trafic.\n",
            ),
        },
    ),
    LessonPlan(
        key="fw-policy-model",
        kind="lesson",
        title="The unified policy model",
        summary="One rule base for users, applications and devices, from the branch to the data "
        "center.",
        points=(
            "Rules name users and applications, not addresses and ports.",
            "Objects are shared across every firewall of a customer.",
            "Rule order matters: the first matching rule decides.",
        ),
        practice="When reviewing a customer's rule base, look for rules written with addresses "
        "and ports: each one is a candidate for an application rule.",
        minutes=16,
        team="Product",
        audience="everyone",
        formats=("article",),
        versions=(FW80,),
        tiny=True,
    ),
    LessonPlan(
        key="fw-ha",
        kind="lesson",
        title="High availability and clustering",
        summary="Active-passive pairs, active-active clusters and what happens during a failover.",
        points=(
            "Sessions are synchronised, so failover keeps connections open.",
            "Clusters of up to eight members scale inspection throughput.",
            "Upgrades roll member by member without downtime.",
        ),
        practice="Recommend an active-passive pair for branches and a cluster where inspection "
        "throughput, not availability, is the constraint.",
        minutes=18,
        team="Product",
        audience="everyone",
        formats=("video", "article"),
        versions=(FW80,),
    ),
    LessonPlan(
        key="fw-migration",
        kind="lesson",
        title="Migrating policies from 7.4 to 8.0",
        summary="The migration tool, what it converts automatically and what needs a human "
        "decision.",
        points=(
            "Address-based rules convert one to one; application rules are suggested.",
            "VPN and NAT settings are imported unchanged.",
            "Run the migration report before the change window.",
        ),
        practice="Run the migration tool in report mode two weeks before the change window and "
        "review every suggested application rule with the customer.",
        minutes=20,
        team="Product",
        audience="everyone",
        formats=("article", "document"),
        versions=(FW74, FW80),
        tiny=True,
    ),
    LessonPlan(
        key="fw74-admin",
        kind="lesson",
        title="Firewall OS 7.4: day-to-day administration",
        summary="Backups, updates, log review and user management on Firewall OS 7.4.",
        points=(
            "Schedule configuration backups daily.",
            "Apply security service updates automatically.",
            "Review denied traffic weekly.",
        ),
        practice="Customers still on 7.4 should plan their move to 8.0; use this lesson to keep "
        "their current firewalls healthy in the meantime.",
        minutes=15,
        team="Product",
        audience="everyone",
        formats=("article",),
        versions=(FW74,),
        tiny=True,
    ),
    LessonPlan(
        key="fw74-upgrade",
        kind="lesson",
        title="Firewall OS 7.4: upgrade planning",
        summary="Supported upgrade paths from 7.4 and how to size the change window.",
        points=(
            "Upgrade to 7.4.9 first, then to 8.0.",
            "Allow 20 minutes per firewall pair.",
            "Keep the 7.4 configuration backup until the customer signs off.",
        ),
        practice="Book the change window only after the migration report is clean.",
        minutes=10,
        team="Product",
        audience="everyone",
        formats=("article",),
        versions=(FW74,),
    ),
    LessonPlan(
        key="fw-logging",
        kind="lesson",
        title="Logging and threat reports",
        summary="Find what matters in the logs and turn it into a monthly report customers read.",
        points=(
            "Filter by threat severity and by application first.",
            "Scheduled reports go to the customer as PDF.",
            "Logs can be forwarded to any SIEM over syslog or HTTPS.",
        ),
        practice="Offer a monthly threat report as part of every support contract: it makes the "
        "firewall's value visible.",
        minutes=14,
        team="Product",
        audience="everyone",
        formats=("video", "article"),
        versions=(FW80,),
    ),
    LessonPlan(
        key="fw-lab",
        kind="lesson",
        title="Hands-on lab: your first 8.0 cluster",
        summary="Build a two-member cluster in the Northwind virtual lab and fail it over.",
        points=(
            "The lab runs in your browser; nothing to install.",
            "Each lab session lasts two hours.",
            "Your progress is saved between sessions.",
        ),
        practice="Book the lab from the link below and follow the guide in the lab's side panel.",
        minutes=120,
        team="Product",
        audience="everyone",
        formats=("link",),
        versions=(FW80,),
        link="https://labs.northwind.example/firewall-cluster",
    ),
    # --- Zero Trust Access -----------------------------------------------------------------------
    LessonPlan(
        key="zt-concepts",
        kind="lesson",
        title="Zero trust access, explained for customers",
        summary="Why per-application access replaces the VPN, in words a customer's board "
        "understands.",
        points=(
            "Every request is checked: user, device posture and application.",
            "Users reach applications, never the network.",
            "Rolling out zero trust is a journey of a few applications at a time.",
        ),
        practice="Start with one application the customer exposes through the VPN today, and "
        "show how access works without it.",
        minutes=12,
        team="Product",
        audience="everyone",
        formats=("video", "article"),
        versions=(ZTA,),
        translations={
            "fr": _fr(
                "L'accès zero trust expliqué aux clients",
                "Pourquoi l'accès par application remplace le VPN, avec des mots que comprend "
                "un comité de direction.",
                "Chaque requête est vérifiée.\n\n## À retenir\n\n"
                "- Les utilisateurs accèdent aux applications, jamais au réseau.\n"
                "- Le déploiement se fait application par application.\n",
            ),
        },
    ),
    LessonPlan(
        key="zt-design",
        kind="lesson",
        title="Designing a zero trust rollout",
        summary="Inventory applications, group users, choose connectors and plan the waves.",
        points=(
            "Inventory applications and who uses them.",
            "Place connectors close to the applications, not the users.",
            "Move applications in waves of five to ten.",
        ),
        practice="Use the design workbook to run the inventory workshop with the customer.",
        minutes=25,
        team="Product",
        audience="security",
        formats=("article", "document"),
        versions=(ZTA,),
    ),
    LessonPlan(
        key="zt-demo",
        kind="lesson",
        title="Running the zero trust demo",
        summary="A 20-minute demonstration script with the hosted demo environment.",
        points=(
            "Show a user reaching an application with no VPN.",
            "Show access denied when the device falls out of compliance.",
            "End with the audit trail.",
        ),
        practice="Rehearse the demo once with your team before showing it to customers.",
        minutes=20,
        team="Product",
        audience="sales_presales",
        formats=("video", "link"),
        versions=(ZTA,),
        link="https://demo.northwind.example/zero-trust",
    ),
    # --- SD-WAN ----------------------------------------------------------------------------------
    LessonPlan(
        key="sdwan-basics",
        kind="lesson",
        title="SD-WAN fundamentals",
        summary="Overlay tunnels, application steering and zero-touch provisioning of branches.",
        points=(
            "The overlay runs across broadband, 5G and MPLS at once.",
            "Applications are steered by measured loss, latency and jitter.",
            "Branches come online by scanning a QR code: zero-touch provisioning.",
        ),
        practice="In every SD-WAN opportunity, ask for the list of critical applications first: "
        "steering policies start from it.",
        minutes=20,
        team="Product",
        audience="everyone",
        formats=("video", "article", "document"),
        versions=(SDWAN,),
        tracks=True,
        tiny=True,
        translations={
            "fr": _fr(
                "Les bases du SD-WAN",
                "Tunnels overlay, pilotage des applications et provisionnement sans intervention "
                "des agences.",
                "L'overlay utilise tous les liens disponibles.\n\n## À retenir\n\n"
                "- Les applications sont pilotées selon la perte, la latence et la gigue.\n"
                "- Une agence se met en service en scannant un QR code.\n",
            ),
        },
    ),
    LessonPlan(
        key="sdwan-design",
        kind="lesson",
        title="Designing a branch network",
        summary="Branch profiles, hub placement and transport choices for resilient branches.",
        points=(
            "Define three or four branch profiles and reuse them.",
            "Place hubs near the applications, usually in the data centers or the cloud.",
            "Two different transports per branch avoid a single point of failure.",
        ),
        practice="Sketch the branch profiles with the customer during the first design workshop.",
        minutes=18,
        team="Product",
        audience="everyone",
        formats=("article",),
        versions=(SDWAN,),
        tiny=True,
    ),
    LessonPlan(
        key="sdwan-orchestrator",
        kind="lesson",
        title="Working in the orchestrator",
        summary="Templates, policies and monitoring in SD-WAN Orchestrator 3.2.",
        points=(
            "Templates keep hundreds of branches consistent.",
            "Policy changes are staged and rolled out in waves.",
            "The application health view shows where users suffer.",
        ),
        practice="Build one template per branch profile and never configure a branch by hand.",
        minutes=16,
        team="Product",
        audience="everyone",
        formats=("video", "article"),
        versions=(SDWAN,),
    ),
    LessonPlan(
        key="sdwan-troubleshooting",
        kind="lesson",
        title="Troubleshooting tunnels and paths",
        summary="Diagnose tunnel flaps, asymmetric paths and poor application experience.",
        points=(
            "Start from the application health view, then drill into paths.",
            "Tunnel flaps usually point at the underlay, not the overlay.",
            "Packet captures run from the orchestrator on any branch.",
        ),
        practice="Keep a runbook of the five most frequent issues your customers report.",
        minutes=25,
        team="Product",
        audience="gold_plus",
        formats=("article",),
        versions=(SDWAN,),
        tiny=True,
    ),
    LessonPlan(
        key="sdwan-emea-residency",
        kind="lesson",
        title="Data residency rules for EMEA branch networks",
        summary="Where SD-WAN telemetry is stored for EMEA customers and what to tell their data "
        "protection officer.",
        points=(
            "Telemetry of EMEA customers stays in the Frankfurt and Paris regions.",
            "Logs contain no payload, only flow metadata.",
            "The data processing agreement is available in every EMEA language.",
        ),
        practice="Share the data processing agreement early: it shortens legal review by weeks.",
        minutes=8,
        team="Product",
        audience="emea",
        formats=("article",),
        versions=(SDWAN,),
        translations={
            "fr": _fr(
                "Résidence des données pour les réseaux d'agences en EMEA",
                "Où sont stockées les données de télémétrie SD-WAN des clients EMEA, et quoi "
                "dire à leur délégué à la protection des données.",
                "La télémétrie reste à Francfort et à Paris.\n\n## À retenir\n\n"
                "- Les journaux ne contiennent que des métadonnées de flux.\n",
            ),
            "de": _fr(
                "Datenresidenz für Filialnetze in EMEA",
                "Wo SD-WAN-Telemetrie von EMEA-Kunden gespeichert wird und was der "
                "Datenschutzbeauftragte wissen muss.",
                "Die Telemetrie bleibt in Frankfurt und Paris.\n\n## Das Wichtigste\n\n"
                "- Protokolle enthalten nur Flussmetadaten.\n",
            ),
        },
    ),
    # --- Campus Wi-Fi 7 ---------------------------------------------------------------------------
    LessonPlan(
        key="wifi7",
        kind="lesson",
        title="What Wi-Fi 7 changes for campus networks",
        summary="Multi-link operation, 320 MHz channels and what they mean for dense offices.",
        points=(
            "Multi-link operation uses two bands at once for lower latency.",
            "320 MHz channels in 6 GHz double peak throughput.",
            "Existing cabling works; switches need multi-gigabit ports.",
        ),
        practice="Check the customer's switch ports before quoting Wi-Fi 7 access points.",
        minutes=14,
        team="Product",
        audience="everyone",
        formats=("video", "article"),
        versions=(WIFI,),
        translations={
            "de": _fr(
                "Was Wi-Fi 7 für Campus-Netze ändert",
                "Multi-Link-Betrieb, 320-MHz-Kanäle und was sie für dichte Büros bedeuten.",
                "Wi-Fi 7 nutzt zwei Frequenzbänder gleichzeitig.\n\n## Das Wichtigste\n\n"
                "- 320-MHz-Kanäle im 6-GHz-Band verdoppeln den Spitzendurchsatz.\n"
                "- Switches brauchen Multi-Gigabit-Ports.\n",
            ),
        },
    ),
    LessonPlan(
        key="wifi-survey",
        kind="lesson",
        title="Site surveys and access point placement",
        summary="Predictive and on-site surveys, and the placement rules that avoid coverage "
        "holes.",
        points=(
            "Start with a predictive survey from the floor plans.",
            "Validate on site in the hardest areas: stairwells, labs, warehouses.",
            "Place access points for capacity, not only coverage.",
        ),
        practice="Attach the survey report to every Wi-Fi quote.",
        minutes=16,
        team="Product",
        audience="everyone",
        formats=("article", "document"),
        versions=(WIFI,),
    ),
    LessonPlan(
        key="wifi-roaming",
        kind="lesson",
        title="Roaming and client troubleshooting",
        summary="Why clients stick to the wrong access point and how to fix it.",
        points=(
            "Fast roaming needs 802.11r on both sides.",
            "Minimum data rates push clients to roam earlier.",
            "The client timeline shows every association decision.",
        ),
        practice="Ask for the client timeline before changing any radio setting.",
        minutes=12,
        team="Product",
        audience="everyone",
        formats=("article",),
        versions=(WIFI,),
    ),
    # --- data center ------------------------------------------------------------------------------
    LessonPlan(
        key="dc-fabric",
        kind="lesson",
        title="Spine-leaf fabrics with Fabric Manager",
        summary="Build, expand and operate a spine-leaf fabric from one console.",
        points=(
            "Fabric Manager computes the underlay from the cabling plan.",
            "EVPN-VXLAN overlays are defined by intent, not by device.",
            "Adding a leaf takes minutes.",
        ),
        practice="Import the customer's cabling plan into Fabric Manager during the design "
        "phase: it catches cabling errors before installation.",
        minutes=20,
        team="Product",
        audience="everyone",
        formats=("video", "article"),
        versions=(FABRIC,),
    ),
    LessonPlan(
        key="dc-automation",
        kind="lesson",
        title="Automating the fabric with the API",
        summary="Use the Fabric Manager REST API and the Terraform provider.",
        points=(
            "Every console action is available in the API.",
            "The Terraform provider manages overlays as code.",
            "Change previews show the device configuration before it is pushed.",
        ),
        practice="Offer customers an automation starter: their first overlay written as code.",
        minutes=18,
        team="Product",
        audience="everyone",
        formats=("article", "link"),
        versions=(FABRIC,),
        link="https://developer.northwind.example/fabric-manager",
    ),
    LessonPlan(
        key="dc-sizing",
        kind="lesson",
        title="Sizing a data center fabric",
        summary="Oversubscription, port counts and growth: sizing rules for spines and leaves.",
        points=(
            "Keep leaf oversubscription at 3:1 or lower for general workloads.",
            "Size spines for the fabric's final size, not day one.",
            "Storage traffic deserves its own leaves.",
        ),
        practice="Use the sizing workbook and keep the customer's three-year growth plan next "
        "to it.",
        minutes=22,
        team="Product",
        audience="gold_plus",
        formats=("article", "document"),
        versions=(FABRIC,),
    ),
    # --- managed services ------------------------------------------------------------------------
    LessonPlan(
        key="msp-offer",
        kind="lesson",
        title="Building a managed firewall offer",
        summary="Service tiers, what to monitor and what to include in a managed firewall "
        "contract.",
        points=(
            "Three service tiers: monitored, managed and co-managed.",
            "Monitor health, threats and capacity; report monthly.",
            "Price per site with a floor per customer.",
        ),
        practice="Start with the monitored tier for existing customers: it turns them into "
        "managed customers within a year.",
        minutes=20,
        team="Channel",
        audience="msp_presales",
        formats=("article", "document"),
        versions=(FW80,),
    ),
    LessonPlan(
        key="msp-portal",
        kind="lesson",
        title="Operating customers in the multi-tenant portal",
        summary="One console for every customer you manage, with role-based access for your team.",
        points=(
            "Each customer is a tenant with its own policies and reports.",
            "Your engineers switch customers without signing in again.",
            "Customers can get read-only access to their own tenant.",
        ),
        practice="Give each customer read-only access: it reduces status calls.",
        minutes=15,
        team="Channel",
        audience="msp_presales",
        formats=("video", "article"),
    ),
    LessonPlan(
        key="msp-pricing",
        kind="lesson",
        title="Pricing managed services on Northwind",
        summary="Consumption licensing for MSPs, and how to price your services on top of it.",
        points=(
            "MSP licences are billed monthly by consumption.",
            "Commit to a yearly minimum for a better rate.",
            "Bundle support hours into the service price.",
        ),
        practice="Model three customers of different sizes before setting your price list.",
        minutes=12,
        team="Channel",
        audience="msp_presales",
        formats=("article",),
    ),
    # --- pilot -----------------------------------------------------------------------------------
    LessonPlan(
        key="pilot-assistant",
        kind="lesson",
        title="Early access: the network assistant",
        summary="Ask questions about a customer's network in plain language and get answers "
        "with evidence.",
        points=(
            "The assistant reads configuration and telemetry, never payloads.",
            "Every answer links to the data it used.",
            "Early-access partners shape the feature with their feedback.",
        ),
        practice="Try the assistant on your own lab network first, then on one consenting "
        "customer.",
        minutes=15,
        team="Channel",
        audience="pilot",
        formats=("video", "article"),
        tiny=True,
    ),
    LessonPlan(
        key="pilot-feedback",
        kind="lesson",
        title="Giving feedback on early-access features",
        summary="How early-access partners report issues and ideas, and what happens next.",
        points=(
            "Use the feedback form for ideas and the support portal for defects.",
            "Product managers answer every submission within a week.",
        ),
        practice="Collect feedback from your engineers weekly and send one consolidated report.",
        minutes=5,
        team="Channel",
        audience="pilot",
        formats=("article", "link"),
        link="https://partners.northwind.example/early-access/feedback",
    ),
    # --- support ---------------------------------------------------------------------------------
    LessonPlan(
        key="support-cases",
        kind="lesson",
        title="Opening and escalating support cases",
        summary="Severity levels, what to attach to a case and when to escalate.",
        points=(
            "Severity 1 means a production network is down; call, do not e-mail.",
            "Attach the technical support file from the device to every case.",
            "Escalate through your channel manager after two missed updates.",
        ),
        practice="Create a support portal account for each of your engineers before they need it.",
        minutes=10,
        team="Channel",
        audience="everyone",
        formats=("article", "link"),
        link="https://support.northwind.example",
        tiny=True,
    ),
    LessonPlan(
        key="support-rma",
        kind="lesson",
        title="Hardware returns (RMA) for partners",
        summary="Advance replacement, return shipping and failure analysis.",
        points=(
            "Advance replacement ships the next business day.",
            "Return the failed unit within 15 days.",
            "Failure analysis reports are available on request.",
        ),
        practice="Keep a spare of the most common access point and switch models for your "
        "largest customers.",
        minutes=6,
        team="Channel",
        audience="everyone",
        formats=("article",),
    ),
    # --- microlearning cards ---------------------------------------------------------------------
    LessonPlan(
        key="card-sdwan-qualify",
        kind="card",
        title="Three questions that qualify an SD-WAN deal",
        summary="How many branches, which applications matter, and when the MPLS contract ends.",
        points=(
            "How many branches, and how many are added each year?",
            "Which applications suffer today?",
            "When does the MPLS contract end?",
        ),
        practice="Ask all three in the first call.",
        minutes=3,
        team="Channel",
        audience="sales_presales",
        formats=("article",),
        versions=(SDWAN,),
        tiny=True,
    ),
    LessonPlan(
        key="card-fw-licences",
        kind="card",
        title="Firewall OS 8.0 licence tiers at a glance",
        summary="Essentials, Advanced and Complete: which security services each one includes.",
        points=(
            "Essentials: firewall, VPN and application control.",
            "Advanced: adds intrusion prevention and URL filtering.",
            "Complete: adds sandboxing and DNS security.",
        ),
        practice="Quote Advanced by default; it is what most customers need.",
        minutes=2,
        team="Product",
        audience="everyone",
        formats=("article",),
        versions=(FW80,),
    ),
    LessonPlan(
        key="card-wifi7",
        kind="card",
        title="Wi-Fi 7 in one minute",
        summary="The three Wi-Fi 7 features customers ask about, in one sentence each.",
        points=(
            "Multi-link operation: two bands at once.",
            "320 MHz channels: twice the peak throughput.",
            "4K QAM: more data per transmission.",
        ),
        practice="Use these three sentences in your next Wi-Fi conversation.",
        minutes=1,
        team="Marketing",
        audience="everyone",
        formats=("article",),
        versions=(WIFI,),
    ),
    LessonPlan(
        key="card-deal-fields",
        kind="card",
        title="Deal registration: the five fields that matter",
        summary="Customer, budget, decision date, competitor and products: fill these well and "
        "approval is quick.",
        points=(
            "The customer's legal name, not a nickname.",
            "A budget range and a decision date.",
            "The incumbent vendor and the products you plan to quote.",
        ),
        practice="Copy them from your CRM opportunity rather than typing them again.",
        minutes=2,
        team="Channel",
        audience="everyone",
        formats=("article",),
        tiny=True,
    ),
    LessonPlan(
        key="card-zero-trust",
        kind="card",
        title="Zero trust in plain words",
        summary="Never trust, always verify: each request is checked, whatever network it "
        "comes from.",
        points=(
            "Check who the user is, every time.",
            "Check the device, every time.",
            "Give access to one application, not the network.",
        ),
        practice="Explain zero trust with these three checks before showing any product.",
        minutes=2,
        team="Marketing",
        audience="everyone",
        formats=("article",),
        versions=(ZTA,),
        translations={
            "fr": _fr(
                "Le zero trust en mots simples",
                "Ne jamais faire confiance, toujours vérifier : chaque requête est contrôlée, "
                "quel que soit le réseau d'origine.",
                "Trois contrôles à chaque requête.\n\n- L'utilisateur.\n- L'appareil.\n"
                "- L'application, jamais le réseau entier.\n",
            ),
        },
    ),
    LessonPlan(
        key="card-objection-firewall",
        kind="card",
        title="Objection: 'We already have a firewall'",
        summary="Turn the objection into a question about operations and renewal dates.",
        points=(
            "Ask when the current firewall's support contract renews.",
            "Ask how long a rule change takes today.",
            "Offer a free rule base review.",
        ),
        practice="Offer the rule base review as the next step, not a quote.",
        minutes=3,
        team="Channel",
        audience="sales_presales",
        formats=("article",),
    ),
    LessonPlan(
        key="card-upgrade-checklist",
        kind="card",
        title="Checklist: before an upgrade to 8.0",
        summary="Five checks that make a Firewall OS 8.0 upgrade uneventful.",
        points=(
            "Back up the configuration and export the licences.",
            "Run the migration report.",
            "Check the upgrade path from the current release.",
            "Plan a rollback.",
            "Tell the customer's help desk.",
        ),
        practice="Paste this checklist into every change request.",
        minutes=4,
        team="Product",
        audience="everyone",
        formats=("article",),
        versions=(FW74, FW80),
        tiny=True,
    ),
    LessonPlan(
        key="card-fabric-health",
        kind="card",
        title="Reading a fabric health score",
        summary="What the score adds up, and which drop deserves a call to the customer.",
        points=(
            "The score combines link errors, control-plane events and capacity.",
            "A drop of more than 10 points in an hour deserves a look.",
        ),
        practice="Set an alert on large drops rather than on the absolute score.",
        minutes=2,
        team="Product",
        audience="everyone",
        formats=("article",),
        versions=(FABRIC,),
    ),
    LessonPlan(
        key="card-mdf-proof",
        kind="card",
        title="MDF claims: proof of performance",
        summary="What to attach to an MDF claim so it is paid the first time.",
        points=(
            "Invoices from your suppliers.",
            "Attendee lists or campaign reports.",
            "A photo or screenshot of the co-branded material.",
        ),
        practice="Collect the proof during the campaign, not after it.",
        minutes=2,
        team="Marketing",
        audience="no_referral",
        formats=("article",),
    ),
    LessonPlan(
        key="card-gdpr",
        kind="card",
        title="EMEA: GDPR talking points",
        summary="Three answers to the data protection questions EMEA customers ask first.",
        points=(
            "Where is data stored? In EU regions.",
            "Who can access it? Named Northwind support staff, logged.",
            "Is there a data processing agreement? Yes, in every EMEA language.",
        ),
        practice="Keep these answers in your proposal template for EMEA customers.",
        minutes=3,
        team="Channel",
        audience="emea",
        formats=("article",),
        translations={
            "de": _fr(
                "EMEA: Argumente zur DSGVO",
                "Drei Antworten auf die Datenschutzfragen, die EMEA-Kunden zuerst stellen.",
                "- Daten bleiben in EU-Regionen.\n- Zugriff nur durch benanntes, protokolliertes "
                "Support-Personal.\n- Ein Auftragsverarbeitungsvertrag liegt vor.\n",
            ),
        },
    ),
)

MODULES: tuple[ContainerPlan, ...] = (
    ContainerPlan(
        "m-meet",
        "module",
        "Meet Northwind",
        "The portfolio and the partner program.",
        "Channel",
        "everyone",
        ("portfolio", "partner-program", "card-deal-fields"),
        tiny=True,
    ),
    ContainerPlan(
        "m-opportunities",
        "module",
        "Finding and registering opportunities",
        "Discovery, qualification and deal registration.",
        "Channel",
        "everyone",
        ("discovery", "deal-registration", "card-sdwan-qualify"),
    ),
    ContainerPlan(
        "m-value",
        "module",
        "Selling value",
        "Outcomes, objections and a customer story.",
        "Channel",
        "everyone",
        ("value-selling", "card-objection-firewall", "hospital-story"),
    ),
    ContainerPlan(
        "m-quoting",
        "module",
        "Quoting and renewals",
        "Correct quotes, recurring revenue.",
        "Channel",
        "everyone",
        ("pricing", "renewals"),
    ),
    ContainerPlan(
        "m-fw-foundations",
        "module",
        "Firewall OS 8.0 foundations",
        "Architecture, policy model and licences.",
        "Product",
        "everyone",
        ("fw-architecture", "fw-policy-model", "card-fw-licences"),
        versions=(FW80,),
        tiny=True,
    ),
    ContainerPlan(
        "m-fw-operations",
        "module",
        "Firewall OS 8.0 operations",
        "High availability, logging and a hands-on lab.",
        "Product",
        "everyone",
        ("fw-ha", "fw-logging", "fw-lab"),
        versions=(FW80,),
    ),
    ContainerPlan(
        "m-fw-move",
        "module",
        "Moving from 7.4 to 8.0",
        "Plan the upgrade and migrate the policies.",
        "Product",
        "everyone",
        ("card-upgrade-checklist", "fw-migration", "fw-policy-model"),
        versions=(FW74, FW80),
        tiny=True,
    ),
    ContainerPlan(
        "m-fw74",
        "module",
        "Firewall OS 7.4 administration",
        "Keeping 7.4 firewalls healthy until they move to 8.0.",
        "Product",
        "everyone",
        ("fw74-admin", "fw74-upgrade"),
        versions=(FW74,),
        tiny=True,
    ),
    ContainerPlan(
        "m-sdwan",
        "module",
        "SD-WAN essentials",
        "Concepts and branch design.",
        "Product",
        "everyone",
        ("sdwan-basics", "sdwan-design", "card-sdwan-qualify"),
        versions=(SDWAN,),
        tiny=True,
    ),
    ContainerPlan(
        "m-sdwan-production",
        "module",
        "SD-WAN in production",
        "Operating the orchestrator and data residency.",
        "Product",
        "everyone",
        ("sdwan-orchestrator", "sdwan-emea-residency"),
        versions=(SDWAN,),
    ),
    ContainerPlan(
        "m-wifi",
        "module",
        "Wi-Fi 7 for campus",
        "What changes, surveys and roaming.",
        "Product",
        "everyone",
        ("wifi7", "wifi-survey", "wifi-roaming", "card-wifi7"),
        versions=(WIFI,),
    ),
    ContainerPlan(
        "m-zt",
        "module",
        "Zero trust foundations",
        "Concepts and rollout design.",
        "Product",
        "everyone",
        ("zt-concepts", "card-zero-trust", "zt-design"),
        versions=(ZTA,),
    ),
    ContainerPlan(
        "m-zt-presales",
        "module",
        "Zero trust for presales",
        "The demo and the policy model behind it.",
        "Product",
        "sales_presales",
        ("zt-demo", "fw-policy-model"),
        versions=(ZTA,),
    ),
    ContainerPlan(
        "m-dc",
        "module",
        "Data center fabrics",
        "Build, automate, size and operate fabrics.",
        "Product",
        "everyone",
        ("dc-fabric", "dc-automation", "dc-sizing", "card-fabric-health"),
        versions=(FABRIC,),
    ),
    ContainerPlan(
        "m-msp",
        "module",
        "Managed services offers",
        "Offer, pricing and operations.",
        "Channel",
        "msp_presales",
        ("msp-offer", "msp-pricing", "msp-portal"),
    ),
    ContainerPlan(
        "m-marketing",
        "module",
        "Partner marketing",
        "Campaigns and market development funds.",
        "Marketing",
        "no_referral",
        ("co-marketing", "mdf", "card-mdf-proof"),
    ),
    ContainerPlan(
        "m-sdwan-advanced",
        "module",
        "Advanced SD-WAN design",
        "Troubleshooting and design at scale.",
        "Product",
        "gold_plus",
        ("sdwan-troubleshooting", "sdwan-design"),
        versions=(SDWAN,),
        tiny=True,
    ),
)

COURSES: tuple[ContainerPlan, ...] = (
    ContainerPlan(
        "c-sales",
        "course",
        "Northwind Sales Foundations",
        "Everything a new seller needs in the first month: the portfolio, the program, "
        "discovery, value selling and quoting.",
        "Channel",
        "everyone",
        ("m-meet", "m-opportunities", "m-value", "m-quoting"),
        translations={
            "fr": _fr(
                "Les fondamentaux de la vente Northwind",
                "Tout ce qu'un nouveau commercial doit savoir le premier mois.",
                "Portefeuille, programme, découverte, vente de valeur et devis.\n",
            ),
        },
    ),
    ContainerPlan(
        "c-fw",
        "course",
        "Firewall OS 8.0 Technical Essentials",
        "Architecture, policy model, high availability, logging and the move from 7.4.",
        "Product",
        "everyone",
        ("m-fw-foundations", "m-fw-operations", "m-fw-move"),
        versions=(FW80,),
        tiny=True,
    ),
    ContainerPlan(
        "c-fw74",
        "course",
        "Firewall OS 7.4 Administration",
        "For customers still on 7.4: keep them healthy and plan the upgrade.",
        "Product",
        "everyone",
        ("m-fw74",),
        versions=(FW74,),
        tiny=True,
    ),
    ContainerPlan(
        "c-sdwan",
        "course",
        "SD-WAN Design and Deployment",
        "From the first branch profile to operating hundreds of branches.",
        "Product",
        "everyone",
        ("m-sdwan", "m-sdwan-production"),
        versions=(SDWAN,),
        tiny=True,
        translations={
            "fr": _fr(
                "Conception et déploiement SD-WAN",
                "Du premier profil d'agence à l'exploitation de centaines d'agences.",
                "Concepts, conception des agences et exploitation.\n",
            ),
            "de": _fr(
                "SD-WAN-Design und -Bereitstellung",
                "Vom ersten Filialprofil bis zum Betrieb Hunderter Filialen.",
                "Konzepte, Filialdesign und Betrieb.\n",
            ),
        },
    ),
    ContainerPlan(
        "c-wifi",
        "course",
        "Wi-Fi 7 Campus Specialist",
        "Design and sell Wi-Fi 7 campus networks.",
        "Product",
        "everyone",
        ("m-wifi", "m-value"),
        versions=(WIFI,),
    ),
    ContainerPlan(
        "c-zt",
        "course",
        "Zero Trust Access for Presales",
        "Explain, design and demonstrate zero trust access.",
        "Product",
        "sales_presales",
        ("m-zt", "m-zt-presales"),
        versions=(ZTA,),
    ),
    ContainerPlan(
        "c-dc",
        "course",
        "Data Center Fabric Fundamentals",
        "Spine-leaf fabrics with Fabric Manager, from design to automation.",
        "Product",
        "everyone",
        ("m-dc",),
        versions=(FABRIC,),
    ),
    ContainerPlan(
        "c-msp",
        "course",
        "Managed Services Playbook",
        "Build, price and market managed services on Northwind.",
        "Channel",
        "msp_presales",
        ("m-msp", "m-marketing"),
    ),
    ContainerPlan(
        "c-sdwan-clinic",
        "course",
        "Advanced SD-WAN Design Clinic",
        "Design reviews and troubleshooting at scale, for Gold and Platinum partners.",
        "Product",
        "gold_plus",
        ("m-sdwan-advanced",),
        versions=(SDWAN,),
        teaser=True,
        tiny=True,
    ),
)

PATHS: tuple[ContainerPlan, ...] = (
    ContainerPlan(
        "p-onboarding",
        "path",
        "New partner onboarding",
        "The first 90 days: sales foundations, support, and one technical course of your choice.",
        "Channel",
        "everyone",
        ("c-sales", "support-cases", "card-deal-fields", "c-fw", "c-sdwan", "c-wifi"),
        electives=("c-fw", "c-sdwan", "c-wifi"),
        electives_required=1,
        tiny=True,
    ),
    ContainerPlan(
        "p-security",
        "path",
        "Security specialization",
        "Firewall and zero trust skills for the Security specialization.",
        "Product",
        "everyone",
        ("c-fw", "c-zt", "zt-design", "card-upgrade-checklist", "fw-logging"),
        electives=("zt-design", "card-upgrade-checklist", "fw-logging"),
        electives_required=2,
    ),
    ContainerPlan(
        "p-sdwan",
        "path",
        "SD-WAN specialist",
        "Design, deploy and troubleshoot SD-WAN for the SD-WAN specialization.",
        "Product",
        "everyone",
        ("c-sdwan", "card-sdwan-qualify", "c-sdwan-clinic", "sdwan-emea-residency"),
        electives=("c-sdwan-clinic", "sdwan-emea-residency"),
        electives_required=1,
    ),
)

# Later work on published items (tell the demo's story of revisions).
MINOR_REVISION = (
    "fw-architecture",
    "Updated for 8.0.2: the management plane now runs on dedicated cores on every model.",
    "- The management plane runs on dedicated cores on every model since 8.0.2.",
)
MAJOR_REVISION = (
    "fw-policy-model",
    "Rewritten for the 8.0.2 policy engine: rules now match on applications before users, "
    "and shared objects moved to the customer's object library.",
    "Rules match on applications first, then users and devices; shared objects live in the "
    "customer's object library.",
)
# The container re-published after the major revision (the others wait for their authors).
REPUBLISHED_AFTER_MAJOR = "m-fw-foundations"
# A translation submitted by a translator and waiting for review.
TRANSLATION_IN_REVIEW = (
    "sdwan-basics",
    "de",
    Text(
        "SD-WAN-Grundlagen",
        "Overlay-Tunnel, Anwendungssteuerung und Zero-Touch-Bereitstellung von Filialen.",
        "Das Overlay nutzt alle verfügbaren Leitungen.\n\n## Das Wichtigste\n\n"
        "- Anwendungen werden nach Verlust, Latenz und Jitter gesteuert.\n"
        "- Eine Filiale geht per QR-Code in Betrieb.\n",
    ),
)
# A published item whose next revision is being written (learners keep the published one).
REVISION_IN_PROGRESS = (
    "wifi7",
    "Adds the 2025.2 firmware's multi-link defaults.",
)

# Work in the studio: drafts and items waiting for review.
DRAFTS: tuple[LessonPlan, ...] = (
    LessonPlan(
        key="draft-venues",
        kind="lesson",
        title="Wi-Fi 7 for stadiums and venues",
        summary="High-density design for venues with tens of thousands of clients.",
        points=(
            "Under-seat and overhead access points.",
            "Directional antennas and channel planning.",
        ),
        practice="Outline only: the product team is collecting field results.",
        minutes=20,
        team="Product",
        audience="",
        formats=("article",),
        versions=(WIFI,),
        tiny=True,
    ),
    LessonPlan(
        key="draft-sdwan-licences",
        kind="card",
        title="SD-WAN licence changes in 3.3",
        summary="What changes for existing customers when 3.3 ships.",
        points=("Bandwidth tiers are replaced by site tiers.",),
        practice="Waiting for the final price list.",
        minutes=2,
        team="Channel",
        audience="everyone",
        formats=("article",),
    ),
)
IN_REVIEW: tuple[LessonPlan, ...] = (
    # Content for every partner, owned by Marketing: one approval given by a reviewer outside the
    # team, the owning team's approval still missing.
    LessonPlan(
        key="review-midmarket",
        kind="lesson",
        title="Selling Firewall OS to mid-market customers",
        summary="Bundles, financing and a short proof of concept for customers with 100 to 1,000 "
        "employees.",
        points=(
            "Lead with the Advanced bundle and three-year financing.",
            "Run a one-week proof of concept on a single site.",
        ),
        practice="Use the mid-market proposal template.",
        minutes=12,
        team="Marketing",
        audience="everyone",
        formats=("article",),
        versions=(FW80,),
        tiny=True,
    ),
    LessonPlan(
        key="review-zt-licensing",
        kind="card",
        title="Zero trust licensing explained",
        summary="Per-user licences, connectors included, and how to count users.",
        points=("Count named users, not devices.", "Connectors are included."),
        practice="Count users from the customer's directory, not from the VPN logs.",
        minutes=3,
        team="Product",
        audience="security",
        formats=("article",),
        versions=(ZTA,),
    ),
)

# Days before `today` each item was first published (the catalog has a history); items not
# listed were published on the day the demo is seeded.
PUBLISHED_DAYS_AGO: dict[str, int] = {
    "portfolio": 410,
    "partner-program": 400,
    "deal-registration": 395,
    "card-deal-fields": 390,
    "m-meet": 388,
    "pricing": 380,
    "renewals": 375,
    "m-quoting": 372,
    "discovery": 360,
    "card-sdwan-qualify": 355,
    "m-opportunities": 352,
    "value-selling": 340,
    "card-objection-firewall": 335,
    "hospital-story": 330,
    "m-value": 328,
    "c-sales": 325,
    "support-cases": 320,
    "support-rma": 318,
    "fw74-admin": 700,
    "fw74-upgrade": 690,
    "m-fw74": 685,
    "c-fw74": 680,
    "fw-architecture": 300,
    "fw-policy-model": 298,
    "card-fw-licences": 295,
    "m-fw-foundations": 292,
    "fw-ha": 290,
    "fw-logging": 285,
    "fw-lab": 280,
    "m-fw-operations": 278,
    "card-upgrade-checklist": 275,
    "fw-migration": 272,
    "m-fw-move": 270,
    "c-fw": 268,
    "sdwan-basics": 250,
    "sdwan-design": 245,
    "sdwan-orchestrator": 240,
    "sdwan-emea-residency": 235,
    "m-sdwan": 232,
    "m-sdwan-production": 230,
    "c-sdwan": 228,
    "p-onboarding": 225,
    "sdwan-troubleshooting": 200,
    "m-sdwan-advanced": 198,
    "c-sdwan-clinic": 196,
    "p-sdwan": 195,
    "dc-fabric": 180,
    "dc-automation": 175,
    "dc-sizing": 170,
    "card-fabric-health": 168,
    "m-dc": 165,
    "c-dc": 162,
    "wifi7": 150,
    "wifi-survey": 148,
    "wifi-roaming": 145,
    "card-wifi7": 142,
    "m-wifi": 140,
    "c-wifi": 138,
    "zt-concepts": 120,
    "card-zero-trust": 118,
    "zt-design": 115,
    "zt-demo": 112,
    "m-zt": 110,
    "m-zt-presales": 108,
    "c-zt": 105,
    "p-security": 100,
    "msp-offer": 90,
    "msp-portal": 88,
    "msp-pricing": 85,
    "co-marketing": 80,
    "mdf": 78,
    "card-mdf-proof": 75,
    "m-msp": 72,
    "m-marketing": 70,
    "c-msp": 68,
    "card-gdpr": 20,
    "competitive": 14,
    "pilot-assistant": 6,
    "pilot-feedback": 5,
}
