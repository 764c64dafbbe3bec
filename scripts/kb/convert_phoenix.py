"""Regenerate every knowledge-base table and validate it.

    .venv/bin/python scripts/kb/convert_phoenix.py

Order matters: countries -> metonyms (uses countries) -> organisations (uses
both to skip duplicates) -> agents -> people.  Hand-built inputs live in
scripts/kb/ (countries_manual.tsv, country_facts.tsv, metonyms_manual.tsv,
orgs/*.tsv, agents_manual.tsv) so regeneration never loses them.
"""

import sys

import build_agents
import build_countries
import build_metonyms
import build_organizations
import build_people_phoenix
import validate_kb


def main() -> int:
    build_countries.main()
    build_metonyms.main()
    build_organizations.main()
    build_agents.main()
    build_people_phoenix.main()
    return validate_kb.main()


if __name__ == "__main__":
    sys.exit(main())
