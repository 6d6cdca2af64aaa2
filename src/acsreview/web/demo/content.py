"""What the demo says: three fictional jurisdictions, their measures, figures and texts.

Every name, law, body, figure and finding here is invented. The codes are ISO 3166
user-assigned ones (XA, XB, XC), which no real country can hold, and every web
address ends in ``.example``, a name reserved for documentation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

YEARS_2024 = (2021, 2022, 2023)  # the figures a 2024 round reports
YEARS_2026 = (2023, 2024, 2025)  # the figures a 2026 round reports


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    adjective: str
    host: str  # for made-up web addresses: https://justice.<host>.example/...
    # How well each domain works, 0 (barrier) to 1 (facilitator); the rest default to 0.5.
    profile: dict[str, float] = field(default_factory=dict)
    dont_know: float = 0.05  # the share of "don't know" answers
    unknown_stats: float = 0.1  # the share of figures nobody knows
    indicators: dict[str, tuple[float, float]] = field(default_factory=dict)  # base, yearly
    fixed: dict[str, str] = field(default_factory=dict)  # answers the story depends on


XANDRIA = Place(
    "XA", "Xandria", "Xandrian", "xandria",
    # Strong law, strategy and monitoring; clients find the measures hard to reach.
    profile={"SYS-REG": 0.92, "SYS-SOC": 0.6, "SYS-ORG": 0.75, "SYS-INT": 0.85,
             "PRV-CJI": 0.6, "PRV-CJE": 0.55, "PRV-HLI": 0.5, "PRV-HLE": 0.5,
             "CLI-EXP": 0.4, "CLI-STG": 0.3, "CLI-ACC": 0.12, "CLI-CON": 0.3},
    dont_know=0.04, unknown_stats=0.08,
    indicators={"prison_population": (11800, -240), "occupancy_rate": (112.5, -1.8),
                "drug_law_offences": (23400, -610), "drug_prisoner_share": (24.6, -0.7)},
    fixed={"SYS-REG-01": "yes", "SYS-REG-02": "yes", "SYS-INT-01": "yes",
           "CLI-ACC-01": "yes", "CLI-ACC-02": "no"},
)
BELLMARK = Place(
    "XB", "Bellmark", "Bellmark", "bellmark",
    # Little law or strategy; services built by practice are easy for clients to use.
    profile={"SYS-REG": 0.12, "SYS-SOC": 0.45, "SYS-ORG": 0.35, "SYS-INT": 0.2,
             "PRV-CJI": 0.5, "PRV-CJE": 0.65, "PRV-HLI": 0.75, "PRV-HLE": 0.8,
             "CLI-EXP": 0.75, "CLI-STG": 0.6, "CLI-ACC": 0.9, "CLI-CON": 0.8},
    dont_know=0.07, unknown_stats=0.18,
    indicators={"prison_population": (6900, 85), "occupancy_rate": (97.0, 1.2),
                "drug_law_offences": (9100, 240), "drug_prisoner_share": (17.8, 0.4)},
    fixed={"SYS-REG-01": "partly", "SYS-REG-02": "no", "SYS-INT-01": "no",
           "CLI-ACC-01": "no", "CLI-ACC-02": "yes"},
)
CORVANIA = Place(
    "XC", "Corvania", "Corvanian", "corvania",
    profile={"SYS-REG": 0.55, "SYS-ORG": 0.45, "PRV-CJI": 0.35, "PRV-HLE": 0.6},
    dont_know=0.15, unknown_stats=0.3,
    indicators={"prison_population": (15200, 410), "occupancy_rate": (121.0, 2.5),
                "drug_law_offences": (31800, 900), "drug_prisoner_share": (29.1, 0.9)},
    fixed={"SYS-REG-01": "yes", "SYS-INT-01": "partly"},
)
PLACES = {p.code: p for p in (XANDRIA, BELLMARK, CORVANIA)}
REGIONS = [("XA-N", "Northern Xandria", "XA")]  # (code, name, part of)

INDICATOR_SOURCES = {
    "prison_population": "{name} Prison Service annual report (fictional)",
    "occupancy_rate": "{name} Prison Service annual report (fictional)",
    "drug_law_offences": "{name} Police recorded crime statistics (fictional)",
    "drug_prisoner_share": "{name} Prison Service annual report (fictional)",
}
STAT_SOURCE = "{name} Ministry of Justice, ACS monitoring tables (fictional)"


@dataclass(frozen=True)
class MeasureSpec:
    name: str
    stage: str
    measure_type: str
    texts: dict[str, str]  # Measure's text fields
    # Figures: eligible cases in the first year, then the share referred of the eligible,
    # started of the referred, completed and breached of the started, and the yearly growth.
    eligible: int
    rates: tuple[float, float, float, float]
    growth: float = 0.0


def _m(name, stage, kind, eligible, rates, growth=0.0, **texts) -> MeasureSpec:
    return MeasureSpec(name, stage, kind, texts, eligible, rates, growth)


MEASURES = {
    "XA": [
        _m("Police referral to drug counselling", "police_arrest", "education", 4200,
           (0.46, 0.71, 0.52, 0.11), 0.03,
           legal_basis="Xandrian Drug Act 2011, s. 14",
           eligible_offences="Possession of a controlled drug for personal use, with no "
                             "violence and no other offence at the same time.",
           eligible_drugs="Any controlled drug within the personal-use amounts of Schedule 2 "
                          "of the Act.",
           eligible_prior_record="No drug-law conviction in the previous three years.",
           rehabilitative_element="An assessment and two counselling sessions at a regional "
                                  "drug service; no further police action on completion.",
           geographic_scope="National", delivered_by="Regional drug counselling services",
           paid_by="Xandrian Ministry of Health",
           notes="Officers decide on the spot; referrals are logged in the police case "
                 "system."),
        _m("Conditional waiver of prosecution", "prosecution", "non_intervention", 2600,
           (0.38, 0.8, 0.61, 0.09), 0.02,
           legal_basis="Xandrian Code of Criminal Procedure, art. 52a",
           eligible_offences="Drug-law offences and minor thefts linked to drug use, "
                             "punishable by up to three years' imprisonment.",
           eligible_drugs="Any", eligible_prior_record="First or second offence.",
           rehabilitative_element="The case is closed once the person has attended an "
                                  "assessment and followed its advice for six months.",
           geographic_scope="National",
           delivered_by="Public Prosecution Service, with regional treatment services",
           paid_by="Xandrian Ministry of Justice"),
        _m("Treatment as a condition of pre-trial release", "court_pretrial", "treatment", 900,
           (0.27, 0.76, 0.48, 0.19), 0.01,
           legal_basis="Xandrian Bail Act 2015, s. 9(3)",
           eligible_offences="Any offence for which release before trial is possible.",
           eligible_drugs="Opioids and stimulants",
           eligible_prior_record="No condition of an earlier release breached.",
           rehabilitative_element="Attendance at outpatient treatment until the trial; the "
                                  "court hears a progress report.",
           geographic_scope="The six largest court districts",
           delivered_by="Court liaison nurses and outpatient clinics",
           paid_by="Xandrian Ministry of Justice"),
        _m("Drug treatment order", "sentencing", "drug_treatment_order", 1400,
           (0.33, 0.88, 0.44, 0.24), 0.04,
           legal_basis="Xandrian Penal Code, art. 71",
           eligible_offences="Offences linked to drug dependence for which the court would "
                             "otherwise impose up to four years in prison.",
           eligible_drugs="Any, where dependence is assessed",
           eligible_prior_record="No limit; the court weighs earlier orders.",
           rehabilitative_element="Up to 24 months of supervised outpatient or residential "
                                  "treatment, with reviews by the sentencing court.",
           geographic_scope="National", delivered_by="Probation Service and licensed clinics",
           paid_by="Xandrian Ministry of Justice (treatment places bought from health "
                   "providers)"),
        _m("Suspended sentence with treatment condition", "sentencing",
           "suspended_sentence_treatment", 1800, (0.29, 0.9, 0.57, 0.16), -0.02,
           legal_basis="Xandrian Penal Code, art. 64(2)",
           eligible_offences="Offences punishable by up to two years' imprisonment.",
           eligible_drugs="Any", eligible_prior_record="No custodial sentence in five years.",
           rehabilitative_element="Treatment and drug testing during the operational period "
                                  "of one to three years.",
           geographic_scope="National", delivered_by="Probation Service",
           paid_by="Xandrian Ministry of Justice"),
        _m("Early release to community treatment", "post_sentence", "reintegration", 700,
           (0.21, 0.83, 0.41, 0.22), 0.0,
           legal_basis="Xandrian Prison Act 2009, s. 88",
           eligible_offences="Sentences of more than one year, two thirds served.",
           eligible_drugs="Any", eligible_prior_record="No recall in the last two years.",
           rehabilitative_element="A treatment place and supported housing arranged before "
                                  "release; probation supervision for the rest of the term.",
           geographic_scope="National", delivered_by="Prison Service and Probation Service",
           paid_by="Xandrian Ministry of Justice"),
    ],
    "XB": [
        _m("Street outreach referral", "police_arrest", "education", 2100,
           (0.58, 0.84, 0.72, 0.06), 0.05,
           legal_basis="No specific law: Bellmark Police guidance note 7/2018",
           eligible_offences="Possession for personal use and public-order offences linked "
                             "to drug use.",
           eligible_drugs="Any", eligible_prior_record="Not considered.",
           rehabilitative_element="An outreach worker meets the person within 48 hours and "
                                  "offers a drop-in appointment.",
           geographic_scope="Capital district and two towns",
           delivered_by="Harbourlight Outreach (a fictional NGO)",
           paid_by="Municipal grants, renewed yearly"),
        _m("Discontinuance on entering treatment", "prosecution", "non_intervention", 1300,
           (0.31, 0.86, 0.69, 0.07), 0.03,
           legal_basis="Bellmark Criminal Procedure Act, s. 31 (general discretion to "
                       "discontinue)",
           eligible_offences="Minor drug-law offences.", eligible_drugs="Any",
           eligible_prior_record="Prosecutor's discretion; no written criteria.",
           rehabilitative_element="Proof of a first treatment appointment.",
           geographic_scope="Varies by prosecution office",
           delivered_by="Prosecution offices and local treatment services",
           paid_by="Health insurance"),
        _m("Drug treatment order", "sentencing", "drug_treatment_order", 650,
           (0.22, 0.91, 0.66, 0.12), 0.02,
           legal_basis="Bellmark Sentencing Act 2004, s. 40",
           eligible_offences="Offences punishable by up to three years' imprisonment.",
           eligible_drugs="Opioids, stimulants and cannabis",
           eligible_prior_record="No earlier treatment order breached.",
           rehabilitative_element="Twelve months of treatment chosen with the person, with "
                                  "case management by a health-service key worker.",
           geographic_scope="National", delivered_by="Community treatment teams",
           paid_by="Health insurance, with a Ministry of Justice top-up"),
        _m("Community order with a recovery requirement", "sentencing",
           "other_instead_of_punishment", 980, (0.35, 0.88, 0.7, 0.1), 0.04,
           legal_basis="Bellmark Sentencing Act 2004, s. 36",
           eligible_offences="Offences for which a community order may be made.",
           eligible_drugs="Any", eligible_prior_record="Not considered.",
           rehabilitative_element="Recovery activities (peer groups, training, volunteering) "
                                  "for up to 18 months.",
           geographic_scope="National", delivered_by="Probation Service with peer-led groups",
           paid_by="Bellmark Ministry of Justice"),
        _m("Through-the-gate recovery support", "post_sentence", "reintegration", 520,
           (0.44, 0.87, 0.63, 0.09), 0.06,
           legal_basis="No specific law: a prison service programme since 2017",
           eligible_offences="Any sentence of three months or more.", eligible_drugs="Any",
           eligible_prior_record="Not considered.",
           rehabilitative_element="A mentor meets the person in prison and on the day of "
                                  "release, and for six months afterwards.",
           geographic_scope="Four of the seven prisons",
           delivered_by="Prison Service and Harbourlight Outreach (fictional)",
           paid_by="Charitable grants and the Prison Service"),
    ],
    "XC": [
        _m("Warning and referral", "police_arrest", "education", 5600,
           (0.18, 0.55, 0.4, 0.2), 0.0,
           legal_basis="Corvanian Police Act 1998, s. 22",
           eligible_offences="Possession for personal use.", eligible_drugs="Cannabis only",
           eligible_prior_record="First offence.",
           rehabilitative_element="A written warning and a leaflet on treatment services.",
           geographic_scope="National", delivered_by="Police",
           paid_by="Corvanian Ministry of the Interior"),
        _m("Conditional dismissal with treatment", "prosecution", "treatment", 2200,
           (0.12, 0.7, 0.45, 0.18), 0.01,
           legal_basis="Corvanian Code of Criminal Procedure, art. 118",
           eligible_offences="Drug-law offences punishable by up to two years.",
           eligible_drugs="Any", eligible_prior_record="No earlier dismissal.",
           rehabilitative_element="Six months of outpatient treatment.",
           geographic_scope="National", delivered_by="State addiction centres",
           paid_by="Corvanian Ministry of Health"),
        _m("Pre-trial supervision with treatment", "court_pretrial", "treatment", 800,
           (0.09, 0.66, 0.39, 0.27), 0.0,
           legal_basis="Corvanian Code of Criminal Procedure, art. 204",
           eligible_offences="Any offence.", eligible_drugs="Any",
           eligible_prior_record="Court's discretion.",
           rehabilitative_element="Treatment attendance reported to the investigating judge.",
           geographic_scope="Capital region only", delivered_by="Court probation officers",
           paid_by="Corvanian Ministry of Justice"),
        _m("Suspended sentence with drug treatment", "sentencing",
           "suspended_sentence_treatment", 1900, (0.15, 0.82, 0.42, 0.25), 0.02,
           legal_basis="Corvanian Criminal Code, art. 59",
           eligible_offences="Sentences of up to three years.", eligible_drugs="Any",
           eligible_prior_record="No suspended sentence in the last five years.",
           rehabilitative_element="Residential or outpatient treatment for one to two years.",
           geographic_scope="National", delivered_by="Probation Service",
           paid_by="Corvanian Ministry of Justice"),
    ],
}

# Added in Xandria's 2026 round.
XA_NEW_MEASURE = _m(
    "Drug court pilot", "sentencing", "drug_court", 240, (0.4, 0.92, 0.58, 0.14), 0.25,
    legal_basis="Xandrian Ministry of Justice Order 12/2023 (pilot)",
    eligible_offences="Repeat acquisitive offences linked to drug dependence.",
    eligible_drugs="Any, where dependence is assessed",
    eligible_prior_record="Two or more earlier convictions.",
    rehabilitative_element="Fortnightly reviews before the same judge, with treatment, "
                           "housing support and graduated responses to lapses.",
    geographic_scope="Northern Xandria (two district courts)",
    delivered_by="District courts, Probation Service and a regional clinic",
    paid_by="Xandrian Ministry of Justice pilot fund",
    notes="Started in October 2023; an evaluation is due in 2027.")
# In 2026 Xandria's lead confirmed these measures and amended one.
XA_CONFIRMED = ["Police referral to drug counselling", "Drug treatment order"]
XA_AMENDED = ("Conditional waiver of prosecution", "legal_basis",
              "Xandrian Code of Criminal Procedure, art. 52a (as amended in 2025)")

# Open items: one sentence per domain where the domain works, one where it does not.
OPEN_TEXTS = {
    "SYS-REG": ("The {adj} ACS guidance is reviewed every three years with the courts.",
                "There is no ACS law; practice rests on guidance notes that differ by region."),
    "SYS-SOC": ("Two recent governments have backed treatment over prison for drug use.",
                "Local newspapers report ACS as leniency; politicians rarely defend it."),
    "SYS-ORG": ("Each court district has a named ACS coordinator.",
                "Provision depends on short-term grants, so services open and close."),
    "SYS-INT": ("A yearly ACS monitoring table is published by the ministry.",
                "No body collects figures on ACS; the ones here come from providers."),
    "PRV-CJI": ("ACS is part of the initial training of prosecutors and judges.",
                "Staff turnover in probation means ACS knowledge is often lost."),
    "PRV-CJE": ("Joint protocols with health services are signed in every district.",
                "Courts cannot see treatment waiting lists before making an order."),
    "PRV-HLI": ("Clinics see ACS clients as an ordinary part of their caseload.",
                "Some clinics refuse court-ordered clients, citing voluntariness."),
    "PRV-HLE": ("Health and justice staff meet monthly to review shared cases.",
                "Health services receive referrals without the court conditions attached."),
    "CLI-EXP": ("Participants say the conditions were explained clearly at court.",
                "Participants describe the orders as a test they are expected to fail."),
    "CLI-STG": ("Peer mentors help participants deal with shame and stigma.",
                "Attending a clinic in a small town is seen by neighbours and employers."),
    "CLI-ACC": ("Evening and weekend appointments are offered in every district.",
                "Rural participants travel two hours or more to reach a service."),
    "CLI-CON": ("Participants are told in writing that housing is not affected.",
                "Fear of losing custody of children keeps some parents from taking part."),
}

EVIDENCE = [
    "{adj} Ministry of Justice circular on ACS (fictional), read in full.",
    "Interviews with {n} probation officers during the demo consultation (synthetic).",
    "{name} national drug report (fictional), chapter on the criminal justice system.",
    "Focus group with {n} participants run by a fictional NGO (synthetic notes).",
    "Court statistics of {name} (fictional), cross-checked with the ministry.",
    "Written answers from {n} treatment services to the review's survey (synthetic).",
    "Minutes of the {adj} inter-ministerial drug committee (fictional).",
    "Observation of {n} court hearings in the capital district (synthetic).",
]
SOURCES = [
    ("{name} Ministry of Justice, ACS monitoring report", "justice", "acs-monitoring"),
    ("{adj} Drug Observatory, national drug report", "drugs", "national-report"),
    ("{name} Institute of Criminology, evaluation of ACS", "criminology", "acs-evaluation"),
    ("{name} Prison Service, annual report", "prisons", "annual-report"),
]
NOTES = [
    "Check again after the next budget.",
    "Regional differences: confirm with the Northern office.",
    "Answer agreed at the second working-group meeting (synthetic).",
    "Stakeholders disagreed; the majority view is recorded.",
]
RAISED = ("Raised: the answer reflects the law, but the consultation (synthetic) found that "
          "practice in most districts falls short of it.")
LOWERED = ("Lowered: the problem is real but confined to one district, and a remedy is "
           "already funded (demo data).")
CHANGED_2026 = ("Updated in 2026: the Northern Xandria outreach pilot (fictional) changed "
                "this; confirmed by {n} stakeholders (synthetic).")
PRINCIPLE_EVIDENCE = "Compared with section {n} of the {adj} ACS guidance (fictional)."

CORRESPONDENTS = {
    "XA-2024": {
        "LPC-1": {"use": "About 5,000 ACS decisions a year, most of them police referrals "
                         "(fictional figures).",
                  "records_accessible": "yes",
                  "use_rates": "Police referral: 46% of eligible cases in 2023 (ministry "
                               "monitoring tables, fictional).",
                  "completion_rates": "Drug treatment orders: 44% completed in 2023 "
                                      "(fictional).",
                  "records_kept": "Ministry of Justice statistics unit (fictional)."},
        "LPC-2": {"research_exists": "yes",
                  "studies": [{"citation": "Xandrian Institute of Criminology (2021). "
                                           "Evaluation of the drug treatment order "
                                           "(fictional).", "year": 2021,
                               "url": "https://criminology.xandria.example/dto-2021"}],
                  "findings": "Orders are used widely but completion is low where clinics "
                              "are far away (fictional)."},
        "LPC-3": {"barriers_identified": "yes",
                  "barriers": "Distance to services and waiting lists, named by the 2021 "
                              "evaluation (fictional).",
                  "barriers_known": "Few services for women with children."},
        "LPC-4": {"action_taken": "yes",
                  "actions": "Guidance for prosecutors revised in 2022 (fictional).",
                  "effect": "partly",
                  "improvements": "Pair the guidance with funding for rural services.",
                  "should_be_done": "Outreach and evening appointments outside the cities."},
    },
    "XB-2026": {
        "LPC-1": {"use": "Not counted nationally; providers estimate 1,500 people a year "
                         "(fictional).",
                  "records_accessible": "no", "use_rates": "",
                  "completion_rates": "Provider estimates: about two thirds complete "
                                      "(fictional).",
                  "records_kept": "Each provider keeps its own records."},
        "LPC-2": {"research_exists": "no", "studies": [], "findings": ""},
        "LPC-3": {"barriers_identified": "yes",
                  "barriers": "No legal basis for most measures; yearly grants (NGO "
                              "report, fictional).",
                  "barriers_known": "Prosecutors apply the discretion very differently."},
        "LPC-4": {"action_taken": "dont_know", "actions": "", "effect": "",
                  "improvements": "",
                  "should_be_done": "A law giving the measures a lasting basis and funding."},
    },
}
# In 2026 Xandria's correspondent updated the first answer; the others are carried over.
XA_2026_LPC1 = {
    "use": "About 5,400 ACS decisions in 2025, including the first drug court cases "
           "(fictional figures).",
    "records_accessible": "yes",
    "use_rates": "Police referral: 49% of eligible cases in 2025 (fictional).",
    "completion_rates": "Drug treatment orders: 47% completed in 2025 (fictional).",
    "records_kept": "Ministry of Justice statistics unit (fictional).",
}


@dataclass(frozen=True)
class ActionSpec:
    """A decision on one recommendation of a demo action plan (by its key)."""

    decision: str  # accepted, edited or rejected
    owner: str = ""
    due: str = ""  # ISO date
    status: str = "not_started"
    title: str = ""  # only for edited: accepted ones take the recommendation's wording
    description: str = ""
    reason: str = ""  # for edited and rejected


# Xandria's 2024 action plan, so that the 2026 round can follow its actions up.
XA_2024_ACTIONS = {
    "client:resourcing": ActionSpec(
        "accepted", owner="Ministry of Health (fictional)", due="2025-12-31",
        status="in_progress"),
    "client:coordination": ActionSpec(
        "edited", owner="Ministry of Justice (fictional)", due="2025-06-30",
        status="in_progress",
        title="A protocol between probation and social services on housing and children "
              "(fictional)",
        description="A written protocol so that taking part in a measure puts neither a "
                    "participant's housing nor the custody of their children at risk; "
                    "first piloted in Northern Xandria.",
        reason="The recommendation is broad: the review team narrowed it to the two "
               "assurances participants lacked most (demo data)."),
    "provider:resourcing": ActionSpec(
        "accepted", owner="National Probation Service (fictional)", due="2026-03-31"),
    "provider:coordination": ActionSpec(
        "accepted", owner="Inter-ministerial ACS working group (fictional)",
        due="2025-12-31", status="done"),
    "system:best_practice": ActionSpec(
        "rejected",
        reason="Already covered by the national drug strategy 2023-2027 (fictional), which "
               "the review team judged sufficient: no separate action."),
}
