"""Texts for campaign tests: a form letter, copies of it, and comments that copy nothing."""

FORM = ("The resource officer must never take part in school discipline. Students who break "
        "school rules need counselors and restorative practices, not police. Please remove the "
        "words about officers assisting administrators with discipline from this clause.")

PERSONAL = ("My son was handcuffed in fourth grade for throwing a chair, and he still will not "
            "talk to the counselor about it. Nobody from the school called me until after.")

OTHERS = [
    "Arrest should be a last resort, but the clause does not say who decides that diversion was considered first.",
    "Body cameras should be on during every interaction with students, and footage shared with families on request.",
    "The agreement needs a yearly public report of arrests and citations broken down by race and disability.",
    "Officers should wear plain clothes inside school buildings so that young children are not frightened.",
]


def copy_with_changes(text: str) -> str:
    """The same letter with other case, spacing and punctuation."""
    return "  " + text.upper().replace(",", "").replace(".", " !") + "\n"
