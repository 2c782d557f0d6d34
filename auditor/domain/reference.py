"""Reference data the rules rely on: case types and staff roles.

Case types are seeded into the database, where their labels can be edited; forms refer to them by code.
Roles carry permissions, so the set of roles is fixed here while people can hold any number of them.
"""

from __future__ import annotations

from enum import Enum

from auditor.domain.errors import ValidationError

#: The longest case reference kept (cases, imported history): one word, e.g. CF-10234.
CASE_REFERENCE_MAX = 40

#: code -> default label. Codes are what form definitions and imports use.
CASE_TYPES: dict[str, str] = {
    "early_help": "Early help",
    "child_in_need": "Child in need",
    "child_protection": "Child protection",
    "child_in_care": "Child in care",
    "care_leaver": "Care leaver",
    "adoption": "Adoption",
    "disabled_children": "Disabled children",
}

#: Services a council's teams commonly belong to: offered when a team is added, free text allowed.
SUGGESTED_SERVICES = (
    "Multi-Agency Safeguarding Hub (MASH)",
    "Child Assessment Team",
    "Strengthening Families",
    "Children and Young People in Care",
    "Care Leavers",
    "Early Intervention",
    "Specialist Support",
    "Disabled Children",
    "Fostering",
    "Adoption",
)


def parse_case_type(text: object) -> str:
    key = "_".join(str(text or "").strip().lower().replace("-", " ").split())
    aliases = {
        "cin": "child_in_need",
        "cp": "child_protection",
        "lac": "child_in_care",
        "looked_after": "child_in_care",
        "cic": "child_in_care",
        "eh": "early_help",
    }
    key = aliases.get(key, key)
    for code, label in CASE_TYPES.items():
        if key in (code, "_".join(label.lower().split())):
            return code
    raise ValidationError(f"'{text}' is not a case type. Use one of: {', '.join(CASE_TYPES)}.")


class Role(Enum):
    SOCIAL_WORKER = "social_worker"
    TEAM_MANAGER = "team_manager"
    SENIOR_SOCIAL_WORK_MANAGER = "senior_social_work_manager"
    SERVICE_MANAGER = "service_manager"
    HEAD_OF_SERVICE = "head_of_service"
    ADVANCED_PRACTITIONER = "advanced_practitioner"
    PRINCIPAL_SOCIAL_WORKER = "principal_social_worker"
    DIRECTOR = "director"
    IRO = "iro"
    #: Looks after the set-up (people, teams, cases). Not a job role: it gives no audit rights, so
    #: an administrator audits only through a job role held besides it.
    ADMINISTRATOR = "administrator"

    @property
    def label(self) -> str:
        return _ROLE_LABELS[self]

    @property
    def is_manager(self) -> bool:
        """May carry out a first-line (tier 2) audit."""
        return self in _MANAGERS

    @property
    def is_senior_or_qa(self) -> bool:
        """May carry out an independent second (tier 3) audit."""
        return self in _SENIOR_OR_QA

    @classmethod
    def parse(cls, text: object) -> Role:
        key = "_".join(str(text or "").strip().lower().replace("-", " ").replace("/", " ").split())
        for role in cls:
            if key in (role.value, "_".join(role.label.lower().replace("/", " ").split())):
                return role
        raise ValidationError(
            f"'{text}' is not a role. Use one of: {', '.join(r.value for r in cls)}."
        )


_ROLE_LABELS = {
    Role.SOCIAL_WORKER: "Social worker",
    Role.TEAM_MANAGER: "Team manager",
    Role.SENIOR_SOCIAL_WORK_MANAGER: "Senior social work manager",
    Role.SERVICE_MANAGER: "Service manager",
    Role.HEAD_OF_SERVICE: "Head of service",
    Role.ADVANCED_PRACTITIONER: "Advanced practitioner (QA)",
    Role.PRINCIPAL_SOCIAL_WORKER: "Principal social worker",
    Role.DIRECTOR: "Director of children's services",
    Role.IRO: "IRO / conference chair",
    Role.ADMINISTRATOR: "Administrator",
}
#: Job roles: what a person does in children's services (Administrator is held besides one).
JOB_ROLES = tuple(role for role in Role if role is not Role.ADMINISTRATOR)
_MANAGERS = frozenset(JOB_ROLES) - {Role.SOCIAL_WORKER, Role.IRO}
_SENIOR_OR_QA = frozenset(
    {
        Role.SENIOR_SOCIAL_WORK_MANAGER,
        Role.SERVICE_MANAGER,
        Role.HEAD_OF_SERVICE,
        Role.ADVANCED_PRACTITIONER,
        Role.PRINCIPAL_SOCIAL_WORKER,
        Role.DIRECTOR,
    }
)
