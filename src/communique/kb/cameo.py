"""The CAMEO codebook with Goldstein values, quad classes and PLOVER types."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import KnowledgeBaseError
from .tables import data_path, read_table


@dataclass(frozen=True)
class CameoCode:
    code: str
    root: str
    name: str
    goldstein: float
    quad_class: int
    penta: int
    plover_event: str
    plover_mode: str
    description: str


class Codebook:
    def __init__(self, codes: dict[str, CameoCode], version: str):
        self.codes = codes
        self.version = version

    def __getitem__(self, code: str) -> CameoCode:
        try:
            return self.codes[code]
        except KeyError:
            raise KnowledgeBaseError(f"unknown CAMEO code {code!r}", "kb/data/cameo.tsv",
                                     "use a code from the CAMEO codebook (communique docs/KB.md)") from None

    def __contains__(self, code: str) -> bool:
        return code in self.codes

    def get(self, code: str) -> CameoCode | None:
        return self.codes.get(code)


def load_codebook() -> Codebook:
    table = read_table(data_path("cameo.tsv"), required=("code", "root", "goldstein", "quad_class"))
    codes = {}
    for _, row in table:
        codes[row["code"]] = CameoCode(
            row["code"], row["root"], row["name"], float(row["goldstein"]), int(row["quad_class"]),
            int(row["penta"]), row["plover_event"], row["plover_mode"], row["description"])
    return Codebook(codes, table.version)
