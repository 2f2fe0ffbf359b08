#!/bin/sh
# Regenerates the pandas reference of the KPI fixture (run from the package root):
#   the export is `arscore generate --customers 300 --months 8 --seed 11` without truth.json;
#   the references are Benchmarks/reference/kpis_pandas.py on it (pandas only, independent of the Swift code).
set -eu
here=Tests/KPIsTests/Fixtures
if [ "${REGENERATE_EXPORT:-0}" = 1 ]; then
    rm -rf /tmp/kpi-fixture-export
    swift run -c release arscore generate --out /tmp/kpi-fixture-export --customers 300 --months 8 --seed 11 --quiet
    cp /tmp/kpi-fixture-export/*.csv "$here/export/"
fi
python3 Benchmarks/reference/kpis_pandas.py "$here/export" --from 2026-03-01 --to 2026-11-01 --period month --by segment \
    --out "$here/reference_month_segment.json"
python3 Benchmarks/reference/kpis_pandas.py "$here/export" --from 2026-06-29 --to 2026-09-07 --period week --by country \
    --out "$here/reference_week_country.json"
