"""One-off: write country_facts.tsv (representative lat/lon per ISO code).

The coordinates are the CIA World Factbook "geographic coordinates"
(public domain) as redistributed in the `countryinfo` package (MIT,
https://pypi.org/project/countryinfo/, version 1.0.1).  Run only when the
facts need refreshing:

    pip install --target /tmp/ci countryinfo==1.0.1
    PYTHONPATH=/tmp/ci .venv/bin/python scripts/kb/extract_country_facts.py

Codes the package lacks are filled from MANUAL below (Factbook values or,
for historical states, a rough centre of their territory).
"""

import glob
import json
import os

import countryinfo
import pycountry

HERE = os.path.dirname(os.path.abspath(__file__))

MANUAL = {
    "ALA": (60.25, 20.0), "ATA": (-90.0, 0.0), "BES": (12.18, -68.25), "BLM": (17.9, -62.83),
    "BVT": (-54.43, 3.4), "CUW": (12.17, -69.0), "MAF": (18.08, -63.05), "SXM": (18.03, -63.05),
    "TCA": (21.75, -71.58), "UMI": (19.28, 166.65), "VGB": (18.5, -64.5), "VIR": (18.34, -64.93),
    "XKX": (42.6, 20.9), "SUN": (60.0, 90.0), "YUG": (44.0, 19.0), "SCG": (43.8, 20.5),
    "CSK": (49.5, 17.0), "DDR": (52.5, 12.5), "YMD": (14.5, 47.5), "VDR": (21.0, 105.5),
    "ANT": (12.2, -69.0),
}


def main():
    data_dir = os.path.join(os.path.dirname(countryinfo.__file__), "data")
    latlng = {}
    for path in glob.glob(os.path.join(data_dir, "*.json")):
        with open(path, encoding="utf-8") as fh:
            d = json.load(fh)
        iso = (d.get("ISO") or {}).get("alpha3")
        if iso and d.get("latlng"):
            latlng[iso] = tuple(d["latlng"][:2])
    rows = []
    codes = sorted({c.alpha_3 for c in pycountry.countries} | set(MANUAL))
    for code in codes:
        if code in latlng:
            lat, lon = latlng[code]
            src = "CIA World Factbook via countryinfo 1.0.1"
        else:
            lat, lon = MANUAL[code]
            src = "manual"
        rows.append(f"{code}\t{round(float(lat), 4)}\t{round(float(lon), 4)}\t{src}")
    with open(os.path.join(HERE, "country_facts.tsv"), "w", encoding="utf-8") as fh:
        fh.write("# version: 2025.12.1\n")
        fh.write("# Representative point (not the capital) of each country; see extract_country_facts.py\n")
        fh.write("iso3\tlat\tlon\tsource\n")
        fh.write("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
