"""The market's values in the DECP 2024 open-data format and the eForms codes.

DECP `considerationsSociales` / `considerationsEnvironnementales` (schema 2.0.3 enums) and
eForms BT-06 (strategic-procurement), BT-774 (environmental-impact), BT-775
(social-objective), from the detections and criteria of the report.
"""

from __future__ import annotations

from achat_check.market import about_reservation
from achat_check.model import Detection, MarketReport, OpenData

ENV_IMPACT = {
    "ghg": "clim-mitig", "clean_vehicles": "clim-mitig", "energy": "clim-mitig",
    "recycled_content": "circ-econ", "reuse": "circ-econ", "circular_economy": "circ-econ", "waste": "circ-econ",
    "packaging": "circ-econ", "single_use_plastic": "circ-econ", "end_of_life": "circ-econ", "repairability": "circ-econ",
    "ecodesign": "circ-econ", "biodiversity": "biodiv-eco", "hazardous": "pollu-prev", "cleaning": "pollu-prev", "water": "wat-mar",
}
SOCIAL_OBJECTIVE = {
    "accessibility": "acc-all", "equality": "gen-eq", "fair_trade": "hum-right", "insertion_clause": "opp",
    "insertion_means": "opp", "disability": "opp", "reserved": "opp", "reserved_esat_ea": "opp", "reserved_siae": "opp",
    "reserved_ess": "opp", "training": "opp", "insertion_support": "opp", "working_conditions": "work-cond", "staff_transfer": "work-cond",
}
CLAUSE_LEVERS = ("clause", "specification", "need", "insertion")
SOCIAL_CLAUSE, ENV_CLAUSE = "Clause sociale", "Clause environnementale"


def clause_detections(report: MarketReport, domain: str) -> list[Detection]:
    """The detections the open data counts as clauses of a domain ("social" or "env"): not
    criteria, and not a reserved market's (it is « Marché réservé »)."""
    if domain == "social":
        return [d for d in report.considerations.social if d.lever in CLAUSE_LEVERS and not about_reservation(report, d)]
    return [d for d in report.considerations.environmental if d.lever in CLAUSE_LEVERS]


def open_data(report: MarketReport) -> OpenData:
    """DECP considerations and eForms codes of the market."""
    social: list[str] = []
    if clause_detections(report, "social") or report.insertion.present:
        social.append(SOCIAL_CLAUSE)
    if report.flags.social_criterion:
        social.append("Critère social")
    if report.reserved.present:
        social.append("Marché réservé")
    env: list[str] = []
    if clause_detections(report, "env"):
        env.append(ENV_CLAUSE)
    if report.flags.env_criterion:
        env.append("Critère environnemental")
    strategic = (["env-imp"] if env else []) + (["soc-obj"] if social else [])
    impacts = sorted({ENV_IMPACT.get(d.category, "other") for d in report.considerations.environmental})
    objectives = sorted({SOCIAL_OBJECTIVE.get(d.category, "other") for d in report.considerations.social})
    return OpenData(
        considerationsSociales=social or ["Pas de considération sociale"],
        considerationsEnvironnementales=env or ["Pas de considération environnementale"],
        eforms={
            "BT-06": strategic or ["none"],
            "BT-774": impacts,
            "BT-775": objectives,
        },
    )
